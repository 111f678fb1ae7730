//! The non-negotiable rules under pressure, on SQLite and PostgreSQL:
//! capacity under concurrency, and property tests for capacity, consent
//! and location privacy over random inputs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod capacity_property;
mod concurrency;
mod privacy_property;
