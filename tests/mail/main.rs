//! Notifications through a real SMTP server (aiosmtpd): the mails of each
//! event in both languages, atomicity with the change, faults (server down,
//! process killed), two workers, escalation, trusted contact, "I feel unsafe".
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod account_links;
mod delivery;
mod events;
mod headers;
mod languages;
