//! The coordinators' pages: queue and proposals, suggested assignments, for coordinators only.

use crate::common::*;
use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::json;

#[actix_web::test]
async fn coordinators_see_the_queue_and_propose_pairs() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    let (rid, rt) = guest(&svc, 48.8585, 2.3795, 2).await;

    let (cookie, token, _) = csrf(&svc, "en").await;
    let login = send(
        &svc,
        form_post(
            "/host/login",
            &cookie,
            origin,
            &[
                ("csrf", &token),
                ("email", "coord@example.org"),
                ("password", "coordinator pw"),
            ],
        ),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.headers.get("location").unwrap(), "/coord");
    let session = session_of(&login);
    let page = send(
        &svc,
        with_session(
            TestRequest::get()
                .uri("/coord")
                .insert_header(("accept-language", "en")),
            &cookie,
            &session,
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Requests waiting</dt><dd>1</dd>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Samira, 2 people") && page.text.contains(&rid));

    let propose = |r: &str, o: &str| {
        with_session(
            TestRequest::post()
                .uri("/coord/propose")
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .set_form(vec![
                    ("csrf", token.clone()),
                    ("request_id", r.to_owned()),
                    ("offer_id", o.to_owned()),
                ]),
            &cookie,
            &session,
        )
    };
    let bad = send(&svc, propose("req_nope", &offer_id)).await;
    assert_eq!(
        bad.headers.get("location").unwrap(),
        "/coord?notice=not_found"
    );
    let ok = send(&svc, propose(&rid, &offer_id)).await;
    assert_eq!(ok.headers.get("location").unwrap(), "/coord?notice=done");
    let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(r.json["matches"][0]["proposed_by"], "coordinator");
    assert_eq!(
        r.json["matches"][0]["consent"],
        json!({"guest": false, "host": false})
    );
    let mid = r.json["matches"][0]["id"].as_str().unwrap().to_owned();

    // the match is listed; opening it shows both sides, contacts only after both agree
    let coord_get = |uri: String| {
        with_session(
            TestRequest::get()
                .uri(&uri)
                .insert_header(("accept-language", "en")),
            &cookie,
            &session,
        )
    };
    let page = send(&svc, coord_get("/coord".into())).await;
    assert!(
        page.text
            .contains(&format!("href=\"/coord/matches/{mid}\""))
            && page.text.contains("Samira, 2 people, Paris 11e: proposed"),
        "{}",
        page.text
    );
    let found = send(&svc, coord_get(format!("/coord/match?id=%20{mid}%20"))).await;
    assert_eq!(
        found.headers.get("location").unwrap().to_str().unwrap(),
        format!("/coord/matches/{mid}")
    );
    let unknown = send(&svc, coord_get("/coord/match?id=%3Cscript%3E".into())).await;
    assert_eq!(
        unknown.headers.get("location").unwrap(),
        "/coord?notice=not_found"
    );
    let view = send(&svc, coord_get(format!("/coord/matches/{mid}"))).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(
        view.text.contains("Guest agreed</dt><dd>no</dd>"),
        "{}",
        view.text
    );
    assert!(
        view.text
            .contains("Contact details appear once both sides agree.")
    );
    assert_no_secret(&view.text, GUEST_SECRETS);
    // a coordinator sees who the host is (to verify them), never the contact
    // details or the address before both agreed
    assert_no_secret(
        &view.text,
        &[
            "rue de la Roquette",
            "Digicode",
            "+33612345678",
            "host@example.org",
        ],
    );
    assert_eq!(act(&svc, &mid, "accept", &rt).await.status, StatusCode::OK);
    assert_eq!(
        act(&svc, &mid, "accept", &host).await.status,
        StatusCode::OK
    );
    let view = send(&svc, coord_get(format!("/coord/matches/{mid}"))).await;
    assert!(
        view.text.contains("+33700000001")
            && view.text.contains("12 rue de la Roquette")
            && view.text.contains("accepted, arrival not confirmed"),
        "{}",
        view.text
    );
    let missing = send(
        &svc,
        coord_get("/coord/matches/mat_00000000000000000000".into()),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let garbage = send(&svc, coord_get("/coord/matches/%3Cscript%3E".into())).await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);

    // a host is not a coordinator: not found, and nothing proposed
    let (c2, t2, s2) = host_session(&svc, "nadia@example.org").await;
    let page = send(
        &svc,
        with_session(TestRequest::get().uri("/coord"), &c2, &s2),
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let sneaky = send(
        &svc,
        with_session(
            TestRequest::post()
                .uri("/coord/propose")
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .set_form(vec![
                    ("csrf", t2.clone()),
                    ("request_id", rid.clone()),
                    ("offer_id", offer_id.clone()),
                ]),
            &c2,
            &s2,
        ),
    )
    .await;
    assert_eq!(sneaky.status, StatusCode::NOT_FOUND);
    // nor can a host open a match through the coordinators' pages
    for uri in [
        format!("/coord/matches/{mid}"),
        format!("/coord/match?id={mid}"),
    ] {
        let page = send(&svc, with_session(TestRequest::get().uri(&uri), &c2, &s2)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let anonymous = send(
        &svc,
        TestRequest::get().uri(&format!("/coord/matches/{mid}")),
    )
    .await;
    assert_eq!(anonymous.headers.get("location").unwrap(), "/host/login");
    let anonymous = send(&svc, TestRequest::get().uri("/coord")).await;
    assert_eq!(anonymous.headers.get("location").unwrap(), "/host/login");
}

#[actix_web::test]
async fn coordinators_review_and_send_suggested_assignments() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    let (rid, _) = guest(&svc, 48.8590, 2.3800, 2).await;
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
    let page = send(
        &svc,
        with_session(
            TestRequest::get()
                .uri("/coord/suggest")
                .insert_header(("accept-language", "en")),
            &c,
            &session,
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains("This shelters 2 of the 2 people waiting"),
        "{}",
        page.text
    );
    let pair = format!("{rid}:{offer_id}");
    assert!(page.text.contains(&format!("value=\"{pair}\"")));
    let sent = send(
        &svc,
        with_session(
            TestRequest::post()
                .uri("/coord/suggest")
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .set_form(vec![("csrf", t.clone()), ("pair", pair.clone())]),
            &c,
            &session,
        ),
    )
    .await;
    assert_eq!(
        sent.headers.get("location").unwrap(),
        "/coord?notice=sent&n=1"
    );
    let coord = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "coord@example.org", "password": "coordinator pw"}),
    )
    .await
    .s("token");
    let o = get(&svc, "/api/v1/coordination/overview", Some(&coord)).await;
    assert_eq!(o.json["matches"]["proposed"], 1);
    // hosts: not found; a forged form: refused
    let (hc, ht, hs) = host_session(&svc, "nadia@example.org").await;
    let theirs = send(
        &svc,
        with_session(TestRequest::get().uri("/coord/suggest"), &hc, &hs),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let forged = send(
        &svc,
        with_session(
            TestRequest::post()
                .uri("/coord/suggest")
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .set_form(vec![("csrf", "guess".to_owned()), ("pair", pair)]),
            &c,
            &session,
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let _ = ht;
}

#[actix_web::test]
async fn every_coordination_page_is_for_coordinators_only() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    let (c, t, s) = host_session(&svc, "nadia@example.org").await;
    let gets = [
        "/coord".to_owned(),
        format!("/coord/matches/{mid}"),
        format!("/coord/match?id={mid}"),
        "/coord/suggest".to_owned(),
        "/coord/incidents".to_owned(),
        "/coord/map.svg".to_owned(),
        "/coord/export/offers.csv".to_owned(),
        "/coord/export/requests.csv?personal=1".to_owned(),
        "/coord/export/pfif.xml".to_owned(),
    ];
    for uri in &gets {
        let r = send(&svc, with_session(TestRequest::get().uri(uri), &c, &s)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "host GET {uri}");
        let r = send(&svc, TestRequest::get().uri(uri)).await;
        assert_eq!(
            r.headers.get("location").map(|l| l.to_str().unwrap()),
            Some("/host/login"),
            "anonymous GET {uri}"
        );
    }
    let posts = [
        "/coord/propose".to_owned(),
        "/coord/suggest".to_owned(),
        "/coord/incidents".to_owned(),
        "/coord/incidents/inc_x/close".to_owned(),
        format!("/coord/do/approve/{mid}"),
        "/coord/do/suspend/acc_x".to_owned(),
        "/coord/outbox/msg_x/retry".to_owned(),
    ];
    for uri in &posts {
        let r = send(
            &svc,
            with_session(
                TestRequest::post()
                    .uri(uri)
                    .insert_header(("host", HOST))
                    .insert_header(("origin", origin))
                    .set_form(vec![
                        ("csrf", t.clone()),
                        ("request_id", rid.clone()),
                        ("offer_id", offer_id.clone()),
                        ("pair", format!("{rid}:{offer_id}")),
                    ]),
                &c,
                &s,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "host POST {uri}");
    }
    // nothing happened: one proposal (the guest's), nothing more
    let m = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(m.json["matches"].as_array().unwrap().len(), 1);
}
