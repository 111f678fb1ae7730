//! One error policy for pages (issue 10): a failure on our side is a page
//! in the visitor's language that says so and asks them to try again
//! (503, `Retry-After`), never a bare status and never a form's own message
//! — a database outage at log-in is not "wrong e-mail or password". The
//! outage is real: the test drops a table under the running app.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::pages::page_session;
use common::*;
use diesel::connection::SimpleConnection;
use porte_ouverte::db::DbConn;

on_both_backends!(
    a_database_failure_on_a_page_says_so_in_the_visitors_language,
    a_database_failure_at_log_in_is_not_a_wrong_password,
);

const EMAIL: &str = "host@example.org";
const PASSWORD: &str = "correct horse";

fn drop_table(app: &TestApp, table: &str) {
    let mut c = app.state.conn().unwrap();
    let sql = match &mut *c {
        DbConn::Sqlite(_) => format!("PRAGMA foreign_keys = OFF; DROP TABLE {table};"),
        DbConn::Pg(_) => format!("DROP TABLE {table} CASCADE;"),
    };
    match &mut *c {
        DbConn::Sqlite(s) => s.batch_execute(&sql).unwrap(),
        DbConn::Pg(p) => p.batch_execute(&sql).unwrap(),
    }
}

/// The log-in form's CSRF cookie and token.
async fn login_form<S, B>(svc: &S) -> (Cookie<'static>, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let form = send(svc, TestRequest::get().uri("/host/login")).await;
    let set = form.headers.get("set-cookie").unwrap().to_str().unwrap();
    let c = Cookie::parse(set.to_owned()).unwrap();
    let token = form
        .text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (
        Cookie::new(c.name().to_owned(), c.value().to_owned()),
        token,
    )
}

async fn log_in<S, B>(svc: &S, password: &str) -> Resp
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let (cookie, token) = login_form(svc).await;
    send(
        svc,
        TestRequest::post()
            .uri("/host/login")
            .insert_header(("host", "localhost:8080"))
            .insert_header(("origin", "http://localhost:8080"))
            .insert_header(("accept-language", "en"))
            .insert_header(("referer", "http://localhost:8080/host/login"))
            .cookie(cookie)
            .set_form(vec![
                ("csrf".to_owned(), token),
                ("email".to_owned(), EMAIL.to_owned()),
                ("password".to_owned(), password.to_owned()),
            ]),
    )
    .await
}

fn assert_trouble(r: &Resp, title: &str) {
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    assert_eq!(
        r.headers.get("retry-after").map(|v| v.to_str().unwrap()),
        Some("30")
    );
    assert!(
        r.headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html"),
    );
    assert!(r.text.contains(title), "{}", r.text);
}

async fn a_database_failure_on_a_page_says_so_in_the_visitors_language(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    sign_up_host(&svc, EMAIL).await;
    let cookies = page_session(&svc, EMAIL, PASSWORD).await;

    drop_table(&app, "offers");
    for (lang, title, body) in [
        (
            "fr",
            "Nous avons un problème",
            "rien n&#39;a été fait. Réessayez dans une minute.",
        ),
        (
            "en",
            "We are having trouble",
            "this was not done. Please try again in a minute.",
        ),
    ] {
        let r = send(
            &svc,
            TestRequest::get()
                .uri("/host")
                .insert_header(("accept-language", lang))
                .cookie(cookies.0.clone())
                .cookie(cookies.1.clone()),
        )
        .await;
        assert_trouble(&r, title);
        assert!(
            r.text.contains(body) || r.text.contains(&body.replace("&#39;", "'")),
            "{}",
            r.text
        );
        assert!(r.text.contains(&format!("lang=\"{lang}\"")));
        // the way back is the page itself, and home
        assert!(r.text.contains("href=\"/host\"") && r.text.contains("href=\"/\""));
    }
}

async fn a_database_failure_at_log_in_is_not_a_wrong_password(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (host_id, _) = sign_up_host(&svc, EMAIL).await;

    // a wrong password is still said on the form
    let wrong = log_in(&svc, "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("Wrong e-mail address or password."));
    // so is a suspended account, as such
    let suspend = |on: bool| {
        let mut c = app.state.conn().unwrap();
        porte_ouverte::db::accounts::safeguarding::set_suspended(&mut c, &id(&host_id), on, 0)
            .unwrap();
    };
    suspend(true);
    let r = log_in(&svc, PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("This account is suspended."), "{}", r.text);
    suspend(false);

    drop_table(&app, "accounts");
    let r = log_in(&svc, PASSWORD).await;
    assert_trouble(&r, "We are having trouble");
    assert!(!r.text.contains("Wrong e-mail address or password."));
    assert!(
        r.text.contains("href=\"/host/login\""),
        "back to the form it came from"
    );
}
