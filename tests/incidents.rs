//! Incidents on both backends: opening one (and every wrong way to), what
//! belongs to it, its own rules and emergency numbers, the standing mode —
//! checked by querying the tables directly (closing one: `incident_close.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use diesel::prelude::*;
use serde_json::{Value, json};

on_both_backends!(
    opening_an_incident_and_every_wrong_way_to,
    incidents_have_their_own_rules_and_numbers,
    standing_mode_closed_refuses_outside_incidents,
    pages_show_times_in_the_incidents_zone,
);

fn paris_incident(app: &TestApp) -> Value {
    json!({"name": "Paris, 13 November", "center": [48.8566, 2.3522], "radius_km": 5,
           "planned_end_at": app.in_hours(72)})
}

fn incident_of(app: &TestApp, table: &str, id: &str) -> Option<String> {
    use porte_ouverte::db::schema::{offers, requests};
    let mut c = app.state.conn().unwrap();
    match table {
        "offers" => offers::table
            .find(id)
            .select(offers::incident_id)
            .first(&mut *c)
            .unwrap(),
        _ => requests::table
            .find(id)
            .select(requests::incident_id)
            .first(&mut *c)
            .unwrap(),
    }
}

async fn opening_an_incident_and_every_wrong_way_to(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let before = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    let lyon = offer(&svc, &app, &host, 45.7640, 4.8357, 3).await;
    let good = paris_incident(&app);
    let mut cases: Vec<(Value, &str)> = vec![];
    let mut with = |k: &str, v: Value, field: &'static str| {
        let mut body = good.clone();
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v;
        }
        cases.push((body, field));
    };
    with("name", json!(""), "name");
    with("center", Value::Null, "center");
    with("center", json!([91, 2]), "center");
    with("center", json!(["NaN", 2]), "center");
    with("radius_km", json!(0), "radius_km");
    with("radius_km", json!(1e9), "radius_km");
    with("planned_end_at", json!("tomorrow"), "planned_end_at");
    with(
        "planned_end_at",
        json!("2001-01-01T00:00:00Z"),
        "planned_end_at",
    );
    with("time_zone", json!("Mars/Olympus"), "time_zone");
    with(
        "emergency_numbers",
        json!(["112", "call 17"]),
        "emergency_numbers",
    );
    with("polygon", json!([[48.8, 2.3], [48.9, 2.4]]), "polygon");
    with("colour", json!("red"), "colour");
    for (body, field) in cases {
        let r = post(
            &svc,
            "/api/v1/coordination/incidents",
            Some(&coord),
            body.clone(),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert!(
            r.error_fields().contains(&field.to_owned()),
            "{field}: {}",
            r.text
        );
    }
    assert_eq!(
        post(
            &svc,
            "/api/v1/coordination/incidents",
            Some(&host),
            good.clone()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&svc, "/api/v1/coordination/incidents", None, good.clone())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let list = get(&svc, "/api/v1/coordination/incidents", Some(&coord)).await;
    assert_eq!(list.json["incidents"], json!([]), "nothing opened");

    let inc = post(&svc, "/api/v1/coordination/incidents", Some(&coord), good).await;
    assert_eq!(inc.status, StatusCode::CREATED, "{}", inc.text);
    let id = inc.s("id");
    assert_eq!(inc.json["emergency_numbers"], json!(["112", "17"]));
    assert_eq!(inc.json["time_zone"], "Europe/Paris");
    // what was already there belongs to it, what is far away does not
    assert_eq!(incident_of(&app, "offers", &before), Some(id.clone()));
    assert_eq!(incident_of(&app, "offers", &lyon), None);
    let (rid, _) = guest(&svc, 48.8590, 2.3800, 1).await;
    assert_eq!(incident_of(&app, "requests", &rid), Some(id.clone()));
    // a polygon works too
    let poly = json!({"name": "Lyon floods", "polygon": [[45.70, 4.80], [45.70, 4.90], [45.80, 4.90], [45.80, 4.80]], "planned_end_at": app.in_hours(24), "emergency_numbers": ["112"]});
    let lyon_inc = post(&svc, "/api/v1/coordination/incidents", Some(&coord), poly).await;
    assert_eq!(lyon_inc.status, StatusCode::CREATED, "{}", lyon_inc.text);
    assert_eq!(incident_of(&app, "offers", &lyon), Some(lyon_inc.s("id")));
    let one = get(
        &svc,
        &format!("/api/v1/coordination/incidents/{id}"),
        Some(&coord),
    )
    .await;
    assert_eq!(one.json["name"], "Paris, 13 November");
    assert_eq!(
        get(
            &svc,
            "/api/v1/coordination/incidents/inc_nope",
            Some(&coord)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(
            &svc,
            &format!("/api/v1/coordination/incidents/{id}"),
            Some(&host)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn incidents_have_their_own_rules_and_numbers(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let mut body = paris_incident(&app);
    body["emergency_numbers"] = json!(["15", "18"]);
    body["rules"] = json!({"first_acceptance_review": true});
    assert_eq!(
        post(&svc, "/api/v1/coordination/incidents", Some(&coord), body)
            .await
            .status,
        StatusCode::CREATED
    );
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let inside = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let lyon = offer(&svc, &app, &host, 45.7640, 4.8357, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let mid = ask(&svc, &rid, &rt, &inside).await.s("id");
    let acc = act(&svc, &mid, "accept", &host).await;
    assert_eq!(acc.json["awaiting_review"], true, "the incident's rule");
    let r = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&rt),
        json!({}),
    )
    .await;
    assert_eq!(r.json["emergency_numbers"], json!(["15", "18"]));
    // outside the incident: the deployment's rules (no review)
    let (rid2, rt2) = guest(&svc, 45.7650, 4.8360, 1).await;
    let (_, host2) = sign_up_host(&svc, "lyon@example.org").await;
    let _ = host2;
    let mid2 = ask(&svc, &rid2, &rt2, &lyon).await.s("id");
    let acc = act(&svc, &mid2, "accept", &host).await;
    assert_eq!(acc.json["awaiting_review"], false);
}

async fn standing_mode_closed_refuses_outside_incidents(b: Backend) {
    let app = TestApp::with(b, |c| c.standing_mode = "closed".into());
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let r = post(
        &svc,
        "/api/v1/requests",
        None,
        request_body(48.8590, 2.3800, 1),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json["code"], "no_active_incident");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let o = post(
        &svc,
        "/api/v1/offers",
        Some(&host),
        offer_body(&app, 48.8585, 2.3795, 2),
    )
    .await;
    assert_eq!(o.status, StatusCode::CONFLICT);
    post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        paris_incident(&app),
    )
    .await;
    let r = post(
        &svc,
        "/api/v1/requests",
        None,
        request_body(48.8590, 2.3800, 1),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let far = post(
        &svc,
        "/api/v1/requests",
        None,
        request_body(45.7650, 4.8360, 1),
    )
    .await;
    assert_eq!(far.status, StatusCode::CONFLICT);
}

async fn pages_show_times_in_the_incidents_zone(b: Backend) {
    use actix_web::test::TestRequest;
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let mut body = paris_incident(&app);
    body["time_zone"] = json!("Asia/Tokyo");
    assert_eq!(
        post(&svc, "/api/v1/coordination/incidents", Some(&coord), body)
            .await
            .status,
        StatusCode::CREATED
    );
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let inside = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let m = ask(&svc, &rid, &rt, &inside).await;
    let expires =
        chrono::DateTime::parse_from_rfc3339(m.json["expires_at"].as_str().unwrap()).unwrap();
    let tokyo = expires
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .format("%H:%M")
        .to_string();
    let paris = expires
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M")
        .to_string();
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&format!("/r/{rid}/{rt}"))
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(
        page.text.contains(&format!("until {tokyo}")),
        "{tokyo} in {}",
        page.text
    );
    assert!(!page.text.contains(&format!("until {paris}")));
}
