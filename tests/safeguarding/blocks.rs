//! A guest blocks a host: every offer of theirs gone for that request alone.

use crate::common::*;
use crate::on_both_backends;
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(guests_block_hosts);

async fn guests_block_hosts(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let first = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let second = offer(&svc, &app, &host, 48.8600, 2.3810, 4).await;
    let (_, other) = sign_up_host(&svc, "other@example.org").await;
    let third = offer(&svc, &app, &other, 48.8590, 2.3790, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let (rid2, rt2) = guest(&svc, 48.8590, 2.3800, 1).await;
    assert_eq!(candidate_ids(&svc, &rid, &rt).await.len(), 3);
    let r = post(
        &svc,
        &format!("/api/v1/requests/{rid}/blocks"),
        Some(&rt),
        json!({"offer_id": first}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // every offer of that host is gone for this request, not for others
    assert_eq!(candidate_ids(&svc, &rid, &rt).await, vec![third.clone()]);
    assert_eq!(candidate_ids(&svc, &rid2, &rt2).await.len(), 3);
    assert_eq!(
        ask(&svc, &rid, &rt, &second).await.status,
        StatusCode::NOT_FOUND
    );
    // another guest's token, no token, bad bodies: refused, nothing blocked
    let r = post(
        &svc,
        &format!("/api/v1/requests/{rid2}/blocks"),
        Some(&rt),
        json!({"offer_id": third}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        &svc,
        &format!("/api/v1/requests/{rid2}/blocks"),
        None,
        json!({"offer_id": third}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = post(
        &svc,
        &format!("/api/v1/requests/{rid2}/blocks"),
        Some(&rt2),
        json!({"offer": third}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &svc,
        &format!("/api/v1/requests/{rid2}/blocks"),
        Some(&rt2),
        json!({"offer_id": "off_nope"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(candidate_ids(&svc, &rid2, &rt2).await.len(), 3);
}
