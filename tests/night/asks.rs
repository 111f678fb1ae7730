//! Asks the platform makes for guests who allow it, and suggestions that respect guests' asks.

use crate::common::*;
use crate::on_both_backends;
use crate::support::{MIN, PARIS, sweep};
use actix_web::http::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    the_platform_asks_for_guests_who_allow_it_and_consent_stays_two_sided,
    suggestions_respect_the_guests_asks,
    suggestions_never_trade_a_nearer_ask_for_a_quicker_host_farther,
    automatic_matching_never_withdraws_nor_exceeds_the_platforms_asks,
);

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

/// A suggestion replaces a guest's weakest ask only for a nearer band, or
/// the same band and a quicker host, as the ranking orders doors: never a
/// quicker host farther away.
async fn suggestions_never_trade_a_nearer_ask_for_a_quicker_host_farther(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    for i in 0..3 {
        let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
        offer(&svc, &app, &h, PARIS.0 + 0.001 * i as f64, PARIS.1, 4).await;
    }
    let mut body = request_body(PARIS.0, PARIS.1, 1);
    body["auto_ask"] = json!(true);
    let created = post(&svc, "/api/v1/requests", None, body).await;
    assert_eq!(created.json["matches"].as_array().unwrap().len(), 3);
    let auto = created.s("id");
    // 16 minutes on, the three hosts have not been seen for a while (their
    // asks still hold); a host who is here opens a door 3 km away
    app.clock.advance(16 * MIN);
    let (_, h_far) = sign_up_host(&svc, "far@example.org").await;
    let far = offer(&svc, &app, &h_far, PARIS.0 + 0.027, PARIS.1, 4).await;
    let s = get(&svc, "/api/v1/coordination/suggestions", Some(&coord)).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    let pairs = s.json["pairs"].as_array().unwrap();
    assert!(
        pairs.iter().all(|p| p["request_id"] != auto.as_str()),
        "a quicker host 3 km away does not replace a nearer ask: {}",
        s.text
    );
    // a door in the guest's own band, of a host who is here, does
    let (_, h_near) = sign_up_host(&svc, "near@example.org").await;
    let near = offer(&svc, &app, &h_near, PARIS.0, PARIS.1 + 0.001, 4).await;
    let s = get(&svc, "/api/v1/coordination/suggestions", Some(&coord)).await;
    let mine = s.json["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["request_id"] == auto.as_str())
        .cloned()
        .expect("a quicker host in the same band");
    assert_eq!(mine["offer_id"], near.as_str());
    assert!(mine["replaces"].is_string(), "{mine}");
    assert_ne!(mine["offer_id"], far.as_str());
}

/// The offers a request's live asks are on, sorted.
async fn live_asks<S, B>(svc: &S, id: &str, token: &str) -> Vec<String>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = get(svc, &format!("/api/v1/requests/{id}"), Some(token)).await;
    let mut ids: Vec<String> = r.json["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "proposed")
        .map(|m| m["offer_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// `AUTO_MATCH` sends suggestions only to guests with an ask to spare by
/// the platform's own limit (`AUTO_ASKS`): a guest at that limit keeps
/// their asks even when a better door opens (a coordinator reviewing
/// suggestions may still replace one), and one ask stays one.
async fn automatic_matching_never_withdraws_nor_exceeds_the_platforms_asks(b: Backend) {
    for auto_asks in [3, 1] {
        let app = TestApp::with(b, |c| {
            c.auto_match = true;
            c.auto_asks = auto_asks;
        });
        let svc = app.service().await;
        // doors 2 km away: the platform asks as many as it may
        for i in 0..3 {
            let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
            offer(
                &svc,
                &app,
                &h,
                PARIS.0 + 0.018,
                PARIS.1 + 0.001 * i as f64,
                4,
            )
            .await;
        }
        let mut body = request_body(PARIS.0, PARIS.1, 1);
        body["auto_ask"] = json!(true);
        let created = post(&svc, "/api/v1/requests", None, body).await;
        let (id, token) = (created.s("id"), created.s("access_token"));
        let before = live_asks(&svc, &id, &token).await;
        assert_eq!(before.len(), auto_asks as usize, "{}", created.text);
        // a nearer door opens: the sweep's matching leaves the asks alone
        let (_, h) = sign_up_host(&svc, "near@example.org").await;
        let near = offer(&svc, &app, &h, PARIS.0, PARIS.1 + 0.001, 4).await;
        sweep(&app);
        assert_eq!(
            live_asks(&svc, &id, &token).await,
            before,
            "AUTO_ASKS={auto_asks}"
        );
        // a coordinator's suggestion would replace the weakest (3 asks held)
        if auto_asks == 3 {
            let coord = coordinator_token(&app, "coord@example.org");
            let s = get(&svc, "/api/v1/coordination/suggestions", Some(&coord)).await;
            let mine = s.json["pairs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["request_id"] == id.as_str())
                .cloned()
                .expect("a nearer door, for a coordinator to review");
            assert_eq!(mine["offer_id"], near.as_str());
            assert!(mine["replaces"].is_string(), "{mine}");
        }
    }
}
