//! Real headless Chromium driving the real server over WebDriver
//! (chromedriver): the guest's path without JavaScript and with an emulated
//! geolocation, a keyboard-only pass, a cross-site form, and screenshots.
//!
//! Without chromium and chromedriver the test says SKIPPED and passes, unless
//! PO_REQUIRE_BROWSER=1 (as in .ci/run, which installs them). Set
//! PO_SCREENSHOTS=DIR to save screenshots of the pages (docs/screenshots).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod live_pages;
mod map_labels;
mod whole_path;
