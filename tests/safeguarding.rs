//! Safeguarding on both backends: verification levels inside the matcher and
//! the consent step, suspension, a host's first acceptance under review,
//! reports queued for coordinators, blocks, risk signals, and who may do
//! what.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::{Value, json};

on_both_backends!(
    verified_hosts_only_for_women_only_offers_and_children,
    suspension_takes_effect_at_once,
    first_acceptance_waits_for_a_coordinator,
    reports_hide_an_offer_until_reviewed,
    guests_block_hosts,
    coordination_endpoints_are_for_coordinators_only,
    risk_signals_flag_hosts_whose_guests_never_arrive,
);

fn host_of(app: &TestApp, offer_id: &str) -> String {
    let mut c = app.state.conn().unwrap();
    porte_ouverte::db::offers::get(&mut c, &id(offer_id))
        .unwrap()
        .unwrap()
        .host_id
        .into()
}

async fn verified_hosts_only_for_women_only_offers_and_children(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let mut body = offer_body(&app, 48.8585, 2.3795, 4);
    body["women_only"] = json!(true);
    let women = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");
    let mut body = offer_body(&app, 48.8585, 2.3795, 4);
    body["children_ok"] = json!(true);
    let kids_ok = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");

    let mut w = request_body(48.8590, 2.3800, 1);
    w["needs"] = json!({"women_only": true});
    let r = post(&svc, "/api/v1/requests", None, w).await;
    let (wid, wt) = (r.s("id"), r.s("access_token"));
    let mut k = request_body(48.8590, 2.3800, 3);
    k["needs"] = json!({"children": true});
    let r = post(&svc, "/api/v1/requests", None, k).await;
    let (kid, kt) = (r.s("id"), r.s("access_token"));

    // an unverified host: neither party sees the offer, nor can ask it by its ID
    assert!(candidate_ids(&svc, &wid, &wt).await.is_empty());
    assert!(candidate_ids(&svc, &kid, &kt).await.is_empty());
    let r = ask(&svc, &wid, &wt, &women).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json["code"], "verified_host_required");
    let r = ask(&svc, &kid, &kt, &kids_ok).await;
    assert_eq!(r.json["code"], "verified_host_required");
    // nor invite them from the host's side
    let r = post(
        &svc,
        &format!("/api/v1/offers/{kids_ok}/matches"),
        Some(&host),
        json!({"request_id": kid}),
    )
    .await;
    assert_eq!(r.json["code"], "verified_host_required");
    let nearby = get(
        &svc,
        &format!("/api/v1/offers/{kids_ok}/nearby-requests"),
        Some(&host),
    )
    .await;
    assert!(!nearby.text.contains(&kid), "{}", nearby.text);

    // a coordinator sees the host's identity: both appear at once
    let host_id = host_of(&app, &women);
    let v = post(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}/verify-identity"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.text);
    assert_eq!(v.json["level"], "coordinator_verified");
    assert!(
        v.json["identity_verified_by"]
            .as_str()
            .unwrap()
            .starts_with("acc_")
    );
    assert_eq!(candidate_ids(&svc, &wid, &wt).await, vec![women.clone()]);
    assert_eq!(candidate_ids(&svc, &kid, &kt).await, vec![kids_ok.clone()]);
    assert_eq!(
        ask(&svc, &kid, &kt, &kids_ok).await.status,
        StatusCode::CREATED
    );
    // a new offer of a verified host is verified too
    let mut body = offer_body(&app, 48.8585, 2.3795, 2);
    body["women_only"] = json!(true);
    let later = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");
    assert!(candidate_ids(&svc, &wid, &wt).await.contains(&later));
}

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

async fn first_acceptance_waits_for_a_coordinator(b: Backend) {
    let app = TestApp::with(b, |c| c.first_acceptance_review = true);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    let acc = act(&svc, &mid, "accept", &host).await;
    assert_eq!(acc.status, StatusCode::OK);
    assert_eq!(acc.json["status"], "accepted");
    assert_eq!(acc.json["awaiting_review"], true);
    // both agreed, but no contact crosses until a coordinator approves
    for token in [&rt, &host] {
        let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(token)).await;
        assert_eq!(v.json["awaiting_review"], true);
        assert_no_secret(&v.text, SECRETS);
        assert_no_secret(&v.text, GUEST_SECRETS);
    }
    let queue = get(&svc, "/api/v1/coordination/reviews", Some(&coord)).await;
    assert_eq!(queue.json["matches"][0]["id"], mid.as_str());
    let denied = post(
        &svc,
        &format!("/api/v1/coordination/matches/{mid}/approve"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let ok = post(
        &svc,
        &format!("/api/v1/coordination/matches/{mid}/approve"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let twice = post(
        &svc,
        &format!("/api/v1/coordination/matches/{mid}/approve"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
    assert_eq!(v.json["awaiting_review"], false);
    assert!(
        v.text.contains("rue de la Roquette"),
        "revealed after approval"
    );

    // the host's second guest needs no review
    let (rid2, rt2) = guest(&svc, 48.8590, 2.3800, 1).await;
    let mid2 = ask(&svc, &rid2, &rt2, &offer_id).await.s("id");
    let acc = act(&svc, &mid2, "accept", &host).await;
    assert_eq!(acc.json["awaiting_review"], false);
    assert!(acc.text.contains("+33700000001"));
}

async fn reports_hide_an_offer_until_reviewed(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let (_, rt2) = guest(&svc, 48.8590, 2.3800, 1).await;
    let report = json!({"target_kind": "offer", "target_id": offer_id, "reason": "asks_money", "details": "asked for 50 euros"});

    // bad reports change nothing
    for bad in [
        json!({"target_kind": "offer", "target_id": offer_id, "reason": "ugly"}),
        json!({"target_kind": "planet", "target_id": offer_id, "reason": "other"}),
        json!({"target_kind": "offer", "reason": "other"}),
        json!({"target_kind": "offer", "target_id": offer_id, "reason": "other", "details": "x".repeat(1001)}),
    ] {
        let r = post(&svc, "/api/v1/reports", Some(&rt), bad.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let missing = post(
        &svc,
        "/api/v1/reports",
        Some(&rt),
        json!({"target_kind": "offer", "target_id": "off_nope", "reason": "other"}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // a guest may not report another guest; a host only their own guests
    let r = post(
        &svc,
        "/api/v1/reports",
        Some(&rt),
        json!({"target_kind": "guest", "target_id": rid, "reason": "other"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        &svc,
        "/api/v1/reports",
        Some(&host),
        json!({"target_kind": "guest", "target_id": rid, "reason": "other"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // one report: still listed; the same reporter twice counts once
    assert_eq!(
        post(&svc, "/api/v1/reports", Some(&rt), report.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    let again = post(&svc, "/api/v1/reports", Some(&rt), report.clone()).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(candidate_ids(&svc, &rid, &rt).await, vec![offer_id.clone()]);
    // a second reporter (anonymous): neither has a tie to the host, so the
    // offer stays listed and the reports wait for coordinators (weighing:
    // tests/reports.rs)
    assert_eq!(
        post(&svc, "/api/v1/reports", None, report.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(candidate_ids(&svc, &rid, &rt).await, vec![offer_id.clone()]);
    let _ = rt2;

    // coordinators see the reports; guests and hosts do not
    let list = get(&svc, "/api/v1/coordination/reports", Some(&coord)).await;
    let reports = list.json["reports"].as_array().unwrap().clone();
    assert_eq!(reports.len(), 2);
    assert_eq!(
        get(&svc, "/api/v1/coordination/reports", Some(&host))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&svc, "/api/v1/coordination/reports", Some(&rt))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let id = reports[0]["id"].as_str().unwrap();
    let bad = post(
        &svc,
        &format!("/api/v1/coordination/reports/{id}/review"),
        Some(&coord),
        json!({"outcome": "maybe"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let dismissed = post(
        &svc,
        &format!("/api/v1/coordination/reports/{id}/review"),
        Some(&coord),
        json!({"outcome": "dismissed"}),
    )
    .await;
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.text);
    assert_eq!(
        candidate_ids(&svc, &rid, &rt).await,
        vec![offer_id.clone()],
        "shown again"
    );
    assert!(
        get(&svc, "/api/v1/coordination/reports", Some(&coord))
            .await
            .json["reports"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // upheld on a host: suspended, offers gone
    let host_id = host_of(&app, &offer_id);
    let hr = json!({"target_kind": "host", "target_id": host_id, "reason": "unsafe"});
    let r = post(&svc, "/api/v1/reports", Some(&rt), hr).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let rid_report = r.s("id");
    let up = post(
        &svc,
        &format!("/api/v1/coordination/reports/{rid_report}/review"),
        Some(&coord),
        json!({"outcome": "upheld"}),
    )
    .await;
    assert_eq!(up.status, StatusCode::OK);
    assert!(candidate_ids(&svc, &rid, &rt).await.is_empty());
    assert_eq!(
        get(&svc, "/api/v1/accounts/me", Some(&host)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

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

async fn coordination_endpoints_are_for_coordinators_only(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    let host_id = host_of(&app, &offer_id);
    let gets = [
        "/api/v1/coordination/overview".to_owned(),
        "/api/v1/coordination/requests".to_owned(),
        "/api/v1/coordination/alerts".to_owned(),
        "/api/v1/coordination/outbox".to_owned(),
        "/api/v1/coordination/reviews".to_owned(),
        "/api/v1/coordination/reports".to_owned(),
        "/api/v1/coordination/risks".to_owned(),
        "/api/v1/coordination/areas".to_owned(),
        "/api/v1/coordination/suggestions".to_owned(),
        "/api/v1/coordination/incidents".to_owned(),
        "/api/v1/coordination/incidents/inc_x".to_owned(),
        "/api/v1/coordination/exports/offers.csv".to_owned(),
        "/api/v1/coordination/exports/requests.csv?personal=true".to_owned(),
        "/api/v1/coordination/exports/areas-hxl.csv".to_owned(),
        "/api/v1/coordination/exports/pfif.xml".to_owned(),
        format!("/api/v1/coordination/accounts/{host_id}"),
    ];
    let posts = [
        format!("/api/v1/coordination/accounts/{host_id}/verify-identity"),
        format!("/api/v1/coordination/accounts/{host_id}/suspend"),
        format!("/api/v1/coordination/accounts/{host_id}/reinstate"),
        format!("/api/v1/coordination/matches/{mid}/approve"),
        "/api/v1/coordination/reports/rep_x/review".to_owned(),
        "/api/v1/coordination/outbox/msg_x/retry".to_owned(),
        "/api/v1/coordination/matches".to_owned(),
        "/api/v1/coordination/suggestions".to_owned(),
        "/api/v1/coordination/incidents".to_owned(),
        "/api/v1/coordination/incidents/inc_x/close".to_owned(),
        format!("/api/v1/coordination/offers/{offer_id}/details"),
        format!("/api/v1/coordination/requests/{rid}/details"),
    ];
    for (who, token, status) in [
        ("host", Some(host.as_str()), StatusCode::FORBIDDEN),
        ("guest", Some(rt.as_str()), StatusCode::FORBIDDEN),
        ("forged", Some("poa_forged"), StatusCode::UNAUTHORIZED),
        ("nobody", None, StatusCode::UNAUTHORIZED),
    ] {
        for path in &gets {
            let r = get(&svc, path, token).await;
            assert_eq!(r.status, status, "{who} GET {path}: {}", r.text);
        }
        for path in &posts {
            let r = post(
                &svc,
                path,
                token,
                json!({"outcome": "upheld", "request_id": rid, "offer_id": offer_id, "reason": "a reason"}),
            )
            .await;
            assert_eq!(r.status, status, "{who} POST {path}: {}", r.text);
        }
    }
    // nothing changed: the host is neither verified nor suspended
    let v = get(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}"),
        Some(&coord),
    )
    .await;
    assert_eq!(v.json["level"], "unverified");
    assert_eq!(v.json["suspended"], false);
    let unknown = get(&svc, "/api/v1/coordination/accounts/acc_nope", Some(&coord)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let risks = get(&svc, "/api/v1/coordination/risks", Some(&coord)).await;
    assert_eq!(risks.json["hosts"], json!([]));
    assert_eq!(risks.json["report_floods"], json!([]));
    let _: Value = risks.json;
}

async fn risk_signals_flag_hosts_whose_guests_never_arrive(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 6).await;
    let (_, fine) = sign_up_host(&svc, "fine@example.org").await;
    let fine_offer = offer(&svc, &app, &fine, 48.8585, 2.3795, 6).await;
    for (o, h) in [(&offer_id, &host), (&offer_id, &host), (&fine_offer, &fine)] {
        let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
        let mid = ask(&svc, &rid, &rt, o).await.s("id");
        assert_eq!(act(&svc, &mid, "accept", h).await.status, StatusCode::OK);
    }
    let risks = get(&svc, "/api/v1/coordination/risks", Some(&coord)).await;
    assert_eq!(risks.json["hosts"], json!([]), "nothing late yet");
    app.clock.advance(91 * 60_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    let risks = get(&svc, "/api/v1/coordination/risks", Some(&coord)).await;
    let hosts = risks.json["hosts"].as_array().unwrap();
    assert_eq!(hosts.len(), 1, "{}", risks.text);
    assert_eq!(hosts[0]["host_id"], host_of(&app, &offer_id).as_str());
    assert_eq!(hosts[0]["unconfirmed_arrivals"], 2);
}
