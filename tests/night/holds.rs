//! Holds that adapt to the host, to the second on the manual clock, and an incident's own holds.

use crate::common::*;
use crate::on_both_backends;
use crate::support::{MIN, PARIS, SEC, align, ms};
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(
    holds_adapt_to_the_host_to_the_second,
    an_incident_sets_its_own_holds,
);

fn flush_seen(app: &TestApp) {
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::holds::flush_seen(&app.state, &mut c).unwrap();
}

async fn holds_adapt_to_the_host_to_the_second(b: Backend) {
    let app = TestApp::new(b);
    align(&app);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let a = offer(&svc, &app, &host, PARIS.0, PARIS.1, 4).await;
    let t0 = app.clock.now();
    flush_seen(&app);
    // seen exactly 15 minutes ago: still present, the full 20 minutes
    app.clock.advance(15 * MIN);
    let (g1, t1) = guest(&svc, 48.857, 2.352, 1).await;
    let m1 = ask(&svc, &g1, &t1, &a).await;
    assert_eq!(ms(&m1.json["expires_at"]), t0 + 15 * MIN + 20 * MIN);
    // one second more: a host not seen lately gets 8 minutes
    app.clock.advance(SEC);
    let (g2, t2) = guest(&svc, 48.858, 2.352, 1).await;
    let m2 = ask(&svc, &g2, &t2, &a).await;
    let asked = t0 + 15 * MIN + SEC;
    assert_eq!(ms(&m2.json["expires_at"]), asked + 8 * MIN);
    // the host opens their page three minutes later: ten more minutes from then
    app.clock.advance(3 * MIN);
    let seen = app.clock.now();
    let list = get(&svc, &format!("/api/v1/offers/{a}/matches"), Some(&host)).await;
    assert_eq!(list.status, StatusCode::OK);
    flush_seen(&app);
    let m2v = get(&svc, &format!("/api/v1/matches/{}", m2.s("id")), Some(&t2)).await;
    assert_eq!(ms(&m2v.json["expires_at"]), seen + 10 * MIN);
    // the first hold already runs longer than that: unchanged
    let m1v = get(&svc, &format!("/api/v1/matches/{}", m1.s("id")), Some(&t1)).await;
    assert_eq!(ms(&m1v.json["expires_at"]), t0 + 35 * MIN);
    // seen again a second before the end: ten more minutes, within the cap
    app.clock.advance(seen + 10 * MIN - SEC - app.clock.now());
    get(&svc, "/api/v1/offers", Some(&host)).await;
    flush_seen(&app);
    let end = seen + 20 * MIN - SEC;
    let m2v = get(&svc, &format!("/api/v1/matches/{}", m2.s("id")), Some(&t2)).await;
    assert_eq!(ms(&m2v.json["expires_at"]), end);
    assert!(end <= asked + 40 * MIN);
    let m1v = get(&svc, &format!("/api/v1/matches/{}", m1.s("id")), Some(&t1)).await;
    assert_eq!(
        ms(&m1v.json["expires_at"]),
        end,
        "extended too, by the same visit"
    );
    // the holds stop counting at their instant, and not a millisecond before
    app.clock.advance(end - 1 - app.clock.now());
    let (g3, t3) = guest(&svc, 48.859, 2.352, 3).await;
    assert!(
        candidate_ids(&svc, &g3, &t3).await.is_empty(),
        "2 of 4 held"
    );
    app.clock.advance(1);
    assert_eq!(candidate_ids(&svc, &g3, &t3).await, vec![a]);
}

async fn an_incident_sets_its_own_holds(b: Backend) {
    let app = TestApp::new(b);
    align(&app);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let inc = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({
            "name": "Crue de la Seine", "center": [PARIS.0, PARIS.1], "radius_km": 5,
            "planned_end_at": app.in_hours(48),
            "holds": {"minutes": 5, "unseen_minutes": 2, "extend_minutes": 3, "cap_minutes": 9},
        }),
    )
    .await;
    assert_eq!(inc.status, StatusCode::CREATED, "{}", inc.text);
    assert_eq!(inc.json["holds"]["minutes"], 5);
    let bad = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({
            "name": "Bad", "center": [PARIS.0, PARIS.1], "radius_km": 5,
            "planned_end_at": app.in_hours(48), "holds": {"minutes": 0, "extra": 1},
        }),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    let fields = bad.error_fields();
    assert!(fields.contains(&"holds.minutes".to_owned()), "{fields:?}");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let a = offer(&svc, &app, &host, PARIS.0, PARIS.1, 4).await;
    let (g, t) = guest(&svc, 48.857, 2.352, 1).await;
    let now = app.clock.now();
    let m = ask(&svc, &g, &t, &a).await;
    assert_eq!(ms(&m.json["expires_at"]), now + 5 * MIN);
    app.clock.advance(16 * MIN);
    let (g2, t2) = guest(&svc, 48.857, 2.353, 1).await;
    let now = app.clock.now();
    let m2 = ask(&svc, &g2, &t2, &a).await;
    assert_eq!(ms(&m2.json["expires_at"]), now + 2 * MIN);
}
