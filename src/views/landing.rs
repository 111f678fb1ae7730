//! The landing page: two unmistakable actions and how privacy works.

use super::layout::{Ctx, page};
use crate::i18n::{args, tr, trf};
use maud::{Markup, html};

pub fn landing(ctx: &Ctx, cell_m: u32) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "app-name"),
        html! {
            h1 { (tr(l, "app-tagline")) }
            div class="actions" {
                div {
                    a class="big" href="/need" { (tr(l, "landing-need")) }
                    p class="hint" { (tr(l, "landing-need-hint")) }
                }
                div {
                    a class="big alt" href="/host" { (tr(l, "landing-host")) }
                    p class="hint" { (tr(l, "landing-host-hint")) }
                }
            }
            p { (trf(l, "landing-privacy", args!["cell" => cell_m])) }
            p { a href="/safe" { (tr(l, "landing-safe")) } }
            p class="safety" { (tr(l, "landing-safety")) }
        },
    )
}
