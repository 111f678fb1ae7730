//! Hosts' pages: log in, sign up, and the offers dashboard with the form
//! to offer places.

use super::layout::{
    Ctx, Errors, Input, button_form, checkbox, csrf_field, input, page, report_form,
};
use crate::domain::ids::OfferId;
use crate::domain::locale::Lang;
use crate::domain::matching::Status;
use crate::domain::states::OfferStatus;
use crate::i18n::{args, tr, trf};
use crate::service::views::{MatchView, NearbyRequestView, OfferOwnerView};
use maud::{Markup, html};
use std::collections::HashMap;

pub type Values = HashMap<String, String>;

fn v<'a>(values: &'a Values, k: &str) -> &'a str {
    values.get(k).map(String::as_str).unwrap_or("")
}

fn summary(ctx: &Ctx, errors: &Errors) -> Markup {
    let l = ctx.lang;
    let key = ["csrf", "login", "rate_limited"]
        .iter()
        .find_map(|k| errors.get(*k).copied())
        .unwrap_or("err-summary");
    html! {
        @if !errors.is_empty() {
            div class="summary" role="alert" id="errors" { (tr(l, key)) }
        }
    }
}

pub fn login(ctx: &Ctx, values: &Values, errors: &Errors, csrf: &str) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "host-login"),
        html! {
            h1 { (tr(l, "host-login")) }
            (summary(ctx, errors))
            form method="post" action="/host/login" {
                (csrf_field(csrf))
                (input(l, Input { name: "email", label: tr(l, "host-email"), kind: "email", value: v(values, "email"), hint: None, autocomplete: "username", required: true }, errors))
                (input(l, Input { name: "password", label: tr(l, "host-password"), kind: "password", value: "", hint: None, autocomplete: "current-password", required: true }, errors))
                button type="submit" { (tr(l, "host-login")) }
            }
            p { a href="/host/reset" { (tr(l, "host-forgot")) } }
            p { (tr(l, "host-no_account")) " " a href="/host/signup" { (tr(l, "host-signup")) } }
        },
    )
}

pub fn signup(ctx: &Ctx, values: &Values, errors: &Errors, csrf: &str) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "host-signup"),
        html! {
            h1 { (tr(l, "host-signup")) }
            (summary(ctx, errors))
            form method="post" action="/host/signup" {
                (csrf_field(csrf))
                (input(l, Input { name: "display_name", label: tr(l, "host-display_name"), kind: "text", value: v(values, "display_name"), hint: None, autocomplete: "name", required: true }, errors))
                (input(l, Input { name: "email", label: tr(l, "host-email"), kind: "email", value: v(values, "email"), hint: None, autocomplete: "email", required: true }, errors))
                (input(l, Input { name: "password", label: tr(l, "host-password"), kind: "password", value: "", hint: Some(tr(l, "host-password-hint")), autocomplete: "new-password", required: true }, errors))
                (input(l, Input { name: "phone", label: tr(l, "host-phone"), kind: "tel", value: v(values, "phone"), hint: None, autocomplete: "tel", required: false }, errors))
                button type="submit" { (tr(l, "host-signup")) }
            }
            p { (tr(l, "host-have_account")) " " a href="/host/login" { (tr(l, "host-login")) } }
        },
    )
}

/// What the dashboard shows under one offer.
#[derive(Default)]
pub struct OfferDetails {
    pub matches: Vec<MatchView>,
    pub nearby: Vec<NearbyRequestView>,
}

pub struct Dashboard<'a> {
    pub name: &'a str,
    /// whether the account's e-mail address is confirmed
    pub verified: bool,
    /// who saw the host's contact details
    pub seen: &'a [crate::service::audit::SeenBy],
    pub offers: &'a [OfferOwnerView],
    pub details: &'a HashMap<OfferId, OfferDetails>,
    pub values: &'a Values,
    pub errors: &'a Errors,
    pub csrf: &'a str,
    pub time: &'a dyn Fn(&str) -> String,
}

pub fn dashboard(ctx: &Ctx, d: &Dashboard<'_>) -> Markup {
    let l = ctx.lang;
    let (values, errors) = (d.values, d.errors);
    page(
        ctx,
        tr(l, "host-title"),
        html! {
            h1 { (trf(l, "host-hello", args!["name" => d.name])) }
            div class="buttons" { (button_form("/host/logout", d.csrf, tr(l, "host-logout"), "secondary", &[])) }
            @if !d.verified {
                div class="notice" {
                    p { (tr(l, "host-unverified")) }
                    (button_form("/host/verify/resend", d.csrf, tr(l, "host-resend"), "secondary", &[]))
                }
            }
            (super::push::opt_in(l, "/host/push", d.csrf, None))
            div id="live-offers" data-live {
            (super::layout::seen_by(l, d.seen, d.time))
            h2 { (tr(l, "host-offers")) }
            @if d.offers.is_empty() { p { (tr(l, "host-offers-none")) } }
            ul class="plain" {
                @for o in d.offers {
                    li class="card" id=(format!("offer-{}", o.id)) data-live {
                        h3 { (o.address) " — " (tr(l, match o.status { OfferStatus::Open => "host-offer-status-open", OfferStatus::Paused => "host-offer-status-paused", OfferStatus::Closed => "host-offer-status-closed" })) }
                        @if o.status == OfferStatus::Paused {
                            @if let Some(why) = &o.paused_reason {
                                div class="notice" role="status" {
                                    p { (tr(l, if why == "declines" { "host-paused-declines" } else { "host-paused-unanswered" })) }
                                    (button_form(&format!("/host/offers/{}/status", o.id), d.csrf, tr(l, "host-paused-yes"), "", &[("status", "open")]))
                                }
                            }
                        }
                        p { (trf(l, "host-offer-places", args!["remaining" => o.remaining, "capacity" => o.capacity])) }
                        p { (trf(l, "host-offer-until", args!["time" => &(d.time)(&o.available_until)])) }
                        @if let Some(det) = d.details.get(&o.id) { (offer_details(ctx, d, o, det)) }
                    }
                }
            }
            }
            h2 id="new" { (tr(l, "host-new")) }
            p class="hint" { (tr(l, "host-free")) }
            (summary(ctx, errors))
            (offer_form(l, &OfferForm { action: "/host/offers", values, errors, csrf: d.csrf, editing: false }))
        },
    )
}

/// The offer form, to publish a new offer or edit one.
pub struct OfferForm<'a> {
    pub action: &'a str,
    pub values: &'a Values,
    pub errors: &'a Errors,
    pub csrf: &'a str,
    /// when editing, an empty place keeps the offer's position
    pub editing: bool,
}

fn offer_form(l: Lang, f: &OfferForm<'_>) -> Markup {
    let (values, errors) = (f.values, f.errors);
    let checked = |k: &str| values.get(k).is_some_and(|x| x == "on");
    let or = |k: &str, default: &'static str| -> String {
        match v(values, k) {
            "" => default.to_owned(),
            x => x.to_owned(),
        }
    };
    let place_hint = if f.editing {
        "host-place-keep"
    } else {
        "need-place-hint"
    };
    html! {
        form method="post" action=(f.action) novalidate {
            (csrf_field(f.csrf))
            (input(l, Input { name: "address", label: tr(l, "host-address"), kind: "text", value: v(values, "address"), hint: None, autocomplete: "address-line1", required: true }, errors))
            (input(l, Input { name: "place", label: tr(l, "host-place"), kind: "text", value: v(values, "place"), hint: Some(tr(l, place_hint)), autocomplete: "address-level2", required: false }, errors))
            (super::layout::place_choices(l, values))
            input type="hidden" name="lat" value=(v(values, "lat"));
            input type="hidden" name="lon" value=(v(values, "lon"));
            button type="button" class="secondary js-only" data-locate="locate-status"
                data-done=(tr(l, "need-locate-done")) data-failed=(tr(l, "need-locate-failed")) { (tr(l, "need-locate")) }
            p id="locate-status" class="hint" aria-live="polite" {}
            (input(l, Input { name: "capacity", label: tr(l, "host-capacity"), kind: "number", value: &or("capacity", "2"), hint: None, autocomplete: "off", required: true }, errors))
            (input(l, Input { name: "hours", label: tr(l, "host-hours"), kind: "number", value: &or("hours", "24"), hint: None, autocomplete: "off", required: true }, errors))
            fieldset {
                legend { (tr(l, "host-accommodates")) }
                (checkbox("accessible", tr(l, "host-accessible"), checked("accessible")))
                (checkbox("pets_ok", tr(l, "host-pets_ok"), checked("pets_ok")))
                (checkbox("children_ok", tr(l, "host-children_ok"), checked("children_ok")))
                (checkbox("women_only", tr(l, "host-women_only"), checked("women_only")))
            }
            (input(l, Input { name: "languages", label: tr(l, "host-languages"), kind: "text", value: v(values, "languages"), hint: Some(tr(l, "languages-hint")), autocomplete: "off", required: false }, errors))
            (input(l, Input { name: "contact_phone", label: tr(l, "need-phone"), kind: "tel", value: v(values, "contact_phone"), hint: None, autocomplete: "tel", required: false }, errors))
            (input(l, Input { name: "notes", label: tr(l, "host-notes"), kind: "textarea", value: v(values, "notes"), hint: None, autocomplete: "off", required: false }, errors))
            button type="submit" { (tr(l, if f.editing { "host-save" } else { "host-create" })) }
        }
    }
}

/// The page to edit one offer.
pub fn edit(ctx: &Ctx, form: &OfferForm<'_>) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "host-edit"),
        html! {
            h1 { (tr(l, "host-edit")) }
            p { a href="/host" { (tr(l, "host-back")) } }
            (summary(ctx, form.errors))
            (offer_form(l, form))
        },
    )
}

fn offer_details(ctx: &Ctx, d: &Dashboard<'_>, o: &OfferOwnerView, det: &OfferDetails) -> Markup {
    let l = ctx.lang;
    let live: Vec<&MatchView> = det
        .matches
        .iter()
        .filter(|m| {
            matches!(
                m.status,
                Status::Proposed | Status::Accepted | Status::Arrived
            )
        })
        .collect();
    html! {
        div class="buttons" {
            @if o.status != OfferStatus::Closed {
                a class="button secondary" href=(format!("/host/offers/{}/edit", o.id)) { (tr(l, "host-edit")) }
                " "
            }
            @match o.status {
                OfferStatus::Open => { (button_form(&format!("/host/offers/{}/status", o.id), d.csrf, tr(l, "host-pause"), "secondary", &[("status", "paused")])) }
                _ => { (button_form(&format!("/host/offers/{}/status", o.id), d.csrf, tr(l, "host-reopen"), "secondary", &[("status", "open")])) }
            }
            " "
            @if o.status != OfferStatus::Closed {
                (button_form(&format!("/host/offers/{}/status", o.id), d.csrf, tr(l, "host-close"), "danger", &[("status", "closed")]))
            }
        }
        @if !live.is_empty() {
            h4 { (tr(l, "host-proposals")) }
            ul class="plain" {
                @for m in live {
                    li class=(if m.guest.revealed.is_some() { "card reveal" } else { "card" }) {
                        p { strong { (trf(l, "host-proposal", args!["name" => &m.guest.name, "n" => m.party_size])) } }
                        @match m.status {
                            Status::Proposed if m.consent.host => { p { (trf(l, "host-proposal-wait", args!["time" => &(d.time)(&m.expires_at)])) } }
                            Status::Proposed => {
                                p { (trf(l, "host-proposal-expires", args!["time" => &(d.time)(&m.expires_at)])) }
                                (button_form(&format!("/host/matches/{}/accept", m.id), d.csrf, tr(l, "host-accept"), "", &[]))
                                " "
                                (button_form(&format!("/host/matches/{}/decline", m.id), d.csrf, tr(l, "host-decline"), "secondary", &[]))
                            }
                            _ => {
                                @if let Some(r) = &m.guest.revealed {
                                    p { strong { (tr(l, "host-guest_contact")) ": " }
                                        @if let Some(ph) = &r.contact_phone { a href=(format!("tel:{ph}")) { (ph) } " " }
                                        @if let Some(em) = &r.contact_email { a href=(format!("mailto:{em}")) { (em) } }
                                    }
                                }
                                @if m.status == Status::Accepted {
                                    (button_form(&format!("/host/matches/{}/arrived", m.id), d.csrf, tr(l, "host-arrived"), "", &[]))
                                } @else {
                                    p { (tr(l, "host-arrived-done")) }
                                }
                                (report_form(l, &format!("/host/matches/{}/report", m.id), d.csrf, &[("match", &m.id)]))
                            }
                        }
                    }
                }
            }
        }
        @if o.status == OfferStatus::Open {
            h4 { (tr(l, "host-nearby")) }
            @if det.nearby.is_empty() { p class="hint" { (tr(l, "host-nearby-none")) } }
            ul class="plain" {
                @for n in &det.nearby {
                    @let area = n.area.label.clone().unwrap_or_else(|| n.area.cell.clone());
                    li {
                        (trf(l, "host-nearby-item", args!["n" => n.party_size, "band" => n.distance.band, "area" => &area]))
                        " "
                        (button_form(&format!("/host/offers/{}/invite", o.id), d.csrf, tr(l, "host-invite"), "secondary", &[("request_id", &n.request_id)]))
                    }
                }
            }
        }
    }
}

/// The page a verification link opens: one button confirms (a link alone
/// would be used up by mail scanners that follow links).
pub fn verify(ctx: &Ctx, action: &str, failed: bool, csrf: &str) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "verify-title"),
        html! {
            h1 { (tr(l, "verify-title")) }
            @if failed {
                div class="summary" role="alert" id="errors" { (tr(l, "err-link")) }
                p { a href="/host" { (tr(l, "host-back")) } }
            } @else {
                form method="post" action=(action) {
                    (csrf_field(csrf))
                    button type="submit" { (tr(l, "verify-submit")) }
                }
            }
        },
    )
}

/// "Forgot your password?": the address, then the same answer for all.
pub fn reset_request(
    ctx: &Ctx,
    values: &Values,
    errors: &Errors,
    csrf: &str,
    sent: bool,
) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "reset-title"),
        html! {
            h1 { (tr(l, "reset-title")) }
            @if sent {
                p class="notice" role="status" { (tr(l, "reset-sent")) }
            } @else {
                (summary(ctx, errors))
                form method="post" action="/host/reset" {
                    (csrf_field(csrf))
                    (input(l, Input { name: "email", label: tr(l, "host-email"), kind: "email", value: v(values, "email"), hint: None, autocomplete: "username", required: true }, errors))
                    button type="submit" { (tr(l, "reset-send")) }
                }
            }
            p { a href="/host/login" { (tr(l, "host-login")) } }
        },
    )
}

/// The page a reset link opens: a new password.
pub fn reset_form(ctx: &Ctx, action: &str, errors: &Errors, csrf: &str) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "reset-new"),
        html! {
            h1 { (tr(l, "reset-new")) }
            @if errors.contains_key("link") {
                div class="summary" role="alert" id="errors" { (tr(l, "err-link")) }
                p { a href="/host/reset" { (tr(l, "reset-again")) } }
            } @else {
                (summary(ctx, errors))
                form method="post" action=(action) {
                    (csrf_field(csrf))
                    (input(l, Input { name: "password", label: tr(l, "reset-password"), kind: "password", value: "", hint: Some(tr(l, "host-password-hint")), autocomplete: "new-password", required: true }, errors))
                    button type="submit" { (tr(l, "reset-save")) }
                }
            }
        },
    )
}
