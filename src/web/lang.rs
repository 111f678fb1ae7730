//! The visitor's language, from the switcher's cookie or the browser's
//! `Accept-Language` (the choice itself is `domain::locale::Lang`'s).

use crate::domain::locale::Lang;
use actix_web::HttpRequest;

/// The language switcher's cookie.
pub const LANG_COOKIE: &str = "po_lang";

/// The visitor's language: the switcher's cookie, else the best of
/// Accept-Language, else French (the default deployment's language).
pub fn negotiate(req: &HttpRequest) -> Lang {
    if let Some(l) = req
        .cookie(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
    {
        return l;
    }
    let header = req
        .headers()
        .get("accept-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Lang::from_accept_language(header).unwrap_or(Lang::DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn negotiation() {
        let r = |al: &str| {
            TestRequest::default()
                .insert_header(("accept-language", al))
                .to_http_request()
        };
        assert_eq!(negotiate(&r("en-GB,en;q=0.9,fr;q=0.8")), Lang::En);
        assert_eq!(negotiate(&r("de-DE,fr;q=0.5,en;q=0.4")), Lang::Fr);
        assert_eq!(negotiate(&r("ar")), Lang::Fr, "default");
        assert_eq!(
            negotiate(&TestRequest::default().to_http_request()),
            Lang::Fr
        );
        let with_cookie = TestRequest::default()
            .insert_header(("accept-language", "fr"))
            .cookie(actix_web::cookie::Cookie::new(LANG_COOKIE, "en"))
            .to_http_request();
        assert_eq!(negotiate(&with_cookie), Lang::En, "the switcher wins");
    }
}
