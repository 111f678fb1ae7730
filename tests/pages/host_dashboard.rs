//! A host's dashboard: answering invites, closing, editing an offer (mistakes change nothing).

use crate::common::*;
use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::json;

#[actix_web::test]
async fn host_answers_invites_and_closes_from_the_dashboard() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    let (cookie, token, session) = host_session(&svc, "nadia@example.org").await;
    let act_form = |path: String, extra: Vec<(&'static str, String)>| {
        let mut all = vec![("csrf".to_owned(), token.clone())];
        all.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
        with_session(
            TestRequest::post()
                .uri(&path)
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .set_form(all),
            &cookie,
            &session,
        )
    };
    let created = send(
        &svc,
        act_form(
            "/host/offers".into(),
            vec![
                ("place", "75011".into()),
                ("address", "3 rue Oberkampf".into()),
                ("capacity", "4".into()),
                ("hours", "24".into()),
            ],
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let dashboard = || {
        send(
            &svc,
            with_session(
                TestRequest::get()
                    .uri("/host")
                    .insert_header(("accept-language", "en")),
                &cookie,
                &session,
            ),
        )
    };

    // a guest asks; the host sees the proposal without the guest's contact
    let (rid, rt) = guest(&svc, 48.8585, 2.3795, 2).await;
    let offer_id = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates"),
        Some(&rt),
    )
    .await
    .json["candidates"][0]["offer_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    let mid = m.s("id");
    let d = dashboard().await;
    assert!(d.text.contains("Samira, party of 2"), "{}", d.text);
    assert_no_secret(&d.text, GUEST_SECRETS);
    // another waiting guest nearby, to invite
    let (other, other_rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let d = dashboard().await;
    assert!(
        d.text
            .contains(&format!("name=\"request_id\" value=\"{other}\"")),
        "nearby guest listed"
    );

    // someone else's match or offer: not found, nothing changes
    let (c2, t2, s2) = host_session(&svc, "other@example.org").await;
    let foreign = send(
        &svc,
        with_session(
            TestRequest::post()
                .uri(&format!("/host/matches/{mid}/accept"))
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .set_form(vec![("csrf", t2.clone())]),
            &c2,
            &s2,
        ),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt))
            .await
            .json["status"],
        "proposed"
    );

    let acc = send(
        &svc,
        act_form(format!("/host/matches/{mid}/accept"), vec![]),
    )
    .await;
    assert_eq!(acc.status, StatusCode::SEE_OTHER);
    let d = dashboard().await;
    assert!(
        d.text.contains("+33700000001") && d.text.contains("guest@example.org"),
        "contact after consent"
    );
    let arrived = send(
        &svc,
        act_form(format!("/host/matches/{mid}/arrived"), vec![]),
    )
    .await;
    assert_eq!(arrived.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt))
            .await
            .json["status"],
        "arrived"
    );

    let inv = send(
        &svc,
        act_form(
            format!("/host/offers/{offer_id}/invite"),
            vec![("request_id", other.clone())],
        ),
    )
    .await;
    assert_eq!(inv.status, StatusCode::SEE_OTHER);
    let r = get(&svc, &format!("/api/v1/requests/{other}"), Some(&other_rt)).await;
    assert_eq!(
        r.json["matches"][0]["consent"],
        json!({"guest": false, "host": true})
    );

    let paused = send(
        &svc,
        act_form(
            format!("/host/offers/{offer_id}/status"),
            vec![("status", "paused".into())],
        ),
    )
    .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    assert!(dashboard().await.text.contains("3 rue Oberkampf — paused"));
    let bad = send(
        &svc,
        act_form(
            format!("/host/offers/{offer_id}/status"),
            vec![("status", "gone".into())],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let no_csrf = send(
        &svc,
        with_session(
            TestRequest::post()
                .uri(&format!("/host/offers/{offer_id}/status"))
                .insert_header(("host", HOST))
                .set_form(vec![("status", "closed")]),
            &cookie,
            &session,
        ),
    )
    .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    assert!(dashboard().await.text.contains("— paused"), "unchanged");
}

#[actix_web::test]
async fn host_edits_an_offer_and_mistakes_change_nothing() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    let (cookie, token, session) = host_session(&svc, "nadia@example.org").await;
    let post_form = |path: String, csrf: &str, fields: Vec<(&str, &str)>| {
        let mut all = vec![("csrf".to_owned(), csrf.to_owned())];
        all.extend(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        with_session(
            TestRequest::post()
                .uri(&path)
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .insert_header(("accept-language", "en"))
                .set_form(all),
            &cookie,
            &session,
        )
    };
    let created = send(
        &svc,
        post_form(
            "/host/offers".into(),
            &token,
            vec![
                ("place", "75011"),
                ("address", "3 rue Oberkampf"),
                ("capacity", "4"),
                ("hours", "24"),
                ("pets_ok", "on"),
                ("languages", "fr, en"),
            ],
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let offer_row = || {
        use diesel::prelude::*;
        use porte_ouverte::db::schema::offers::dsl as o;
        let mut c = app.state.conn().unwrap();
        o::offers
            .select((
                o::id,
                o::capacity,
                o::pets_ok,
                o::accessible,
                o::languages,
                o::lat,
                o::available_until,
                o::notes,
            ))
            .first::<(String, i32, bool, bool, String, f64, i64, Option<String>)>(&mut *c)
            .unwrap()
    };
    let before = offer_row();
    let id = before.0.clone();
    assert_eq!((before.1, before.2, before.4.as_str()), (4, true, "en,fr"));

    // the form comes filled with the offer as it is
    let form = send(
        &svc,
        with_session(
            TestRequest::get()
                .uri(&format!("/host/offers/{id}/edit"))
                .insert_header(("accept-language", "en")),
            &cookie,
            &session,
        ),
    )
    .await;
    assert_eq!(form.status, StatusCode::OK);
    for filled in [
        "value=\"3 rue Oberkampf\"",
        "name=\"capacity\" type=\"number\" value=\"4\"",
        "name=\"hours\" type=\"number\" value=\"24\"",
        "name=\"pets_ok\" value=\"on\" checked",
        "value=\"en, fr\"",
        "Leave empty to keep the current position.",
    ] {
        assert!(form.text.contains(filled), "{filled} in {}", form.text);
    }

    // each mistake is shown beside its field, the values stay, nothing changes
    let url = format!("/host/offers/{id}/edit");
    let base = [
        ("address", "3 rue Oberkampf"),
        ("capacity", "6"),
        ("hours", "12"),
        ("place", ""),
    ];
    // (the fields changed, the field flagged, its message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![("capacity", "0")],
            "capacity",
            "Enter a number of places from 1 to 500.",
        ),
        (
            vec![("capacity", "NaN")],
            "capacity",
            "Enter a number of places from 1 to 500.",
        ),
        (
            vec![("hours", "9999")],
            "hours",
            "Enter a number of hours from 1 to 720.",
        ),
        (
            vec![("place", "Atlantis")],
            "place",
            "Give a place or postcode we know",
        ),
        (
            vec![("address", "x")],
            "address",
            "Enter the address (3 to 300 characters).",
        ),
        (
            vec![("contact_phone", "call me")],
            "contact_phone",
            "Enter a phone number",
        ),
    ];
    for (changes, field, message) in cases {
        let mut fields: Vec<(&str, &str)> = base
            .iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .copied()
            .collect();
        fields.extend(changes.iter().copied());
        let r = send(&svc, post_form(url.clone(), &token, fields)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.text
        );
        assert!(
            r.text.contains(&format!("id=\"f-{field}-error\"")) && r.text.contains(message),
            "{field}: {}",
            r.text
        );
        let (_, v) = changes[0];
        assert!(
            r.text.contains(&format!("value=\"{v}\"")),
            "{field} kept: {}",
            r.text
        );
        assert_eq!(offer_row(), before, "{field}: nothing changed");
    }
    let forged = send(&svc, post_form(url.clone(), "forged", base.to_vec())).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(offer_row(), before);

    // another host cannot read or change it
    let (c2, t2, s2) = host_session(&svc, "other@example.org").await;
    let theirs = send(&svc, with_session(TestRequest::get().uri(&url), &c2, &s2)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let mut fields = vec![("csrf".to_owned(), t2.clone())];
    fields.extend(base.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let theirs = send(
        &svc,
        with_session(
            TestRequest::post()
                .uri(&url)
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .set_form(fields),
            &c2,
            &s2,
        ),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(offer_row(), before);

    // a valid edit: capacity, window, attributes, languages, notes; the position stays
    let ok = send(
        &svc,
        post_form(
            url.clone(),
            &token,
            vec![
                ("address", "3 rue Oberkampf"),
                ("place", ""),
                ("capacity", "6"),
                ("hours", "12"),
                ("accessible", "on"),
                ("languages", "ar"),
                ("notes", "Second floor"),
            ],
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let after = offer_row();
    assert_eq!(
        (
            after.1,
            after.2,
            after.3,
            after.4.as_str(),
            after.5,
            after.7.as_deref()
        ),
        (6, false, true, "ar", before.5, Some("Second floor"))
    );
    assert!((after.6 - (app.state.now() + 12 * 3_600_000)).abs() < 1000);

    // below the places already held: refused beside the capacity field
    let (rid, rt) = guest(&svc, 48.8585, 2.3795, 5).await;
    assert_eq!(ask(&svc, &rid, &rt, &id).await.status, StatusCode::CREATED);
    let r = send(
        &svc,
        post_form(
            url.clone(),
            &token,
            vec![
                ("address", "3 rue Oberkampf"),
                ("capacity", "3"),
                ("hours", "12"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Some places are already held or accepted"));
    assert_eq!(offer_row().1, 6);

    // a closed offer cannot be edited any more
    let closed = send(
        &svc,
        post_form(
            format!("/host/offers/{id}/status"),
            &token,
            vec![("status", "closed")],
        ),
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let gone = send(
        &svc,
        with_session(TestRequest::get().uri(&url), &cookie, &session),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let r = send(&svc, post_form(url.clone(), &token, base.to_vec())).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(offer_row().1, 6);
}
