//! The OpenAPI document: served, 3.1, one operation per route of the route
//! tables, every reference resolved, and the answers of a whole loop (on
//! SQLite and on PostgreSQL) exactly as the document describes them: status
//! documented, every field present that it requires, no field it does not
//! name. `.ci/run` also checks it with openapi-spec-validator and fuzzes a
//! live server with schemathesis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn doc() -> Value {
    porte_ouverte::web::api::openapi::document()
}

/// (method, path) of every `.route("…", web::method()…)` in a route table.
fn routes_in(src: &str, prefix: &str) -> BTreeSet<(String, String)> {
    let flat: String = src.split_whitespace().collect();
    let mut out = BTreeSet::new();
    for part in flat.split(".route(\"").skip(1) {
        let (path, rest) = part.split_once('"').unwrap();
        let method = rest
            .trim_start_matches(',')
            .strip_prefix("web::")
            .and_then(|r| r.split_once("()"))
            .map(|(m, _)| m.to_owned())
            .unwrap();
        out.insert((method, format!("{prefix}{path}")));
    }
    out
}

#[test]
fn every_route_is_documented_and_nothing_else() {
    let root = env!("CARGO_MANIFEST_DIR");
    let api = std::fs::read_to_string(format!("{root}/src/web/api/mod.rs")).unwrap();
    let ops = std::fs::read_to_string(format!("{root}/src/web/ops.rs")).unwrap();
    let mut routes = routes_in(&api, "/api/v1");
    routes.extend(routes_in(&ops, ""));
    assert!(routes.len() > 60, "{routes:?}");
    let d = doc();
    let mut documented = BTreeSet::new();
    for (path, item) in d["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let missing: Vec<_> = routes.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&routes).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the document: {missing:?}"
    );
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_and_every_error_is_a_problem() {
    let d = doc();
    assert!(d["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut all = Vec::new();
    refs(&d, &mut all);
    assert!(all.len() > 100);
    for r in &all {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(d["components"]["schemas"][name].is_object(), "{r}");
    }
    let mut ops = 0;
    for (path, item) in d["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops += 1;
            assert!(op["operationId"].is_string(), "{method} {path}");
            for (status, res) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        res["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
    assert!(ops > 60);
}

/// Where `value` differs from `schema`; objects are closed: a field the
/// schema does not name is a difference (the document must say everything
/// the API sends).
fn diff(d: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return diff(d, &d["components"]["schemas"][name], value, at, out);
    }
    if let Some(all) = schema["allOf"].as_array() {
        // flattened parts: each part sees only its own fields
        let mut names = BTreeSet::new();
        for s in all {
            let s = resolve(d, s);
            names.extend(props(&s));
            diff(d, &s, &only(value, &props(&s)), at, out);
        }
        if let Some(m) = value.as_object() {
            for k in m.keys().filter(|k| !names.contains(*k)) {
                out.push(format!("{at}.{k}: not in the document"));
            }
        }
        return;
    }
    if let Some(any) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        if !any.iter().any(|s| {
            let mut o = Vec::new();
            diff(d, s, value, at, &mut o);
            o.is_empty()
        }) {
            out.push(format!("{at}: matches no alternative: {value}"));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let fits = |t: &str| match t {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    };
    if !types.is_empty() && !types.iter().any(|t| fits(t)) {
        out.push(format!("{at}: {value} is not {types:?}"));
        return;
    }
    if let (Some(items), Some(a)) = (schema.get("items"), value.as_array()) {
        for (i, v) in a.iter().enumerate() {
            diff(d, items, v, &format!("{at}[{i}]"), out);
        }
    }
    if let (Some(p), Some(m)) = (schema["properties"].as_object(), value.as_object()) {
        for req in schema["required"].as_array().into_iter().flatten() {
            let req = req.as_str().unwrap();
            if !m.contains_key(req) {
                out.push(format!("{at}.{req}: required, missing"));
            }
        }
        for (k, v) in m {
            match p.get(k) {
                Some(s) => diff(d, s, v, &format!("{at}.{k}"), out),
                None => out.push(format!("{at}.{k}: not in the document")),
            }
        }
    }
}

fn resolve(d: &Value, s: &Value) -> Value {
    match s["$ref"].as_str() {
        Some(r) => {
            d["components"]["schemas"][r.trim_start_matches("#/components/schemas/")].clone()
        }
        None => s.clone(),
    }
}

fn props(s: &Value) -> BTreeSet<String> {
    s["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn only(v: &Value, keys: &BTreeSet<String>) -> Value {
    match v.as_object() {
        Some(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| keys.contains(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        None => v.clone(),
    }
}

/// The answer `r` to `method template` is as documented.
fn conforms(d: &Value, method: &str, template: &str, r: &Resp) {
    let op = &d["paths"][template][method];
    assert!(op.is_object(), "{method} {template} is not documented");
    let res = &op["responses"][r.status.as_str()];
    assert!(
        res.is_object(),
        "{method} {template} answered {} which is not documented: {}",
        r.status,
        r.text
    );
    let ct = r
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
    match (ct, res["content"].as_object()) {
        (None, None) => {}
        (Some(ct), Some(content)) => {
            let schema = &content
                .get(&ct)
                .unwrap_or_else(|| panic!("{method} {template}: {ct} not documented"))["schema"];
            let mut out = Vec::new();
            diff(d, schema, &r.json, "$", &mut out);
            assert!(
                out.is_empty(),
                "{method} {template} {}: {out:#?}\n{}",
                r.status,
                r.text
            );
        }
        (ct, c) => panic!("{method} {template}: body {ct:?}, documented {c:?}"),
    }
}

on_both_backends!(the_answers_of_a_whole_loop_are_as_documented);

async fn the_answers_of_a_whole_loop_are_as_documented(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let d = doc();
    let served = get(&svc, "/api/v1/openapi.json", None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.json, d);

    let r = post(
        &svc,
        "/api/v1/accounts",
        None,
        json!({"email": "host@example.org", "password": "correct horse", "display_name": "Hélène Dupont", "phone": "+33612345678"}),
    )
    .await;
    conforms(&d, "post", "/api/v1/accounts", &r);
    let r = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "correct horse"}),
    )
    .await;
    conforms(&d, "post", "/api/v1/tokens", &r);
    let host = r.s("token");
    let coord = coordinator_token(&app, "coord@example.org");
    conforms(
        &d,
        "get",
        "/api/v1/accounts/me",
        &get(&svc, "/api/v1/accounts/me", Some(&host)).await,
    );

    let r = post(
        &svc,
        "/api/v1/offers",
        Some(&host),
        offer_body(&app, 48.8566, 2.3522, 4),
    )
    .await;
    conforms(&d, "post", "/api/v1/offers", &r);
    let oid = r.s("id");
    let r = post(&svc, "/api/v1/requests", None, request_body(48.86, 2.35, 2)).await;
    conforms(&d, "post", "/api/v1/requests", &r);
    let (rid, rt) = (r.s("id"), r.s("access_token"));

    let cands = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates"),
        Some(&rt),
    )
    .await;
    conforms(&d, "get", "/api/v1/requests/{id}/candidates", &cands);
    let near = get(
        &svc,
        &format!("/api/v1/offers/{oid}/nearby-requests"),
        Some(&host),
    )
    .await;
    conforms(&d, "get", "/api/v1/offers/{id}/nearby-requests", &near);
    let m = ask(&svc, &rid, &rt, &oid).await;
    conforms(&d, "post", "/api/v1/requests/{id}/matches", &m);
    let mid = m.s("id");
    let again = ask(&svc, &rid, &rt, &oid).await;
    assert!(again.status.is_client_error());
    conforms(&d, "post", "/api/v1/requests/{id}/matches", &again);
    let a = act(&svc, &mid, "accept", &host).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(
        a.json["offer"]["address"].is_string(),
        "revealed: {}",
        a.text
    );
    conforms(&d, "post", "/api/v1/matches/{id}/accept", &a);

    let reads = [
        (
            "/api/v1/accounts/me/seen-by",
            "/api/v1/accounts/me/seen-by",
            &host,
        ),
        (
            &format!("/api/v1/requests/{rid}/seen-by"),
            "/api/v1/requests/{id}/seen-by",
            &rt,
        ),
        ("/api/v1/offers", "/api/v1/offers", &host),
        (
            &format!("/api/v1/offers/{oid}"),
            "/api/v1/offers/{id}",
            &host,
        ),
        (
            &format!("/api/v1/offers/{oid}/matches"),
            "/api/v1/offers/{id}/matches",
            &host,
        ),
        (
            &format!("/api/v1/requests/{rid}"),
            "/api/v1/requests/{id}",
            &rt,
        ),
        (
            &format!("/api/v1/matches/{mid}"),
            "/api/v1/matches/{id}",
            &rt,
        ),
        (
            &format!("/api/v1/matches/{mid}"),
            "/api/v1/matches/{id}",
            &coord,
        ),
        (
            "/api/v1/coordination/overview",
            "/api/v1/coordination/overview",
            &coord,
        ),
        (
            "/api/v1/coordination/requests",
            "/api/v1/coordination/requests",
            &coord,
        ),
        (
            "/api/v1/coordination/areas",
            "/api/v1/coordination/areas",
            &coord,
        ),
        (
            "/api/v1/coordination/alerts",
            "/api/v1/coordination/alerts",
            &coord,
        ),
        (
            "/api/v1/coordination/outbox?status=pending",
            "/api/v1/coordination/outbox",
            &coord,
        ),
        (
            "/api/v1/coordination/suggestions",
            "/api/v1/coordination/suggestions",
            &coord,
        ),
        (
            "/api/v1/coordination/reviews",
            "/api/v1/coordination/reviews",
            &coord,
        ),
        (
            "/api/v1/coordination/risks",
            "/api/v1/coordination/risks",
            &coord,
        ),
        (
            "/api/v1/coordination/paused-offers",
            "/api/v1/coordination/paused-offers",
            &coord,
        ),
        (
            "/api/v1/coordination/incidents",
            "/api/v1/coordination/incidents",
            &coord,
        ),
        ("/api/v1/push/key", "/api/v1/push/key", &host),
        ("/api/v1/safe?name=Nobody%20Known", "/api/v1/safe", &host),
        (
            "/api/v1/coordination/overview",
            "/api/v1/coordination/overview",
            &host,
        ),
        (
            "/api/v1/offers",
            "/api/v1/offers",
            &"not-a-token".to_owned(),
        ),
    ];
    for (url, template, token) in reads {
        let r = get(&svc, url, Some(token)).await;
        conforms(&d, "get", template, &r);
    }
    let out = get(
        &svc,
        "/api/v1/coordination/outbox?status=pending",
        Some(&coord),
    )
    .await;
    assert!(
        !out.json["mails"].as_array().unwrap().is_empty(),
        "{}",
        out.text
    );

    let unsafe_flag = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&rt),
        json!({}),
    )
    .await;
    conforms(&d, "post", "/api/v1/matches/{id}/unsafe", &unsafe_flag);
    let alerts = get(&svc, "/api/v1/coordination/alerts", Some(&coord)).await;
    assert_eq!(
        alerts.json["alerts"].as_array().unwrap().len(),
        1,
        "{}",
        alerts.text
    );
    conforms(&d, "get", "/api/v1/coordination/alerts", &alerts);
    let arrived = act(&svc, &mid, "arrived", &rt).await;
    conforms(&d, "post", "/api/v1/matches/{id}/arrived", &arrived);

    let inc = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Crue de la Seine", "center": [48.85, 2.35], "radius_km": 20, "planned_end_at": app.in_hours(72)}),
    )
    .await;
    conforms(&d, "post", "/api/v1/coordination/incidents", &inc);
    let bad = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"nom": 1}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    conforms(&d, "post", "/api/v1/coordination/incidents", &bad);
    let rep = post(
        &svc,
        "/api/v1/reports",
        None,
        json!({"target_kind": "offer", "target_id": oid, "reason": "fake"}),
    )
    .await;
    conforms(&d, "post", "/api/v1/reports", &rep);
    let host_id = get(&svc, "/api/v1/accounts/me", Some(&host)).await.s("id");
    let st = get(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}"),
        Some(&coord),
    )
    .await;
    conforms(&d, "get", "/api/v1/coordination/accounts/{id}", &st);
    let reports = get(&svc, "/api/v1/coordination/reports", Some(&coord)).await;
    conforms(&d, "get", "/api/v1/coordination/reports", &reports);
    let export = send(
        &svc,
        TestRequest::get()
            .uri("/api/v1/coordination/exports/offers.csv")
            .insert_header(("Authorization", format!("Bearer {coord}"))),
    )
    .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(d["paths"]["/api/v1/coordination/exports/{kind}"]["get"]["responses"]["200"]["content"]["text/csv"].is_object());
    let out = post(
        &svc,
        &format!("/api/v1/requests/{rid}/cancel"),
        Some(&rt),
        json!({}),
    )
    .await;
    conforms(&d, "post", "/api/v1/requests/{id}/cancel", &out);
    let bye = send(
        &svc,
        TestRequest::delete()
            .uri("/api/v1/tokens/current")
            .insert_header(("Authorization", format!("Bearer {host}"))),
    )
    .await;
    conforms(&d, "delete", "/api/v1/tokens/current", &bye);
}
