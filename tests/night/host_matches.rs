//! A host's list of asks: live proposals only on request, and a late answer that says why.

use crate::common::*;
use crate::on_both_backends;
use crate::support::PARIS;
use actix_web::http::StatusCode;

on_both_backends!(hosts_list_live_proposals_and_dead_answers_say_why);

async fn hosts_list_live_proposals_and_dead_answers_say_why(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, h1) = sign_up_host(&svc, "h1@example.org").await;
    let (_, h2) = sign_up_host(&svc, "h2@example.org").await;
    let a = offer(&svc, &app, &h1, PARIS.0, PARIS.1, 2).await;
    let b2 = offer(&svc, &app, &h2, PARIS.0, PARIS.1, 2).await;
    let (g, t) = guest(&svc, PARIS.0, PARIS.1, 1).await;
    let ma = ask(&svc, &g, &t, &a).await;
    let mb = ask(&svc, &g, &t, &b2).await;
    act(&svc, &mb.s("id"), "accept", &h2).await;
    let live = get(
        &svc,
        &format!("/api/v1/offers/{a}/matches?status=proposed"),
        Some(&h1),
    )
    .await;
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(
        live.json["matches"].as_array().unwrap().len(),
        0,
        "{}",
        live.text
    );
    let all = get(&svc, &format!("/api/v1/offers/{a}/matches"), Some(&h1)).await;
    assert_eq!(all.json["matches"][0]["status"], "cancelled");
    let bad = get(
        &svc,
        &format!("/api/v1/offers/{a}/matches?status=maybe"),
        Some(&h1),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let late = act(&svc, &ma.s("id"), "accept", &h1).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.json["code"], "match_state");
    assert!(
        late.text.contains("already found a place elsewhere"),
        "{}",
        late.text
    );
}
