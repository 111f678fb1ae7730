//! The coordinators' first page: live counts, the waiting queue (longest
//! wait first) and proposing a pair. The full console comes later.

use super::i18n::{tr, trf};
use super::layout::{Ctx, Errors, Input, button_form, csrf_field, input, page};
use crate::service::coordination::Overview;
use crate::service::views::QueueEntryView;
use maud::{Markup, html};

pub struct CoordPage<'a> {
    pub overview: &'a Overview,
    pub queue: &'a [QueueEntryView],
    pub csrf: &'a str,
    pub notice: Option<&'static str>,
    pub errors: &'a Errors,
}

pub fn coordination(ctx: &Ctx, p: &CoordPage<'_>) -> Markup {
    let l = ctx.lang;
    let o = p.overview;
    page(
        ctx,
        tr(l, "coord.title"),
        html! {
            h1 { (tr(l, "coord.title")) }
            div class="buttons" { (button_form("/host/logout", p.csrf, tr(l, "host.logout"), "secondary", &[])) }
            @if let Some(n) = p.notice { p class="notice" role="status" { (tr(l, n)) } }
            dl class="counts" {
                dt { (tr(l, "coord.offers_open")) } dd { (o.offers_open) }
                dt { (tr(l, "coord.places_free")) } dd { (o.places_free) }
                dt { (tr(l, "coord.requests_waiting")) } dd { (o.requests_waiting) }
                dt { (tr(l, "coord.proposed")) } dd { (o.matches.proposed) }
                dt { (tr(l, "coord.accepted")) } dd { (o.matches.accepted) }
                dt { (tr(l, "coord.arrived")) } dd { (o.matches.arrived) }
            }
            h2 { (tr(l, "coord.queue")) }
            @if p.queue.is_empty() { p { (tr(l, "coord.queue.none")) } }
            ol {
                @for q in p.queue {
                    @let area = q.area.label.clone().unwrap_or_else(|| q.area.cell.clone());
                    li {
                        (trf(l, "coord.item", &[("name", &q.name), ("n", &q.party_size.to_string()), ("min", &q.waiting_minutes.to_string()), ("area", &area)]))
                        " " code { (q.request_id) }
                    }
                }
            }
            h2 { (tr(l, "coord.propose")) }
            form method="post" action="/coord/propose" {
                (csrf_field(p.csrf))
                (input(l, Input { name: "request_id", label: tr(l, "coord.request_id"), kind: "text", value: "", hint: None, autocomplete: "off", required: true }, p.errors))
                (input(l, Input { name: "offer_id", label: tr(l, "coord.offer_id"), kind: "text", value: "", hint: None, autocomplete: "off", required: true }, p.errors))
                button type="submit" { (tr(l, "coord.submit")) }
            }
        },
    )
}
