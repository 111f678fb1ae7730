//! Oversight on both backends: times to acceptance, supply against demand
//! per area, and the server-drawn map; coordinators only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::json;

on_both_backends!(overview_areas_and_times);

async fn overview_areas_and_times(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let eleventh = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    offer(&svc, &app, &host, 48.8620, 2.4430, 6).await; // Montreuil
    let (a, at) = guest(&svc, 48.8590, 2.3800, 2).await;
    guest(&svc, 48.8590, 2.3800, 4).await;
    guest(&svc, 48.8592, 2.3802, 3).await;
    let none = get(&svc, "/api/v1/coordination/overview", Some(&coord)).await;
    assert_eq!(none.json["accept_minutes_median"], json!(null));
    // accepted 30 minutes after the request
    app.clock.advance(30 * 60_000);
    let m = ask(&svc, &a, &at, &eleventh).await.s("id");
    act(&svc, &m, "accept", &host).await;
    let o = get(&svc, "/api/v1/coordination/overview", Some(&coord)).await;
    assert_eq!(o.status, StatusCode::OK);
    assert_eq!(o.json["accept_minutes_median"], 30);
    assert_eq!(o.json["accept_minutes_p90"], 30);
    assert_eq!(o.json["unconfirmed_arrivals"], 0);
    assert_eq!(o.json["unsafe_flags"], 0);

    let areas = get(&svc, "/api/v1/coordination/areas", Some(&coord)).await;
    let rows = areas.json["areas"].as_array().unwrap();
    assert_eq!(rows[0]["area"], "Paris 11e", "{}", areas.text);
    assert_eq!(rows[0]["people_waiting"], 7);
    assert_eq!(rows[0]["places_free"], 1);
    let montreuil = rows.iter().find(|r| r["area"] == "Montreuil").unwrap();
    assert_eq!(montreuil["places_free"], 6);
    assert_eq!(montreuil["people_waiting"], 0);
    assert_no_secret(&areas.text, SECRETS);
    assert_eq!(
        get(&svc, "/api/v1/coordination/areas", Some(&host))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&svc, "/api/v1/coordination/areas", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn the_map_is_drawn_for_coordinators_only() {
    use actix_web::test::TestRequest;
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    guest(&svc, 48.8700, 2.3500, 2).await;
    coordinator_token(&app, "coord@example.org");
    let token = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "coord@example.org", "password": "coordinator pw"}),
    )
    .await;
    assert_eq!(token.status, StatusCode::CREATED);
    // log in through the page to get a session cookie
    let form = send(&svc, TestRequest::get().uri("/host/login")).await;
    let set = form
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let csrf_cookie = actix_web::cookie::Cookie::parse(set).unwrap().into_owned();
    let csrf = csrf_cookie.value().to_owned();
    let login = send(
        &svc,
        TestRequest::post()
            .uri("/host/login")
            .insert_header(("host", "localhost:8080"))
            .insert_header(("origin", "http://localhost:8080"))
            .cookie(actix_web::cookie::Cookie::new(
                csrf_cookie.name().to_owned(),
                csrf.clone(),
            ))
            .set_form(vec![
                ("csrf", csrf.as_str()),
                ("email", "coord@example.org"),
                ("password", "coordinator pw"),
            ]),
    )
    .await;
    let session = login
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("po_session="))
        .unwrap();
    let session = actix_web::cookie::Cookie::parse(session)
        .unwrap()
        .into_owned();
    let map = send(
        &svc,
        TestRequest::get()
            .uri("/coord/map.svg")
            .cookie(actix_web::cookie::Cookie::new(
                "po_session",
                session.value().to_owned(),
            )),
    )
    .await;
    assert_eq!(map.status, StatusCode::OK);
    assert!(
        map.headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
    // one circle per area with a count (its <title>), plus the legend's two
    assert_eq!(
        map.text.matches("</title></circle>").count(),
        2,
        "{}",
        map.text
    );
    assert_eq!(map.text.matches("<circle").count(), 4, "{}", map.text);
    let anonymous = send(&svc, TestRequest::get().uri("/coord/map.svg")).await;
    assert_eq!(anonymous.headers.get("location").unwrap(), "/host/login");
}
