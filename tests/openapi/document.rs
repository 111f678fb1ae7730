//! The document itself: one operation per routed path, every reference resolved, problem errors.

use crate::support::doc;
use serde_json::Value;
use std::collections::BTreeSet;

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
