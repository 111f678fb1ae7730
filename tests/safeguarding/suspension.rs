//! Suspension by a coordinator takes effect at once, and reinstatement undoes it.

use crate::common::*;
use crate::on_both_backends;
use crate::support::host_of;
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(suspension_takes_effect_at_once);

async fn suspension_takes_effect_at_once(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let stale = candidate_ids(&svc, &rid, &rt).await;
    assert_eq!(stale, vec![offer_id.clone()]);
    let host_id = host_of(&app, &offer_id);

    let r = post(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}/suspend"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["suspended"], true);
    // gone from candidates at once; a stale link cannot ask; the token is dead
    assert!(candidate_ids(&svc, &rid, &rt).await.is_empty());
    let r = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(r.json["code"], "offer_not_available");
    let me = get(&svc, "/api/v1/accounts/me", Some(&host)).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let login = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "correct horse"}),
    )
    .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    assert!(login.text.contains("suspended"));
    // a coordinator cannot suspend themselves
    let me = get(&svc, "/api/v1/accounts/me", Some(&coord)).await.s("id");
    let selfie = post(
        &svc,
        &format!("/api/v1/coordination/accounts/{me}/suspend"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(selfie.status, StatusCode::CONFLICT);

    let r = post(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}/reinstate"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(r.json["suspended"], false);
    assert_eq!(candidate_ids(&svc, &rid, &rt).await, vec![offer_id.clone()]);
    let login = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "correct horse"}),
    )
    .await;
    assert_eq!(login.status, StatusCode::CREATED);
}
