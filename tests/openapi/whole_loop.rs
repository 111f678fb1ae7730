//! The answers of a whole loop, on SQLite and PostgreSQL, exactly as the document describes.

use crate::common::*;
use crate::conformance::conforms;
use crate::on_both_backends;
use crate::support::doc;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::json;

on_both_backends!(the_answers_of_a_whole_loop_are_as_documented);

async fn the_answers_of_a_whole_loop_are_as_documented(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let d = doc();
    let served = get(&svc, "/api/v1/openapi.json", None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.json, d);

    let r = post(
        &svc,
        "/api/v1/accounts",
        None,
        json!({"email": "host@example.org", "password": "correct horse", "display_name": "Hélène Dupont", "phone": "+33612345678"}),
    )
    .await;
    conforms(&d, "post", "/api/v1/accounts", &r);
    let r = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "correct horse"}),
    )
    .await;
    conforms(&d, "post", "/api/v1/tokens", &r);
    let host = r.s("token");
    let coord = coordinator_token(&app, "coord@example.org");
    conforms(
        &d,
        "get",
        "/api/v1/accounts/me",
        &get(&svc, "/api/v1/accounts/me", Some(&host)).await,
    );

    let r = post(
        &svc,
        "/api/v1/offers",
        Some(&host),
        offer_body(&app, 48.8566, 2.3522, 4),
    )
    .await;
    conforms(&d, "post", "/api/v1/offers", &r);
    let oid = r.s("id");
    let r = post(&svc, "/api/v1/requests", None, request_body(48.86, 2.35, 2)).await;
    conforms(&d, "post", "/api/v1/requests", &r);
    let (rid, rt) = (r.s("id"), r.s("access_token"));

    let cands = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates"),
        Some(&rt),
    )
    .await;
    conforms(&d, "get", "/api/v1/requests/{id}/candidates", &cands);
    let near = get(
        &svc,
        &format!("/api/v1/offers/{oid}/nearby-requests"),
        Some(&host),
    )
    .await;
    conforms(&d, "get", "/api/v1/offers/{id}/nearby-requests", &near);
    let m = ask(&svc, &rid, &rt, &oid).await;
    conforms(&d, "post", "/api/v1/requests/{id}/matches", &m);
    let mid = m.s("id");
    let again = ask(&svc, &rid, &rt, &oid).await;
    assert!(again.status.is_client_error());
    conforms(&d, "post", "/api/v1/requests/{id}/matches", &again);
    let a = act(&svc, &mid, "accept", &host).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(
        a.json["offer"]["address"].is_string(),
        "revealed: {}",
        a.text
    );
    conforms(&d, "post", "/api/v1/matches/{id}/accept", &a);

    let reads = [
        (
            "/api/v1/accounts/me/seen-by",
            "/api/v1/accounts/me/seen-by",
            &host,
        ),
        (
            &format!("/api/v1/requests/{rid}/seen-by"),
            "/api/v1/requests/{id}/seen-by",
            &rt,
        ),
        ("/api/v1/offers", "/api/v1/offers", &host),
        (
            &format!("/api/v1/offers/{oid}"),
            "/api/v1/offers/{id}",
            &host,
        ),
        (
            &format!("/api/v1/offers/{oid}/matches"),
            "/api/v1/offers/{id}/matches",
            &host,
        ),
        (
            &format!("/api/v1/requests/{rid}"),
            "/api/v1/requests/{id}",
            &rt,
        ),
        (
            &format!("/api/v1/matches/{mid}"),
            "/api/v1/matches/{id}",
            &rt,
        ),
        (
            &format!("/api/v1/matches/{mid}"),
            "/api/v1/matches/{id}",
            &coord,
        ),
        (
            "/api/v1/coordination/overview",
            "/api/v1/coordination/overview",
            &coord,
        ),
        (
            "/api/v1/coordination/requests",
            "/api/v1/coordination/requests",
            &coord,
        ),
        (
            "/api/v1/coordination/areas",
            "/api/v1/coordination/areas",
            &coord,
        ),
        (
            "/api/v1/coordination/alerts",
            "/api/v1/coordination/alerts",
            &coord,
        ),
        (
            "/api/v1/coordination/outbox?status=pending",
            "/api/v1/coordination/outbox",
            &coord,
        ),
        (
            "/api/v1/coordination/suggestions",
            "/api/v1/coordination/suggestions",
            &coord,
        ),
        (
            "/api/v1/coordination/reviews",
            "/api/v1/coordination/reviews",
            &coord,
        ),
        (
            "/api/v1/coordination/risks",
            "/api/v1/coordination/risks",
            &coord,
        ),
        (
            "/api/v1/coordination/paused-offers",
            "/api/v1/coordination/paused-offers",
            &coord,
        ),
        (
            "/api/v1/coordination/incidents",
            "/api/v1/coordination/incidents",
            &coord,
        ),
        ("/api/v1/push/key", "/api/v1/push/key", &host),
        ("/api/v1/safe?name=Nobody%20Known", "/api/v1/safe", &host),
        (
            "/api/v1/coordination/overview",
            "/api/v1/coordination/overview",
            &host,
        ),
        (
            "/api/v1/offers",
            "/api/v1/offers",
            &"not-a-token".to_owned(),
        ),
    ];
    for (url, template, token) in reads {
        let r = get(&svc, url, Some(token)).await;
        conforms(&d, "get", template, &r);
    }
    let out = get(
        &svc,
        "/api/v1/coordination/outbox?status=pending",
        Some(&coord),
    )
    .await;
    assert!(
        !out.json["mails"].as_array().unwrap().is_empty(),
        "{}",
        out.text
    );

    let unsafe_flag = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&rt),
        json!({}),
    )
    .await;
    conforms(&d, "post", "/api/v1/matches/{id}/unsafe", &unsafe_flag);
    let alerts = get(&svc, "/api/v1/coordination/alerts", Some(&coord)).await;
    assert_eq!(
        alerts.json["alerts"].as_array().unwrap().len(),
        1,
        "{}",
        alerts.text
    );
    conforms(&d, "get", "/api/v1/coordination/alerts", &alerts);
    let arrived = act(&svc, &mid, "arrived", &rt).await;
    conforms(&d, "post", "/api/v1/matches/{id}/arrived", &arrived);

    let inc = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Crue de la Seine", "center": [48.85, 2.35], "radius_km": 20, "planned_end_at": app.in_hours(72)}),
    )
    .await;
    conforms(&d, "post", "/api/v1/coordination/incidents", &inc);
    let bad = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"nom": 1}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    conforms(&d, "post", "/api/v1/coordination/incidents", &bad);
    let rep = post(
        &svc,
        "/api/v1/reports",
        None,
        json!({"target_kind": "offer", "target_id": oid, "reason": "fake"}),
    )
    .await;
    conforms(&d, "post", "/api/v1/reports", &rep);
    let host_id = get(&svc, "/api/v1/accounts/me", Some(&host)).await.s("id");
    let st = get(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}"),
        Some(&coord),
    )
    .await;
    conforms(&d, "get", "/api/v1/coordination/accounts/{id}", &st);
    let reports = get(&svc, "/api/v1/coordination/reports", Some(&coord)).await;
    conforms(&d, "get", "/api/v1/coordination/reports", &reports);
    let export = send(
        &svc,
        TestRequest::get()
            .uri("/api/v1/coordination/exports/offers.csv")
            .insert_header(("Authorization", format!("Bearer {coord}"))),
    )
    .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(d["paths"]["/api/v1/coordination/exports/{kind}"]["get"]["responses"]["200"]["content"]["text/csv"].is_object());
    let out = post(
        &svc,
        &format!("/api/v1/requests/{rid}/cancel"),
        Some(&rt),
        json!({}),
    )
    .await;
    conforms(&d, "post", "/api/v1/requests/{id}/cancel", &out);
    let bye = send(
        &svc,
        TestRequest::delete()
            .uri("/api/v1/tokens/current")
            .insert_header(("Authorization", format!("Bearer {host}"))),
    )
    .await;
    conforms(&d, "delete", "/api/v1/tokens/current", &bye);
}
