//! The core loop: proposals, consent revealing to the two parties, at most three live proposals.

use crate::PARIS;
use crate::common::*;
use crate::on_both_backends;
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(
    full_loop,
    consent_reveals_only_to_the_two_parties,
    three_live_proposals_at_most,
    host_invites_and_coordinator_proposes,
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
