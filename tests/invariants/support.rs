//! Helpers of the invariant tests: the capacity invariant, read from the database; proptest runs.

use crate::common::*;
use diesel::prelude::*;
use porte_ouverte::db::schema::{matches, offers};
use proptest::test_runner::{Config as PropConfig, TestRunner};

/// For every offer: accepted places equal the accepted matches, and
/// accepted + live holds never exceed capacity.
pub(crate) fn assert_capacity_invariant(app: &TestApp) {
    let now = app.clock.now();
    let mut c = app.state.conn().unwrap();
    let rows: Vec<(String, i32, i32)> = offers::table
        .select((offers::id, offers::capacity, offers::accepted_places))
        .load(&mut *c)
        .unwrap();
    for (id, capacity, accepted) in rows {
        let ms: Vec<(String, i32, i64)> = matches::table
            .filter(matches::offer_id.eq(&id))
            .select((matches::status, matches::party_size, matches::expires_at))
            .load(&mut *c)
            .unwrap();
        let acc: i32 = ms
            .iter()
            .filter(|m| m.0 == "accepted" || m.0 == "arrived")
            .map(|m| m.1)
            .sum();
        let held: i32 = ms
            .iter()
            .filter(|m| m.0 == "proposed" && m.2 > now)
            .map(|m| m.1)
            .sum();
        assert_eq!(accepted, acc, "offer {id}: accepted_places out of step");
        assert!(
            accepted >= 0 && acc + held <= capacity,
            "offer {id}: {acc} accepted + {held} held > {capacity}"
        );
    }
}

pub(crate) fn runner(b: Backend, cases: u32) -> TestRunner {
    let cases = if b == Backend::Postgres {
        cases / 2
    } else {
        cases
    };
    TestRunner::new(PropConfig {
        cases,
        failure_persistence: None,
        ..PropConfig::default()
    })
}
