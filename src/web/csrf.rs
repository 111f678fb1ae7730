//! Cross-site request forgery protection for HTML forms: a random token in
//! a SameSite=Strict cookie that each form must echo (double submit), plus
//! a check that the Origin (or Referer) is this site.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

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

fn same_site_origin(req: &HttpRequest, origin: &str) -> bool {
    let host = req.connection_info().host().to_owned();
    let rest = origin.split_once("://").map(|x| x.1).unwrap_or("");
    let origin_host = rest.split('/').next().unwrap_or("");
    !origin_host.is_empty() && origin_host.eq_ignore_ascii_case(&host)
}

/// True when the form's token matches the cookie and the request comes
/// from this site's own pages.
pub fn verify(req: &HttpRequest, secure: bool, form_token: Option<&str>) -> bool {
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
        (Some(o), _) if o != "null" => same_site_origin(req, &o),
        (Some(_), _) => false,
        (None, Some(r)) => same_site_origin(req, &r),
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
            Some(&t)
        ));
        assert!(verify(&req(None), false, Some(&t)));
        assert!(
            !verify(&req(Some("https://evil.example")), false, Some(&t)),
            "foreign origin"
        );
        assert!(
            !verify(&req(Some("null")), false, Some(&t)),
            "opaque origin"
        );
        assert!(
            !verify(&req(Some("https://shelter.example")), false, Some("x")),
            "wrong token"
        );
        assert!(
            !verify(&req(Some("https://shelter.example")), false, None),
            "no token"
        );
        assert!(
            !verify(&TestRequest::default().to_http_request(), false, Some(&t)),
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
            assert!(verify(&again, false, Some(t)), "{t}");
        }
        let mut wrong = URL_SAFE_NO_PAD.decode(&first).unwrap();
        wrong[40] ^= 1;
        assert!(!verify(&again, false, Some(&URL_SAFE_NO_PAD.encode(wrong))));
    }
}
