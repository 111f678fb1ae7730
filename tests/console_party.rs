//! The console's chosen party, in-process on both backends (issue 13):
//! `/coord?party=…` shows the party's doors with one-click proposals and
//! follows it live; the live map's data hold the cells' figures and the
//! parties; a party that is no request answers 404 with a message; a party
//! no longer waiting has no door; a refused proposal comes back to the party.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::cookie::Cookie;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::pages::page_session;
use common::*;
use serde_json::{Value, json};

on_both_backends!(the_console_opens_a_party_with_its_doors);

type Cookies = (Cookie<'static>, Cookie<'static>);

async fn open<S, B>(svc: &S, cookies: &Cookies, uri: &str, lang: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    send(
        svc,
        TestRequest::get()
            .uri(uri)
            .insert_header(("accept-language", lang))
            .cookie(cookies.0.clone())
            .cookie(cookies.1.clone()),
    )
    .await
}

/// The live map's data as the page carries them.
fn map_points(html: &str) -> Value {
    let raw = html
        .split("data-map-points=\"")
        .nth(1)
        .expect("the map's data")
        .split('"')
        .next()
        .unwrap();
    serde_json::from_str(&raw.replace("&quot;", "\"").replace("&amp;", "&")).unwrap()
}

/// The form's CSRF token on a page.
fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

async fn the_console_opens_a_party_with_its_doors(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let cookies = page_session(&svc, "coord@example.org", "coordinator pw").await;

    // the queue: the party is a button of a GET form; the map's data have it
    let home = open(&svc, &cookies, "/coord", "en").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.text
            .contains(&format!("name=\"party\" value=\"{rid}\""))
    );
    assert!(!home.text.contains("id=\"party\""), "no party open yet");
    let points = map_points(&home.text);
    let cells = points["cells"].as_array().unwrap();
    let people: i64 = cells.iter().map(|c| c["people"].as_i64().unwrap()).sum();
    let places: i64 = cells.iter().map(|c| c["places"].as_i64().unwrap()).sum();
    assert_eq!((people, places), (2, 4), "{points}");
    let waiting = cells
        .iter()
        .find(|c| c["people"] == json!(2))
        .expect("the party's cell");
    assert_eq!(waiting["parties"][0]["id"], json!(rid));
    assert!(
        waiting["peopleLabel"]
            .as_str()
            .unwrap()
            .starts_with("2 people waiting, Paris 11e"),
        "{waiting}"
    );
    assert!(
        !points.to_string().contains("48.859,") && !points.to_string().contains("2.38,"),
        "cell centres only, never the guest's point: {points}"
    );

    // the party chosen: its doors, one click each; the live updates follow it
    let chosen = open(&svc, &cookies, &format!("/coord?party={rid}"), "en").await;
    assert_eq!(chosen.status, StatusCode::OK);
    for part in [
        "id=\"party\"".to_owned(),
        format!("name=\"offer_id\" value=\"{offer_id}\""),
        format!("name=\"request_id\" value=\"{rid}\""),
        format!("value=\"{rid}\" class=\"party\" data-party=\"{rid}\" aria-current=\"true\""),
        format!("href=\"/coord?party={rid}\" data-live-page"),
        format!("data-selected=\"{rid}\""),
        format!("/coord/requests/{rid}"),
    ] {
        assert!(chosen.text.contains(&part), "{part}");
    }
    assert_no_secret(&chosen.text, GUEST_SECRETS);
    let fr = open(&svc, &cookies, &format!("/coord?party={rid}"), "fr").await;
    assert!(fr.text.contains("Proposer cette porte"));

    // bad input: a party that is no request, or no ID at all: 404, a message
    for bad in ["req_nobody", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", ""] {
        let r = open(&svc, &cookies, &format!("/coord?party={bad}"), "en").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(r.text.contains("This party is not in the queue"), "{bad}");
        assert!(!r.text.contains("<script>alert"), "nothing reflected");
        assert!(r.text.contains("href=\"/coord\" data-live-page"));
    }

    // one click proposes; the same door again is refused, back to the party
    let post = |fields: Vec<(&str, String)>| {
        TestRequest::post()
            .uri("/coord/propose")
            .insert_header(("host", "localhost:8080"))
            .insert_header(("origin", "http://localhost:8080"))
            .cookie(cookies.0.clone())
            .cookie(cookies.1.clone())
            .set_form(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect::<Vec<_>>(),
            )
    };
    let csrf = csrf_of(&chosen.text);
    let pair = || {
        vec![
            ("csrf", csrf.clone()),
            ("request_id", rid.clone()),
            ("offer_id", offer_id.clone()),
        ]
    };
    let first = send(&svc, post(pair())).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(first.headers.get("location").unwrap(), "/coord?notice=done");
    let mine = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(mine.json["matches"].as_array().unwrap().len(), 1);
    let again = send(&svc, post(pair())).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let back = again.headers.get("location").unwrap().to_str().unwrap();
    assert!(
        back.starts_with(&format!("/coord?party={rid}&notice=")),
        "{back}"
    );
    let mine = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(
        mine.json["matches"].as_array().unwrap().len(),
        1,
        "nothing more"
    );

    // a party no longer waiting: said so, no door
    let cancelled = post_with(&svc, &format!("/api/v1/requests/{rid}/cancel"), &rt).await;
    assert!(cancelled.status.is_success(), "{}", cancelled.text);
    let gone = open(&svc, &cookies, &format!("/coord?party={rid}"), "en").await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(gone.text.contains("This party is no longer waiting."));
    assert!(!gone.text.contains("name=\"offer_id\""));
}

async fn post_with<S, B>(svc: &S, path: &str, token: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    post(svc, path, Some(token), json!({})).await
}
