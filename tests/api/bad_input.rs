//! Bad input is refused and changes nothing.

use crate::common::*;
use crate::on_both_backends;
use crate::{PARIS, counts};
use actix_web::http::StatusCode;
use serde_json::{Value, json};

on_both_backends!(bad_input_changes_nothing);

async fn bad_input_changes_nothing(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 2).await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 1).await;
    let before = counts(&app);
    let good_offer = offer_body(&app, 48.85, 2.35, 2);
    let good_req = request_body(48.85, 2.35, 1);
    let with = |base: &Value, k: &str, v: Value| {
        let mut b = base.clone();
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v;
        }
        b
    };
    let huge = "x".repeat(20_000);
    // (path, token, body, expected status, field that must be named)
    let offers = "/api/v1/offers".to_string();
    let reqs = "/api/v1/requests".to_string();
    let cases: Vec<(String, Option<&str>, Value, u16, &str)> = vec![
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lat", json!("48.8")),
            422,
            "lat",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lat", json!(91.0)),
            422,
            "lat",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lon", json!(-180.5)),
            422,
            "lon",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "lon", Value::Null),
            422,
            "lon",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!(0)),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!(501)),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!(2.5)),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capacity", json!("2")),
            422,
            "capacity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_until", json!(app.in_hours(-1))),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_until", json!(app.in_hours(24 * 31))),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_until", json!("tomorrow")),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "available_from", json!(app.in_hours(30))),
            422,
            "available_until",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "address", json!("")),
            422,
            "address",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "address", json!("a".repeat(301))),
            422,
            "address",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "contact_email", json!("not-an-email")),
            422,
            "contact_email",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "contact_phone", json!("call me")),
            422,
            "contact_phone",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "languages", json!(["fr", "klingon"])),
            422,
            "languages",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "languages", json!("fr")),
            422,
            "languages",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "pets_ok", json!("yes")),
            422,
            "pets_ok",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "capcity", json!(3)),
            422,
            "capcity",
        ),
        (
            offers.clone(),
            Some(&host),
            with(&good_offer, "notes", json!("n".repeat(1001))),
            422,
            "notes",
        ),
        (offers.clone(), Some(&host), json!([1, 2]), 422, ""),
        (
            reqs.clone(),
            None,
            with(&good_req, "lat", json!(1e300)),
            422,
            "lat",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "lat", json!(null)),
            422,
            "lat",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "party_size", json!(0)),
            422,
            "party_size",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "party_size", json!(21)),
            422,
            "party_size",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "party_size", json!(-1)),
            422,
            "party_size",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "name", json!("")),
            422,
            "name",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "name", json!("n".repeat(81))),
            422,
            "name",
        ),
        (
            reqs.clone(),
            None,
            with(
                &with(&good_req, "contact_phone", Value::Null),
                "contact_email",
                Value::Null,
            ),
            422,
            "contact_phone",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "needs", json!({"pets": "yes"})),
            422,
            "needs.pets",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "needs", json!({"dragons": true})),
            422,
            "needs.dragons",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "needs", json!(true)),
            422,
            "needs",
        ),
        (
            reqs.clone(),
            None,
            with(&good_req, "notes", json!(huge)),
            413,
            "",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({}),
            422,
            "offer_id",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({"offer_id": 7}),
            422,
            "offer_id",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({"offer_id": "off_nope"}),
            404,
            "",
        ),
        (
            format!("/api/v1/requests/{rid}/matches"),
            Some(&rt),
            json!({"offer_id": "../../etc"}),
            404,
            "",
        ),
        (
            format!("/api/v1/offers/{offer_id}/matches"),
            Some(&host),
            json!({"request_id": "req_nope"}),
            404,
            "",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "short", "display_name": "A"}),
            422,
            "password",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "p".repeat(129), "display_name": "A"}),
            422,
            "password",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "nope", "password": "long enough", "display_name": "A"}),
            422,
            "email",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "long enough", "display_name": ""}),
            422,
            "display_name",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "a@b.fr", "password": "long enough", "display_name": "A", "role": "coordinator"}),
            422,
            "role",
        ),
        (
            "/api/v1/accounts".into(),
            None,
            json!({"email": "host@example.org", "password": "long enough", "display_name": "A"}),
            409,
            "",
        ),
        (
            "/api/v1/tokens".into(),
            None,
            json!({"email": "host@example.org"}),
            422,
            "password",
        ),
    ];
    for (path, token, body, status, field) in &cases {
        let r = post(&svc, path, *token, body.clone()).await;
        assert_eq!(r.status.as_u16(), *status, "{path} {body}: {}", r.text);
        assert!(r.is_problem(), "{path} {body}: not a problem: {}", r.text);
        if !field.is_empty() {
            assert!(
                r.error_fields().iter().any(|f| f == field),
                "{path} {body}: {field} not named: {}",
                r.text
            );
        }
    }
    // PATCH with bad values
    let p = format!("/api/v1/offers/{offer_id}");
    for (body, field) in [
        (json!({"status": "gone"}), "status"),
        (json!({"capacity": -1}), "capacity"),
        (json!({"lat": 48.9}), "lon"),
        (json!({"lat": 95.0, "lon": 2.0}), "lat"),
        (
            json!({"available_until": app.in_hours(-2)}),
            "available_until",
        ),
        (json!({"owner": "me"}), "owner"),
    ] {
        let r = patch(&svc, &p, Some(&host), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert!(
            r.error_fields().iter().any(|f| f == field),
            "{body}: {}",
            r.text
        );
    }
    // malformed JSON, NaN, wrong content type, oversized
    for (ct, raw, status) in [
        ("application/json", "{\"lat\": NaN, \"lon\": 2}", 400),
        ("application/json", "{\"lat\": Infinity}", 400),
        ("application/json", "{\"lat\": 48.8,", 400),
        ("application/json", "", 400),
        ("application/json", "{\"lat\": 1e999}", 400),
        ("text/plain", "{}", 415),
    ] {
        let r = post_raw(&svc, "/api/v1/requests", None, ct, raw).await;
        assert_eq!(r.status.as_u16(), status, "{raw}: {}", r.text);
        assert!(r.is_problem(), "{raw}");
    }
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(17 * 1024));
    let r = post_raw(&svc, "/api/v1/requests", None, "application/json", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // bad query parameters
    for q in [
        "limit=0",
        "limit=51",
        "limit=ten",
        "radius_km=0",
        "radius_km=51",
        "radius_km=NaN",
        "radius_km=inf",
    ] {
        let r = get(
            &svc,
            &format!("/api/v1/requests/{rid}/candidates?{q}"),
            Some(&rt),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.text
        );
    }
    assert_eq!(counts(&app), before, "refused requests must write nothing");
    let o = get(&svc, &p, Some(&host)).await;
    assert_eq!(o.json["capacity"], 2);
    assert_eq!(o.json["status"], "open");
}
