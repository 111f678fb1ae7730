//! The HTML front end in-process: the guest's whole path without JavaScript,
//! form validation, CSRF, languages, assets and page weight.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod coordinators;
mod guest;
mod host_account;
mod host_dashboard;
mod incidents;
mod request_form;
mod request_page;
mod safeguarding;
mod site;
