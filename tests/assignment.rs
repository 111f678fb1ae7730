//! "Suggest assignments" through the API on both backends: more people
//! sheltered than nearest-first where it matters, rules respected, the
//! reviewed pairs sent as proposals in one action, coordinators only; and
//! the certificate (at most how many, proven or not) in the API and the
//! console, in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::pages::{page, page_session};
use common::*;
use serde_json::json;

on_both_backends!(suggestions_shelter_more_and_are_sent_in_one_action);

async fn suggestions_shelter_more_and_are_sent_in_one_action(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    // two offers of two places: one in central Paris, one 9 km north
    let mut body = offer_body(&app, 48.8566, 2.3522, 2);
    body["children_ok"] = json!(true);
    let centre = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");
    let north = offer(&svc, &app, &host, 48.9376, 2.3522, 2).await;
    // the couple waiting longest can reach both; the later one only the centre
    let (between, _) = guest(&svc, 48.8800, 2.3522, 2).await;
    let (south, _) = guest(&svc, 48.7900, 2.3522, 2).await;
    // a party with children: the centre welcomes children, but its host is
    // not verified by a coordinator, so nowhere to go
    let mut kids = request_body(48.8566, 2.3522, 1);
    kids["needs"] = json!({"children": true});
    let kid = post(&svc, "/api/v1/requests", None, kids).await.s("id");

    let s = get(&svc, "/api/v1/coordination/suggestions", Some(&coord)).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    assert_eq!(s.json["waiting_people"], 5);
    assert_eq!(s.json["suggested"]["people"], 4);
    assert_eq!(
        s.json["greedy"]["people"], 2,
        "nearest-first strands the later couple"
    );
    // the certificate: the child's party has nowhere to go, so at most 4
    // of the 5 can be sheltered, and 4 is proven the most, then the
    // distance the shortest
    assert_eq!(
        s.json["certificate"],
        json!({"sheltered": 4, "at_most": 4, "proven_optimal": true, "method": "exact"})
    );
    let pairs: Vec<(String, String)> = s.json["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["request_id"].as_str().unwrap().to_owned(),
                p["offer_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        pairs.contains(&(between.clone(), north.clone())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&(south.clone(), centre.clone())),
        "{pairs:?}"
    );
    assert!(
        !pairs.iter().any(|(r, _)| *r == kid),
        "safeguarding rules hold"
    );
    assert_no_secret(&s.text, SECRETS);
    assert_no_secret(&s.text, GUEST_SECRETS);

    // bad input and other roles change nothing
    for (bad, status) in [
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"pairs": "all"}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"pairs": [{"request_id": between}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({"pairs": [5]}), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = post(
            &svc,
            "/api/v1/coordination/suggestions",
            Some(&coord),
            bad.clone(),
        )
        .await;
        assert_eq!(r.status, status, "{bad}");
    }
    let r = get(
        &svc,
        "/api/v1/coordination/suggestions?radius_km=NaN",
        Some(&coord),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = json!({"pairs": pairs.iter().map(|(r, o)| json!({"request_id": r, "offer_id": o})).collect::<Vec<_>>()});
    assert_eq!(
        post(
            &svc,
            "/api/v1/coordination/suggestions",
            Some(&host),
            body.clone()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&svc, "/api/v1/coordination/suggestions", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let count = get(&svc, "/api/v1/coordination/overview", Some(&coord)).await;
    assert_eq!(count.json["matches"]["proposed"], 0);

    // one action sends them all; a stale or foreign pair is reported, not fatal
    let mut items = body["pairs"].as_array().unwrap().clone();
    items.push(json!({"request_id": kid, "offer_id": centre}));
    items.push(json!({"request_id": "req_nope", "offer_id": centre}));
    let sent = post(
        &svc,
        "/api/v1/coordination/suggestions",
        Some(&coord),
        json!({ "pairs": items }),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    let results = sent.json["results"].as_array().unwrap();
    assert_eq!(
        results.iter().filter(|r| r["match_id"].is_string()).count(),
        2
    );
    assert_eq!(results[2]["refused"], "verified_host_required");
    assert_eq!(results[3]["refused"], "not_found");
    let count = get(&svc, "/api/v1/coordination/overview", Some(&coord)).await;
    assert_eq!(count.json["matches"]["proposed"], 2);
    // proposals hold the places: nothing more to suggest for those offers
    let again = get(&svc, "/api/v1/coordination/suggestions", Some(&coord)).await;
    assert_eq!(again.json["pairs"], json!([]));
    assert_eq!(
        again.json["certificate"],
        json!({"sheltered": 0, "at_most": 0, "proven_optimal": true, "method": "exact"})
    );
}

on_both_backends!(the_console_shows_how_far_a_suggestion_is_from_the_best);

async fn the_console_shows_how_far_a_suggestion_is_from_the_best(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    // one offer of three places; a couple and a family of three waiting
    // beside it: only one party fits, so at most 3 people
    offer(&svc, &app, &host, 48.8566, 2.3522, 3).await;
    guest(&svc, 48.8570, 2.3525, 2).await;
    guest(&svc, 48.8575, 2.3530, 3).await;
    let session = page_session(&svc, "coord@example.org", "coordinator pw").await;
    let en = page(&svc, "/coord/suggest", "en", Some(&session)).await;
    assert!(
        en.text.contains("Sheltered 3 people of at most 3.")
            && en
                .text
                .contains("No assignment shelters more people, nor as many"),
        "{}",
        en.text
    );
    let fr = page(&svc, "/coord/suggest", "fr", Some(&session)).await;
    assert!(
        fr.text
            .contains("3\u{a0}personnes hébergées sur 3 au plus.")
            && fr
                .text
                .contains("Aucune affectation n'héberge plus de personnes, ni autant"),
        "{}",
        fr.text
    );
}
