//! The JSON API end to end, on SQLite and on PostgreSQL: the core loop,
//! consent, holds, bad input and access control.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::*;
use serde_json::{Value, json};

const PARIS: (f64, f64) = (48.8566, 2.3522);

on_both_backends!(
    full_loop,
    consent_reveals_only_to_the_two_parties,
    holds_expire_at_once_and_free_places,
    three_live_proposals_at_most,
    host_invites_and_coordinator_proposes,
    offer_edits_respect_taken_places,
    cancel_frees_places,
    bad_input_changes_nothing,
    access_control,
    tokens_and_accounts,
    operations_endpoints,
);

async fn full_loop(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 4).await;

    let (rid, rt) = guest(&svc, 48.8600, 2.3500, 2).await;
    let c = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates"),
        Some(&rt),
    )
    .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let cands = c.json["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 1);
    assert_eq!(cands[0]["offer_id"], offer_id.as_str());
    assert_eq!(cands[0]["remaining"], 4);
    assert_eq!(cands[0]["distance"]["band"], "<1 km");
    assert!(
        cands[0]["area"]["label"]
            .as_str()
            .unwrap()
            .starts_with("Paris "),
        "{}",
        c.text
    );
    assert_no_secret(&c.text, SECRETS);

    let m = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.text);
    assert_eq!(m.json["status"], "proposed");
    assert_eq!(m.json["consent"], json!({"guest": true, "host": false}));
    assert!(m.json["expires_at"].is_string());
    let mid = m.s("id");

    // the hold shows at once in the host's view and in candidates
    let o = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&host)).await;
    assert_eq!(o.json["remaining"], 2);
    let hm = get(
        &svc,
        &format!("/api/v1/offers/{offer_id}/matches"),
        Some(&host),
    )
    .await;
    assert_eq!(hm.json["matches"][0]["guest"]["name"], "Samira");
    assert_no_secret(&hm.text, GUEST_SECRETS);

    let a = act(&svc, &mid, "accept", &host).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.json["status"], "accepted");
    assert_eq!(a.json["guest"]["contact_phone"], "+33700000001");

    let g = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
    assert_eq!(
        g.json["offer"]["address"],
        "12 rue de la Roquette, 75011 Paris"
    );
    assert_eq!(g.json["offer"]["host_name"], "Hélène Dupont");
    assert_eq!(g.json["offer"]["contact_phone"], "+33612345678");
    let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(r.json["status"], "matched");

    let arr = act(&svc, &mid, "arrived", &rt).await;
    assert_eq!(arr.status, StatusCode::OK, "{}", arr.text);
    assert_eq!(arr.json["status"], "arrived");
    let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(r.json["status"], "arrived");
    // arrived guests still occupy their places
    let o = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&host)).await;
    assert_eq!(o.json["remaining"], 2);

    // the reveal was recorded when the match was accepted, once per party
    // (the guest's reads above added nothing)
    let mut conn = app.state.conn().unwrap();
    let reveals = porte_ouverte::db::matches::reveals_for(&mut conn, &id(&mid)).unwrap();
    let mut sides: Vec<&str> = reveals.iter().map(|r| r.viewer_side.as_str()).collect();
    sides.sort();
    assert_eq!(sides, ["guest", "host"]);
}

async fn consent_reveals_only_to_the_two_parties(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let (_, other_host) = sign_up_host(&svc, "other@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 3).await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 1).await;
    let (_, other_rt) = guest(&svc, 48.85, 2.35, 1).await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    let mid = m.s("id");
    assert_no_secret(&m.text, SECRETS);

    // before the host's consent: neither side sees the other's contact
    for tok in [&rt, &host] {
        let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(tok)).await;
        assert_eq!(v.status, StatusCode::OK);
        assert_no_secret(&v.text, SECRETS);
        assert_no_secret(&v.text, GUEST_SECRETS);
        assert!(v.json["offer"].get("address").is_none());
    }
    // the guest accepting again changes nothing
    let again = act(&svc, &mid, "accept", &rt).await;
    assert_eq!(again.json["status"], "proposed");
    assert_no_secret(&again.text, SECRETS);
    // strangers see nothing at all
    for tok in [&other_host, &other_rt] {
        let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(tok)).await;
        assert_eq!(v.status, StatusCode::NOT_FOUND, "{}", v.text);
        assert_no_secret(&v.text, SECRETS);
        let a = post(
            &svc,
            &format!("/api/v1/matches/{mid}/accept"),
            Some(tok),
            json!({}),
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
    let a = act(&svc, &mid, "accept", &host).await;
    assert_eq!(a.json["status"], "accepted");
    // after both consents: both parties see everything, strangers still nothing
    let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
    assert!(v.text.contains("Digicode") && v.text.contains("host@example.org"));
    let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&host)).await;
    assert!(v.text.contains("guest@example.org") && v.text.contains("+33700000001"));
    let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&other_host)).await;
    assert_eq!(v.status, StatusCode::NOT_FOUND);
    assert_no_secret(&v.text, SECRETS);
}

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

async fn three_live_proposals_at_most(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let mut offers = vec![];
    for i in 0..4 {
        offers.push(offer(&svc, &app, &host, 48.85 + f64::from(i) * 0.001, 2.35, 2).await);
    }
    let (rid, rt) = guest(&svc, 48.85, 2.35, 1).await;
    let mut mids = vec![];
    for o in &offers[..3] {
        let m = ask(&svc, &rid, &rt, o).await;
        assert_eq!(m.status, StatusCode::CREATED);
        mids.push(m.s("id"));
    }
    let dup = ask(&svc, &rid, &rt, &offers[0]).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.json["code"], "already_proposed");
    let fourth = ask(&svc, &rid, &rt, &offers[3]).await;
    assert_eq!(fourth.status, StatusCode::CONFLICT);
    assert_eq!(fourth.json["code"], "too_many_proposals");

    // acceptance of one cancels the others and frees their holds
    let a = post(
        &svc,
        &format!("/api/v1/matches/{}/accept", mids[1]),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(a.json["status"], "accepted");
    for (i, mid) in mids.iter().enumerate() {
        let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
        assert_eq!(
            v.json["status"],
            if i == 1 { "accepted" } else { "cancelled" }
        );
    }
    let o = get(&svc, &format!("/api/v1/offers/{}", offers[0]), Some(&host)).await;
    assert_eq!(o.json["remaining"], 2);
    // a matched request does not propose again
    let more = ask(&svc, &rid, &rt, &offers[3]).await;
    assert_eq!(more.json["code"], "request_not_waiting");
}

async fn host_invites_and_coordinator_proposes(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 5).await;
    let (rid, rt) = guest(&svc, 48.857, 2.353, 2).await;
    let (far, _) = guest(&svc, 43.3, 5.37, 1).await; // Marseille

    let n = get(
        &svc,
        &format!("/api/v1/offers/{offer_id}/nearby-requests"),
        Some(&host),
    )
    .await;
    assert_eq!(n.status, StatusCode::OK, "{}", n.text);
    let list = n.json["requests"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["request_id"], rid.as_str());
    assert_no_secret(&n.text, GUEST_SECRETS);
    assert!(!n.text.contains("Samira"), "no names in the nearby list");
    assert!(!n.text.contains(&far));

    let inv = post(
        &svc,
        &format!("/api/v1/offers/{offer_id}/matches"),
        Some(&host),
        json!({"request_id": rid}),
    )
    .await;
    assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.text);
    assert_eq!(inv.json["consent"], json!({"guest": false, "host": true}));
    let acc = post(
        &svc,
        &format!("/api/v1/matches/{}/accept", inv.s("id")),
        Some(&rt),
        json!({}),
    )
    .await;
    assert_eq!(acc.json["status"], "accepted");
    assert!(acc.text.contains("Digicode"));

    // coordinator: a proposal that both must accept
    let coord = coordinator_token(&app, "coord@example.org");
    let (r2, t2) = guest(&svc, 48.857, 2.353, 1).await;
    let p = post(
        &svc,
        "/api/v1/coordination/matches",
        Some(&coord),
        json!({"request_id": r2, "offer_id": offer_id}),
    )
    .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    assert_eq!(p.json["consent"], json!({"guest": false, "host": false}));
    let mid = p.s("id");
    let c = act(&svc, &mid, "accept", &coord).await;
    assert_eq!(
        c.status,
        StatusCode::CONFLICT,
        "a coordinator cannot consent for a party"
    );
    let h = act(&svc, &mid, "accept", &host).await;
    assert_eq!(h.json["status"], "proposed");
    assert_no_secret(&h.text, GUEST_SECRETS);
    let g = act(&svc, &mid, "accept", &t2).await;
    assert_eq!(g.json["status"], "accepted");

    let ov = get(&svc, "/api/v1/coordination/overview", Some(&coord)).await;
    assert_eq!(ov.status, StatusCode::OK);
    assert_eq!(ov.json["offers_open"], 1);
    assert_eq!(ov.json["places_free"], 2);
    assert_eq!(ov.json["requests_waiting"], 1);
    assert_eq!(ov.json["matches"]["accepted"], 2);
    let q = get(
        &svc,
        "/api/v1/coordination/requests?status=waiting",
        Some(&coord),
    )
    .await;
    assert_eq!(q.json["requests"].as_array().unwrap().len(), 1);
    assert_eq!(q.json["requests"][0]["request_id"], far.as_str());
    let bad = get(
        &svc,
        "/api/v1/coordination/requests?status=lost",
        Some(&coord),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
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

/// Counts rows in every table, to prove a refused request wrote nothing.
fn counts(app: &TestApp) -> Vec<i64> {
    use diesel::prelude::*;
    use porte_ouverte::db::schema::*;
    let mut c = app.state.conn().unwrap();
    vec![
        accounts::table.count().get_result(&mut *c).unwrap(),
        offers::table.count().get_result(&mut *c).unwrap(),
        requests::table.count().get_result(&mut *c).unwrap(),
        matches::table.count().get_result(&mut *c).unwrap(),
    ]
}

async fn bad_input_changes_nothing(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 2).await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 1).await;
    let before = counts(&app);
    let good_offer = offer_body(&app, 48.85, 2.35, 2);
    let good_req = request_body(48.85, 2.35, 1);
    let with = |base: &Value, k: &str, v: Value| {
        let mut b = base.clone();
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v;
        }
        b
    };
    let huge = "x".repeat(20_000);
    // (path, token, body, expected status, field that must be named)
    let offers = "/api/v1/offers".to_string();
    let reqs = "/api/v1/requests".to_string();
    let cases: Vec<(String, Option<&str>, Value, u16, &str)> = vec![
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lat", json!("48.8")),
            422,
            "lat",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lat", json!(91.0)),
            422,
            "lat",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lon", json!(-180.5)),
            422,
            "lon",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lon", Value::Null),
            422,
            "lon",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!(0)),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!(501)),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!(2.5)),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!("2")),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_until", json!(app.in_hours(-1))),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_until", json!(app.in_hours(24 * 31))),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_until", json!("tomorrow")),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_from", json!(app.in_hours(30))),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "address", json!("")),
            422,
            "address",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "address", json!("a".repeat(301))),
            422,
            "address",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "contact_email", json!("not-an-email")),
            422,
            "contact_email",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "contact_phone", json!("call me")),
            422,
            "contact_phone",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "languages", json!(["fr", "klingon"])),
            422,
            "languages",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "languages", json!("fr")),
            422,
            "languages",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "pets_ok", json!("yes")),
            422,
            "pets_ok",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capcity", json!(3)),
            422,
            "capcity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "notes", json!("n".repeat(1001))),
            422,
            "notes",
        ),
        (offers.clone(), Some(&host), json!([1, 2]), 422, ""),
        (
            reqs.clone(),
            None,
            with(&good_req, "lat", json!(1e300)),
            422,
            "lat",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "lat", json!(null)),
            422,
            "lat",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "party_size", json!(0)),
            422,
            "party_size",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "party_size", json!(21)),
            422,
            "party_size",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "party_size", json!(-1)),
            422,
            "party_size",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "name", json!("")),
            422,
            "name",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "name", json!("n".repeat(81))),
            422,
            "name",
        ),
        (
            reqs.clone(),
            None,
            with(
                &with(&good_req, "contact_phone", Value::Null),
                "contact_email",
                Value::Null,
            ),
            422,
            "contact_phone",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "needs", json!({"pets": "yes"})),
            422,
            "needs.pets",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "needs", json!({"dragons": true})),
            422,
            "needs.dragons",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "needs", json!(true)),
            422,
            "needs",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "notes", json!(huge)),
            413,
            "",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({}),
            422,
            "offer_id",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({"offer_id": 7}),
            422,
            "offer_id",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({"offer_id": "off_nope"}),
            404,
            "",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({"offer_id": "../../etc"}),
            404,
            "",
        ),
        (
            format!("/api/v1/offers/{offer_id}/matches"),
            Some(&host),
            json!({"request_id": "req_nope"}),
            404,
            "",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "short", "display_name": "A"}),
            422,
            "password",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "p".repeat(129), "display_name": "A"}),
            422,
            "password",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "nope", "password": "long enough", "display_name": "A"}),
            422,
            "email",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "long enough", "display_name": ""}),
            422,
            "display_name",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "long enough", "display_name": "A", "role": "coordinator"}),
            422,
            "role",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "host@example.org", "password": "long enough", "display_name": "A"}),
            409,
            "",
        ),
        (
            "/api/v1/tokens".into(),
            None,
            json!({"email": "host@example.org"}),
            422,
            "password",
        ),
    ];
    for (path, token, body, status, field) in &cases {
        let r = post(&svc, path, *token, body.clone()).await;
        assert_eq!(r.status.as_u16(), *status, "{path} {body}: {}", r.text);
        assert!(r.is_problem(), "{path} {body}: not a problem: {}", r.text);
        if !field.is_empty() {
            assert!(
                r.error_fields().iter().any(|f| f == field),
                "{path} {body}: {field} not named: {}",
                r.text
            );
        }
    }
    // PATCH with bad values
    let p = format!("/api/v1/offers/{offer_id}");
    for (body, field) in [
        (json!({"status": "gone"}), "status"),
        (json!({"capacity": -1}), "capacity"),
        (json!({"lat": 48.9}), "lon"),
        (json!({"lat": 95.0, "lon": 2.0}), "lat"),
        (
            json!({"available_until": app.in_hours(-2)}),
            "available_until",
        ),
        (json!({"owner": "me"}), "owner"),
    ] {
        let r = patch(&svc, &p, Some(&host), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert!(
            r.error_fields().iter().any(|f| f == field),
            "{body}: {}",
            r.text
        );
    }
    // malformed JSON, NaN, wrong content type, oversized
    for (ct, raw, status) in [
        ("application/json", "{\"lat\": NaN, \"lon\": 2}", 400),
        ("application/json", "{\"lat\": Infinity}", 400),
        ("application/json", "{\"lat\": 48.8,", 400),
        ("application/json", "", 400),
        ("application/json", "{\"lat\": 1e999}", 400),
        ("text/plain", "{}", 415),
    ] {
        let r = post_raw(&svc, "/api/v1/requests", None, ct, raw).await;
        assert_eq!(r.status.as_u16(), status, "{raw}: {}", r.text);
        assert!(r.is_problem(), "{raw}");
    }
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(17 * 1024));
    let r = post_raw(&svc, "/api/v1/requests", None, "application/json", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // bad query parameters
    for q in [
        "limit=0",
        "limit=51",
        "limit=ten",
        "radius_km=0",
        "radius_km=51",
        "radius_km=NaN",
        "radius_km=inf",
    ] {
        let r = get(
            &svc,
            &format!("/api/v1/requests/{rid}/candidates?{q}"),
            Some(&rt),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.text
        );
    }
    assert_eq!(counts(&app), before, "refused requests must write nothing");
    let o = get(&svc, &p, Some(&host)).await;
    assert_eq!(o.json["capacity"], 2);
    assert_eq!(o.json["status"], "open");
}

async fn access_control(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let (_, other) = sign_up_host(&svc, "other@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 2).await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 1).await;
    let (_, other_rt) = guest(&svc, 48.85, 2.35, 1).await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    let mid = m.s("id");
    let before = counts(&app);
    let o = format!("/api/v1/offers/{offer_id}");
    let r = format!("/api/v1/requests/{rid}");
    let mm = format!("/api/v1/matches/{mid}");
    let empty = json!({});
    // (method, path, body) for every authenticated endpoint
    let endpoints: Vec<(&str, String, Value)> = vec![
        ("GET", "/api/v1/accounts/me".into(), empty.clone()),
        ("GET", "/api/v1/offers".into(), empty.clone()),
        (
            "POST",
            "/api/v1/offers".into(),
            offer_body(&app, 48.8, 2.3, 2),
        ),
        ("GET", o.clone(), empty.clone()),
        ("PATCH", o.clone(), json!({"capacity": 9})),
        ("GET", format!("{o}/matches"), empty.clone()),
        ("POST", format!("{o}/matches"), json!({"request_id": rid})),
        ("GET", format!("{o}/nearby-requests"), empty.clone()),
        ("GET", r.clone(), empty.clone()),
        ("GET", format!("{r}/candidates"), empty.clone()),
        (
            "POST",
            format!("{r}/matches"),
            json!({"offer_id": offer_id}),
        ),
        ("POST", format!("{r}/cancel"), empty.clone()),
        ("GET", mm.clone(), empty.clone()),
        ("POST", format!("{mm}/accept"), empty.clone()),
        ("POST", format!("{mm}/decline"), empty.clone()),
        ("POST", format!("{mm}/cancel"), empty.clone()),
        ("POST", format!("{mm}/arrived"), empty.clone()),
        ("GET", "/api/v1/coordination/overview".into(), empty.clone()),
        ("GET", "/api/v1/coordination/requests".into(), empty.clone()),
        (
            "POST",
            "/api/v1/coordination/matches".into(),
            json!({"request_id": rid, "offer_id": offer_id}),
        ),
        ("DELETE", "/api/v1/tokens/current".into(), empty.clone()),
    ];
    let call = |method: &str, path: &str, token: Option<&str>, body: &Value| {
        let mut req = match method {
            "GET" => TestRequest::get(),
            "PATCH" => TestRequest::patch().set_json(body),
            "DELETE" => TestRequest::delete(),
            _ => TestRequest::post().set_json(body),
        }
        .uri(path);
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        req
    };
    for (method, path, body) in &endpoints {
        for token in [
            None,
            Some("poa_forged0000000000000000000000000000000000"),
            Some("por_forged"),
            Some("garbage"),
        ] {
            let res = send(&svc, call(method, path, token, body)).await;
            assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}: {}",
                res.text
            );
            assert!(res.is_problem());
        }
        let res = send(
            &svc,
            call(method, path, None, body).insert_header(("Authorization", "Basic dXNlcjpwYXNz")),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} basic"
        );
    }
    // another host: 404 on this host's offer and on the match; guests tokens never open account endpoints
    for (method, path, body) in &endpoints[3..8] {
        let res = send(&svc, call(method, path, Some(&other), body)).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{method} {path} as other host: {}",
            res.text
        );
        let res = send(&svc, call(method, path, Some(&rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as guest: {}",
            res.text
        );
    }
    for (method, path, body) in &endpoints[0..3] {
        let res = send(&svc, call(method, path, Some(&rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as guest"
        );
    }
    // another guest's token, or an account token, on this request
    for (method, path, body) in &endpoints[8..12] {
        let res = send(&svc, call(method, path, Some(&other_rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{method} {path} as other guest: {}",
            res.text
        );
        let res = send(&svc, call(method, path, Some(&host), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as host: {}",
            res.text
        );
    }
    for (method, path, body) in &endpoints[12..17] {
        for t in [&other, &other_rt] {
            let res = send(&svc, call(method, path, Some(t), body)).await;
            assert_eq!(
                res.status,
                StatusCode::NOT_FOUND,
                "{method} {path}: {}",
                res.text
            );
        }
    }
    // coordination is for coordinators only
    for (method, path, body) in &endpoints[17..20] {
        let res = send(&svc, call(method, path, Some(&host), body)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{method} {path} as host");
        let res = send(&svc, call(method, path, Some(&rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as guest"
        );
    }
    assert_eq!(counts(&app), before, "refused calls must write nothing");
    assert_eq!(get(&svc, &o, Some(&host)).await.json["capacity"], 2);
    assert_eq!(get(&svc, &mm, Some(&rt)).await.json["status"], "proposed");
    // unknown paths under the API are problem+json too
    let res = get(&svc, "/api/v1/nothing-here", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.is_problem());
}

async fn tokens_and_accounts(b: Backend) {
    let app = TestApp::with(b, |c| c.rate_login_per_min = 3);
    let svc = app.service().await;
    let (id, token) = sign_up_host(&svc, "Host@Example.org").await;
    let me = get(&svc, "/api/v1/accounts/me", Some(&token)).await;
    assert_eq!(me.json["id"], id.as_str());
    assert_eq!(me.json["email"], "host@example.org");
    assert_eq!(me.json["role"], "host");
    assert!(me.json.get("password_hash").is_none());
    // the same answer for an unknown e-mail and a wrong password
    let unknown = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "nobody@example.org", "password": "correct horse"}),
    )
    .await;
    let wrong = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "wrong horse"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.json, wrong.json);
    // the rate limit has been reached (4 attempts with a limit of 3)
    let limited = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "correct horse"}),
    )
    .await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.text
    );
    assert!(limited.headers.get("retry-after").is_some());
    assert!(limited.is_problem());
    // tokens are stored only as hashes
    {
        use diesel::prelude::*;
        use porte_ouverte::db::schema::api_tokens;
        let mut c = app.state.conn().unwrap();
        let hashes: Vec<String> = api_tokens::table
            .select(api_tokens::token_hash)
            .load(&mut *c)
            .unwrap();
        assert!(!hashes.is_empty());
        assert!(
            hashes
                .iter()
                .all(|h| h.len() == 64 && !token.contains(h.as_str()))
        );
    }
    // logout revokes the token
    let out = send(
        &svc,
        TestRequest::delete()
            .uri("/api/v1/tokens/current")
            .insert_header(("Authorization", format!("Bearer {token}"))),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = get(&svc, "/api/v1/accounts/me", Some(&token)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    // expiry: a token dies after TOKEN_TTL_HOURS
    let mut conn = app.state.conn().unwrap();
    let t = porte_ouverte::service::accounts::login(
        &app.state,
        &mut conn,
        porte_ouverte::service::accounts::Credentials {
            email: "host@example.org".into(),
            password: "correct horse".into(),
        },
    )
    .unwrap()
    .token;
    drop(conn);
    assert_eq!(
        get(&svc, "/api/v1/accounts/me", Some(&t)).await.status,
        StatusCode::OK
    );
    app.clock
        .advance(i64::from(app.state.config.token_ttl_hours) * 3_600_000);
    assert_eq!(
        get(&svc, "/api/v1/accounts/me", Some(&t)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // argon2id with the required parameters
    use diesel::prelude::*;
    let mut c = app.state.conn().unwrap();
    let h: String = porte_ouverte::db::schema::accounts::table
        .select(porte_ouverte::db::schema::accounts::password_hash)
        .first(&mut *c)
        .unwrap();
    assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
}

async fn operations_endpoints(b: Backend) {
    let app = TestApp::with(b, |c| {
        c.rate_requests_per_min = 2;
        c.metrics_token = Some(METRICS_TOKEN.into());
    });
    let svc = app.service().await;
    let h = get(&svc, "/healthz", None).await;
    assert_eq!(h.status, StatusCode::OK);
    let r = get(&svc, "/readyz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json["database"],
        if b == Backend::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    offer(&svc, &app, &host, PARIS.0, PARIS.1, 3).await;
    guest(&svc, 48.85, 2.35, 1).await;
    guest(&svc, 48.85, 2.35, 1).await;
    let limited = post(&svc, "/api/v1/requests", None, request_body(48.85, 2.35, 1)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let m = get(&svc, "/metrics", Some(METRICS_TOKEN)).await;
    assert!(m.text.contains("po_offers_open 1"), "{}", m.text);
    assert!(m.text.contains("po_places_free 3"));
    assert!(m.text.contains("po_requests_waiting 2"));
    assert!(
        m.text
            .contains("po_http_requests_total{method=\"POST\",status=\"2xx\"}")
    );
    assert!(
        m.text
            .contains("po_http_requests_total{method=\"POST\",status=\"4xx\"} 1")
    );
    // security headers on every response, no caching of personal data
    for res in [&h, &r, &limited, &m] {
        assert_eq!(
            res.headers.get("x-content-type-options").unwrap(),
            "nosniff"
        );
        assert_eq!(res.headers.get("x-frame-options").unwrap(), "DENY");
        assert_eq!(res.headers.get("referrer-policy").unwrap(), "same-origin");
        assert_eq!(res.headers.get("cache-control").unwrap(), "no-store");
    }
    let page = get(&svc, "/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Porte Ouverte"));
}

on_both_backends!(second_instance_follows_writes, seed_demo_fills_the_index);

/// Two instances on one database: each one's candidate index follows the
/// other's writes (offers, holds, closing) through the sync.
async fn second_instance_follows_writes(b: Backend) {
    let app = TestApp::new(b);
    let mut config = app.state.config.clone();
    config.database_url = app.db.url.clone();
    let other = porte_ouverte::state::AppState::open(config, app.clock.clone()).unwrap();
    let svc_a = app.service().await;
    let svc_b = actix_web::test::init_service(porte_ouverte::web::app(
        other.clone(),
        porte_ouverte::web::state::WebState::new(&other.config).unwrap(),
    ))
    .await;

    let (_, host) = sign_up_host(&svc_a, "host@example.org").await;
    let offer_id = offer(&svc_a, &app, &host, PARIS.0, PARIS.1, 2).await;
    let (rid, rt) = guest(&svc_b, 48.85, 2.35, 2).await;
    let path = format!("/api/v1/requests/{rid}/candidates");
    assert_eq!(
        get(&svc_b, &path, Some(&rt)).await.json["candidates"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "not synced yet"
    );
    app.clock.advance(1);
    other.sync_index().unwrap();
    let c = get(&svc_b, &path, Some(&rt)).await;
    assert_eq!(c.json["candidates"][0]["offer_id"], offer_id.as_str());

    // a hold taken through A is seen by B after its next sync
    let (r2, t2) = guest(&svc_a, 48.85, 2.35, 1).await;
    post(
        &svc_a,
        &format!("/api/v1/requests/{r2}/matches"),
        Some(&t2),
        json!({"offer_id": offer_id}),
    )
    .await;
    app.clock.advance(1);
    other.sync_index().unwrap();
    assert_eq!(
        get(&svc_b, &path, Some(&rt)).await.json["candidates"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "1 place left, party of 2"
    );
    // and B's refusal comes from the database, even before a sync
    let refused = post(
        &svc_b,
        &format!("/api/v1/requests/{rid}/matches"),
        Some(&rt),
        json!({"offer_id": offer_id}),
    )
    .await;
    assert_eq!(refused.json["code"], "no_places");

    patch(
        &svc_a,
        &format!("/api/v1/offers/{offer_id}"),
        Some(&host),
        json!({"status": "closed"}),
    )
    .await;
    app.clock.advance(1);
    other.sync_index().unwrap();
    assert!(other.index.is_empty(), "a closed offer leaves every index");
}

async fn seed_demo_fills_the_index(b: Backend) {
    let app = TestApp::new(b);
    let mut conn = app.state.conn().unwrap();
    let n = porte_ouverte::seed::insert(&app.state, &mut conn, 1200, "paris", 1).unwrap();
    drop(conn);
    assert_eq!(n, 1200);
    assert_eq!(app.state.index.len(), 1200);
    let svc = app.service().await;
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 1).await;
    let c = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates?limit=10"),
        Some(&rt),
    )
    .await;
    let list = c.json["candidates"].as_array().unwrap();
    assert_eq!(list.len(), 10, "a dense city has ten doors near its centre");
    let bands: Vec<u64> = list
        .iter()
        .map(|c| c["distance"]["max_m"].as_u64().unwrap())
        .collect();
    assert!(
        bands.windows(2).all(|w| w[0] <= w[1]),
        "nearest first: {bands:?}"
    );
}
