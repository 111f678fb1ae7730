//! A Web Push subscription as a browser hands it over
//! (`PushSubscription.toJSON()`: `{endpoint, expirationTime, keys: {p256dh,
//! auth}}`), checked before anything is stored or sent.
//!
//! The endpoint is where our server will POST, so it is held to what a push
//! service looks like: HTTPS, a DNS name with a dot, no user info, no IP
//! literal and no local name (which would let anyone make the server call
//! inside its own network). Tests may allow `http://127.0.0.1:PORT`.

use super::input::{Fields, ValidationErrors};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A subscription that passed every check; keys re-encoded as unpadded base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

pub const MAX_ENDPOINT: usize = 1024;

pub fn parse(
    body: serde_json::Value,
    allow_loopback: bool,
) -> Result<NewSubscription, ValidationErrors> {
    let mut f = Fields::new(body, &["endpoint", "expirationTime", "keys", "lang"])?;
    let _ = f.take_value("expirationTime");
    let _ = f.take_value("lang"); // read by the caller
    let endpoint = f.str_req("endpoint");
    let endpoint = endpoint.and_then(|e| f.check("endpoint", check_endpoint(&e, allow_loopback)));
    let keys = if f.has("keys") {
        f.object_opt("keys", &["p256dh", "auth"])
    } else {
        f.error("keys", "is required");
        None
    };
    let mut p256dh = None;
    let mut auth = None;
    if let Some(mut k) = keys {
        p256dh = k
            .str_req("p256dh")
            .and_then(|v| k.check("p256dh", public_key(&v)));
        auth = k.str_req("auth").and_then(|v| k.check("auth", secret(&v)));
        f.absorb(k);
    }
    f.finish()?;
    match (endpoint, p256dh, auth) {
        (Some(endpoint), Some(p256dh), Some(auth)) => Ok(NewSubscription {
            endpoint,
            p256dh,
            auth,
        }),
        _ => Err(ValidationErrors::single("keys", "is invalid")),
    }
}

use super::values::Invalid;

fn bad(msg: &str) -> Invalid {
    Invalid(msg.into())
}

fn decode(v: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(v.trim_end_matches('=')).ok()
}

/// The browser's P-256 public key: 65 bytes, uncompressed, on the curve.
fn public_key(v: &str) -> Result<String, Invalid> {
    let bytes = decode(v).ok_or_else(|| bad("must be base64url"))?;
    if bytes.len() != 65 || bytes[0] != 4 {
        return Err(bad("must be an uncompressed P-256 public key (65 bytes)"));
    }
    p256::PublicKey::from_sec1_bytes(&bytes).map_err(|_| bad("is not a P-256 public key"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The browser's authentication secret: 16 bytes.
fn secret(v: &str) -> Result<String, Invalid> {
    let bytes = decode(v).ok_or_else(|| bad("must be base64url"))?;
    if bytes.len() != 16 {
        return Err(bad("must be 16 bytes"));
    }
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn check_endpoint(e: &str, allow_loopback: bool) -> Result<String, Invalid> {
    if e.len() > MAX_ENDPOINT || e.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err(bad("must be a URL of at most 1024 characters"));
    }
    let uri: http::Uri = e.parse().map_err(|_| bad("must be a URL"))?;
    let host = uri.host().unwrap_or_default().to_ascii_lowercase();
    let has_userinfo = uri.authority().is_some_and(|a| a.as_str().contains('@'));
    if has_userinfo || host.is_empty() {
        return Err(bad("must be a push service's URL"));
    }
    match uri.scheme_str() {
        Some("http") if allow_loopback && host == "127.0.0.1" => return Ok(e.to_owned()),
        Some("https") => {}
        _ => return Err(bad("must start with https://")),
    }
    let ip_literal = host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok();
    let local = !host.contains('.')
        || [".local", ".localhost", ".internal", ".lan", ".home.arpa"]
            .iter()
            .any(|s| host.ends_with(s));
    if ip_literal || local {
        return Err(bad("must be a push service's URL"));
    }
    Ok(e.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str =
        "BLn9b-VR0ca83knDNZ32dCHGyjJp-1riX9ZTN40MqV8K_LpQmLqxC_DoHvqvFXO_nGdAB4W9dogZb_sM-uV4JbY";
    const AUTH: &str = "_ordMnz7uTCmrpBTeUV4Bw";

    fn body(endpoint: &str, p256dh: &str, auth: &str) -> serde_json::Value {
        json!({"endpoint": endpoint, "expirationTime": null, "keys": {"p256dh": p256dh, "auth": auth}})
    }

    fn fields(r: Result<NewSubscription, ValidationErrors>) -> Vec<String> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_browsers_subscription_is_accepted() {
        let s = parse(
            body("https://fcm.googleapis.com/fcm/send/abc:def", KEY, AUTH),
            false,
        )
        .unwrap();
        assert_eq!(s.p256dh, KEY);
        assert_eq!(s.auth, AUTH);
        // padded base64url is read too, and stored unpadded
        let s = parse(
            body(
                "https://web.push.apple.com/x",
                KEY,
                "_ordMnz7uTCmrpBTeUV4Bw==",
            ),
            false,
        )
        .unwrap();
        assert_eq!(s.auth, AUTH);
    }

    #[test]
    fn endpoints_must_look_like_a_push_service() {
        for e in [
            "http://fcm.googleapis.com/x",
            "https://127.0.0.1/x",
            "https://[::1]/x",
            "https://localhost/x",
            "https://router.lan/x",
            "https://user@push.example.org/x",
            "ftp://push.example.org/x",
            "https://push.example.org/a b",
            "not a url",
        ] {
            assert_eq!(
                fields(parse(body(e, KEY, AUTH), false)),
                ["endpoint"],
                "{e}"
            );
        }
        assert_eq!(
            fields(parse(body("http://127.0.0.1:9/x", KEY, AUTH), false)),
            ["endpoint"]
        );
        assert!(parse(body("http://127.0.0.1:9/x", KEY, AUTH), true).is_ok());
        let long = format!("https://push.example.org/{}", "a".repeat(1100));
        assert_eq!(fields(parse(body(&long, KEY, AUTH), false)), ["endpoint"]);
    }

    #[test]
    fn keys_are_checked() {
        let e = "https://push.example.org/x";
        assert_eq!(fields(parse(body(e, "BAAA", AUTH), false)), ["keys.p256dh"]);
        // 65 bytes starting with 4, but not on the curve
        let off_curve = URL_SAFE_NO_PAD.encode([[4u8].as_slice(), &[1u8; 64]].concat());
        assert_eq!(
            fields(parse(body(e, &off_curve, AUTH), false)),
            ["keys.p256dh"]
        );
        assert_eq!(fields(parse(body(e, KEY, "c2hvcnQ"), false)), ["keys.auth"]);
        assert_eq!(fields(parse(body(e, KEY, "!!"), false)), ["keys.auth"]);
        assert_eq!(fields(parse(json!({"endpoint": e}), false)), ["keys"]);
        assert_eq!(
            fields(parse(
                json!({"endpoint": e, "keys": {"p256dh": KEY, "auth": AUTH}, "x": 1}),
                false
            )),
            ["x"]
        );
        assert_eq!(fields(parse(json!([]), false)), [""]);
    }
}
