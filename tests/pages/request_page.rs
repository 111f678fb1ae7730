//! The request page: what was typed shown back, the address with its town, details added later.

use crate::common::*;
use crate::on_both_backends;
use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::json;

/// What people type never blocks them, and the reveal says where to go:
/// language names in French or English ("anglais, arabe") become codes and
/// an unknown one is kept in the notes; the address shows its town and can
/// be copied; headings do not skip a level; the landing title is not
/// doubled and /favicon.ico answers.
#[actix_web::test]
async fn optional_fields_never_block_and_the_reveal_says_where() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let mut body = offer_body(&app, 48.8585, 2.3795, 3); // Paris 11e
    body["address"] = json!("8 rue Saint-Maur");
    let o = post(&svc, "/api/v1/offers", Some(&host), body).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);

    let (cookie, token, _) = csrf(&svc, "en").await;
    let res = send(
        &svc,
        form_post(
            "/need",
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("place", "75011"),
                ("party_size", "1"),
                ("name", "Samira"),
                ("contact_phone", "+33 7 00 00 00 01"),
                ("notes", "Two cats"),
                ("languages", "anglais, Arabic et langue des signes"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let link = res
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let mut parts = link.trim_start_matches("/r/").split('/');
    let (rid, rt) = (parts.next().unwrap(), parts.next().unwrap());
    let stored = get(&svc, &format!("/api/v1/requests/{rid}"), Some(rt)).await;
    assert_eq!(
        stored.json["languages"],
        json!(["ar", "en"]),
        "{}",
        stored.text
    );
    assert_eq!(
        stored.json["notes"],
        json!("Two cats\nLangues / languages : langue des signes")
    );

    // more languages than the matcher compares: the first ten count, the
    // rest is kept as text; a request is never refused for its languages
    let res = send(
        &svc,
        form_post(
            "/need",
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("place", "Montreuil"),
                ("party_size", "2"),
                ("name", "Sam"),
                ("contact_phone", "0600000000"),
                ("languages", "fr en de es it pt nl pl ro ar tr"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let other = res
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let mut parts = other.trim_start_matches("/r/").split('/');
    let (oid, ot) = (parts.next().unwrap(), parts.next().unwrap());
    let stored = get(&svc, &format!("/api/v1/requests/{oid}"), Some(ot)).await;
    assert_eq!(stored.json["languages"].as_array().unwrap().len(), 10);
    assert_eq!(stored.json["notes"], json!("Langues / languages : tr"));

    // asked and accepted: the address with its town, and a copy button
    let ask = post(
        &svc,
        &format!("/api/v1/requests/{rid}/matches"),
        Some(rt),
        json!({"offer_id": o.s("id")}),
    )
    .await;
    assert_eq!(ask.status, StatusCode::CREATED, "{}", ask.text);
    let mid = ask.s("id");
    let ok = post(
        &svc,
        &format!("/api/v1/matches/{mid}/accept"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let view = get(&svc, &format!("/api/v1/matches/{mid}"), Some(rt)).await;
    assert_eq!(view.json["offer"]["address"], json!("8 rue Saint-Maur"));
    assert_eq!(
        view.json["offer"]["town"],
        json!("Paris 11e (75011)"),
        "{}",
        view.text
    );
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&link)
            .insert_header(("accept-language", "en"))
            .insert_header(("host", HOST)),
    )
    .await;
    assert!(
        page.text.contains(&format!(
            "<span id=\"address-{mid}\">8 rue Saint-Maur, Paris 11e (75011)</span>"
        )),
        "{}",
        page.text
    );
    assert!(page.text.contains(&format!("data-copy=\"address-{mid}\"")));
    assert!(page.text.contains("Copy the address"));
    // headings: h1, then h2 before any h3, never a skipped level
    let levels: Vec<u8> = page
        .text
        .match_indices("<h")
        .filter_map(|(i, _)| page.text.as_bytes().get(i + 2).copied())
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    assert!(levels.contains(&3), "{levels:?}");
    assert!(
        levels.windows(2).all(|w| w[1] <= w[0] + 1),
        "a heading level skipped: {levels:?}"
    );
    // block and report sit apart from "Ask", in the secondary block
    let landing = send(
        &svc,
        TestRequest::get()
            .uri("/")
            .insert_header(("accept-language", "fr")),
    )
    .await;
    assert!(
        landing.text.contains("<title>Porte Ouverte</title>"),
        "{}",
        landing.text
    );
    assert!(landing.text.contains("rel=\"icon\" type=\"image/svg+xml\""));
    let need = send(
        &svc,
        TestRequest::get()
            .uri("/need")
            .insert_header(("accept-language", "fr")),
    )
    .await;
    assert!(
        need.text
            .contains("<title>Demander un endroit où dormir — Porte Ouverte</title>"),
        "{}",
        need.text
    );
    let icon = send(&svc, TestRequest::get().uri("/favicon.ico")).await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.headers.get("content-type").unwrap(), "image/svg+xml");
    assert!(icon.text.starts_with("<svg"));
}

/// The town is added only where the host did not write it already.
#[test]
fn the_town_is_not_written_twice() {
    use porte_ouverte::service::views::OfferReveal;
    let reveal = |address: &str| OfferReveal {
        address: address.into(),
        town: Some("Paris 11e (75011)".into()),
        lat: 48.8585,
        lon: 2.3795,
        host_name: "H".into(),
        contact_phone: None,
        contact_email: None,
        notes: None,
    };
    assert_eq!(
        reveal("8 rue Saint-Maur").full_address(),
        "8 rue Saint-Maur, Paris 11e (75011)"
    );
    assert_eq!(
        reveal("8 rue Saint-Maur, 75011 Paris").full_address(),
        "8 rue Saint-Maur, 75011 Paris"
    );
    assert_eq!(
        reveal("8 rue Saint-Maur, paris 11e").full_address(),
        "8 rue Saint-Maur, paris 11e"
    );
    let mut none = reveal("8 rue Saint-Maur");
    none.town = None;
    assert_eq!(none.full_address(), "8 rue Saint-Maur");
}

on_both_backends!(a_guest_adds_details_after_sending_the_request);

/// The optional part of the request, added from the request page after
/// sending it: saved, shown back, refused field by field when wrong, never
/// through another request's link, and not once the request has ended.
async fn a_guest_adds_details_after_sending_the_request(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (cookie, token, _) = csrf(&svc, "en").await;
    let res = send(
        &svc,
        form_post(
            "/need",
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("place", "Gare de Lyon"),
                ("party_size", "3"),
                ("name", "Samira"),
                ("contact_phone", "+33 7 00 00 00 01"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let base = res
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let mut parts = base.trim_start_matches("/r/").split('/');
    let (rid, rt) = (
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
    );
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&base)
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(
        page.text.contains(&format!("href=\"{base}/details\"")),
        "the request page links to the details"
    );
    let form = send(
        &svc,
        TestRequest::get()
            .uri(&format!("{base}/details"))
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("Add details to your request"));
    assert!(form.text.contains("name=\"trusted_contact_email\""));

    // wrong: an address that is not one, and no consent; nothing changes
    let wrong = send(
        &svc,
        form_post(
            &format!("{base}/details"),
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("children", "on"),
                ("trusted_contact_email", "not an address"),
                ("findable_name", "Samira Haddad"),
            ],
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains("id=\"f-trusted_contact_email-error\""));
    assert!(wrong.text.contains("id=\"f-findable_consent-error\""));
    assert!(
        wrong
            .text
            .contains("name=\"children\" value=\"on\" checked"),
        "what was ticked stays ticked"
    );
    let stored = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(stored.json["needs"]["children"], false, "{}", stored.json);

    // right: saved, with the unknown language kept in the notes
    let ok = send(
        &svc,
        form_post(
            &format!("{base}/details"),
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("children", "on"),
                ("accessible", "on"),
                ("languages", "arabe, langue des signes"),
                ("notes", "une poussette"),
                ("trusted_contact_email", "soeur@example.org"),
                ("trusted_contact_consent", "on"),
                ("findable_name", "Samira Haddad"),
                ("findable_consent", "on"),
            ],
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    assert_eq!(
        ok.headers.get("location").unwrap().to_str().unwrap(),
        format!("{base}?notice=details_saved")
    );
    let stored = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(stored.json["needs"]["children"], true);
    assert_eq!(stored.json["needs"]["accessible"], true);
    assert_eq!(stored.json["needs"]["pets"], false);
    assert_eq!(stored.json["languages"], json!(["ar"]));
    assert_eq!(
        stored.json["notes"],
        "une poussette\nLangues / languages : langue des signes"
    );
    let mut c = app.state.conn().unwrap();
    let (trusted, findable): (Option<String>, Option<String>) = {
        use diesel::prelude::*;
        porte_ouverte::db::schema::requests::table
            .find(&rid)
            .select((
                porte_ouverte::db::schema::requests::trusted_email,
                porte_ouverte::db::schema::requests::findable_name,
            ))
            .first(&mut c)
            .unwrap()
    };
    assert_eq!(trusted.as_deref(), Some("soeur@example.org"));
    assert_eq!(findable.as_deref(), Some("Samira Haddad"));
    let shown = send(
        &svc,
        TestRequest::get()
            .uri(&format!("{base}?notice=details_saved"))
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(shown.text.contains("Your details are saved."));
    // the form shows what is there now (never the trusted contact)
    let again = send(
        &svc,
        TestRequest::get()
            .uri(&format!("{base}/details"))
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(again.text.contains("une poussette"));
    assert!(!again.text.contains("soeur@example.org"));

    // another request's real token, or a made-up one: not found, nothing
    // changed, and not even how bad values would be refused
    let (_, other_token) = guest(&svc, 48.86, 2.36, 1).await;
    for (tok, fields) in [
        (other_token.as_str(), vec![("pets", "on")]),
        ("por_not-the-token", vec![("pets", "on")]),
        (
            other_token.as_str(),
            vec![("trusted_contact_email", "not an address")],
        ),
    ] {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(fields);
        let foreign = send(
            &svc,
            form_post(
                &format!("/r/{rid}/{tok}/details"),
                &cookie,
                "http://localhost:8080",
                &all,
            ),
        )
        .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{tok}");
    }
    let stored = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(stored.json["needs"]["pets"], false);

    // once the request is cancelled, its details stay as they were
    let cancel = send(
        &svc,
        form_post(
            &format!("{base}/cancel"),
            &cookie,
            "http://localhost:8080",
            &[("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(cancel.status, StatusCode::SEE_OTHER);
    let late = send(
        &svc,
        form_post(
            &format!("{base}/details"),
            &cookie,
            "http://localhost:8080",
            &[("csrf", &token), ("pets", "on")],
        ),
    )
    .await;
    assert_eq!(
        late.headers.get("location").unwrap().to_str().unwrap(),
        format!("{base}?notice=request_closed")
    );
    let stored = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(stored.json["needs"]["pets"], false);
}
