//! Missing dependencies: whether `PO_REQUIRE_<what>` makes them fail a test, and `SKIPPED`.

use std::io::Write;

/// Whether `PO_REQUIRE_<what>` asks that a missing dependency fail the
/// test rather than skip it. Every such variable is read here, the same way:
/// unset, empty, `0`, `false`, `no` are off; `1`, `true`, `yes` are on;
/// anything else is a mistake and fails.
pub fn required(var: &str) -> bool {
    let value = std::env::var(var).unwrap_or_default();
    parse_required(&value).unwrap_or_else(|| panic!("{var}={value:?}: use 1 or 0"))
}

pub fn parse_required(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" => Some(false),
        "1" | "true" | "yes" => Some(true),
        _ => None,
    }
}

/// Says that a test skipped part of its work. Written to the process's
/// stderr, past the test harness's capture (which only takes `eprintln!`),
/// so `cargo test` shows it.
pub fn skipped(what: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
}
