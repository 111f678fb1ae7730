//! The OpenAPI document: served, 3.1, one operation per route of the route
//! tables, every reference resolved, and the answers of a whole loop (on
//! SQLite and on PostgreSQL) exactly as the document describes them: status
//! documented, every field present that it requires, no field it does not
//! name. `.ci/run` also checks it with openapi-spec-validator and fuzzes a
//! live server with schemathesis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod conformance;
mod document;
mod whole_loop;
