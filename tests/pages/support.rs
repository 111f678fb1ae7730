//! Helpers of the page tests: CSRF cookie and token, form posts, sessions, requests stored.

use crate::common::*;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

pub(crate) const HOST: &str = "localhost:8080";

/// The CSRF cookie and token a visitor gets with the form.
pub(crate) async fn csrf<S, B>(svc: &S, lang: &str) -> (Cookie<'static>, String, Resp)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = send(
        svc,
        TestRequest::get()
            .uri("/need")
            .insert_header(("accept-language", lang)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let set = r
        .headers
        .get("set-cookie")
        .expect("a csrf cookie")
        .to_str()
        .unwrap()
        .to_owned();
    let cookie = Cookie::parse(set).unwrap().into_owned();
    let token = r
        .text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    // the form carries the cookie's token masked for this response (BREACH)
    assert_ne!(cookie.value(), token);
    assert_eq!((cookie.value().len(), token.len()), (43, 86));
    (
        Cookie::new(cookie.name().to_owned(), cookie.value().to_owned()),
        token,
        r,
    )
}

pub(crate) fn form_post(
    path: &str,
    cookie: &Cookie<'static>,
    origin: &str,
    fields: &[(&str, &str)],
) -> TestRequest {
    TestRequest::post()
        .uri(path)
        .insert_header(("host", HOST))
        .insert_header(("origin", origin))
        .insert_header(("accept-language", "en"))
        .cookie(cookie.clone())
        .set_form(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>(),
        )
}

pub(crate) fn request_count(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    let mut c = app.state.conn().unwrap();
    porte_ouverte::db::schema::requests::table
        .count()
        .get_result(&mut *c)
        .unwrap()
}

pub(crate) fn session_of(r: &Resp) -> Cookie<'static> {
    let set = r
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("po_session="))
        .expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let c = Cookie::parse(set).unwrap();
    Cookie::new("po_session", c.value().to_owned())
}

pub(crate) fn with_session(
    req: TestRequest,
    csrf: &Cookie<'static>,
    session: &Cookie<'static>,
) -> TestRequest {
    req.cookie(csrf.clone()).cookie(session.clone())
}

/// Signs a host up through the form; returns (csrf cookie, token, session cookie).
pub(crate) async fn host_session<S, B>(
    svc: &S,
    email: &str,
) -> (Cookie<'static>, String, Cookie<'static>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let (cookie, token, _) = csrf(svc, "en").await;
    let ok = send(
        svc,
        form_post(
            "/host/signup",
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("display_name", "Nadia"),
                ("email", email),
                ("password", "long enough"),
            ],
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let session = session_of(&ok);
    (cookie, token, session)
}
