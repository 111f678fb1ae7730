//! Reports weighed by who files them, on both backends (issue 11, finding
//! 2): many anonymous reports, from many guest links and networks or from
//! one network, hide nothing and show up as a flood; reports from guests
//! the host accepted do hide; a host reported stays for coordinators.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use common::*;
use serde_json::{Value, json};

on_both_backends!(
    anonymous_floods_hide_nothing_and_are_a_signal,
    accepted_guests_from_two_networks_hide_an_offer,
    a_verified_host_and_an_accepted_guest_hide_an_offer,
);

/// A report sent from `ip` (the common `send` always uses one address).
async fn report_from<S, B>(
    svc: &S,
    ip: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut req = TestRequest::post()
        .uri("/api/v1/reports")
        .set_json(body)
        .peer_addr(format!("{ip}:50000").parse().unwrap());
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    let res = test::call_service(svc, req.to_request()).await;
    let status = res.status();
    let bytes = test::read_body(res).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn offer_report(id: &str) -> Value {
    json!({"target_kind": "offer", "target_id": id, "reason": "fake"})
}

fn host_of(app: &TestApp, offer_id: &str) -> String {
    let mut c = app.state.conn().unwrap();
    porte_ouverte::db::offers::get(&mut c, &id(offer_id))
        .unwrap()
        .unwrap()
        .host_id
        .into()
}

fn stored_networks(app: &TestApp) -> Vec<Option<String>> {
    use diesel::prelude::*;
    use porte_ouverte::db::schema::reports::dsl as r;
    let mut c = app.state.conn().unwrap();
    r::reports.select(r::network).load(&mut *c).unwrap()
}

async fn anonymous_floods_hide_nothing_and_are_a_signal(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let target = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let host_id = host_of(&app, &target);
    let (watch, watch_t) = guest(&svc, 48.8590, 2.3800, 1).await;

    // 12 fresh guest links from 12 networks, none with a match: nothing hidden
    for i in 0..12 {
        let (_, t) = guest(&svc, 48.8590, 2.3800, 1).await;
        let (s, v) = report_from(
            &svc,
            &format!("198.51.{i}.7"),
            Some(&t),
            offer_report(&target),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["standing"], "none");
    }
    // 20 anonymous reports from 20 networks, of the offer and of its host
    for i in 0..20 {
        let ip = format!("192.0.{i}.9");
        let (s, _) = report_from(&svc, &ip, None, offer_report(&target)).await;
        assert_eq!(s, StatusCode::CREATED);
        let host_report = json!({"target_kind": "host", "target_id": host_id, "reason": "unsafe"});
        let (s, _) = report_from(&svc, &ip, None, host_report).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    // one network: every address in it is the same anonymous reporter
    let (s, _) = report_from(&svc, "203.0.113.10", None, offer_report(&target)).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = report_from(&svc, "203.0.113.11", None, offer_report(&target)).await;
    assert_eq!(s, StatusCode::CONFLICT, "the same /24 counts once");
    assert_eq!(
        candidate_ids(&svc, &watch, &watch_t).await,
        vec![target.clone()],
        "still listed after 53 reports with no tie to the host"
    );

    // a flood from one network across many offers, and from one guest link
    let (_, other) = sign_up_host(&svc, "other@example.org").await;
    let mut others = Vec::new();
    for _ in 0..6 {
        others.push(offer(&svc, &app, &other, 48.8600, 2.3810, 2).await);
    }
    for (i, o) in others.iter().enumerate() {
        let (s, _) = report_from(
            &svc,
            &format!("203.0.113.{}", 20 + i),
            None,
            offer_report(o),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let (_, spammer) = guest(&svc, 48.8590, 2.3800, 1).await;
    for (i, o) in others.iter().enumerate() {
        let (s, _) = report_from(
            &svc,
            &format!("100.64.{i}.1"),
            Some(&spammer),
            offer_report(o),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let all = candidate_ids(&svc, &watch, &watch_t).await;
    for o in others.iter().chain([&target]) {
        assert!(all.contains(o), "{o} hidden by a flood");
    }

    // coordinators: every report is queued, the floods are risk signals
    let reports = get(&svc, "/api/v1/coordination/reports", Some(&coord)).await;
    let list = reports.json["reports"].as_array().unwrap();
    assert_eq!(list.len(), 12 + 20 + 20 + 1 + 6 + 6);
    assert!(list.iter().all(|r| r["standing"] == "none"));
    assert!(list.iter().any(|r| r["target_kind"] == "host"));
    let risks = get(&svc, "/api/v1/coordination/risks", Some(&coord)).await;
    assert_eq!(risks.status, StatusCode::OK);
    let floods = risks.json["report_floods"].as_array().unwrap().clone();
    assert!(
        floods
            .iter()
            .any(|f| f["source"] == "network" && f["busiest_hour"].as_u64().unwrap() >= 7),
        "{floods:?}"
    );
    assert!(
        floods
            .iter()
            .any(|f| f["source"] == "reporter" && f["id"].as_str().unwrap().starts_with("req:")),
        "{floods:?}"
    );
    // the 12 guest links and 20 networks each filed one or two: no flood
    assert_eq!(floods.len(), 2, "{floods:?}");
    // only keyed hashes of networks are stored, never an address
    let nets = stored_networks(&app);
    assert!(nets.iter().all(|n| {
        n.as_deref()
            .is_some_and(|n| n.len() == 32 && !n.contains('.') && !n.contains(':'))
    }));

    // reporting a host still reaches the coordinators' review
    let host_report = list.iter().find(|r| r["target_kind"] == "host").unwrap();
    let up = post(
        &svc,
        &format!(
            "/api/v1/coordination/reports/{}/review",
            host_report["id"].as_str().unwrap()
        ),
        Some(&coord),
        json!({"outcome": "upheld"}),
    )
    .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.text);
    assert!(
        !candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target)
    );
}

/// A guest whose ask `host` accepted.
async fn accepted_guest<S, B>(svc: &S, offer_id: &str, host: &str) -> (String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let (rid, rt) = guest(svc, 48.8590, 2.3800, 1).await;
    let mid = ask(svc, &rid, &rt, offer_id).await.s("id");
    assert_eq!(act(svc, &mid, "accept", host).await.status, StatusCode::OK);
    (rid, rt)
}

async fn accepted_guests_from_two_networks_hide_an_offer(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let target = offer(&svc, &app, &host, 48.8585, 2.3795, 6).await;
    let (watch, watch_t) = guest(&svc, 48.8590, 2.3800, 1).await;
    let (_, g1) = accepted_guest(&svc, &target, &host).await;
    let (_, g2) = accepted_guest(&svc, &target, &host).await;
    let (_, g3) = accepted_guest(&svc, &target, &host).await;
    // a guest who only asked: weak
    let (asker, asker_t) = guest(&svc, 48.8590, 2.3800, 1).await;
    ask(&svc, &asker, &asker_t, &target).await;
    let (s, v) = report_from(&svc, "198.51.100.1", Some(&asker_t), offer_report(&target)).await;
    assert_eq!(
        (s, v["standing"].clone()),
        (StatusCode::CREATED, json!("weak"))
    );
    assert!(
        candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target)
    );

    let (s, v) = report_from(&svc, "203.0.113.5", Some(&g1), offer_report(&target)).await;
    assert_eq!(
        (s, v["standing"].clone()),
        (StatusCode::CREATED, json!("strong"))
    );
    assert!(
        candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target),
        "one accepted guest (and a weak one) is not enough"
    );
    // a second accepted guest behind the same /24: one voice
    let (s, _) = report_from(&svc, "203.0.113.99", Some(&g2), offer_report(&target)).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(
        candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target)
    );
    // from another network: hidden at once
    let (s, _) = report_from(&svc, "198.18.0.1", Some(&g3), offer_report(&target)).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(
        !candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target)
    );
    assert_eq!(
        ask(&svc, &watch, &watch_t, &target).await.json["code"],
        "offer_not_available"
    );
    // dismissing shows it again
    let list = get(&svc, "/api/v1/coordination/reports", Some(&coord)).await;
    let id = list.json["reports"][0]["id"].as_str().unwrap().to_owned();
    let r = post(
        &svc,
        &format!("/api/v1/coordination/reports/{id}/review"),
        Some(&coord),
        json!({"outcome": "dismissed"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target)
    );
}

async fn a_verified_host_and_an_accepted_guest_hide_an_offer(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let target = offer(&svc, &app, &host, 48.8585, 2.3795, 6).await;
    let (watch, watch_t) = guest(&svc, 48.8590, 2.3800, 1).await;
    let (_, g1) = accepted_guest(&svc, &target, &host).await;
    // another host: unchecked weighs nothing; identity checked is strong
    let (peer_id, peer) = sign_up_host(&svc, "peer@example.org").await;
    let (s, v) = report_from(&svc, "198.51.100.1", Some(&peer), offer_report(&target)).await;
    assert_eq!(
        (s, v["standing"].clone()),
        (StatusCode::CREATED, json!("none"))
    );
    let (s, _) = report_from(&svc, "203.0.113.5", Some(&g1), offer_report(&target)).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(
        candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target)
    );
    let (_, peer2) = sign_up_host(&svc, "peer2@example.org").await;
    let peer2_id = get(&svc, "/api/v1/accounts/me", Some(&peer2)).await.s("id");
    assert_ne!(peer_id, peer2_id);
    let v = post(
        &svc,
        &format!("/api/v1/coordination/accounts/{peer2_id}/verify-identity"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(v.status, StatusCode::OK);
    let (s, v) = report_from(&svc, "198.18.0.1", Some(&peer2), offer_report(&target)).await;
    assert_eq!(
        (s, v["standing"].clone()),
        (StatusCode::CREATED, json!("strong"))
    );
    assert!(
        !candidate_ids(&svc, &watch, &watch_t)
            .await
            .contains(&target)
    );
}
