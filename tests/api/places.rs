//! Places taken and freed: holds that expire, offer edits, cancellations.

use crate::PARIS;
use crate::common::*;
use crate::on_both_backends;
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(
    holds_expire_at_once_and_free_places,
    offer_edits_respect_taken_places,
    cancel_frees_places,
);

async fn holds_expire_at_once_and_free_places(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 2).await;
    let (r1, t1) = guest(&svc, 48.85, 2.35, 2).await;
    let (r2, t2) = guest(&svc, 48.85, 2.35, 2).await;
    let m = ask(&svc, &r1, &t1, &offer_id).await;
    let mid = m.s("id");
    // full while held: not a candidate, and a second ask is refused
    let c = get(
        &svc,
        &format!("/api/v1/requests/{r2}/candidates"),
        Some(&t2),
    )
    .await;
    assert_eq!(c.json["candidates"].as_array().unwrap().len(), 0);
    let refused = ask(&svc, &r2, &t2, &offer_id).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json["code"], "no_places");
    assert!(refused.is_problem());

    // one millisecond before expiry still held; at expiry free, with no sweeper run
    app.clock.advance(app.state.hold_ms() - 1);
    let c = get(
        &svc,
        &format!("/api/v1/requests/{r2}/candidates"),
        Some(&t2),
    )
    .await;
    assert_eq!(c.json["candidates"].as_array().unwrap().len(), 0);
    app.clock.advance(1);
    let c = get(
        &svc,
        &format!("/api/v1/requests/{r2}/candidates"),
        Some(&t2),
    )
    .await;
    assert_eq!(c.json["candidates"].as_array().unwrap().len(), 1);
    let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&t1)).await;
    assert_eq!(v.json["status"], "expired");
    let late = act(&svc, &mid, "accept", &host).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.json["code"], "match_expired");
    let ok = ask(&svc, &r2, &t2, &offer_id).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    // the first guest may ask again once their proposal expired
    app.clock.advance(app.state.hold_ms());
    let again = ask(&svc, &r1, &t1, &offer_id).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    // the sweeper marks what already stopped counting
    assert!(porte_ouverte::service::sweeper::sweep(&app.state).unwrap() >= 1);
}

async fn offer_edits_respect_taken_places(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 5).await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 3).await;
    ask(&svc, &rid, &rt, &offer_id).await;
    let path = format!("/api/v1/offers/{offer_id}");
    let low = patch(&svc, &path, Some(&host), json!({"capacity": 2})).await;
    assert_eq!(low.status, StatusCode::CONFLICT);
    assert_eq!(low.json["code"], "capacity_below_taken");
    assert_eq!(get(&svc, &path, Some(&host)).await.json["capacity"], 5);
    let ok = patch(
        &svc,
        &path,
        Some(&host),
        json!({"capacity": 3, "notes": "Code 1234", "pets_ok": true}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json["remaining"], 0);
    assert_eq!(ok.json["pets_ok"], true);

    // moving the offer keeps the same host offset: same point, same cell
    let area = ok.json["area"].clone();
    let moved = patch(&svc, &path, Some(&host), json!({"lat": 48.87, "lon": 2.30})).await;
    assert_ne!(moved.json["area"], area);
    let back = patch(
        &svc,
        &path,
        Some(&host),
        json!({"lat": PARIS.0, "lon": PARIS.1}),
    )
    .await;
    assert_eq!(back.json["area"], area);

    let paused = patch(&svc, &path, Some(&host), json!({"status": "paused"})).await;
    assert_eq!(paused.json["status"], "paused");
    let (r2, t2) = guest(&svc, 48.85, 2.35, 1).await;
    let c = get(
        &svc,
        &format!("/api/v1/requests/{r2}/candidates"),
        Some(&t2),
    )
    .await;
    assert_eq!(
        c.json["candidates"].as_array().unwrap().len(),
        0,
        "paused offers are not candidates"
    );
    let refused = ask(&svc, &r2, &t2, &offer_id).await;
    assert_eq!(refused.json["code"], "offer_not_available");
    let closed = patch(&svc, &path, Some(&host), json!({"status": "closed"})).await;
    assert_eq!(closed.json["status"], "closed");
    let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(
        r.json["matches"][0]["status"], "cancelled",
        "closing cancels live proposals"
    );
    let list = get(&svc, "/api/v1/offers", Some(&host)).await;
    assert_eq!(list.json["offers"].as_array().unwrap().len(), 1);
}

async fn cancel_frees_places(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 4).await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 3).await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    let mid = m.s("id");
    act(&svc, &mid, "accept", &host).await;
    let o = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&host)).await;
    assert_eq!(o.json["remaining"], 1);
    // the host cancels an accepted match: places come back, the guest waits again
    let c = act(&svc, &mid, "cancel", &host).await;
    assert_eq!(c.json["status"], "cancelled");
    assert_no_secret(&c.text, GUEST_SECRETS);
    assert_eq!(
        get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&host))
            .await
            .json["remaining"],
        4
    );
    assert_eq!(
        get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt))
            .await
            .json["status"],
        "waiting"
    );
    let twice = act(&svc, &mid, "cancel", &host).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    // decline a new proposal, then the guest cancels the request
    let m2 = ask(&svc, &rid, &rt, &offer_id).await;
    let d = post(
        &svc,
        &format!("/api/v1/matches/{}/decline", m2.s("id")),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(d.json["status"], "declined");
    let c = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates"),
        Some(&rt),
    )
    .await;
    assert_eq!(
        c.json["candidates"].as_array().unwrap().len(),
        0,
        "a host who declined is not proposed again"
    );
    let cancel = post(
        &svc,
        &format!("/api/v1/requests/{rid}/cancel"),
        Some(&rt),
        json!({}),
    )
    .await;
    assert_eq!(cancel.status, StatusCode::OK);
    assert_eq!(cancel.json["status"], "cancelled");
    let after = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates"),
        Some(&rt),
    )
    .await;
    assert_eq!(after.status, StatusCode::CONFLICT);
}
