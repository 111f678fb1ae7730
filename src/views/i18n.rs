//! Every string a person reads comes from a catalogue: assets/i18n/{fr,en}.ftl
//! ("key = value", `{name}` placeholders). A test fails when a key used in
//! the code is missing from either language, or when the two differ.
//! Adding a language is a new file and a new `Lang` variant; `dir()` is
//! there for right-to-left ones.

use actix_web::HttpRequest;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

pub const LANG_COOKIE: &str = "po_lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Text direction, for when a right-to-left language joins.
    pub fn dir(self) -> &'static str {
        "ltr"
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Fr => include_str!("../../assets/i18n/fr.ftl"),
            Lang::En => include_str!("../../assets/i18n/en.ftl"),
        }
    }

    fn catalogue(self) -> &'static HashMap<&'static str, &'static str> {
        static FR: OnceLock<HashMap<&str, &str>> = OnceLock::new();
        static EN: OnceLock<HashMap<&str, &str>> = OnceLock::new();
        let cell = match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        };
        cell.get_or_init(|| parse(self.source()))
    }
}

fn parse(src: &'static str) -> HashMap<&'static str, &'static str> {
    src.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// The text for `key` (the key itself if missing, which a test prevents).
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    lang.catalogue().get(key).copied().unwrap_or(key)
}

/// The text for `key` with `{name}` placeholders filled.
pub fn trf(lang: Lang, key: &'static str, args: &[(&str, &str)]) -> String {
    let mut s = tr(lang, key).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

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
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut it = part.split(';');
        let tag = it.next().unwrap_or("").trim();
        let q = it
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(l) = Lang::from_code(primary) {
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, l));
            }
        }
    }
    best.map(|(_, l)| l).unwrap_or(Lang::Fr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_the_same_keys() {
        let fr: BTreeSet<_> = Lang::Fr.catalogue().keys().collect();
        let en: BTreeSet<_> = Lang::En.catalogue().keys().collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(
            only_fr.is_empty() && only_en.is_empty(),
            "only in fr: {only_fr:?}; only in en: {only_en:?}"
        );
        assert!(fr.len() > 50);
    }

    /// Every `tr(_, "key")` / `trf(_, "key", …)` in the source exists.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let mut used = BTreeSet::new();
        for dir in ["src/views", "src/web", "src/mail", "src/push"] {
            for entry in walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) {
                let text = std::fs::read_to_string(&entry).unwrap();
                for marker in [
                    "tr(l, \"",
                    "trf(l, \"",
                    "tr(lang, \"",
                    "trf(lang, \"",
                    "key: \"",
                ] {
                    for piece in text.split(marker).skip(1) {
                        if let Some(end) = piece.find('"') {
                            used.insert(piece[..end].to_owned());
                        }
                    }
                }
            }
        }
        assert!(used.len() > 30, "the scan found the keys ({})", used.len());
        for lang in Lang::ALL {
            let missing: Vec<_> = used
                .iter()
                .filter(|k| !lang.catalogue().contains_key(k.as_str()))
                .collect();
            assert!(missing.is_empty(), "{:?} lacks {missing:?}", lang);
        }
    }

    fn walk(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn placeholders() {
        assert_eq!(trf(Lang::En, "req.places", &[("n", "3")]), "3 places free");
        assert_eq!(
            trf(Lang::Fr, "req.places", &[("n", "3")]),
            "3 places libres"
        );
    }

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
