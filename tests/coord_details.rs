//! Coordinators see cells and needs by default; a person's details take a
//! POST with a reason, recorded in the audit log and shown to the person
//! (issue 11, finding 3). Both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use diesel::prelude::*;
use serde_json::json;

on_both_backends!(
    coordinators_see_cells_and_needs_by_default,
    details_take_a_reason_and_are_recorded_and_shown,
);

/// The chained audit entries with `action`: (actor, subject, detail).
fn audited(app: &TestApp, action: &str) -> Vec<(String, String, String)> {
    use porte_ouverte::db::schema::audit_log::dsl as a;
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::audit::chain_pending(&app.state, &mut c).unwrap();
    a::audit_log
        .filter(a::action.eq(action))
        .select((a::actor, a::subject, a::detail))
        .load(&mut *c)
        .unwrap()
}

async fn coordinators_see_cells_and_needs_by_default(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, _) = guest(&svc, 48.8590, 2.3800, 2).await;

    let o = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&coord)).await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.text);
    assert_no_secret(&o.text, SECRETS);
    for field in [
        "lat",
        "lon",
        "address",
        "contact_phone",
        "contact_email",
        "notes",
    ] {
        assert!(o.json.get(field).is_none(), "{field} in {}", o.text);
    }
    assert!(!o.text.contains("48.8585"), "exact point: {}", o.text);
    assert_eq!(o.json["capacity"], 4);
    assert!(o.json["area"]["cell"].is_string());
    // the host still sees everything of their own offer
    let mine = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&host)).await;
    assert!(mine.text.contains("rue de la Roquette") && mine.json["lat"] == 48.8585);

    let q = get(&svc, "/api/v1/coordination/requests", Some(&coord)).await;
    assert_eq!(q.status, StatusCode::OK);
    assert_eq!(q.json["requests"][0]["request_id"], rid.as_str());
    assert_eq!(q.json["requests"][0]["needs"]["children"], false);
    assert_no_secret(&q.text, GUEST_SECRETS);
    assert!(!q.text.contains("48.859,") && !q.text.contains("\"lat\":48.859}"));
    for field in ["contact_phone", "contact_email", "notes", "lat"] {
        assert!(q.json["requests"][0].get(field).is_none(), "{field}");
    }
    // reading is not recorded as an access: nothing was shown
    assert!(audited(&app, "coord.offer_details").is_empty());
}

async fn details_take_a_reason_and_are_recorded_and_shown(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let (other_rid, other_rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let (_, other_host) = sign_up_host(&svc, "other@example.org").await;
    let op = format!("/api/v1/coordination/offers/{offer_id}/details");
    let rp = format!("/api/v1/coordination/requests/{rid}/details");

    // no reason, an empty one, too long, an unknown field: 422, nothing recorded
    for bad in [
        json!({}),
        json!({"reason": ""}),
        json!({"reason": "  "}),
        json!({"reason": "x".repeat(501)}),
        json!({"reason": "a reason", "extra": 1}),
    ] {
        for path in [&op, &rp] {
            let r = post(&svc, path, Some(&coord), bad.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path} {bad}: {}",
                r.text
            );
            assert_no_secret(&r.text, SECRETS);
            assert_no_secret(&r.text, GUEST_SECRETS);
        }
    }
    // hosts, guests, forged and missing tokens cannot
    let reason = json!({"reason": "the guest called: the host does not answer"});
    for (token, status) in [
        (Some(host.as_str()), StatusCode::FORBIDDEN),
        (Some(rt.as_str()), StatusCode::FORBIDDEN),
        (Some("poa_forged"), StatusCode::UNAUTHORIZED),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        for path in [&op, &rp] {
            let r = post(&svc, path, token, reason.clone()).await;
            assert_eq!(r.status, status, "{path}: {}", r.text);
            assert_no_secret(&r.text, SECRETS);
            assert_no_secret(&r.text, GUEST_SECRETS);
        }
    }
    // unknown IDs, and one kind's ID on the other's route: 404
    for path in [
        "/api/v1/coordination/offers/off_nope/details".to_owned(),
        "/api/v1/coordination/requests/req_nope/details".to_owned(),
        format!("/api/v1/coordination/offers/{rid}/details"),
        format!("/api/v1/coordination/requests/{offer_id}/details"),
    ] {
        let r = post(&svc, &path, Some(&coord), reason.clone()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(audited(&app, "coord.offer_details").is_empty());
    assert!(audited(&app, "coord.request_details").is_empty());
    let seen = get(&svc, "/api/v1/accounts/me/seen-by", Some(&host)).await;
    assert_eq!(seen.json["seen_by"], json!([]));

    // with a reason: the details, one audit entry, and the host sees it
    let d = post(&svc, &op, Some(&coord), reason.clone()).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.headers.get("cache-control").unwrap(), "no-store");
    assert!(d.text.contains("rue de la Roquette") && d.text.contains("Digicode"));
    assert_eq!(d.json["offer"]["lat"], 48.8585);
    assert_eq!(d.json["host_email"], "host@example.org");
    let rows = audited(&app, "coord.offer_details");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, offer_id);
    assert!(rows[0].0.starts_with("acc_"));
    assert!(rows[0].2.contains("reason_sha256"));
    assert!(
        !rows[0].2.contains("does not answer"),
        "no free text in the audit"
    );
    let seen = get(&svc, "/api/v1/accounts/me/seen-by", Some(&host)).await;
    let list = seen.json["seen_by"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{}", seen.text);
    assert_eq!(list[0]["viewer"], "coordinator");
    assert_eq!(
        list[0]["reason"],
        "the guest called: the host does not answer"
    );
    assert_eq!(list[0]["match_id"], json!(null));
    let theirs = get(&svc, "/api/v1/accounts/me/seen-by", Some(&other_host)).await;
    assert_eq!(theirs.json["seen_by"], json!([]));

    // the same for a guest
    let d = post(
        &svc,
        &rp,
        Some(&coord),
        json!({"reason": "checking the party size by phone"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.json["contact_phone"], "+33700000001");
    assert_eq!(d.json["notes"], "with my brother");
    assert_eq!(d.json["lat"], 48.859);
    assert_eq!(audited(&app, "coord.request_details").len(), 1);
    let seen = get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), Some(&rt)).await;
    assert_eq!(
        seen.json["seen_by"][0]["reason"],
        "checking the party size by phone"
    );
    assert_eq!(seen.json["seen_by"][0]["viewer"], "coordinator");
    let theirs = get(
        &svc,
        &format!("/api/v1/requests/{other_rid}/seen-by"),
        Some(&other_rt),
    )
    .await;
    assert_eq!(theirs.json["seen_by"], json!([]));
    // a second read is a second record
    post(&svc, &rp, Some(&coord), json!({"reason": "calling back"})).await;
    assert_eq!(audited(&app, "coord.request_details").len(), 2);
    let seen = get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), Some(&rt)).await;
    assert_eq!(seen.json["seen_by"].as_array().unwrap().len(), 2);
    // the chain still verifies
    let mut c = app.state.conn().unwrap();
    assert!(
        porte_ouverte::service::audit::verify(&mut c)
            .unwrap()
            .is_ok()
    );
}
