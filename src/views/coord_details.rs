//! One offer or one request as a coordinator sees it: the cell and the
//! needs, and the form that reads the person's details with a reason.

use super::layout::{Ctx, Errors, Input, csrf_field, input, page};
use crate::domain::locale::Lang;
use crate::i18n::{args, tr, trf};
use crate::service::details::{OfferDetailsView, RequestDetailsView};
use crate::service::views::{Area, CandidateView, OfferCoordView, QueueEntryView};
use maud::{Markup, html};

pub enum Subject<'a> {
    Offer(&'a OfferCoordView, Option<&'a OfferDetailsView>),
    Request(&'a QueueEntryView, Option<&'a RequestDetailsView>),
}

pub struct Details<'a> {
    pub subject: Subject<'a>,
    /// for a waiting party: the doors it could be proposed, best first
    pub doors: &'a [CandidateView],
    pub csrf: &'a str,
    /// what the coordinator typed (kept on an error)
    pub reason: &'a str,
    pub errors: &'a Errors,
    pub time: &'a dyn Fn(&str) -> String,
}

pub(super) fn area_of(a: &Area) -> String {
    a.label.clone().unwrap_or_else(|| a.cell.clone())
}

pub(super) fn tags(l: Lang, on: &[(bool, &'static str)]) -> String {
    on.iter()
        .filter(|(b, _)| *b)
        .map(|(_, k)| tr(l, k))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn contact(l: Lang, phone: Option<&str>, email: Option<&str>) -> Markup {
    html! {
        @if let Some(ph) = phone { p { strong { (tr(l, "req-phone")) ": " } a href=(format!("tel:{ph}")) { (ph) } } }
        @if let Some(em) = email { p { strong { (tr(l, "req-email")) ": " } a href=(format!("mailto:{em}")) { (em) } } }
    }
}

pub fn details_page(ctx: &Ctx, d: &Details<'_>) -> Markup {
    let l = ctx.lang;
    let (title, action, shown) = match &d.subject {
        Subject::Offer(o, det) => (
            trf(l, "coord-details-offer", args!["id" => o.id.as_str()]),
            format!("/coord/offers/{}/details", o.id),
            det.is_some(),
        ),
        Subject::Request(r, det) => (
            trf(
                l,
                "coord-details-request",
                args!["id" => r.request_id.as_str()],
            ),
            format!("/coord/requests/{}/details", r.request_id),
            det.is_some(),
        ),
    };
    page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            p { a href="/coord" { (tr(l, "coord-back")) } }
            // no heading of its own: the h1 names it, so a div, not a section
            div class="card" {
                @match &d.subject {
                    Subject::Offer(o, _) => {
                        p { (trf(l, "req-area", args!["area" => &area_of(&o.area)])) }
                        p { (trf(l, "coord-details-places", args!["n" => o.remaining, "of" => o.capacity])) }
                        p { (tags(l, &[(o.accessible, "req-attr-accessible"), (o.pets_ok, "req-attr-pets"), (o.children_ok, "req-attr-children"), (o.women_only, "req-attr-women_only")])) }
                        p { (tr(l, "coord-host")) " " code { (o.host_id) } }
                    }
                    Subject::Request(r, _) => {
                        p { (trf(l, "coord-item", args!["name" => &r.name, "n" => r.party_size, "min" => r.waiting_minutes, "area" => &area_of(&r.area)])) }
                        p { (tags(l, &[(r.needs.accessible, "req-attr-accessible"), (r.needs.pets, "req-attr-pets"), (r.needs.children, "req-attr-children"), (r.needs.women_only, "req-attr-women_only")])) }
                    }
                }
            }
            @if let Subject::Request(r, _) = &d.subject {
                @if !d.doors.is_empty() {
                    h2 { (tr(l, "coord-doors")) }
                    (doors(l, &r.request_id, d.doors, d.csrf))
                }
            }
            @match &d.subject {
                Subject::Offer(_, Some(x)) => {
                    section class="card" role="status" {
                        h2 { (tr(l, "coord-details-shown")) }
                        p { strong { (tr(l, "req-host")) ": " } (x.host_name) }
                        p { strong { (tr(l, "req-address")) ": " } (x.offer.address) }
                        p { (format!("{:.5}, {:.5}", x.offer.lat, x.offer.lon)) }
                        (contact(l, x.offer.contact_phone.as_deref(), x.offer.contact_email.as_deref()))
                        (contact(l, x.host_phone.as_deref(), Some(&x.host_email)))
                        @if let Some(n) = &x.offer.notes { p { strong { (tr(l, "req-notes")) ": " } (n) } }
                        p class="hint" { (tr(l, "coord-details-recorded")) }
                    }
                }
                Subject::Request(_, Some(x)) => {
                    section class="card" role="status" {
                        h2 { (tr(l, "coord-details-shown")) }
                        p { (x.name) }
                        p { (format!("{:.5}, {:.5}", x.lat, x.lon)) " — " ((d.time)(&x.created_at)) }
                        (contact(l, x.contact_phone.as_deref(), x.contact_email.as_deref()))
                        @if let Some(n) = &x.notes { p { strong { (tr(l, "req-notes")) ": " } (n) } }
                        p class="hint" { (tr(l, "coord-details-recorded")) }
                    }
                }
                _ => {}
            }
            @if !shown {
                h2 { (tr(l, "coord-details-ask")) }
                p class="hint" { (tr(l, "coord-details-why")) }
                form method="post" action=(action) novalidate {
                    (csrf_field(d.csrf))
                    (input(l, Input { name: "reason", label: tr(l, "coord-details-reason"), kind: "textarea", value: d.reason, hint: Some(tr(l, "coord-details-reason_hint")), autocomplete: "off", required: true }, d.errors))
                    button type="submit" class="secondary" { (tr(l, "coord-details-show")) }
                }
            }
        },
    )
}

/// The doors a waiting party could be proposed, each with its one-click
/// proposal (the IDs travel in the form: nobody copies them). Shown on the
/// request's page and in the console's party panel.
pub fn doors(l: Lang, request_id: &str, doors: &[CandidateView], csrf: &str) -> Markup {
    html! {
        p class="hint" { (tr(l, "coord-doors-hint")) }
        ul class="plain doors" {
            @for door in doors {
                li class="card" {
                    p {
                        strong { (trf(l, "req-distance", args!["band" => door.distance.band])) }
                        " · " (trf(l, "req-area", args!["area" => &area_of(&door.area)]))
                        " · " (trf(l, "req-places", args!["n" => door.remaining]))
                    }
                    @let t = tags(l, &[(door.accessible, "req-attr-accessible"), (door.pets_ok, "req-attr-pets"), (door.children_ok, "req-attr-children"), (door.women_only, "req-attr-women_only")]);
                    @if !t.is_empty() { p class="tags" { (t) } }
                    form method="post" action="/coord/propose" {
                        (csrf_field(csrf))
                        input type="hidden" name="request_id" value=(request_id);
                        input type="hidden" name="offer_id" value=(door.offer_id);
                        button type="submit" { (tr(l, "coord-doors-propose")) }
                    }
                }
            }
        }
    }
}
