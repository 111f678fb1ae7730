//! Helpers of the night tests: a place in Paris, minutes and seconds, times read, the sweeper.

use crate::common::*;
use serde_json::Value;

pub(crate) const PARIS: (f64, f64) = (48.8566, 2.3522);
pub(crate) const MIN: i64 = 60_000;
pub(crate) const SEC: i64 = 1_000;

pub(crate) fn ms(rfc: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc.as_str().unwrap())
        .unwrap()
        .timestamp_millis()
}

/// Times are shown to the second: start the test on a whole second.
pub(crate) fn align(app: &TestApp) {
    app.clock.advance(SEC - app.clock.now() % SEC);
}

pub(crate) fn sweep(app: &TestApp) {
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
}
