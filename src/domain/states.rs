//! The states, roles and kinds the database stores as text: one enum each,
//! with the text it is stored and shown as. Reading a value no variant names
//! is an error ([`UnknownValue`]), never a default, so a corrupt row stops
//! the operation that read it instead of passing for another state.
//!
//! The match state machine's `Status` and `Side` are declared the same way in
//! `domain::matching`.

use thiserror::Error;

/// A stored text that names no variant of the enum read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown {kind} '{value}' in the database")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// Declares an enum stored and shown as text: `as_str`, `parse`, `ALL`,
/// `Display`, serde and the OpenAPI schema as the text, `TryFrom<String>` (the
/// strict read: how `db::stored` maps it to a text column) and
/// `From<Self> for String`.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($kind:literal) {
            $( $(#[$vmeta:meta])* $var:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        // the texts are the variants' names in snake case (a unit test
        // checks it): `rename_all` is what both serde and utoipa's schema
        // read, where a `rename` built from a macro fragment is lost on
        // utoipa
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $var ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$var => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$var),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::states::UnknownValue;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s).ok_or($crate::domain::states::UnknownValue {
                    kind: $kind,
                    value: s,
                })
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_owned()
            }
        }
    };
}
pub(crate) use text_enum;

text_enum! {
    /// An offer of places.
    OfferStatus ("offer status") {
        /// in searches while it has free places and its dates allow
        Open = "open",
        /// out of searches until its host says they are still hosting
        Paused = "paused",
        /// ended by its host; a closed offer stays closed
        Closed = "closed",
    }
}

text_enum! {
    /// A guest's request for shelter.
    RequestStatus ("request status") {
        Waiting = "waiting",
        /// a host and the guest both said yes
        Matched = "matched",
        /// the guest is behind the door
        Arrived = "arrived",
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// What an account may do.
    Role ("role") {
        Host = "host",
        Coordinator = "coordinator",
    }
}

text_enum! {
    /// A queued e-mail or push message.
    OutboxStatus ("outbox status") {
        Pending = "pending",
        /// claimed by a sender, until its lease runs out
        Sending = "sending",
        Sent = "sent",
        /// given up after the last retry
        Dead = "dead",
    }
}

text_enum! {
    /// A crisis as coordinators declared it.
    IncidentStatus ("incident status") {
        Open = "open",
        /// ended: its requests are closed and purged when due
        Closed = "closed",
    }
}

text_enum! {
    /// How a coordinator closed the reports on a target.
    ReportOutcome ("report outcome") {
        /// nothing to act on: a hidden offer is shown again
        Dismissed = "dismissed",
        /// acted on: a reported offer closed, a reported host suspended
        Upheld = "upheld",
    }
}

text_enum! {
    /// What a report is about.
    ReportTarget ("report target") {
        Offer = "offer",
        Host = "host",
        Guest = "guest",
    }
}

text_enum! {
    /// Why someone reported.
    ReportReason ("report reason") {
        AsksMoney = "asks_money",
        Unsafe = "unsafe",
        Inappropriate = "inappropriate",
        Fake = "fake",
        Other = "other",
    }
}

text_enum! {
    /// What a link mailed to an account holder is for.
    Link ("link purpose") {
        /// confirms the e-mail address
        Verify = "verify",
        /// sets a new password
        Reset = "reset",
    }
}

impl Link {
    /// How long the link works: two days to verify, one hour to reset.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            Link::Verify => 48 * 3_600_000,
            Link::Reset => 3_600_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_reads_back_as_itself() {
        for s in OfferStatus::ALL {
            assert_eq!(OfferStatus::try_from(s.as_str().to_owned()), Ok(*s));
            assert_eq!(String::from(*s), s.to_string());
        }
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(*s));
        }
        for s in Role::ALL {
            assert_eq!(Role::parse(s.as_str()), Some(*s));
        }
        for s in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(s.as_str()), Some(*s));
        }
    }

    /// serde and the OpenAPI schema write each variant as its stored text
    fn serde_text_is_the_stored_text<T: serde::Serialize + utoipa::PartialSchema>(
        all: &[T],
        text: impl Fn(&T) -> &'static str,
    ) {
        let schema = serde_json::to_value(T::schema()).unwrap();
        let listed: Vec<&str> = schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let texts: Vec<&str> = all.iter().map(&text).collect();
        assert_eq!(listed, texts, "the schema's enum");
        for v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(text(v)));
        }
    }

    #[test]
    fn json_and_schema_use_the_stored_text() {
        serde_text_is_the_stored_text(OfferStatus::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(RequestStatus::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(Role::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(OutboxStatus::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(Link::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(IncidentStatus::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(ReportTarget::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(ReportReason::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(ReportOutcome::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(crate::domain::safeguarding::Standing::ALL, |v| v.as_str());
        use crate::domain::matching::{Side, Status};
        serde_text_is_the_stored_text(Status::ALL, |v| v.as_str());
        serde_text_is_the_stored_text(Side::ALL, |v| v.as_str());
    }

    #[test]
    fn an_unknown_text_is_an_error_naming_it() {
        let e = RequestStatus::try_from("Waiting".to_owned()).unwrap_err();
        assert_eq!(e.value, "Waiting");
        assert_eq!(
            e.to_string(),
            "unknown request status 'Waiting' in the database"
        );
        assert!(Role::try_from(String::new()).is_err());
        assert_eq!(
            serde_json::to_string(&OfferStatus::Paused).unwrap(),
            "\"paused\""
        );
    }
}
