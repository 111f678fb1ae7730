//! Capacity under concurrency: 64 guests at one offer, racing acceptances
//! and capacity edits, and an incident closed while its guests ask and its
//! hosts accept.

use crate::common::*;
use crate::on_both_backends;
use crate::support::assert_capacity_invariant;
use actix_web::http::StatusCode;
use futures_util::future::join_all;
use serde_json::json;

on_both_backends!(
    sixty_four_guests_one_offer,
    concurrent_accepts_and_capacity_edits,
    closing_an_incident_while_its_guests_ask
);

async fn sixty_four_guests_one_offer(b: Backend) {
    // all 64 reach the database at once: admission control (tests/spike.rs)
    // would otherwise shed the burst before the race this test is about
    let app = TestApp::with(b, |c| {
        c.admit_write = Some(porte_ouverte::config::GateSize {
            in_flight: 64,
            queue: 64,
        })
    });
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    const C: usize = 10;
    let offer_id = offer(&svc, &app, &host, 48.8566, 2.3522, C as i64).await;
    let mut guests = vec![];
    for _ in 0..64 {
        guests.push(guest(&svc, 48.85, 2.35, 1).await);
    }
    // all 64 at once
    let results = join_all(guests.iter().map(|(rid, rt)| {
        post(
            &svc,
            Box::leak(format!("/api/v1/requests/{rid}/matches").into_boxed_str()),
            Some(rt),
            json!({"offer_id": offer_id}),
        )
    }))
    .await;
    let created: Vec<_> = results
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .collect();
    let refused: Vec<_> = results
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT)
        .collect();
    for r in &results {
        assert!(
            r.status == StatusCode::CREATED || r.status == StatusCode::CONFLICT,
            "{}: {}",
            r.status,
            r.text
        );
        assert!(!r.text.contains("locked"), "{}", r.text);
    }
    assert_eq!(created.len(), C, "exactly the capacity is held");
    assert_eq!(refused.len(), 64 - C);
    assert!(refused.iter().all(|r| r.json["code"] == "no_places"));
    assert_capacity_invariant(&app);

    // the host accepts all of them at once, while the refused guests retry
    let mids: Vec<String> = created.iter().map(|r| r.s("id")).collect();
    let accepts = join_all(mids.iter().map(|m| {
        post(
            &svc,
            Box::leak(format!("/api/v1/matches/{m}/accept").into_boxed_str()),
            Some(&host),
            json!({}),
        )
    }));
    let retries = join_all(guests.iter().take(20).map(|(rid, rt)| {
        post(
            &svc,
            Box::leak(format!("/api/v1/requests/{rid}/matches").into_boxed_str()),
            Some(rt),
            json!({"offer_id": offer_id}),
        )
    }));
    let (accepts, retries) = futures_util::future::join(accepts, retries).await;
    assert!(
        accepts
            .iter()
            .all(|r| r.status == StatusCode::OK && r.json["status"] == "accepted"),
        "accepts"
    );
    assert!(
        retries.iter().all(|r| r.status == StatusCode::CONFLICT),
        "no place left for anyone"
    );
    let o = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&host)).await;
    assert_eq!(o.json["remaining"], 0);
    assert_capacity_invariant(&app);
}

async fn concurrent_accepts_and_capacity_edits(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    // one guest asks three hosts' offers; the three accept at the same time:
    // exactly one acceptance wins, the others are cancelled
    let mut offers_ = vec![];
    let mut hosts = vec![];
    for i in 0..3 {
        let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
        offers_.push(offer(&svc, &app, &h, 48.85, 2.35, 4).await);
        hosts.push(h);
    }
    let (rid, rt) = guest(&svc, 48.85, 2.35, 2).await;
    let mut mids = vec![];
    for o in &offers_ {
        mids.push(ask(&svc, &rid, &rt, o).await.s("id"));
    }
    let res = join_all(mids.iter().zip(&hosts).map(|(m, h)| {
        post(
            &svc,
            Box::leak(format!("/api/v1/matches/{m}/accept").into_boxed_str()),
            Some(h),
            json!({}),
        )
    }))
    .await;
    let won = res
        .iter()
        .filter(|r| r.status == StatusCode::OK && r.json["status"] == "accepted")
        .count();
    assert_eq!(
        won,
        1,
        "{:?}",
        res.iter().map(|r| r.text.clone()).collect::<Vec<_>>()
    );
    assert!(
        res.iter()
            .all(|r| r.status == StatusCode::OK || r.status == StatusCode::CONFLICT)
    );
    assert_capacity_invariant(&app);

    // capacity edits racing proposals never leave capacity below what is taken
    let big = offer(&svc, &app, &host, 48.86, 2.36, 20).await;
    let mut gs = vec![];
    for _ in 0..16 {
        gs.push(guest(&svc, 48.86, 2.36, 1).await);
    }
    let path = format!("/api/v1/offers/{big}");
    let proposals = join_all(gs.iter().map(|(rid, rt)| {
        post(
            &svc,
            Box::leak(format!("/api/v1/requests/{rid}/matches").into_boxed_str()),
            Some(rt),
            json!({"offer_id": big}),
        )
    }));
    let edits =
        join_all((0..8).map(|i| patch(&svc, &path, Some(&host), json!({"capacity": 4 + i}))));
    let (p, e) = futures_util::future::join(proposals, edits).await;
    assert!(
        p.iter()
            .all(|r| r.status == StatusCode::CREATED || r.status == StatusCode::CONFLICT)
    );
    assert!(
        e.iter()
            .all(|r| r.status == StatusCode::OK || r.status == StatusCode::CONFLICT)
    );
    assert_capacity_invariant(&app);
}

async fn closing_an_incident_while_its_guests_ask(b: Backend) {
    let app = TestApp::with(b, |c| {
        c.admit_write = Some(porte_ouverte::config::GateSize {
            in_flight: 64,
            queue: 64,
        })
    });
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let inc = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Paris", "center": [48.8566, 2.3522], "radius_km": 5,
               "planned_end_at": app.in_hours(72)}),
    )
    .await
    .s("id");
    // two doors in the incident, two outside it (6.4 km east), all within
    // reach of guests 3.5 km east of its centre
    let mut doors = vec![];
    for (i, lon) in [2.39, 2.40, 2.44, 2.45].into_iter().enumerate() {
        let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
        doors.push((offer(&svc, &app, &h, 48.8566, lon, 6).await, h));
    }
    let mut guests = vec![];
    for _ in 0..24 {
        guests.push(guest(&svc, 48.8566, 2.40, 1).await);
    }
    // half of them placed already, at every door
    for (k, (rid, rt)) in guests.iter().take(12).enumerate() {
        let (door, h) = &doors[k % 4];
        let m = ask(&svc, rid, rt, door).await.s("id");
        assert_eq!(act(&svc, &m, "accept", h).await.status, StatusCode::OK);
    }
    // the other half asks, every host accepts what waits, the incident closes
    let mut asks = vec![];
    for (k, (rid, rt)) in guests.iter().enumerate().skip(12).take(6) {
        let (door, h) = &doors[k % 4];
        asks.push((ask(&svc, rid, rt, door).await.s("id"), h.clone()));
    }
    let accepts = join_all(asks.iter().map(|(m, h)| {
        post(
            &svc,
            Box::leak(format!("/api/v1/matches/{m}/accept").into_boxed_str()),
            Some(h),
            json!({}),
        )
    }));
    let proposals = join_all(guests.iter().skip(18).enumerate().map(|(k, (rid, rt))| {
        post(
            &svc,
            Box::leak(format!("/api/v1/requests/{rid}/matches").into_boxed_str()),
            Some(rt),
            json!({"offer_id": doors[k % 4].0}),
        )
    }));
    let close = post(
        &svc,
        Box::leak(format!("/api/v1/coordination/incidents/{inc}/close").into_boxed_str()),
        Some(&coord),
        json!({}),
    );
    let (a, (p, c)) =
        futures_util::future::join(accepts, futures_util::future::join(proposals, close)).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    for r in a.iter().chain(&p) {
        assert!(
            [StatusCode::OK, StatusCode::CREATED, StatusCode::CONFLICT].contains(&r.status),
            "{} {}",
            r.status,
            r.text
        );
    }
    assert_capacity_invariant(&app);
    // every request of the incident ended, every place it held is free
    for (rid, rt) in &guests {
        let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(rt)).await;
        assert_eq!(r.json["status"], "cancelled", "{}", r.text);
    }
    for (door, h) in &doors[2..] {
        let d = get(&svc, &format!("/api/v1/offers/{door}"), Some(h)).await;
        assert_eq!(d.json["status"], "open");
        assert_eq!(d.json["remaining"], 6, "{}", d.text);
    }
}
