//! Coordinators see cells and needs by default; a person's details take a
//! POST with a reason, recorded in the audit log and shown to the person
//! (issue 11, finding 3). Both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use diesel::prelude::*;
use serde_json::json;

on_both_backends!(
    coordinators_see_cells_and_needs_by_default,
    details_take_a_reason_and_are_recorded_and_shown,
);

/// The chained audit entries with `action`: (actor, subject, detail).
fn audited(app: &TestApp, action: &str) -> Vec<(String, String, String)> {
    use porte_ouverte::db::schema::audit_log::dsl as a;
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::audit::chain_pending(&app.state, &mut c).unwrap();
    a::audit_log
        .filter(a::action.eq(action))
        .select((a::actor, a::subject, a::detail))
        .load(&mut *c)
        .unwrap()
}

async fn coordinators_see_cells_and_needs_by_default(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, _) = guest(&svc, 48.8590, 2.3800, 2).await;

    let o = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&coord)).await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.text);
    assert_no_secret(&o.text, SECRETS);
    for field in [
        "lat",
        "lon",
        "address",
        "contact_phone",
        "contact_email",
        "notes",
    ] {
        assert!(o.json.get(field).is_none(), "{field} in {}", o.text);
    }
    assert!(!o.text.contains("48.8585"), "exact point: {}", o.text);
    assert_eq!(o.json["capacity"], 4);
    assert!(o.json["area"]["cell"].is_string());
    // the host still sees everything of their own offer
    let mine = get(&svc, &format!("/api/v1/offers/{offer_id}"), Some(&host)).await;
    assert!(mine.text.contains("rue de la Roquette") && mine.json["lat"] == 48.8585);

    let q = get(&svc, "/api/v1/coordination/requests", Some(&coord)).await;
    assert_eq!(q.status, StatusCode::OK);
    assert_eq!(q.json["requests"][0]["request_id"], rid.as_str());
    assert_eq!(q.json["requests"][0]["needs"]["children"], false);
    assert_no_secret(&q.text, GUEST_SECRETS);
    assert!(!q.text.contains("48.859,") && !q.text.contains("\"lat\":48.859}"));
    for field in ["contact_phone", "contact_email", "notes", "lat"] {
        assert!(q.json["requests"][0].get(field).is_none(), "{field}");
    }
    // reading is not recorded as an access: nothing was shown
    assert!(audited(&app, "coord.offer_details").is_empty());
}

async fn details_take_a_reason_and_are_recorded_and_shown(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let (other_rid, other_rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let (_, other_host) = sign_up_host(&svc, "other@example.org").await;
    let op = format!("/api/v1/coordination/offers/{offer_id}/details");
    let rp = format!("/api/v1/coordination/requests/{rid}/details");

    // no reason, an empty one, too long, an unknown field: 422, nothing recorded
    for bad in [
        json!({}),
        json!({"reason": ""}),
        json!({"reason": "  "}),
        json!({"reason": "x".repeat(501)}),
        json!({"reason": "a reason", "extra": 1}),
    ] {
        for path in [&op, &rp] {
            let r = post(&svc, path, Some(&coord), bad.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path} {bad}: {}",
                r.text
            );
            assert_no_secret(&r.text, SECRETS);
            assert_no_secret(&r.text, GUEST_SECRETS);
        }
    }
    // hosts, guests, forged and missing tokens cannot
    let reason = json!({"reason": "the guest called: the host does not answer"});
    for (token, status) in [
        (Some(host.as_str()), StatusCode::FORBIDDEN),
        (Some(rt.as_str()), StatusCode::FORBIDDEN),
        (Some("poa_forged"), StatusCode::UNAUTHORIZED),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        for path in [&op, &rp] {
            let r = post(&svc, path, token, reason.clone()).await;
            assert_eq!(r.status, status, "{path}: {}", r.text);
            assert_no_secret(&r.text, SECRETS);
            assert_no_secret(&r.text, GUEST_SECRETS);
        }
    }
    // unknown IDs, and one kind's ID on the other's route: 404
    for path in [
        "/api/v1/coordination/offers/off_nope/details".to_owned(),
        "/api/v1/coordination/requests/req_nope/details".to_owned(),
        format!("/api/v1/coordination/offers/{rid}/details"),
        format!("/api/v1/coordination/requests/{offer_id}/details"),
    ] {
        let r = post(&svc, &path, Some(&coord), reason.clone()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(audited(&app, "coord.offer_details").is_empty());
    assert!(audited(&app, "coord.request_details").is_empty());
    let seen = get(&svc, "/api/v1/accounts/me/seen-by", Some(&host)).await;
    assert_eq!(seen.json["seen_by"], json!([]));

    // with a reason: the details, one audit entry, and the host sees it
    let d = post(&svc, &op, Some(&coord), reason.clone()).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.headers.get("cache-control").unwrap(), "no-store");
    assert!(d.text.contains("rue de la Roquette") && d.text.contains("Digicode"));
    assert_eq!(d.json["offer"]["lat"], 48.8585);
    assert_eq!(d.json["host_email"], "host@example.org");
    let rows = audited(&app, "coord.offer_details");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, offer_id);
    assert!(rows[0].0.starts_with("acc_"));
    assert!(rows[0].2.contains("reason_sha256"));
    assert!(
        !rows[0].2.contains("does not answer"),
        "no free text in the audit"
    );
    let seen = get(&svc, "/api/v1/accounts/me/seen-by", Some(&host)).await;
    let list = seen.json["seen_by"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{}", seen.text);
    assert_eq!(list[0]["viewer"], "coordinator");
    assert_eq!(
        list[0]["reason"],
        "the guest called: the host does not answer"
    );
    assert_eq!(list[0]["match_id"], json!(null));
    let theirs = get(&svc, "/api/v1/accounts/me/seen-by", Some(&other_host)).await;
    assert_eq!(theirs.json["seen_by"], json!([]));

    // the same for a guest
    let d = post(
        &svc,
        &rp,
        Some(&coord),
        json!({"reason": "checking the party size by phone"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.json["contact_phone"], "+33700000001");
    assert_eq!(d.json["notes"], "with my brother");
    assert_eq!(d.json["lat"], 48.859);
    assert_eq!(audited(&app, "coord.request_details").len(), 1);
    let seen = get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), Some(&rt)).await;
    assert_eq!(
        seen.json["seen_by"][0]["reason"],
        "checking the party size by phone"
    );
    assert_eq!(seen.json["seen_by"][0]["viewer"], "coordinator");
    let theirs = get(
        &svc,
        &format!("/api/v1/requests/{other_rid}/seen-by"),
        Some(&other_rt),
    )
    .await;
    assert_eq!(theirs.json["seen_by"], json!([]));
    // a second read is a second record
    post(&svc, &rp, Some(&coord), json!({"reason": "calling back"})).await;
    assert_eq!(audited(&app, "coord.request_details").len(), 2);
    let seen = get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), Some(&rt)).await;
    assert_eq!(seen.json["seen_by"].as_array().unwrap().len(), 2);
    // the chain still verifies
    let mut c = app.state.conn().unwrap();
    assert!(
        porte_ouverte::service::audit::verify(&mut c)
            .unwrap()
            .is_ok()
    );
}

/// The /coord pages: the request page shows the cell and needs and a reason
/// form; sending it without a reason is a 422 with nothing shown or
/// recorded; with one, the contacts, and the guest's page says so.
#[actix_web::test]
async fn the_coordinator_pages_ask_for_a_reason() {
    use actix_web::cookie::Cookie;
    use actix_web::test::TestRequest;
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let origin = "http://localhost:8080";
    // the CSRF cookie and token, then the coordinator's session
    let form = send(&svc, TestRequest::get().uri("/host/login")).await;
    let set = form.headers.get("set-cookie").unwrap().to_str().unwrap();
    let csrf = Cookie::parse(set.to_owned()).unwrap().into_owned();
    let csrf = Cookie::new(csrf.name().to_owned(), csrf.value().to_owned());
    let token = form.text.split("name=\"csrf\" value=\"").nth(1).unwrap();
    let token = token.split('"').next().unwrap().to_owned();
    let post_form = |path: &str, fields: Vec<(&str, String)>| {
        TestRequest::post()
            .uri(path)
            .insert_header(("host", "localhost:8080"))
            .insert_header(("origin", origin))
            .insert_header(("accept-language", "en"))
            .cookie(csrf.clone())
            .set_form(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect::<Vec<_>>(),
            )
    };
    let login = send(
        &svc,
        post_form(
            "/host/login",
            vec![
                ("csrf", token.clone()),
                ("email", "coord@example.org".into()),
                ("password", "coordinator pw".into()),
            ],
        ),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let session = login
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("po_session="))
        .unwrap();
    let session = Cookie::parse(session).unwrap();
    let session = Cookie::new("po_session", session.value().to_owned());
    let page = |path: String| {
        TestRequest::get()
            .uri(&path)
            .insert_header(("accept-language", "en"))
            .cookie(csrf.clone())
            .cookie(session.clone())
    };

    // the queue opens a party on /coord, which links to the request's page;
    // neither shows contacts
    let home = send(&svc, page("/coord".into())).await;
    assert!(
        home.text
            .contains(&format!("name=\"party\" value=\"{rid}\""))
    );
    assert_no_secret(&home.text, GUEST_SECRETS);
    let chosen = send(&svc, page(format!("/coord?party={rid}"))).await;
    assert_eq!(chosen.status, StatusCode::OK);
    assert!(chosen.text.contains(&format!("/coord/requests/{rid}")));
    assert_no_secret(&chosen.text, GUEST_SECRETS);
    let r = send(&svc, page(format!("/coord/requests/{rid}"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Samira") && r.text.contains("name=\"reason\""));
    assert_no_secret(&r.text, GUEST_SECRETS);
    let o = send(&svc, page(format!("/coord/offers/{offer_id}"))).await;
    assert_eq!(o.status, StatusCode::OK);
    assert_no_secret(&o.text, SECRETS);

    // no reason: 422, nothing shown, nothing recorded
    let path = format!("/coord/requests/{rid}/details");
    let empty = send(
        &svc,
        post_form(&path, vec![("csrf", token.clone()), ("reason", " ".into())])
            .cookie(session.clone()),
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_no_secret(&empty.text, GUEST_SECRETS);
    assert!(audited(&app, "coord.request_details").is_empty());
    // no CSRF token: refused
    let forged = send(
        &svc,
        post_form(&path, vec![("reason", "a good reason".into())]).cookie(session.clone()),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(audited(&app, "coord.request_details").is_empty());
    // a reason: the contacts, recorded, and the guest's page shows it
    let shown = send(
        &svc,
        post_form(
            &path,
            vec![
                ("csrf", token.clone()),
                ("reason", "calling about tonight".into()),
            ],
        )
        .cookie(session.clone()),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert!(shown.text.contains("+33700000001") && shown.text.contains("with my brother"));
    assert_eq!(audited(&app, "coord.request_details").len(), 1);
    let mine = send(
        &svc,
        TestRequest::get()
            .uri(&format!("/r/{rid}/{rt}"))
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(mine.text.contains("calling about tonight"), "{}", mine.text);
    // the offer's page the same way
    let shown = send(
        &svc,
        post_form(
            &format!("/coord/offers/{offer_id}/details"),
            vec![
                ("csrf", token.clone()),
                ("reason", "the host asked us to call".into()),
            ],
        )
        .cookie(session.clone()),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text.contains("rue de la Roquette"));
    assert_eq!(audited(&app, "coord.offer_details").len(), 1);

    // the waiting party's page lists its doors, each proposed with one click:
    // the ids travel in the form, nobody copies them
    let r = send(&svc, page(format!("/coord/requests/{rid}"))).await;
    assert!(r.text.contains("Doors for this party"), "{}", r.text);
    assert!(
        r.text
            .contains(&format!("name=\"offer_id\" value=\"{offer_id}\""))
    );
    assert!(
        r.text
            .contains(&format!("name=\"request_id\" value=\"{rid}\""))
    );
    assert_no_secret(&r.text, SECRETS);
    let proposed = send(
        &svc,
        post_form(
            "/coord/propose",
            vec![
                ("csrf", token.clone()),
                ("request_id", rid.clone()),
                ("offer_id", offer_id.clone()),
            ],
        )
        .cookie(session.clone()),
    )
    .await;
    assert_eq!(proposed.status, StatusCode::SEE_OTHER);
    let mine = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    let matches = mine.json["matches"].as_array().cloned().unwrap_or_default();
    assert_eq!(matches.len(), 1, "{}", mine.text);
    assert_eq!(matches[0]["offer"]["id"], serde_json::json!(offer_id));
    assert_eq!(matches[0]["status"], serde_json::json!("proposed"));
    // the proposed door is no longer offered for that party
    let r = send(&svc, page(format!("/coord/requests/{rid}"))).await;
    assert!(
        !r.text
            .contains(&format!("name=\"offer_id\" value=\"{offer_id}\""))
    );
}
