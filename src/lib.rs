//! Porte Ouverte: shelter matching for cities in crisis.
//!
//! The layers, from the inside out: `domain` (pure rules), `db`
//! (persistence), `index` (in-memory candidate search), `service` (the
//! product's operations), `web` and `views` (HTTP and HTML). See
//! docs/ARCHITECTURE.md.

pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod deploy;
pub mod domain;
pub mod error;
pub mod files;
pub mod i18n;
pub mod index;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod push;
pub mod search_memo;
pub mod seed;
pub mod server;
pub mod service;
pub mod sim;
pub mod state;
pub mod views;
pub mod web;
