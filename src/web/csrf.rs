//! Cross-site request forgery protection for HTML forms: a random token in
//! a SameSite=Strict cookie that each form must echo (double submit), plus
//! a check that the Origin (or Referer) is this site.

use crate::config::Config;
use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::Digest;
use std::net::IpAddr;

/// `__Host-` cookies must be Secure; over plain HTTP (a laptop, a test)
/// the same cookie goes without the prefix.
pub fn cookie_name(base: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

fn name(secure: bool) -> String {
    cookie_name("po_csrf", secure)
}

/// The visitor's token for a form, masked afresh for each response (so
/// that compression cannot leak it: BREACH), and the cookie to set if they
/// had none.
pub fn token(req: &HttpRequest, secure: bool) -> (String, Option<Cookie<'static>>) {
    if let Some(c) = req.cookie(&name(secure)) {
        if let Some(raw) = decode32(c.value()) {
            return (mask(&raw), None);
        }
    }
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let cookie = Cookie::build(name(secure), URL_SAFE_NO_PAD.encode(raw))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    (mask(&raw), Some(cookie))
}

/// A digest of the visitor's token (from their cookie, or the cookie about
/// to be set), for the validator of a page whose form carries it: it changes
/// with the cookie and tells nothing about the token.
pub fn fingerprint(req: &HttpRequest, secure: bool, new: Option<&Cookie<'_>>) -> Option<String> {
    let value = match new {
        Some(c) => c.value().to_owned(),
        None => req.cookie(&name(secure))?.value().to_owned(),
    };
    let raw = decode32(&value)?;
    let mut h = sha2::Sha256::new();
    h.update(b"porte-ouverte csrf fingerprint\0");
    h.update(raw);
    Some(
        h.finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

fn decode32(s: &str) -> Option<[u8; 32]> {
    URL_SAFE_NO_PAD.decode(s).ok()?.try_into().ok()
}

/// A random pad and the token XOR the pad: a different text each time.
fn mask(raw: &[u8; 32]) -> String {
    let mut pad = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut pad);
    let mut out = pad.to_vec();
    out.extend(raw.iter().zip(pad).map(|(r, p)| r ^ p));
    URL_SAFE_NO_PAD.encode(out)
}

/// The token a form carried: masked (64 bytes) or, as before, raw.
fn unmask(given: &str) -> Option<[u8; 32]> {
    let bytes = URL_SAFE_NO_PAD.decode(given).ok()?;
    match bytes.len() {
        32 => bytes.try_into().ok(),
        64 => {
            let mut raw = [0u8; 32];
            for (i, r) in raw.iter_mut().enumerate() {
                *r = bytes[i] ^ bytes[32 + i];
            }
            Some(raw)
        }
        _ => None,
    }
}

/// What this site's own pages send as `Origin`. With `PUBLIC_URL` set, its
/// origin and nothing else: no request header can change it. Without it
/// (local use), the host the request was sent to — `Host`, or
/// `X-Forwarded-Host` only when the peer is one of `TRUSTED_PROXIES`.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    public: Option<String>,
    trusted_proxies: Vec<IpAddr>,
}

impl Origins {
    pub fn from_config(c: &Config) -> Self {
        Self {
            public: crate::deploy::public_origin(c),
            trusted_proxies: c.trusted_proxies.clone(),
        }
    }

    fn sent_by_trusted_proxy(&self, req: &HttpRequest) -> bool {
        req.peer_addr()
            .is_some_and(|p| self.trusted_proxies.contains(&p.ip()))
    }

    /// The host (with its port) the client asked for, believing forwarded
    /// headers only from a trusted proxy.
    pub fn requested_host(&self, req: &HttpRequest) -> Option<String> {
        let header = |n: &str| {
            req.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(',').next().unwrap_or("").trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let forwarded = self
            .sent_by_trusted_proxy(req)
            .then(|| header("x-forwarded-host"))
            .flatten();
        forwarded
            .or_else(|| header("host"))
            .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()))
    }

    /// `scheme://host` the client asked for (when `PUBLIC_URL` is unset),
    /// with the same rule for forwarded headers.
    pub fn requested_origin(&self, req: &HttpRequest) -> String {
        let proto = self
            .sent_by_trusted_proxy(req)
            .then(|| req.headers().get("x-forwarded-proto"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .filter(|p| *p == "https" || *p == "http");
        let scheme = proto.unwrap_or(if req.app_config().secure() {
            "https"
        } else {
            "http"
        });
        let host = self.requested_host(req).unwrap_or_default();
        format!("{scheme}://{host}")
    }

    /// Whether an `Origin` (or `Referer`) value is this site.
    fn allows(&self, req: &HttpRequest, origin: &str) -> bool {
        let Some((scheme, rest)) = origin.split_once("://") else {
            return false;
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() {
            return false;
        }
        match &self.public {
            Some(public) => {
                let given = format!("{}://{}", scheme.to_ascii_lowercase(), host);
                let given = given
                    .strip_suffix(if scheme.eq_ignore_ascii_case("https") {
                        ":443"
                    } else {
                        ":80"
                    })
                    .unwrap_or(&given);
                given.eq_ignore_ascii_case(public)
            }
            None => self
                .requested_host(req)
                .is_some_and(|h| h.eq_ignore_ascii_case(host)),
        }
    }
}

/// True when the form's token matches the cookie and the request comes
/// from this site's own pages.
pub fn verify(
    req: &HttpRequest,
    secure: bool,
    origins: &Origins,
    form_token: Option<&str>,
) -> bool {
    let Some(cookie) = req.cookie(&name(secure)) else {
        return false;
    };
    let (Some(a), Some(b)) = (decode32(cookie.value()), form_token.and_then(unmask)) else {
        return false;
    };
    let equal = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if !equal {
        return false;
    }
    let header = |n: &str| {
        req.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    match (header("origin"), header("referer")) {
        (Some(o), _) if o != "null" => origins.allows(req, &o),
        (Some(_), _) => false,
        (None, Some(r)) => origins.allows(req, &r),
        // neither header (some privacy tools strip both): the token suffices
        (None, None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn token_and_origin() {
        let (t, c) = token(&TestRequest::default().to_http_request(), false);
        let c = c.unwrap();
        assert_eq!(c.same_site(), Some(SameSite::Strict));
        let req = |origin: Option<&str>| {
            let mut r = TestRequest::default()
                .insert_header(("host", "shelter.example"))
                .cookie(c.clone());
            if let Some(o) = origin {
                r = r.insert_header(("origin", o));
            }
            r.to_http_request()
        };
        assert!(verify(
            &req(Some("https://shelter.example")),
            false,
            &Origins::default(),
            Some(&t)
        ));
        assert!(verify(&req(None), false, &Origins::default(), Some(&t)));
        assert!(
            !verify(
                &req(Some("https://evil.example")),
                false,
                &Origins::default(),
                Some(&t)
            ),
            "foreign origin"
        );
        assert!(
            !verify(&req(Some("null")), false, &Origins::default(), Some(&t)),
            "opaque origin"
        );
        assert!(
            !verify(
                &req(Some("https://shelter.example")),
                false,
                &Origins::default(),
                Some("x")
            ),
            "wrong token"
        );
        assert!(
            !verify(
                &req(Some("https://shelter.example")),
                false,
                &Origins::default(),
                None
            ),
            "no token"
        );
        assert!(
            !verify(
                &TestRequest::default().to_http_request(),
                false,
                &Origins::default(),
                Some(&t)
            ),
            "no cookie"
        );
        assert_eq!(cookie_name("po_session", true), "__Host-po_session");
    }

    #[test]
    fn form_tokens_differ_per_response_and_all_verify() {
        let (first, cookie) = token(&TestRequest::default().to_http_request(), false);
        let cookie = cookie.unwrap();
        let again = TestRequest::default()
            .cookie(cookie.clone())
            .to_http_request();
        let (second, none) = token(&again, false);
        assert!(none.is_none(), "the cookie is kept");
        assert_ne!(
            first, second,
            "masked afresh: nothing for compression to find"
        );
        for t in [&first, &second, &cookie.value().to_owned()] {
            assert!(verify(&again, false, &Origins::default(), Some(t)), "{t}");
        }
        let mut wrong = URL_SAFE_NO_PAD.decode(&first).unwrap();
        wrong[40] ^= 1;
        assert!(!verify(
            &again,
            false,
            &Origins::default(),
            Some(&URL_SAFE_NO_PAD.encode(wrong))
        ));
    }

    #[test]
    fn forwarded_host_only_from_trusted_proxies_and_public_url_wins() {
        let (t, c) = token(&TestRequest::default().to_http_request(), false);
        let c = c.unwrap();
        let post = |peer: &str, host: &str, forwarded: Option<&str>, origin: &str| {
            let mut r = TestRequest::default()
                .peer_addr(format!("{peer}:40000").parse().unwrap())
                .insert_header(("host", host))
                .insert_header(("origin", origin))
                .cookie(c.clone());
            if let Some(f) = forwarded {
                r = r.insert_header(("x-forwarded-host", f));
            }
            r.to_http_request()
        };
        let mut config = Config::defaults_for("sqlite://x");
        let direct = Origins::from_config(&config);
        let evil = post(
            "198.51.100.4",
            "shelter.example",
            Some("evil"),
            "http://evil",
        );
        assert!(!verify(&evil, false, &direct, Some(&t)), "no trusted proxy");
        let own = post(
            "198.51.100.4",
            "shelter.example",
            Some("evil"),
            "http://shelter.example",
        );
        assert!(verify(&own, false, &direct, Some(&t)));

        config.trusted_proxies = vec!["10.0.0.9".parse().unwrap()];
        let proxied = Origins::from_config(&config);
        let via = post(
            "10.0.0.9",
            "app:8080",
            Some("shelter.example"),
            "https://shelter.example",
        );
        assert!(
            verify(&via, false, &proxied, Some(&t)),
            "the proxy is believed"
        );
        let spoof = post(
            "198.51.100.4",
            "shelter.example",
            Some("evil"),
            "http://evil",
        );
        assert!(!verify(&spoof, false, &proxied, Some(&t)), "only the proxy");

        config.public_url = Some("https://Abri.Example.org/".into());
        let public = Origins::from_config(&config);
        for (origin, ok) in [
            ("https://abri.example.org", true),
            ("https://abri.example.org:443", true),
            ("http://abri.example.org", false),
            ("https://abri.example.org:8443", false),
            ("https://evil", false),
        ] {
            let r = post("10.0.0.9", "evil", Some("evil"), origin);
            assert_eq!(verify(&r, false, &public, Some(&t)), ok, "{origin}");
        }
    }
}
