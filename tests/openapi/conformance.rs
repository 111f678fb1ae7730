//! Whether an answer is as documented: status, content type, and a body matching its schema.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;

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
pub(crate) fn conforms(d: &Value, method: &str, template: &str, r: &Resp) {
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
