//! The languages the platform speaks to people in (pages, mails, alerts):
//! a plain enum with its codes and the choice among what a browser asks for.
//! The texts themselves are the catalogues of `crate::i18n`.
//! Adding a language is a new variant, a new `assets/i18n/*.ftl` file, and
//! `dir()` for a right-to-left one.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The default deployment's language.
    pub const DEFAULT: Lang = Lang::Fr;

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

    /// The best of an `Accept-Language` header's languages that we speak
    /// (highest q, first on a tie), if any.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
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
        best.map(|(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_accept_language() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code(" EN "), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        let al = Lang::from_accept_language;
        assert_eq!(al("en-GB,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(al("de-DE,fr;q=0.5,en;q=0.4"), Some(Lang::Fr));
        assert_eq!(al("de-DE,fr;q=0.4,en;q=0.5"), Some(Lang::En));
        assert_eq!(al("ar"), None);
        assert_eq!(al(""), None);
    }
}
