//! The page shown when an action or a page could not be done: what
//! happened, in the visitor's language, and the way back. Which page goes
//! with which error is decided in `web::pages::failure`.

use super::layout::{Ctx, page};
use crate::i18n::tr;
use maud::{Markup, html};

/// Why a page failed, as the visitor needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// our side failed (the database, a bug): nothing was done, try again
    Trouble,
    /// too many attempts from this connection
    TooMany,
    /// not allowed with this account or link
    Forbidden,
    /// something changed meanwhile
    Conflict,
    /// the form could not be read
    Invalid,
}

impl Failure {
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Failure::Trouble => ("page-trouble", "page-trouble-body"),
            Failure::TooMany => ("page-too_many", "err-rate_limited"),
            Failure::Forbidden => ("page-forbidden", "page-forbidden-body"),
            Failure::Conflict => ("page-conflict", "page-conflict-body"),
            Failure::Invalid => ("page-invalid", "page-invalid-body"),
        }
    }
}

/// The failure page; `back` is where the visitor came from (a local path).
pub fn failed(ctx: &Ctx, why: Failure, back: &str) -> Markup {
    let l = ctx.lang;
    let (title, body) = why.keys();
    page(
        ctx,
        tr(l, title),
        html! {
            h1 { (tr(l, title)) }
            p class="error" role="alert" { (tr(l, body)) }
            p { a href=(back) { (tr(l, "page-back_to_page")) } }
            p { a href="/" { (tr(l, "page-back")) } }
        },
    )
}
