//! Reports queued for coordinators and reviewed, and risk signals on hosts.

use crate::common::*;
use crate::on_both_backends;
use crate::support::host_of;
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(
    reports_hide_an_offer_until_reviewed,
    risk_signals_flag_hosts_whose_guests_never_arrive,
);

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
