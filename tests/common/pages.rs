//! Pages in-process: a session through the log-in form, and a page read
//! with a language and a session.

use super::{Resp, send};
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

/// Logs in through the page's form and returns the session cookie.
pub async fn page_session<S, B>(
    svc: &S,
    email: &str,
    password: &str,
) -> (Cookie<'static>, Cookie<'static>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let form = send(svc, TestRequest::get().uri("/host/login")).await;
    assert_eq!(form.status, StatusCode::OK);
    let set = form.headers.get("set-cookie").unwrap().to_str().unwrap();
    let csrf_cookie = Cookie::parse(set.to_owned()).unwrap().into_owned();
    let token = form
        .text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let csrf_cookie = Cookie::new(
        csrf_cookie.name().to_owned(),
        csrf_cookie.value().to_owned(),
    );
    let login = send(
        svc,
        TestRequest::post()
            .uri("/host/login")
            .insert_header(("host", "localhost:8080"))
            .insert_header(("origin", "http://localhost:8080"))
            .cookie(csrf_cookie.clone())
            .set_form(vec![
                ("csrf".to_owned(), token),
                ("email".to_owned(), email.to_owned()),
                ("password".to_owned(), password.to_owned()),
            ]),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text);
    let session = login
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("po_session="))
        .expect("a session cookie");
    let session = Cookie::parse(session).unwrap();
    (
        csrf_cookie,
        Cookie::new("po_session", session.value().to_owned()),
    )
}

/// A page that must answer 200, in `lang`, with a session if given.
pub async fn page<S, B>(
    svc: &S,
    uri: &str,
    lang: &str,
    cookies: Option<&(Cookie<'static>, Cookie<'static>)>,
) -> Resp
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut r = TestRequest::get()
        .uri(uri)
        .insert_header(("accept-language", lang));
    if let Some((a, b)) = cookies {
        r = r.cookie(a.clone()).cookie(b.clone());
    }
    let resp = send(svc, r).await;
    assert_eq!(resp.status, StatusCode::OK, "{uri}: {}", resp.text);
    resp
}
