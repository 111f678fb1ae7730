//! Test harness: a fresh database per test (a temporary SQLite file, or a
//! throwaway PostgreSQL database), a hand-moved clock, and a small JSON
//! client over the real application service (in-process, no mocks).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod http;
pub mod pages;
pub mod smtp;
pub mod tiles;

mod app;
mod backend;
mod client;
mod flows;
mod needs;
mod secrets;

// every name at `common::` as before; a test crate that uses none of a
// part's names is no mistake (each crate takes what it needs)
#[allow(unused_imports)]
pub use app::*;
#[allow(unused_imports)]
pub use backend::*;
#[allow(unused_imports)]
pub use client::*;
#[allow(unused_imports)]
pub use flows::*;
#[allow(unused_imports)]
pub use needs::*;
#[allow(unused_imports)]
pub use secrets::*;
