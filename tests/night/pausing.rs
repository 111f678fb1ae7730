//! Offers paused when their host stops answering or declines, and resumed by the host.

use crate::common::*;
use crate::on_both_backends;
use crate::support::{MIN, PARIS, sweep};
use actix_web::http::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    an_unanswered_hold_pauses_the_offer_until_the_host_returns,
    a_first_decline_or_declines_in_a_row_pause,
);

async fn an_unanswered_hold_pauses_the_offer_until_the_host_returns(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let (_, other_host) = sign_up_host(&svc, "other@example.org").await;
    let coord = coordinator_token(&app, "coord@example.org");
    let a = offer(&svc, &app, &host, PARIS.0, PARIS.1, 3).await;
    let (g1, t1) = guest(&svc, 48.858, 2.351, 1).await;
    let (g2, t2) = guest(&svc, 48.857, 2.352, 1).await;
    let m1 = ask(&svc, &g1, &t1, &a).await;
    assert_eq!(m1.status, StatusCode::CREATED, "{}", m1.text);
    app.clock.advance(MIN);
    let m2 = ask(&svc, &g2, &t2, &a).await;
    // nineteen minutes later the host has still not answered the first ask
    app.clock.advance(19 * MIN);
    sweep(&app);
    let o = get(&svc, &format!("/api/v1/offers/{a}"), Some(&coord)).await;
    assert_eq!(o.json["status"], "paused", "{}", o.text);
    assert_eq!(o.json["paused_reason"], "unanswered");
    let first = get(&svc, &format!("/api/v1/matches/{}", m1.s("id")), Some(&t1)).await;
    assert_eq!(first.json["status"], "expired");
    // the second guest's ask still had a minute: it ends now, they are told
    let second = get(&svc, &format!("/api/v1/matches/{}", m2.s("id")), Some(&t2)).await;
    assert_eq!(second.json["status"], "cancelled", "{}", second.text);
    let (g3, t3) = guest(&svc, 48.857, 2.353, 1).await;
    assert!(candidate_ids(&svc, &g3, &t3).await.is_empty());
    let paused = get(&svc, "/api/v1/coordination/paused-offers", Some(&coord)).await;
    assert_eq!(paused.json["offers"][0]["offer_id"], a.as_str());
    assert_eq!(paused.json["offers"][0]["reason"], "unanswered");
    assert_no_secret(&paused.text, SECRETS);
    let mails = get(
        &svc,
        "/api/v1/coordination/outbox?status=pending",
        Some(&coord),
    )
    .await;
    let kinds: Vec<(&str, &str)> = mails.json["mails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap(),
                m["recipient"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(kinds.contains(&("paused", "host@example.org")), "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|(k, _)| *k == "expired").count(),
        2,
        "both guests who asked hear it: {kinds:?}"
    );
    // someone else's token cannot reopen it; the host can, in one call
    let foreign = post(
        &svc,
        &format!("/api/v1/offers/{a}/resume"),
        Some(&other_host),
        json!({}),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let r = post(
        &svc,
        &format!("/api/v1/offers/{a}/resume"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["status"], "open");
    assert_eq!(r.json["paused_reason"], Value::Null);
    assert_eq!(candidate_ids(&svc, &g3, &t3).await, vec![a.clone()]);
    // the first guest does not see that door at the top of their list again
    assert!(!candidate_ids(&svc, &g1, &t1).await.contains(&a));
    // a closed offer stays closed
    let closed = patch(
        &svc,
        &format!("/api/v1/offers/{a}"),
        Some(&host),
        json!({"status": "closed"}),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    let again = post(
        &svc,
        &format!("/api/v1/offers/{a}/resume"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let reopen = patch(
        &svc,
        &format!("/api/v1/offers/{a}"),
        Some(&host),
        json!({"status": "open"}),
    )
    .await;
    assert_eq!(reopen.status, StatusCode::CONFLICT, "{}", reopen.text);
}

async fn a_first_decline_or_declines_in_a_row_pause(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let a = offer(&svc, &app, &host, PARIS.0, PARIS.1, 4).await;
    let answer = |verdict: &'static str, i: usize| {
        let svc = &svc;
        let a = a.clone();
        let host = host.clone();
        async move {
            let (g, t) = guest(svc, 48.857 + i as f64 * 0.0005, 2.352, 1).await;
            let m = ask(svc, &g, &t, &a).await;
            assert_eq!(m.status, StatusCode::CREATED, "{}", m.text);
            let r = act(svc, &m.s("id"), verdict, &host).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    };
    // a host who never accepted anyone is asked at their first decline
    answer("decline", 0).await;
    let o = get(&svc, &format!("/api/v1/offers/{a}"), Some(&host)).await;
    assert_eq!(o.json["status"], "paused", "{}", o.text);
    assert_eq!(o.json["paused_reason"], "declines");
    let r = post(
        &svc,
        &format!("/api/v1/offers/{a}/resume"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(r.json["status"], "open", "{}", r.text);
    answer("accept", 1).await;
    answer("decline", 2).await;
    let o = get(&svc, &format!("/api/v1/offers/{a}"), Some(&host)).await;
    assert_eq!(o.json["status"], "open", "one decline after an acceptance");
    answer("decline", 3).await;
    let o = get(&svc, &format!("/api/v1/offers/{a}"), Some(&host)).await;
    assert_eq!(o.json["status"], "paused", "{}", o.text);
    assert_eq!(o.json["paused_reason"], "declines");
}
