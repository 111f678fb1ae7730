//! Coordinators open and close incidents from the console.

use crate::common::*;
use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::json;

#[actix_web::test]
async fn coordinators_open_and_close_incidents_from_the_console() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    coordinator_token(&app, "coord@example.org");
    let (c, t, _) = csrf(&svc, "en").await;
    let login = send(
        &svc,
        form_post(
            "/host/login",
            &c,
            origin,
            &[
                ("csrf", &t),
                ("email", "coord@example.org"),
                ("password", "coordinator pw"),
            ],
        ),
    )
    .await;
    let session = session_of(&login);
    let post_form = |uri: &str, fields: Vec<(&str, &str)>| {
        let mut all = vec![("csrf".to_owned(), t.clone())];
        all.extend(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        with_session(
            TestRequest::post()
                .uri(uri)
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .insert_header(("accept-language", "en"))
                .set_form(all),
            &c,
            &session,
        )
    };
    let page = send(
        &svc,
        with_session(
            TestRequest::get()
                .uri("/coord/incidents")
                .insert_header(("accept-language", "en")),
            &c,
            &session,
        ),
    )
    .await;
    assert!(page.text.contains("No incident yet") && page.text.contains("Open the incident"));
    let bad = send(
        &svc,
        post_form(
            "/coord/incidents",
            vec![
                ("name", "X"),
                ("place", "Atlantis"),
                ("radius_km", "NaN"),
                ("hours", "0"),
                ("emergency_numbers", "112, seventeen"),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["place", "radius_km", "hours"] {
        assert!(
            bad.text.contains(&format!("id=\"f-{f}-error\"")),
            "{f}: {}",
            bad.text
        );
    }
    assert!(bad.text.contains("value=\"Atlantis\""), "values kept");
    let bad = send(
        &svc,
        post_form(
            "/coord/incidents",
            vec![
                ("name", "X"),
                ("place", "75011"),
                ("radius_km", "3"),
                ("hours", "48"),
                ("emergency_numbers", "112, seventeen"),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("id=\"f-name-error\"")
            && bad.text.contains("id=\"f-emergency_numbers-error\"")
    );
    let ok = send(
        &svc,
        post_form(
            "/coord/incidents",
            vec![
                ("name", "Paris 11e"),
                ("place", "75011"),
                ("radius_km", "3"),
                ("hours", "48"),
                ("emergency_numbers", "112, 17"),
                ("children_need_verified_host", "on"),
            ],
        ),
    )
    .await;
    assert_eq!(
        ok.headers.get("location").unwrap(),
        "/coord/incidents?notice=done"
    );
    let coord = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "coord@example.org", "password": "coordinator pw"}),
    )
    .await
    .s("token");
    let list = get(&svc, "/api/v1/coordination/incidents", Some(&coord)).await;
    let inc = &list.json["incidents"][0];
    assert_eq!(inc["name"], "Paris 11e");
    assert_eq!(inc["rules"]["children_need_verified_host"], true);
    assert_eq!(inc["rules"]["women_only_needs_verified_host"], false);
    let id = inc["id"].as_str().unwrap().to_owned();
    let closed = send(
        &svc,
        post_form(&format!("/coord/incidents/{id}/close"), vec![]),
    )
    .await;
    assert_eq!(
        closed.headers.get("location").unwrap(),
        "/coord/incidents?notice=done"
    );
    let again = send(
        &svc,
        post_form(&format!("/coord/incidents/{id}/close"), vec![]),
    )
    .await;
    assert_eq!(
        again.headers.get("location").unwrap(),
        "/coord/incidents?notice=refused"
    );
    let (hc, _, hs) = host_session(&svc, "nadia@example.org").await;
    let theirs = send(
        &svc,
        with_session(TestRequest::get().uri("/coord/incidents"), &hc, &hs),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
}
