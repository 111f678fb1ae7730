//! The coordination endpoints refuse hosts, guests and strangers, and change nothing.

use crate::common::*;
use crate::on_both_backends;
use crate::support::host_of;
use actix_web::http::StatusCode;
use serde_json::{Value, json};

on_both_backends!(coordination_endpoints_are_for_coordinators_only);

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
