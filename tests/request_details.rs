//! `PATCH /api/v1/requests/{id}`: a guest adds what the first screen left
//! out. The page (`/r/{id}/{token}/details`, tests/pages/request_page.rs) reads the same
//! command; here the API's side: saved, refused field by field with nothing
//! changed, never through another request's token, not once ended.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::json;

on_both_backends!(details_are_added_through_the_api);

async fn details_are_added_through_the_api(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 2).await;
    let (other, other_t) = guest(&svc, 48.86, 2.36, 1).await;
    let path = format!("/api/v1/requests/{rid}");
    let other_before = get(&svc, &format!("/api/v1/requests/{other}"), Some(&other_t)).await;

    let ok = patch(
        &svc,
        &path,
        Some(&rt),
        json!({"needs": {"children": true}, "languages": ["ar", "fr"], "notes": "une poussette",
               "trusted_contact_email": "soeur@example.org", "trusted_contact_consent": true}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.json);
    assert_eq!(ok.json["needs"]["children"], true);
    assert_eq!(ok.json["languages"], json!(["ar", "fr"]));
    assert_eq!(ok.json["notes"], "une poussette");

    // bad input: every problem named, nothing changed
    let bad = patch(
        &svc,
        &path,
        Some(&rt),
        json!({"needs": {"children": "yes"}, "languages": ["klingon"], "notes": 3,
               "findable_name": "Samira Haddad", "party_size": 4}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.is_problem());
    let fields: Vec<&str> = bad.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "party_size",
            "needs.children",
            "languages",
            "notes",
            "findable_consent"
        ]
    );
    let now = get(&svc, &path, Some(&rt)).await;
    assert_eq!(now.json["needs"]["children"], true);
    assert_eq!(now.json["notes"], "une poussette");

    // "" clears the notes; what is left out stays
    let cleared = patch(&svc, &path, Some(&rt), json!({"notes": ""})).await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert_eq!(cleared.json["notes"], serde_json::Value::Null);
    assert_eq!(cleared.json["languages"], json!(["ar", "fr"]));

    // another request's token, no token, an account's token
    let foreign = patch(&svc, &path, Some(&other_t), json!({"notes": "x"})).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let none = patch(&svc, &path, None, json!({"notes": "x"})).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let account = patch(&svc, &path, Some(&host), json!({"notes": "x"})).await;
    assert_eq!(account.status, StatusCode::FORBIDDEN);
    let still = get(&svc, &path, Some(&rt)).await;
    assert_eq!(still.json["notes"], serde_json::Value::Null);
    let untouched = get(&svc, &format!("/api/v1/requests/{other}"), Some(&other_t)).await;
    assert_eq!(untouched.json, other_before.json);

    // once cancelled, the request's details stay as they were
    let c = post(&svc, &format!("{path}/cancel"), Some(&rt), json!({})).await;
    assert_eq!(c.status, StatusCode::OK);
    let late = patch(&svc, &path, Some(&rt), json!({"notes": "late"})).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.json["code"], "request_closed");
    let after = get(&svc, &path, Some(&rt)).await;
    assert_eq!(after.json["notes"], serde_json::Value::Null);
}
