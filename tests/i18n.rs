//! The catalogues as people read them (issue 10): plural forms in both
//! languages on pages and in mails, and names holding Fluent's own syntax
//! shown as typed, never filled in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::pages::{page, page_session};
use common::*;
use diesel::prelude::*;
use serde_json::json;

on_both_backends!(plurals_and_literal_names_on_pages_and_in_mails);

/// A name that the old `replace` filled with the time, and Fluent syntax.
const NAME: &str = "{time} { $n }";

/// (subject, text) of the mails queued for `to`, oldest first.
fn mails_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    o::outbox
        .filter(o::recipient.eq(to))
        .filter(o::channel.eq("mail"))
        .order(o::created_at.asc())
        .select((o::subject, o::body_text))
        .load(&mut *c)
        .unwrap()
}

async fn plurals_and_literal_names_on_pages_and_in_mails(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let one = offer(&svc, &app, &host, 48.8585, 2.3795, 1).await;

    // a party of one, named with braces
    let mut body = request_body(48.8590, 2.3800, 1);
    body["name"] = json!(NAME);
    let r = post(&svc, "/api/v1/requests", None, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (rid, rt) = (r.s("id"), r.s("access_token"));

    // the guest's page: one place free, in both languages
    let en = page(&svc, &format!("/r/{rid}/{rt}"), "en", None).await;
    assert!(en.text.contains(">1 place free<"), "{}", en.text);
    let fr = page(&svc, &format!("/r/{rid}/{rt}"), "fr", None).await;
    assert!(fr.text.contains(">1 place libre<"), "{}", fr.text);

    // the host's mail (French, the default) and dashboard (English)
    let asked = ask(&svc, &rid, &rt, &one).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
    let mails = mails_to(&app, "host@example.org");
    let (subject, text) = mails.last().expect("the proposal's mail");
    assert_eq!(subject, "Demande d'hébergement, 1 pers.");
    assert!(
        text.contains(&format!("{NAME} demande 1 place (en attente près de")),
        "{text}"
    );
    let session = page_session(&svc, "host@example.org", "correct horse").await;
    let dashboard = page(&svc, "/host", "en", Some(&session)).await;
    assert!(
        dashboard.text.contains(&format!("{NAME}, party of 1")),
        "{}",
        dashboard.text
    );
    assert!(
        dashboard.text.contains("0 of 1 place free"),
        "{}",
        dashboard.text
    );
    let dashboard = page(&svc, "/host", "fr", Some(&session)).await;
    assert!(
        dashboard.text.contains(&format!("{NAME}, 1 personne")),
        "{}",
        dashboard.text
    );
    assert!(
        dashboard.text.contains("0 place libre sur 1"),
        "{}",
        dashboard.text
    );

    // two people: the other form, in both languages
    let (_, host2) = sign_up_host(&svc, "second@example.org").await;
    let two = offer(&svc, &app, &host2, 48.8585, 2.3795, 3).await;
    let (rid2, rt2) = guest(&svc, 48.8590, 2.3800, 2).await;
    let asked = ask(&svc, &rid2, &rt2, &two).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
    let (_, text) = mails_to(&app, "second@example.org").pop().unwrap();
    assert!(
        text.contains("Samira demande 2 places (en attente"),
        "{text}"
    );
    let session = page_session(&svc, "second@example.org", "correct horse").await;
    let en = page(&svc, "/host", "en", Some(&session)).await;
    assert!(en.text.contains("1 of 3 places free"), "{}", en.text);
    let fr = page(&svc, "/host", "fr", Some(&session)).await;
    assert!(fr.text.contains("1 place libre sur 3"), "{}", fr.text);
    assert!(fr.text.contains("Samira, 2 personnes"), "{}", fr.text);
    // no Unicode isolation marks anywhere
    assert!(!fr.text.contains(['\u{2068}', '\u{2069}']));
    assert!(!text.contains(['\u{2068}', '\u{2069}']));
}
