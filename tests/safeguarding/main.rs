//! Safeguarding on both backends: verification levels inside the matcher and
//! the consent step, suspension, a host's first acceptance under review,
//! reports queued for coordinators, blocks, risk signals, and who may do
//! what.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod access;
mod blocks;
mod reports;
mod suspension;
mod verification;
