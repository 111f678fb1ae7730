//! Pure types and rules: validation, privacy cells, distances, ranking and the
//! match state machine. Nothing in here does I/O, so everything is unit-tested.

pub mod assignment;
pub mod commands;
pub mod distance;
pub mod fold;
pub mod gazetteer;
pub mod ids;
pub mod incident;
pub mod input;
pub mod landmark;
pub mod language_names;
pub mod locale;
pub mod matching;
pub mod place_query;
pub mod privacy;
pub mod push;
pub mod ranking;
pub mod redirect;
pub mod responsiveness;
pub mod safeguarding;
pub mod states;
pub mod values;

/// Milliseconds since the Unix epoch, UTC. Stored as BIGINT on both backends so
/// that comparisons are exact and portable.
pub type Millis = i64;

/// Formats a timestamp as RFC 3339 UTC (the API's format).
pub fn rfc3339(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
