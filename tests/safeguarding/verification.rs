//! Verified hosts only for women-only offers and children; a first acceptance under review.

use crate::common::*;
use crate::on_both_backends;
use crate::support::host_of;
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(
    verified_hosts_only_for_women_only_offers_and_children,
    first_acceptance_waits_for_a_coordinator,
);

async fn verified_hosts_only_for_women_only_offers_and_children(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let mut body = offer_body(&app, 48.8585, 2.3795, 4);
    body["women_only"] = json!(true);
    let women = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");
    let mut body = offer_body(&app, 48.8585, 2.3795, 4);
    body["children_ok"] = json!(true);
    let kids_ok = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");

    let mut w = request_body(48.8590, 2.3800, 1);
    w["needs"] = json!({"women_only": true});
    let r = post(&svc, "/api/v1/requests", None, w).await;
    let (wid, wt) = (r.s("id"), r.s("access_token"));
    let mut k = request_body(48.8590, 2.3800, 3);
    k["needs"] = json!({"children": true});
    let r = post(&svc, "/api/v1/requests", None, k).await;
    let (kid, kt) = (r.s("id"), r.s("access_token"));

    // an unverified host: neither party sees the offer, nor can ask it by its ID
    assert!(candidate_ids(&svc, &wid, &wt).await.is_empty());
    assert!(candidate_ids(&svc, &kid, &kt).await.is_empty());
    let r = ask(&svc, &wid, &wt, &women).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json["code"], "verified_host_required");
    let r = ask(&svc, &kid, &kt, &kids_ok).await;
    assert_eq!(r.json["code"], "verified_host_required");
    // nor invite them from the host's side
    let r = post(
        &svc,
        &format!("/api/v1/offers/{kids_ok}/matches"),
        Some(&host),
        json!({"request_id": kid}),
    )
    .await;
    assert_eq!(r.json["code"], "verified_host_required");
    let nearby = get(
        &svc,
        &format!("/api/v1/offers/{kids_ok}/nearby-requests"),
        Some(&host),
    )
    .await;
    assert!(!nearby.text.contains(&kid), "{}", nearby.text);

    // a coordinator sees the host's identity: both appear at once
    let host_id = host_of(&app, &women);
    let v = post(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}/verify-identity"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.text);
    assert_eq!(v.json["level"], "coordinator_verified");
    assert!(
        v.json["identity_verified_by"]
            .as_str()
            .unwrap()
            .starts_with("acc_")
    );
    assert_eq!(candidate_ids(&svc, &wid, &wt).await, vec![women.clone()]);
    assert_eq!(candidate_ids(&svc, &kid, &kt).await, vec![kids_ok.clone()]);
    assert_eq!(
        ask(&svc, &kid, &kt, &kids_ok).await.status,
        StatusCode::CREATED
    );
    // a new offer of a verified host is verified too
    let mut body = offer_body(&app, 48.8585, 2.3795, 2);
    body["women_only"] = json!(true);
    let later = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");
    assert!(candidate_ids(&svc, &wid, &wt).await.contains(&later));
}

async fn first_acceptance_waits_for_a_coordinator(b: Backend) {
    let app = TestApp::with(b, |c| c.first_acceptance_review = true);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    let acc = act(&svc, &mid, "accept", &host).await;
    assert_eq!(acc.status, StatusCode::OK);
    assert_eq!(acc.json["status"], "accepted");
    assert_eq!(acc.json["awaiting_review"], true);
    // both agreed, but no contact crosses until a coordinator approves
    for token in [&rt, &host] {
        let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(token)).await;
        assert_eq!(v.json["awaiting_review"], true);
        assert_no_secret(&v.text, SECRETS);
        assert_no_secret(&v.text, GUEST_SECRETS);
    }
    let queue = get(&svc, "/api/v1/coordination/reviews", Some(&coord)).await;
    assert_eq!(queue.json["matches"][0]["id"], mid.as_str());
    let denied = post(
        &svc,
        &format!("/api/v1/coordination/matches/{mid}/approve"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let ok = post(
        &svc,
        &format!("/api/v1/coordination/matches/{mid}/approve"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let twice = post(
        &svc,
        &format!("/api/v1/coordination/matches/{mid}/approve"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
    assert_eq!(v.json["awaiting_review"], false);
    assert!(
        v.text.contains("rue de la Roquette"),
        "revealed after approval"
    );

    // the host's second guest needs no review
    let (rid2, rt2) = guest(&svc, 48.8590, 2.3800, 1).await;
    let mid2 = ask(&svc, &rid2, &rt2, &offer_id).await.s("id");
    let acc = act(&svc, &mid2, "accept", &host).await;
    assert_eq!(acc.json["awaiting_review"], false);
    assert!(acc.text.contains("+33700000001"));
}
