//! Validated values. Each constructor is the only way in, so a value of one of
//! these types is always valid ("parse, don't validate").

use super::Millis;
use thiserror::Error;

/// Why a single value was refused; the field name is attached by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct Invalid(pub String);

fn invalid(msg: impl Into<String>) -> Invalid {
    Invalid(msg.into())
}

/// A point on Earth with finite, in-range coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

impl Coordinates {
    pub fn new(lat: f64, lon: f64) -> Result<Self, Invalid> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(invalid("latitude must be a number between -90 and 90"));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(invalid("longitude must be a number between -180 and 180"));
        }
        Ok(Self { lat, lon })
    }
    /// Latitudes beyond ±85° are valid input but cannot be gridded sensibly;
    /// nobody is sheltering there, so the privacy grid clamps them.
    pub fn lat(&self) -> f64 {
        self.lat
    }
    pub fn lon(&self) -> f64 {
        self.lon
    }
}

macro_rules! bounded_int {
    ($name:ident, $min:expr, $max:expr, $what:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name(i32);
        impl $name {
            pub const MIN: i64 = $min;
            pub const MAX: i64 = $max;
            pub fn new(v: i64) -> Result<Self, Invalid> {
                if (Self::MIN..=Self::MAX).contains(&v) {
                    Ok(Self(v as i32))
                } else {
                    Err(invalid(format!(
                        "must be a whole number from {} to {} ({})",
                        Self::MIN,
                        Self::MAX,
                        $what
                    )))
                }
            }
            pub fn get(self) -> i32 {
                self.0
            }
        }
    };
}

bounded_int!(PartySize, 1, 20, "party size");
bounded_int!(Capacity, 1, 500, "capacity");

/// Free text with a length bound, trimmed, without control characters
/// (other than newlines in multi-line fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    pub fn new(raw: &str, min: usize, max: usize, multiline: bool) -> Result<Self, Invalid> {
        let s = raw.trim();
        let len = s.chars().count();
        if len < min {
            return Err(invalid(if min <= 1 {
                "must not be empty".to_owned()
            } else {
                format!("must be at least {min} characters")
            }));
        }
        if len > max {
            return Err(invalid(format!("must be at most {max} characters")));
        }
        if s.chars()
            .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
        {
            return Err(invalid("must not contain control characters"));
        }
        Ok(Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An e-mail address, lower-cased. Deliberately simple: one `@`, a dot in the
/// domain, no spaces or header-breaking characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn new(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_lowercase();
        let bad = || invalid("must be a valid e-mail address");
        if s.len() > 254
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
        {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad());
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: optional leading `+`, then 6 to 15 digits; spaces, dots,
/// dashes and parentheses are accepted and removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn new(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            match c {
                '+' if i == 0 => out.push('+'),
                '0'..='9' => out.push(c),
                ' ' | '.' | '-' | '(' | ')' => {}
                _ => {
                    return Err(invalid(
                        "must be a phone number (digits, optional leading +)",
                    ));
                }
            }
        }
        let digits = out.trim_start_matches('+').len();
        if !(6..=15).contains(&digits) {
            return Err(invalid("must have between 6 and 15 digits"));
        }
        Ok(Self(out))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 639-1 language code (two lower-case letters, from the real list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang([u8; 2]);

const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

impl Lang {
    pub fn new(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_ascii_lowercase();
        let b = s.as_bytes();
        if b.len() == 2 && ISO_639_1.split(' ').any(|c| c == s) {
            Ok(Self([b[0], b[1]]))
        } else {
            Err(invalid(format!(
                "'{}' is not an ISO 639-1 language code",
                raw.chars().take(16).collect::<String>()
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// A set of languages, at most 10, sorted and without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Languages(Vec<Lang>);

impl Languages {
    pub const MAX: usize = 10;
    pub fn new(mut langs: Vec<Lang>) -> Result<Self, Invalid> {
        langs.sort();
        langs.dedup();
        if langs.len() > Self::MAX {
            return Err(invalid(format!("at most {} languages", Self::MAX)));
        }
        Ok(Self(langs))
    }
    /// Reads the comma-separated form stored in the database; unknown codes
    /// (which only a manual edit could create) are dropped.
    pub fn from_db(s: &str) -> Self {
        let mut v: Vec<Lang> = s.split(',').filter_map(|c| Lang::new(c).ok()).collect();
        v.sort();
        v.dedup();
        Self(v)
    }
    pub fn to_db(&self) -> String {
        self.0
            .iter()
            .map(Lang::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }
    pub fn codes(&self) -> Vec<String> {
        self.0.iter().map(|l| l.as_str().to_owned()).collect()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn shared_with(&self, other: &Languages) -> usize {
        self.0.iter().filter(|l| other.0.contains(l)).count()
    }
}

/// When an offer is available: ends after it starts, and no more than 30 days
/// from now (a crisis offer, not a tenancy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Millis,
    pub until: Millis,
}

pub const MAX_WINDOW_MS: Millis = 30 * 24 * 3600 * 1000;

impl Window {
    pub fn new(from: Millis, until: Millis, now: Millis) -> Result<Self, Invalid> {
        if until <= from {
            return Err(invalid("must be after available_from"));
        }
        if until <= now {
            return Err(invalid("must be in the future"));
        }
        if until > now + MAX_WINDOW_MS {
            return Err(invalid("must be within 30 days from now"));
        }
        if from > now + MAX_WINDOW_MS {
            return Err(invalid("must be within 30 days from now"));
        }
        Ok(Self { from, until })
    }
    pub fn contains(&self, t: Millis) -> bool {
        self.from <= t && t < self.until
    }
}

/// What a guest's party needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Needs {
    pub accessible: bool,
    pub pets: bool,
    pub children: bool,
    pub women_only: bool,
}

/// What a host's offer can accommodate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accommodates {
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
}

impl Accommodates {
    /// Hard filter: every need is met, and women-only offers go only to
    /// parties that asked for a women-only host (and vice versa).
    pub fn meets(&self, needs: &Needs) -> bool {
        (!needs.accessible || self.accessible)
            && (!needs.pets || self.pets_ok)
            && (!needs.children || self.children_ok)
            && (needs.women_only == self.women_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_reject_nan_infinite_and_out_of_range() {
        for (lat, lon) in [
            (f64::NAN, 2.0),
            (48.0, f64::NAN),
            (f64::INFINITY, 2.0),
            (48.0, f64::NEG_INFINITY),
            (90.0001, 0.0),
            (-90.5, 0.0),
            (0.0, 180.01),
            (0.0, -181.0),
        ] {
            assert!(Coordinates::new(lat, lon).is_err(), "{lat},{lon}");
        }
        assert!(Coordinates::new(48.85, 2.35).is_ok());
        assert!(Coordinates::new(-90.0, 180.0).is_ok());
    }

    #[test]
    fn bounded_ints() {
        assert!(PartySize::new(0).is_err());
        assert!(PartySize::new(21).is_err());
        assert_eq!(PartySize::new(20).map(PartySize::get), Ok(20));
        assert!(Capacity::new(0).is_err());
        assert!(Capacity::new(501).is_err());
        assert!(Capacity::new(-3).is_err());
        assert_eq!(Capacity::new(500).map(Capacity::get), Ok(500));
    }

    #[test]
    fn text_bounds_and_control_chars() {
        assert!(Text::new("  ", 1, 10, false).is_err());
        assert!(Text::new("abcdefghijk", 1, 10, false).is_err());
        assert!(Text::new("a\u{7}b", 1, 10, false).is_err());
        assert!(Text::new("a\nb", 1, 10, false).is_err());
        assert_eq!(
            Text::new(" a\nb ", 1, 10, true).map(Text::into_inner),
            Ok("a\nb".into())
        );
        // length counts characters, not bytes
        assert!(Text::new("éééééééééé", 1, 10, false).is_ok());
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::new(" Ana@Example.ORG ").map(|e| e.as_str().to_owned()),
            Ok("ana@example.org".into())
        );
        for bad in [
            "",
            "a",
            "a@b",
            "@b.fr",
            "a@.fr",
            "a@b.",
            "a b@c.fr",
            "a@b@c.fr",
            "a@b..fr",
            "a@b.fr\r\nBcc: x@y.z",
        ] {
            assert!(Email::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            Phone::new("+33 6 12-34.56(78)").map(|p| p.as_str().to_owned()),
            Ok("+3361234567 8".replace(' ', ""))
        );
        for bad in [
            "",
            "12345",
            "+",
            "06x1234567",
            "1234567890123456",
            "6+12345678",
        ] {
            assert!(Phone::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn languages() {
        assert!(Lang::new("fr").is_ok());
        assert!(Lang::new("EN").is_ok());
        assert!(Lang::new("xx").is_err());
        assert!(Lang::new("fra").is_err());
        let l = Languages::new(vec![Lang::new("fr").unwrap_or_else(|_| unreachable!()); 3]);
        assert_eq!(l.map(|l| l.to_db()), Ok("fr".into()));
        let a = Languages::from_db("fr,en,ar");
        let b = Languages::from_db("en,ar,de");
        assert_eq!(a.shared_with(&b), 2);
        assert_eq!(Languages::from_db("").codes().len(), 0);
    }

    #[test]
    fn windows() {
        let now = 1_000_000_000_000;
        assert!(Window::new(now, now, now).is_err());
        assert!(Window::new(now, now - 1, now).is_err());
        assert!(Window::new(now - 10, now - 1, now).is_err());
        assert!(Window::new(now, now + MAX_WINDOW_MS + 1, now).is_err());
        let w = Window::new(now, now + 3_600_000, now).unwrap_or_else(|_| unreachable!());
        assert!(w.contains(now));
        assert!(!w.contains(now + 3_600_000));
    }

    #[test]
    fn needs_filter() {
        let all = Accommodates {
            accessible: true,
            pets_ok: true,
            children_ok: true,
            women_only: false,
        };
        assert!(all.meets(&Needs {
            accessible: true,
            pets: true,
            children: true,
            women_only: false
        }));
        assert!(!all.meets(&Needs {
            women_only: true,
            ..Needs::default()
        }));
        let wo = Accommodates {
            women_only: true,
            ..Accommodates::default()
        };
        assert!(!wo.meets(&Needs::default()));
        assert!(wo.meets(&Needs {
            women_only: true,
            ..Needs::default()
        }));
        assert!(!Accommodates::default().meets(&Needs {
            pets: true,
            ..Needs::default()
        }));
    }
}
