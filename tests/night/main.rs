//! Time to a bed, through the API on both backends: offers paused when
//! their host stops answering, holds that adapt to the host (to the
//! millisecond, on the manual clock), answering hosts first within a band,
//! asks the platform makes for guests who allow it (consent still
//! two-sided), suggestions that respect the guests' own asks, and the
//! candidate index moving forward whatever the order of writers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod asks;
mod candidates;
mod holds;
mod host_matches;
mod pausing;
