//! Helpers of the mail tests: SMTP transport, delivery, outbox, a French host, an English guest.

use crate::common::smtp::Sink;
use crate::common::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use diesel::prelude::*;
use porte_ouverte::mail::{self, transport::Transport};
use serde_json::{Value, json};

pub(crate) fn smtp_transport(sink: &Sink) -> Transport {
    Transport::from_config(Some(&sink.url()), "unused").unwrap()
}

pub(crate) fn deliver(app: &TestApp, t: &Transport) -> usize {
    mail::deliver_due(&app.state, t, 100).unwrap()
}

pub(crate) fn outbox(app: &TestApp) -> Vec<(String, String, i32)> {
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    o::outbox
        .order(o::created_at.asc())
        .select((o::kind, o::status, o::attempts))
        .load(&mut *c)
        .unwrap()
}

/// A host signs up in French through the API, and offers places.
pub(crate) async fn french_host<S, B>(svc: &S, app: &TestApp, email: &str) -> (String, String)
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
        TestRequest::post()
            .uri("/api/v1/accounts")
            .insert_header(("accept-language", "fr-FR,fr;q=0.9"))
            .set_json(json!({"email": email, "password": "correct horse", "display_name": "Hélène Dupont"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let t = post(
        svc,
        "/api/v1/tokens",
        None,
        json!({"email": email, "password": "correct horse"}),
    )
    .await;
    let token = t.s("token");
    let offer_id = offer(svc, app, &token, 48.8585, 2.3795, 4).await;
    (token, offer_id)
}

pub(crate) async fn english_guest<S, B>(svc: &S, email: &str, extra: Value) -> (String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut body = request_body(48.8590, 2.3800, 2);
    body["contact_email"] = json!(email);
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = send(
        svc,
        TestRequest::post()
            .uri("/api/v1/requests")
            .insert_header(("accept-language", "en-GB,en;q=0.9"))
            .set_json(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (r.s("id"), r.s("access_token"))
}

pub(crate) fn one(mails: &[Value], subject: &str) -> Value {
    let found: Vec<&Value> = mails.iter().filter(|m| m["subject"] == subject).collect();
    assert_eq!(found.len(), 1, "one '{subject}' in {mails:#?}");
    found[0].clone()
}
