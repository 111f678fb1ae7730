//! Time to a bed, through the API on both backends: offers paused when
//! their host stops answering, holds that adapt to the host (to the
//! millisecond, on the manual clock), answering hosts first within a band,
//! asks the platform makes for guests who allow it (consent still
//! two-sided), suggestions that respect the guests' own asks, and the
//! candidate index moving forward whatever the order of writers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const PARIS: (f64, f64) = (48.8566, 2.3522);
const MIN: i64 = 60_000;
const SEC: i64 = 1_000;

on_both_backends!(
    an_unanswered_hold_pauses_the_offer_until_the_host_returns,
    a_first_decline_or_declines_in_a_row_pause,
    holds_adapt_to_the_host_to_the_second,
    an_incident_sets_its_own_holds,
    answering_hosts_first_but_never_a_band_further,
    the_platform_asks_for_guests_who_allow_it_and_consent_stays_two_sided,
    suggestions_respect_the_guests_asks,
    a_write_that_waited_for_the_lock_still_moves_the_index_forward,
    hosts_list_live_proposals_and_dead_answers_say_why,
);

fn ms(rfc: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc.as_str().unwrap())
        .unwrap()
        .timestamp_millis()
}

/// Times are shown to the second: start the test on a whole second.
fn align(app: &TestApp) {
    app.clock.advance(SEC - app.clock.now() % SEC);
}

fn sweep(app: &TestApp) {
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
}

fn flush_seen(app: &TestApp) {
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::holds::flush_seen(&app.state, &mut c).unwrap();
}

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

async fn answering_hosts_first_but_never_a_band_further(b: Backend) {
    // pausing off: a host who declined without accepting stays searchable,
    // ranked as one (with pausing on, that decline would pause the offer)
    let app = TestApp::with(b, |c| c.pause_after_declines = 0);
    let svc = app.service().await;
    let (_, h_slow) = sign_up_host(&svc, "slow@example.org").await;
    let (_, h_new) = sign_up_host(&svc, "new@example.org").await;
    let (_, h_far) = sign_up_host(&svc, "far@example.org").await;
    let slow = offer(&svc, &app, &h_slow, PARIS.0, PARIS.1, 2).await;
    let fresh = offer(&svc, &app, &h_new, PARIS.0, PARIS.1, 4).await;
    // 4.4 km north: a present host, but a band (or more) further
    let far = offer(&svc, &app, &h_far, PARIS.0 + 0.04, PARIS.1, 2).await;
    let (g0, t0) = guest(&svc, PARIS.0, PARIS.1, 2).await;
    let m = ask(&svc, &g0, &t0, &slow).await;
    assert_eq!(
        act(&svc, &m.s("id"), "decline", &h_slow).await.status,
        StatusCode::OK
    );
    let (g, t) = guest(&svc, PARIS.0, PARIS.1, 2).await;
    let c = get(&svc, &format!("/api/v1/requests/{g}/candidates"), Some(&t)).await;
    let list: Vec<&str> = c.json["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["offer_id"].as_str().unwrap())
        .collect();
    // the host who declined without ever accepting comes after the new one
    // in the same band (even with the tighter fit), and before the far one
    assert_eq!(
        list,
        vec![fresh.as_str(), slow.as_str(), far.as_str()],
        "{}",
        c.text
    );
    // nothing of it shows: the same fields as before, no score
    assert!(
        !c.text.contains("tier") && !c.text.contains("seen"),
        "{}",
        c.text
    );
}

async fn the_platform_asks_for_guests_who_allow_it_and_consent_stays_two_sided(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let mut hosts = Vec::new();
    for i in 0..4 {
        let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
        let o = offer(&svc, &app, &h, PARIS.0 + i as f64 * 0.002, PARIS.1, 2).await;
        hosts.push((h, o));
    }
    // without the consent nothing is asked
    let (plain, pt) = guest(&svc, PARIS.0, PARIS.1, 1).await;
    let r = get(&svc, &format!("/api/v1/requests/{plain}"), Some(&pt)).await;
    assert_eq!(r.json["matches"].as_array().unwrap().len(), 0);
    let mut conn = app.state.conn().unwrap();
    let refused = porte_ouverte::service::matches::propose_on_behalf(
        &app.state,
        &mut conn,
        &id(&plain),
        &id(&hosts[0].1),
    );
    assert!(refused.is_err());
    // with it: three asks at once, none carrying the guest's consent
    let mut body = request_body(PARIS.0, PARIS.1, 1);
    body["auto_ask"] = json!(true);
    let created = post(&svc, "/api/v1/requests", None, body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let (g, t) = (created.s("id"), created.s("access_token"));
    let asks = created.json["matches"].as_array().unwrap().clone();
    assert_eq!(asks.len(), 3, "{}", created.text);
    for m in &asks {
        assert_eq!(m["on_behalf"], true);
        assert_eq!(m["consent"], json!({"guest": false, "host": false}));
    }
    let asked = |v: &Value| -> Vec<String> {
        v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["status"] == "proposed")
            .map(|m| m["offer_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let first: Vec<String> = asks
        .iter()
        .map(|m| m["offer_id"].as_str().unwrap().to_owned())
        .collect();
    let (h0, _) = hosts.iter().find(|(_, o)| *o == first[0]).unwrap();
    // a host declines: the next door is asked at once
    assert_eq!(
        act(&svc, asks[0]["id"].as_str().unwrap(), "decline", h0)
            .await
            .status,
        StatusCode::OK
    );
    let r = get(&svc, &format!("/api/v1/requests/{g}"), Some(&t)).await;
    let now_asked = asked(&r.json);
    assert_eq!(now_asked.len(), 3, "{}", r.text);
    assert!(!now_asked.contains(&first[0]));
    // a host says yes: nothing crosses before the guest says yes too
    let mid = asks[1]["id"].as_str().unwrap();
    let (h1, _) = hosts.iter().find(|(_, o)| *o == first[1]).unwrap();
    let yes = act(&svc, mid, "accept", h1).await;
    assert_eq!(yes.json["status"], "proposed", "{}", yes.text);
    assert_no_secret(&yes.text, GUEST_SECRETS);
    let seen = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&t)).await;
    assert_eq!(seen.json["consent"], json!({"guest": false, "host": true}));
    assert_no_secret(&seen.text, SECRETS);
    let both = act(&svc, mid, "accept", &t).await;
    assert_eq!(both.json["status"], "accepted", "{}", both.text);
    assert!(both.text.contains("rue de la Roquette"));
    // placed: the other asks end and nothing more is asked
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g}"), Some(&t)).await;
    assert_eq!(r.json["status"], "matched");
    assert!(asked(&r.json).is_empty(), "{}", r.text);
}

async fn suggestions_respect_the_guests_asks(b: Backend) {
    // pausing off: a host who declined without accepting stays searchable,
    // ranked as one (with pausing on, that decline would pause the offer)
    let app = TestApp::with(b, |c| c.pause_after_declines = 0);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, h_slow) = sign_up_host(&svc, "slow@example.org").await;
    let slow = offer(&svc, &app, &h_slow, PARIS.0, PARIS.1, 4).await;
    let (g0, t0) = guest(&svc, PARIS.0, PARIS.1, 1).await;
    let m = ask(&svc, &g0, &t0, &slow).await;
    act(&svc, &m.s("id"), "decline", &h_slow).await;
    let mut others = Vec::new();
    for i in 0..2 {
        let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
        others.push(offer(&svc, &app, &h, PARIS.0 + 0.001 * i as f64, PARIS.1, 4).await);
    }
    // two guests hold three asks each, one of them to the slow host
    let (plain, pt) = guest(&svc, PARIS.0, PARIS.1, 1).await;
    let mut body = request_body(PARIS.0, PARIS.1, 1);
    body["auto_ask"] = json!(true);
    let created = post(&svc, "/api/v1/requests", None, body).await;
    let (auto, at) = (created.s("id"), created.s("access_token"));
    // the platform asked all three doors for them, the slow host last
    let asked = created.json["matches"].as_array().unwrap();
    assert_eq!(asked.len(), 3, "{}", created.text);
    assert!(asked.iter().any(|m| m["offer_id"] == slow.as_str()));
    assert_eq!(
        ask(&svc, &plain, &pt, &slow).await.status,
        StatusCode::CREATED
    );
    for o in &others {
        ask(&svc, &plain, &pt, o).await;
    }
    // a new door opens
    let (_, h_new) = sign_up_host(&svc, "new@example.org").await;
    let fresh = offer(&svc, &app, &h_new, PARIS.0, PARIS.1 + 0.001, 4).await;
    let s = get(&svc, "/api/v1/coordination/suggestions", Some(&coord)).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    let pairs = s.json["pairs"].as_array().unwrap();
    assert!(
        pairs.iter().all(|p| p["offer_id"] != slow.as_str()),
        "never the slow host: {}",
        s.text
    );
    assert!(
        pairs.iter().all(|p| p["request_id"] != plain.as_str()),
        "at the cap without consent: {}",
        s.text
    );
    let mine = pairs
        .iter()
        .find(|p| p["request_id"] == auto.as_str())
        .expect("a better door for the guest who allowed it");
    assert_eq!(mine["offer_id"], fresh.as_str());
    let weakest = mine["replaces"].as_str().unwrap().to_owned();
    let sent = post(
        &svc,
        "/api/v1/coordination/suggestions",
        Some(&coord),
        json!({"pairs": [
            {"request_id": auto, "offer_id": fresh},
            {"request_id": plain, "offer_id": fresh},
        ]}),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert!(
        sent.json["results"][0]["match_id"].is_string(),
        "{}",
        sent.text
    );
    assert_eq!(sent.json["results"][1]["refused"], "too_many_proposals");
    let w = get(&svc, &format!("/api/v1/matches/{weakest}"), Some(&at)).await;
    assert_eq!(w.json["status"], "cancelled", "{}", w.text);
    assert_eq!(w.json["offer_id"], slow.as_str());
}

async fn a_write_that_waited_for_the_lock_still_moves_the_index_forward(b: Backend) {
    let app = TestApp::new(b);
    align(&app);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let a = offer(&svc, &app, &host, PARIS.0, PARIS.1, 2).await;
    let created = app.clock.now();
    // a writer whose clock reading was taken a minute earlier, before it
    // waited for the write lock, commits after a newer write
    app.clock.advance(-MIN);
    let p = patch(
        &svc,
        &format!("/api/v1/offers/{a}"),
        Some(&host),
        json!({"capacity": 4}),
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert!(ms(&p.json["updated_at"]) >= created, "{}", p.text);
    // back to the present (the offer is open from its creation on)
    app.clock.advance(MIN);
    let (g, t) = guest(&svc, PARIS.0, PARIS.1, 3).await;
    assert_eq!(
        candidate_ids(&svc, &g, &t).await,
        vec![a.clone()],
        "the index took the newer row"
    );
    // and another instance's sync agrees
    app.state.sync_index().unwrap();
    assert_eq!(candidate_ids(&svc, &g, &t).await, vec![a]);
}

async fn hosts_list_live_proposals_and_dead_answers_say_why(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, h1) = sign_up_host(&svc, "h1@example.org").await;
    let (_, h2) = sign_up_host(&svc, "h2@example.org").await;
    let a = offer(&svc, &app, &h1, PARIS.0, PARIS.1, 2).await;
    let b2 = offer(&svc, &app, &h2, PARIS.0, PARIS.1, 2).await;
    let (g, t) = guest(&svc, PARIS.0, PARIS.1, 1).await;
    let ma = ask(&svc, &g, &t, &a).await;
    let mb = ask(&svc, &g, &t, &b2).await;
    act(&svc, &mb.s("id"), "accept", &h2).await;
    let live = get(
        &svc,
        &format!("/api/v1/offers/{a}/matches?status=proposed"),
        Some(&h1),
    )
    .await;
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(
        live.json["matches"].as_array().unwrap().len(),
        0,
        "{}",
        live.text
    );
    let all = get(&svc, &format!("/api/v1/offers/{a}/matches"), Some(&h1)).await;
    assert_eq!(all.json["matches"][0]["status"], "cancelled");
    let bad = get(
        &svc,
        &format!("/api/v1/offers/{a}/matches?status=maybe"),
        Some(&h1),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let late = act(&svc, &ma.s("id"), "accept", &h1).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.json["code"], "match_state");
    assert!(
        late.text.contains("already found a place elsewhere"),
        "{}",
        late.text
    );
}
