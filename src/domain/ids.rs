//! Opaque random identifiers and secrets. IDs are never sequential; tokens carry
//! 256 random bits and are stored only as SHA-256 hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

fn random_string(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Whether `raw` could be one of our IDs (typed or not: incidents, reports
/// and queued mails have IDs of the same shape): 1 to 64 characters of
/// letters, digits, `-` and `_`.
pub fn could_be_an_id(raw: &str) -> bool {
    !raw.is_empty()
        && raw.len() <= 64
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What every ID type can do: be read from a URL path or a form field.
pub trait Id: Sized {
    /// `None` for text no ID of this kind can be (see `OfferId::parse`).
    fn parse(raw: &str) -> Option<Self>;
}

/// Declares an ID type: random and prefixed when generated, shown as its
/// text (`db::stored` maps it to a text column, so rows, filters and inserts
/// carry the type, not a `String`).
macro_rules! id_type {
    ($name:ident, $prefix:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, random_string(12)))
            }
            /// Wraps a value read from the database or a URL path. An ID that
            /// does not exist simply finds nothing (404), so no format check
            /// is needed beyond a sane length.
            pub fn parse(raw: &str) -> Option<Self> {
                could_be_an_id(raw).then(|| Self(raw.to_owned()))
            }
            pub fn from_db(raw: String) -> Self {
                Self(raw)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// An ID reads as its text wherever text is wanted (views, URLs,
        /// logs); only `parse`, `generate` and the database make one.
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl Id for $name {
            fn parse(raw: &str) -> Option<Self> {
                $name::parse(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(AccountId, "acc_");
id_type!(OfferId, "off_");
id_type!(RequestId, "req_");
id_type!(MatchId, "mat_");
id_type!(IncidentId, "inc_");
id_type!(ReportId, "rep_");

/// A bearer secret handed to a client once; only its hash is kept.
pub struct Secret(String);

impl Secret {
    pub fn generate(prefix: &str) -> Self {
        Self(format!("{prefix}{}", random_string(32)))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

/// SHA-256 is right for high-entropy tokens: there is nothing to brute-force.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_and_prefixed() {
        let a = OfferId::generate();
        let b = OfferId::generate();
        assert_ne!(a, b);
        assert!(a.as_str().starts_with("off_"));
        assert_eq!(OfferId::parse(a.as_str()), Some(a));
    }

    #[test]
    fn parse_rejects_odd_input() {
        assert!(OfferId::parse("").is_none());
        assert!(OfferId::parse("a/b").is_none());
        assert!(OfferId::parse(&"x".repeat(65)).is_none());
    }

    #[test]
    fn ids_are_read_through_their_kind_and_read_as_text() {
        fn read<I: Id>(raw: &str) -> Option<I> {
            I::parse(raw)
        }
        let m: MatchId = read("mat_abc-DEF_123").unwrap();
        assert_eq!(m.as_str(), "mat_abc-DEF_123");
        assert_eq!(&*m, "mat_abc-DEF_123", "an ID reads as its text");
        assert_eq!(String::from(m.clone()), "mat_abc-DEF_123");
        assert!(m == "mat_abc-DEF_123");
        assert!(read::<IncidentId>("inc_1;drop").is_none());
        assert!(read::<ReportId>("").is_none());
        assert!(could_be_an_id("rst_x") && !could_be_an_id("a b"));
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            "\"mat_abc-DEF_123\"",
            "shown as its text in JSON"
        );
    }

    #[test]
    fn secrets_have_256_bits_and_hash_stably() {
        let s = Secret::generate("po_");
        assert!(s.expose().len() >= 3 + 43);
        assert_eq!(s.hash(), hash_token(s.expose()));
        assert_eq!(s.hash().len(), 64);
    }
}
