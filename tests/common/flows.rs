//! The steps of the core loop through the API: sign-up, offers, requests, asks, answers.

use super::app::TestApp;
use super::client::{Resp, get, post};
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use serde_json::{Value, json};

/// Signs up a host and logs in; returns (account id, token).
pub async fn sign_up_host<S, B>(svc: &S, email: &str) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = post(svc, "/api/v1/accounts", None, json!({"email": email, "password": "correct horse", "display_name": "Hélène Dupont", "phone": "+33 6 12 34 56 78"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let t = post(
        svc,
        "/api/v1/tokens",
        None,
        json!({"email": email, "password": "correct horse"}),
    )
    .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.text);
    (r.s("id"), t.s("token"))
}

pub fn offer_body(app: &TestApp, lat: f64, lon: f64, capacity: i64) -> Value {
    json!({
        "lat": lat, "lon": lon, "address": "12 rue de la Roquette, 75011 Paris",
        "capacity": capacity, "available_until": app.in_hours(24),
        "contact_phone": "+33 6 12 34 56 78", "contact_email": "host@example.org",
        "notes": "Digicode 4521B, 3rd floor", "languages": ["fr", "en"]
    })
}

pub async fn offer<S, B>(
    svc: &S,
    app: &TestApp,
    token: &str,
    lat: f64,
    lon: f64,
    capacity: i64,
) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = post(
        svc,
        "/api/v1/offers",
        Some(token),
        offer_body(app, lat, lon, capacity),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.s("id")
}

pub fn request_body(lat: f64, lon: f64, party: i64) -> Value {
    json!({"lat": lat, "lon": lon, "party_size": party, "name": "Samira", "contact_phone": "+33 7 00 00 00 01", "contact_email": "guest@example.org", "notes": "with my brother"})
}

/// Creates a request; returns (id, access token).
pub async fn guest<S, B>(svc: &S, lat: f64, lon: f64, party: i64) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = post(svc, "/api/v1/requests", None, request_body(lat, lon, party)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (r.s("id"), r.s("access_token"))
}

/// Creates a coordinator directly through the service, as the CLI does.
pub fn coordinator_token(app: &TestApp, email: &str) -> String {
    use porte_ouverte::service::accounts;
    let mut conn = app.state.conn().unwrap();
    let new = accounts::parse_new_account(
        json!({"email": email, "password": "coordinator pw", "display_name": "Coord"}),
    )
    .unwrap();
    accounts::create(
        &app.state,
        &mut conn,
        new,
        porte_ouverte::domain::states::Role::Coordinator,
    )
    .unwrap();
    accounts::login(
        &app.state,
        &mut conn,
        accounts::Credentials {
            email: email.into(),
            password: "coordinator pw".into(),
        },
    )
    .unwrap()
    .token
}

/// What the background thread does about every second: turns queued
/// password-reset requests into links and mails (`service::resets`).
pub fn send_requested_resets(app: &TestApp) -> usize {
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::resets::send_requested(&app.state, &mut c).unwrap()
}

/// A guest asks a host: `POST /requests/{rid}/matches`.
pub async fn ask<S, B>(svc: &S, rid: &str, rt: &str, offer_id: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post(
        svc,
        &format!("/api/v1/requests/{rid}/matches"),
        Some(rt),
        json!({ "offer_id": offer_id }),
    )
    .await
}

/// One side's action on a match: `POST /matches/{mid}/{action}`.
pub async fn act<S, B>(svc: &S, mid: &str, action: &str, token: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post(
        svc,
        &format!("/api/v1/matches/{mid}/{action}"),
        Some(token),
        json!({}),
    )
    .await
}

/// The offer IDs a request's candidate search returns, best first.
pub async fn candidate_ids<S, B>(svc: &S, rid: &str, rt: &str) -> Vec<String>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = get(svc, &format!("/api/v1/requests/{rid}/candidates"), Some(rt)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["offer_id"].as_str().unwrap().to_owned())
        .collect()
}
