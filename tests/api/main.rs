//! The JSON API end to end, on SQLite and on PostgreSQL: the core loop,
//! consent, holds, bad input and access control.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod access;
mod bad_input;
mod core_loop;
mod operations;
mod places;

use common::*;

pub(crate) const PARIS: (f64, f64) = (48.8566, 2.3522);

/// Counts rows in every table, to prove a refused request wrote nothing.
pub(crate) fn counts(app: &TestApp) -> Vec<i64> {
    use diesel::prelude::*;
    use porte_ouverte::db::schema::*;
    let mut c = app.state.conn().unwrap();
    vec![
        accounts::table.count().get_result(&mut *c).unwrap(),
        offers::table.count().get_result(&mut *c).unwrap(),
        requests::table.count().get_result(&mut *c).unwrap(),
        matches::table.count().get_result(&mut *c).unwrap(),
    ]
}
