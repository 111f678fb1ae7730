//! Responses served from memory, with validators: the landing page and the
//! empty request form, rendered once per language at start; the busy page
//! admission control answers with; and the helpers that answer
//! `If-None-Match` with 304 for these and for static assets.
//!
//! The form carries a CSRF token that must match the visitor's cookie
//! (`web::csrf`, double submit), masked afresh in every response so that
//! compression cannot leak it (BREACH). So the form is kept as the text
//! before and after the token, and each response is those two with a fresh
//! masked token between them: no rendering, and the CSRF design unchanged.
//! Its bytes differ in every response, so its validator is weak and names
//! the page's version, the language and a digest of the visitor's CSRF
//! cookie: a browser's cached copy is "not modified" exactly while the token
//! inside it still verifies.

use crate::config::Config;
use crate::domain::locale::Lang;
use crate::views::layout::{Ctx, Errors};
use crate::views::{busy, guest, landing};
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// The landing page may be kept a minute, by browsers and shared caches.
const LANDING_CACHE: &str = "public, max-age=60";
/// The form holds a token bound to the visitor's cookie: their browser
/// only, asking each time (a 304 costs nothing).
const FORM_CACHE: &str = "private, no-cache";
/// The token's place in the pre-rendered form (never in the catalogues).
const TOKEN_SLOT: &str = "PO-CSRF-TOKEN-SLOT";

/// A page that is the same for everyone who speaks its language.
struct Page {
    body: Bytes,
    etag: String,
}

/// The empty request form around its CSRF token.
struct Form {
    before: Bytes,
    after: Bytes,
    version: String,
}

/// Every response rendered at start, by language (`Lang::ALL`'s order).
pub struct Memory {
    landing: Vec<Page>,
    form: Vec<Form>,
    busy: Vec<Bytes>,
}

/// A strong validator: the first 16 bytes of the body's SHA-256.
pub fn strong_etag(body: &[u8]) -> String {
    format!("\"{}\"", hex(&Sha256::digest(body)[..16]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn ctx(lang: Lang, path: &str) -> Ctx {
    Ctx {
        lang,
        path: path.to_owned(),
        live: None,
        notice: None,
    }
}

fn slot(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

impl Memory {
    pub fn render(config: &Config) -> Result<Self, String> {
        let emergency = crate::service::incidents::numbers(&config.emergency_numbers).join(", ");
        let retry = u64::from(config.admit_retry_after);
        let mut m = Memory {
            landing: vec![],
            form: vec![],
            busy: vec![],
        };
        for l in Lang::ALL {
            let body = landing::landing(&ctx(l, "/"), config.privacy_cell_m).into_string();
            m.landing.push(Page {
                etag: strong_etag(body.as_bytes()),
                body: Bytes::from(body),
            });
            let page = guest::need_form(
                &ctx(l, "/need"),
                &guest::Values::new(),
                &Errors::new(),
                TOKEN_SLOT,
            )
            .into_string();
            let (before, after) = page
                .split_once(TOKEN_SLOT)
                .filter(|(_, after)| !after.contains(TOKEN_SLOT))
                .ok_or("the request form must carry its CSRF token exactly once")?;
            m.form.push(Form {
                version: hex(&Sha256::digest(page.as_bytes())[..8]),
                before: Bytes::from(before.to_owned()),
                after: Bytes::from(after.to_owned()),
            });
            m.busy
                .push(Bytes::from(busy::busy(l, retry, &emergency).into_string()));
        }
        Ok(m)
    }

    /// The busy page in a language.
    pub fn busy(&self, lang: Lang) -> Bytes {
        self.busy[slot(lang)].clone()
    }

    /// The landing page in a language, or 304.
    pub fn landing(&self, req: &HttpRequest, lang: Lang) -> HttpResponse {
        let p = &self.landing[slot(lang)];
        answer(
            req,
            &p.etag,
            LANDING_CACHE,
            "text/html; charset=utf-8",
            || p.body.clone(),
        )
        .insert_negotiated()
    }

    /// The empty form in a language with the visitor's masked token, its
    /// cookie set if they had none, or 304 while their copy still verifies.
    pub fn form(&self, req: &HttpRequest, lang: Lang, secure: bool) -> HttpResponse {
        let f = &self.form[slot(lang)];
        let etag = |fingerprint: &str| format!("W/\"{}-{}-{fingerprint}\"", f.version, lang.code());
        if let Some(fp) = super::csrf::fingerprint(req, secure, None) {
            if none_match(req, &etag(&fp)) {
                return not_modified(&etag(&fp), FORM_CACHE).insert_negotiated();
            }
        }
        let (token, cookie) = super::csrf::token(req, secure);
        let fp = super::csrf::fingerprint(req, secure, cookie.as_ref()).unwrap_or_default();
        let mut body = Vec::with_capacity(f.before.len() + token.len() + f.after.len());
        body.extend_from_slice(&f.before);
        body.extend_from_slice(token.as_bytes());
        body.extend_from_slice(&f.after);
        let mut res = HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((CACHE_CONTROL, FORM_CACHE))
            .insert_header((ETAG, etag(&fp)))
            .body(body)
            .insert_negotiated();
        if let Some(c) = cookie {
            let _ = res.add_cookie(&c);
        }
        res
    }
}

/// Pages chosen by language say so to caches.
trait Negotiated {
    fn insert_negotiated(self) -> Self;
}

impl Negotiated for HttpResponse {
    fn insert_negotiated(mut self) -> Self {
        self.headers_mut().insert(
            VARY,
            actix_web::http::header::HeaderValue::from_static("Accept-Language, Cookie"),
        );
        self
    }
}

/// Whether `If-None-Match` names this validator (weak comparison, as
/// RFC 9110 asks for this header), or is `*`.
pub fn none_match(req: &HttpRequest, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let want = bare(etag);
    req.headers()
        .get_all(IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == want)
}

fn not_modified(etag: &str, cache: &'static str) -> HttpResponse {
    HttpResponse::NotModified()
        .insert_header((ETAG, etag.to_owned()))
        .insert_header((CACHE_CONTROL, cache))
        .finish()
}

/// A body that is the same for everyone: 304 when the validator matches,
/// else the body (made only then).
pub fn answer(
    req: &HttpRequest,
    etag: &str,
    cache: &'static str,
    content_type: &'static str,
    body: impl FnOnce() -> Bytes,
) -> HttpResponse {
    if none_match(req, etag) {
        return not_modified(etag, cache);
    }
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CACHE_CONTROL, cache))
        .insert_header((ETAG, etag.to_owned()))
        .body(body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn if_none_match_compares_weakly_and_knows_lists() {
        let e = "\"abc\"";
        let with = |v: &str| {
            TestRequest::default()
                .insert_header((IF_NONE_MATCH, v))
                .to_http_request()
        };
        assert!(none_match(&with("\"abc\""), e));
        assert!(none_match(&with("W/\"abc\""), e));
        assert!(none_match(&with("\"x\", W/\"abc\""), e));
        assert!(none_match(&with("*"), e));
        assert!(!none_match(&with("\"abd\""), e));
        assert!(!none_match(&TestRequest::default().to_http_request(), e));
    }

    #[test]
    fn pages_are_rendered_once_per_language_with_the_token_between() {
        let m = Memory::render(&Config::defaults_for("sqlite://x.db")).expect("renders");
        let fr = TestRequest::default().to_http_request();
        let res = m.form(&fr, Lang::Fr, false);
        assert_eq!(res.status(), 200);
        let etag = res.headers().get(ETAG).and_then(|v| v.to_str().ok());
        assert!(etag.is_some_and(|e| e.starts_with("W/\"")), "{etag:?}");
        assert!(
            res.cookies().any(|c| c.name() == "po_csrf"),
            "a new visitor gets the cookie"
        );
        assert_ne!(
            m.landing[0].etag, m.landing[1].etag,
            "one page per language"
        );
        assert!(
            std::str::from_utf8(&m.busy(Lang::En))
                .unwrap_or("")
                .contains("112")
        );
        assert!(
            std::str::from_utf8(&m.busy(Lang::Fr))
                .unwrap_or("")
                .contains("lang=\"fr\"")
        );
    }
}
