//! The request form: places of one name, optional details folded, validation keeping values.

use crate::common::*;
use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::json;

/// Same-named places give a list to choose from, not an error; during a
/// crisis the one near it is taken, and a name that only exists far away
/// is offered for confirmation instead of being taken silently.
#[actix_web::test]
async fn several_places_of_one_name_give_a_choice() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (cookie, token, _) = csrf(&svc, "en").await;
    let ask = |place: &'static str, choice: Option<&'static str>| {
        let mut fields = vec![
            ("csrf", token.clone()),
            ("place", place.to_owned()),
            ("party_size", "1".to_owned()),
            ("name", "Samira".to_owned()),
            ("contact_phone", "+33 7 00 00 00 01".to_owned()),
        ];
        if let Some(c) = choice {
            fields.push(("place_choice", c.to_owned()));
        }
        let owned: Vec<(String, String)> =
            fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        TestRequest::post()
            .uri("/need")
            .insert_header(("host", HOST))
            .insert_header(("origin", "http://localhost:8080"))
            .insert_header(("accept-language", "en"))
            .cookie(cookie.clone())
            .set_form(owned)
    };
    // no incident: two communes are called Villepinte (Aude, Seine-Saint-Denis)
    let r = send(&svc, ask("Villepinte", None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("Is it one of these?") && r.text.contains("Which one?"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("name=\"place_choice\" value=\"Villepinte (93420)\"")
    );
    assert!(
        r.text
            .contains("name=\"place_choice\" value=\"Villepinte (11150)\"")
    );
    assert_eq!(request_count(&app), 0);
    // a list sent by the client is never shown: only what the server found
    let mut forged = ask("Villepinte", None);
    forged = forged.set_form(vec![
        ("csrf".to_owned(), token.clone()),
        ("place".to_owned(), "Nowhere at all".to_owned()),
        ("place_choices".to_owned(), "Evil (00000)".to_owned()),
        ("party_size".to_owned(), "1".to_owned()),
        ("name".to_owned(), "Samira".to_owned()),
        ("contact_phone".to_owned(), "+33 7 00 00 00 01".to_owned()),
    ]);
    let r = send(&svc, forged).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.text.contains("Evil (00000)"));
    // the person picks one
    let r = send(&svc, ask("Villepinte", Some("Villepinte (93420)"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(request_count(&app), 1);

    // a crisis in Paris: the Villepinte near it is taken at once; a name
    // that only exists far away ("Le Châtelet", in the Cher) is confirmed
    let coord = coordinator_token(&app, "coord@example.org");
    let inc = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Paris", "center": [48.8566, 2.3522], "radius_km": 10,
               "planned_end_at": app.in_hours(72)}),
    )
    .await;
    assert_eq!(inc.status, StatusCode::CREATED, "{}", inc.text);
    let r = send(&svc, ask("Villepinte", None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = send(&svc, ask("Le Châtelet", None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("value=\"Le Châtelet (18170)\""),
        "{}",
        r.text
    );
    let r = send(&svc, ask("Le Châtelet", Some("Le Châtelet (18170)"))).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "a confirmed choice is taken"
    );
    assert_eq!(request_count(&app), 3);
    // "Belleville" near the crisis is the métro station, not the village in
    // Lorraine
    let r = send(&svc, ask("Belleville", None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(request_count(&app), 4);
}

/// The request form: the required fields, then the submit button, then
/// the optional details folded; they open by themselves when they hold
/// something to see (a value kept after an error, or an error of theirs).
#[actix_web::test]
async fn the_request_form_folds_what_is_optional() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (cookie, token, form) = csrf(&svc, "en").await;
    let text = &form.text;
    let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let submit = at("<button type=\"submit\">Find a place</button>");
    assert!(at("name=\"contact_phone\"") < submit && at("name=\"name\"") < submit);
    let more = at("<details class=\"more\">");
    assert!(
        submit < more,
        "the first submit comes before the folded part"
    );
    for optional in [
        "name=\"children\"",
        "name=\"languages\"",
        "name=\"notes\"",
        "name=\"findable_name\"",
    ] {
        assert!(at(optional) > more, "{optional} is folded");
    }
    assert_eq!(
        text.matches("<button type=\"submit\">Find a place</button>")
            .count(),
        2
    );
    // after an error elsewhere, what was ticked in the folded part is shown open
    let r = send(
        &svc,
        form_post(
            "/need",
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("place", ""),
                ("name", "Sam"),
                ("party_size", "2"),
                ("children", "on"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("<details class=\"more\" open>"),
        "{}",
        r.text
    );
    let r = send(
        &svc,
        form_post(
            "/need",
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("place", ""),
                ("name", "Sam"),
                ("party_size", "2"),
            ],
        ),
    )
    .await;
    assert!(
        r.text.contains("<details class=\"more\">"),
        "closed when it holds nothing"
    );
}

#[actix_web::test]
async fn request_form_validation_keeps_values_and_stores_nothing() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (cookie, token, _) = csrf(&svc, "en").await;
    // (the fields sent, the fields that must be flagged)
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![
                ("place", "Nowhere-sur-Rien"),
                ("party_size", "2"),
                ("name", "Sam"),
                ("contact_phone", "0600000000"),
            ],
            vec!["place"],
        ),
        (
            vec![
                ("place", "Montreuil"),
                ("party_size", "0"),
                ("name", "Sam"),
                ("contact_phone", "0600000000"),
            ],
            vec!["party_size"],
        ),
        (
            vec![
                ("place", "Montreuil"),
                ("party_size", "many"),
                ("name", "Sam"),
                ("contact_phone", "0600000000"),
            ],
            vec!["party_size"],
        ),
        (
            vec![
                ("place", "Montreuil"),
                ("party_size", "2"),
                ("name", ""),
                ("contact_phone", "0600000000"),
            ],
            vec!["name"],
        ),
        (
            vec![
                ("place", "Montreuil"),
                ("party_size", "2"),
                ("name", "Sam"),
                ("contact_phone", ""),
                ("contact_email", ""),
            ],
            vec!["contact_phone"],
        ),
        (
            vec![
                ("place", "Montreuil"),
                ("party_size", "2"),
                ("name", "Sam"),
                ("contact_phone", "call me"),
            ],
            vec!["contact_phone"],
        ),
        (
            vec![
                ("place", "Montreuil"),
                ("party_size", "2"),
                ("name", "Sam"),
                ("contact_email", "sam@"),
            ],
            vec!["contact_email"],
        ),
        (
            vec![
                ("lat", "NaN"),
                ("lon", "2.3"),
                ("place", ""),
                ("party_size", "2"),
                ("name", "Sam"),
                ("contact_phone", "0600000000"),
            ],
            vec!["place"],
        ),
        (
            vec![
                ("lat", "91"),
                ("lon", "2.3"),
                ("party_size", "2"),
                ("name", "Sam"),
                ("contact_phone", "0600000000"),
            ],
            vec!["place"],
        ),
        (
            vec![
                ("place", ""),
                ("party_size", "21"),
                ("name", ""),
                ("contact_phone", ""),
            ],
            vec!["place", "party_size", "name", "contact_phone"],
        ),
        // (the optional languages field never blocks a request: see
        // optional_fields_never_block_and_the_reveal_says_where)
    ];
    for (fields, bad) in cases {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(fields.iter().copied());
        let r = send(
            &svc,
            form_post("/need", &cookie, "http://localhost:8080", &all),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(r.text.contains("Please correct the fields"));
        for f in &bad {
            assert!(
                r.text.contains(&format!("id=\"f-{f}-error\"")),
                "{f} error shown for {fields:?}"
            );
            let tag = r
                .text
                .split(&format!("id=\"f-{f}\" "))
                .nth(1)
                .and_then(|rest| rest.split('>').next())
                .unwrap_or_default();
            assert!(
                tag.contains("aria-invalid=\"true\"") && tag.contains(&format!("f-{f}-error\"")),
                "{f} marked invalid: {tag}"
            );
        }
        // what was typed is still there
        for (k, v) in &fields {
            if !v.is_empty() && *k != "lat" && *k != "lon" {
                assert!(
                    r.text.contains(&format!("value=\"{v}\""))
                        || r.text.contains(&format!(">{v}<")),
                    "{k}={v} kept"
                );
            }
        }
    }
    assert_eq!(request_count(&app), 0, "nothing stored");
}
