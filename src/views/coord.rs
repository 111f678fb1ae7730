//! The coordinators' console: alerts, the waiting queue (longest wait
//! first) and the party chosen in it with its doors, live counts, the map,
//! supply and demand by area, matches, safeguarding and exports; and the
//! match, suggestion and incident pages. The queue, the party and the map
//! are drawn in `coord_console.rs`.

use super::coord_console::{Party, Tiles, map, party_panel, queue};
use super::layout::{Ctx, Errors, Input, button_form, checkbox, csrf_field, input, page};
use crate::domain::matching::Status;
use crate::domain::safeguarding::Standing;
use crate::domain::states::IncidentStatus;
use crate::i18n::{args, tr, trf};
use crate::service::coordination::{AlertView, MailView, Overview};
use crate::service::safeguarding::{HostStatusView, ReportFloodView, ReportView, RiskView};
use crate::service::views::{MatchView, QueueEntryView};
use maud::{Markup, html};

pub struct CoordPage<'a> {
    pub overview: &'a Overview,
    pub queue: &'a [QueueEntryView],
    pub matches: &'a [MatchView],
    pub alerts: &'a [AlertView],
    pub dead: &'a [MailView],
    pub reviews: &'a [MatchView],
    pub reports: &'a [ReportView],
    pub risks: &'a [RiskView],
    pub floods: &'a [ReportFloodView],
    pub areas: &'a [crate::service::oversight::AreaRow],
    pub paused: &'a [crate::service::holds::PausedView],
    pub csrf: &'a str,
    pub notice: Option<&'static str>,
    pub errors: &'a Errors,
    /// the party chosen in the queue or on the map
    pub party: &'a Party<'a>,
    pub map: &'a crate::service::console::ConsoleMap,
    /// the live map's tiles (none: the SVG alone)
    pub tiles: Option<&'a Tiles<'a>>,
    /// the page's version, for the SVG map's address
    pub version: &'a str,
}

pub fn coordination(ctx: &Ctx, p: &CoordPage<'_>) -> Markup {
    let l = ctx.lang;
    let o = p.overview;
    page(
        ctx,
        tr(l, "coord-title"),
        html! {
            div class="page-head" {
                h1 { (tr(l, "coord-title")) }
                div class="buttons" { (button_form("/host/logout", p.csrf, tr(l, "host-logout"), "secondary", &[])) }
            }
            @if let Some(n) = p.notice { p class="notice" role="status" { (tr(l, n)) } }
            // one column on a phone; on a desktop (assets/app.css, >= 1000 px)
            // the work (alerts, the chosen party, the queue, then the rest) on
            // the left, the overview (counts, map, areas) beside it
            div class="console" {
            div class="console-work" {
            div id="live-alerts" data-live { @if !p.alerts.is_empty() {
                section class="summary" role="alert" {
                    h2 { (tr(l, "coord-alerts")) }
                    ul {
                        @for a in p.alerts {
                            li {
                                strong { (tr(l, if a.kind == "unsafe" { "coord-alert-unsafe" } else { "coord-alert-no_arrival" })) }
                                " "
                                a href=(format!("/coord/matches/{}", a.match_view.id)) {
                                    (trf(l, "coord-match-item", args!["name" => &a.match_view.guest.name, "n" => a.match_view.party_size, "area" => &area_of(&a.match_view.offer.area), "status" => tr(l, status_key(a.match_view.status))]))
                                }
                            }
                        }
                    }
                }
            } }
            div id="live-party" data-live { (party_panel(l, p.party, p.csrf)) }
            h2 { (tr(l, "coord-queue")) }
            div id="live-queue" data-live { (queue(l, p.queue, p.party)) }
            }
            div class="console-overview" {
            dl id="live-counts" data-live class="counts tiles" {
                div { dt { (tr(l, "coord-offers_open")) } dd { (o.offers_open) } }
                div { dt { (tr(l, "coord-places_free")) } dd { (o.places_free) } }
                div { dt { (tr(l, "coord-requests_waiting")) } dd { (o.requests_waiting) } }
                div { dt { (tr(l, "coord-proposed")) } dd { (o.matches.proposed) } }
                div { dt { (tr(l, "coord-accepted")) } dd { (o.matches.accepted) } }
                div { dt { (tr(l, "coord-arrived")) } dd { (o.matches.arrived) } }
                div { dt { (tr(l, "coord-accept_median")) } dd { (o.timing.accept_minutes_median.map(|m| m.to_string()).unwrap_or_else(|| "—".into())) } }
                div { dt { (tr(l, "coord-accept_p90")) } dd { (o.timing.accept_minutes_p90.map(|m| m.to_string()).unwrap_or_else(|| "—".into())) } }
                div { dt { (tr(l, "coord-unconfirmed")) } dd { (o.timing.unconfirmed_arrivals) } }
                div { dt { (tr(l, "coord-unsafe_flags")) } dd { (o.timing.unsafe_flags) } }
            }
            (map(l, p.map, p.party, p.tiles, p.version))
            div id="live-areas" data-live { @if !p.areas.is_empty() {
                h2 { (tr(l, "coord-areas")) }
                table {
                    thead { tr {
                        th scope="col" { (tr(l, "coord-area")) }
                        th scope="col" { (tr(l, "coord-places_free")) }
                        th scope="col" { (tr(l, "coord-people_waiting")) }
                    } }
                    tbody {
                        @for a in p.areas.iter().take(30) {
                            tr class=(if a.people_waiting > a.places_free { "short" } else { "" }) {
                                td { (a.area) } td { (a.places_free) } td { (a.people_waiting) }
                            }
                        }
                    }
                }
            } }
            }
            div class="console-more" {
            h2 { (tr(l, "coord-matches")) }
            div id="live-matches" data-live {
            @if p.matches.is_empty() { p { (tr(l, "coord-matches-none")) } }
            ul {
                @for m in p.matches {
                    li {
                        a href=(format!("/coord/matches/{}", m.id)) {
                            (trf(l, "coord-match-item", args!["name" => &m.guest.name, "n" => m.party_size, "area" => &area_of(&m.offer.area), "status" => tr(l, status_key(m.status))]))
                        }
                    }
                }
            }
            }
            form method="get" action="/coord/match" {
                (input(l, Input { name: "id", label: tr(l, "coord-match_id"), kind: "text", value: "", hint: None, autocomplete: "off", required: true }, p.errors))
                button type="submit" class="secondary" { (tr(l, "coord-open")) }
            }
            div id="live-safeguarding" data-live {
            @if !p.reviews.is_empty() {
                h2 { (tr(l, "coord-reviews")) }
                ul {
                    @for m in p.reviews {
                        li {
                            a href=(format!("/coord/matches/{}", m.id)) {
                                (trf(l, "coord-match-item", args!["name" => &m.guest.name, "n" => m.party_size, "area" => &area_of(&m.offer.area), "status" => tr(l, status_key(m.status))]))
                            }
                            " "
                            (button_form(&format!("/coord/do/approve/{}", m.id), p.csrf, tr(l, "coord-approve"), "", &[("back", "/coord")]))
                        }
                    }
                }
            }
            @if !p.reports.is_empty() {
                h2 { (tr(l, "coord-reports")) }
                ul {
                    @for r in p.reports {
                        li {
                            (trf(l, "coord-report-item", args!["kind" => r.target_kind.as_str(), "id" => &r.target_id, "reason" => r.reason.as_str()]))
                            @if let Some(d) = &r.details { " — " q { (d) } }
                            " — " small { (tr(l, standing_key(r.standing))) }
                            " "
                            (button_form(&format!("/coord/do/dismiss/{}", r.id), p.csrf, tr(l, "coord-dismiss"), "secondary", &[("back", "/coord")]))
                            " "
                            (button_form(&format!("/coord/do/uphold/{}", r.id), p.csrf, tr(l, "coord-uphold"), "danger", &[("back", "/coord")]))
                        }
                    }
                }
            }
            @if !p.risks.is_empty() {
                h2 { (tr(l, "coord-risks")) }
                ul {
                    @for r in p.risks {
                        li { (trf(l, "coord-risk-item", args!["id" => &r.host_id, "late" => r.unconfirmed_arrivals, "cancelled" => r.cancelled_after_acceptance])) }
                    }
                }
            }
            @if !p.floods.is_empty() {
                h2 { (tr(l, "coord-floods")) }
                ul {
                    @for f in p.floods {
                        li { (trf(l, "coord-flood-item", args!["source" => tr(l, if f.source == "network" { "coord-flood-network" } else { "coord-flood-reporter" }), "id" => &f.id, "n" => f.busiest_hour, "day" => f.last_day])) }
                    }
                }
            }
            @if !p.paused.is_empty() {
                h2 { (tr(l, "coord-paused")) }
                p class="hint" { (tr(l, "coord-paused-hint")) }
                ul {
                    @for o in p.paused {
                        li { (trf(l, if o.reason == "declines" { "coord-paused-declines" } else { "coord-paused-unanswered" }, args!["area" => &area_of(&o.area), "since" => &o.paused_at])) }
                    }
                }
            }
            @if !p.dead.is_empty() {
                h2 { (tr(l, "coord-dead")) }
                ul {
                    @for d in p.dead {
                        li {
                            (d.subject) " — " (d.recipient) " — " (d.last_error.as_deref().unwrap_or(""))
                            " "
                            (button_form(&format!("/coord/outbox/{}/retry", d.id), p.csrf, tr(l, "coord-retry"), "secondary", &[]))
                        }
                    }
                }
            }
            }
            p {
                a class="button secondary" href="/coord/suggest" { (tr(l, "coord-suggest")) }
                " "
                a class="button secondary" href="/coord/incidents" { (tr(l, "incident-title")) }
            }
            h2 { (tr(l, "coord-exports")) }
            ul {
                li { a href="/coord/export/offers.csv" { (tr(l, "coord-export-offers")) } " (" a href="/coord/export/offers.csv?personal=1" { (tr(l, "coord-export-personal")) } ")" }
                li { a href="/coord/export/requests.csv" { (tr(l, "coord-export-requests")) } " (" a href="/coord/export/requests.csv?personal=1" { (tr(l, "coord-export-personal")) } ")" }
                li { a href="/coord/export/areas-hxl.csv" { (tr(l, "coord-export-hxl")) } }
                li { a href="/coord/export/pfif.xml" { (tr(l, "coord-export-pfif")) } }
            }
            }
            }
        },
    )
}

fn area_of(a: &crate::service::views::Area) -> String {
    a.label.clone().unwrap_or_else(|| a.cell.clone())
}

fn standing_key(standing: Standing) -> &'static str {
    match standing {
        Standing::Weak => "coord-standing-weak",
        Standing::Strong => "coord-standing-strong",
        Standing::Coordinator => "coord-standing-coordinator",
        Standing::None => "coord-standing-none",
    }
}

fn status_key(status: Status) -> &'static str {
    match status {
        Status::Proposed => "coord-status-proposed",
        Status::Accepted => "coord-status-accepted",
        Status::Arrived => "coord-status-arrived",
        Status::Declined => "coord-status-declined",
        Status::Expired => "coord-status-expired",
        Status::Cancelled => "coord-status-cancelled",
    }
}

/// One match as a coordinator sees it: both sides, and their contacts once
/// both consented (opening this page is recorded as a reveal).
/// One match with the host's safeguarding status and the actions on it.
pub struct MatchPage<'a> {
    pub m: &'a MatchView,
    pub host: &'a HostStatusView,
    pub csrf: &'a str,
    pub time: &'a dyn Fn(&str) -> String,
}

pub fn match_page(ctx: &Ctx, p: &MatchPage<'_>) -> Markup {
    let (m, time) = (p.m, p.time);
    let back = format!("/coord/matches/{}", m.id);
    let l = ctx.lang;
    let yes_no = |b: bool| tr(l, if b { "coord-yes" } else { "coord-no" });
    page(
        ctx,
        tr(l, "coord-title"),
        html! {
            h1 { (trf(l, "coord-match-title", args!["id" => m.id.as_str()])) }
            p { a href="/coord" { (tr(l, "coord-back")) } }
            dl class="counts" {
                dt { (tr(l, "coord-match-status")) } dd { (tr(l, status_key(m.status))) }
                dt { (tr(l, "coord-match-created")) } dd { (time(&m.created_at)) }
                @if m.status == Status::Proposed { dt { (tr(l, "coord-match-expires")) } dd { (time(&m.expires_at)) } }
                @if let Some(t) = &m.accepted_at { dt { (tr(l, "coord-match-accepted")) } dd { (time(t)) } }
                @if let Some(t) = &m.arrived_at { dt { (tr(l, "coord-match-arrived")) } dd { (time(t)) } }
                dt { (tr(l, "coord-match-guest_consent")) } dd { (yes_no(m.consent.guest)) }
                dt { (tr(l, "coord-match-host_consent")) } dd { (yes_no(m.consent.host)) }
            }
            section class="card" {
                h2 { (tr(l, "coord-match-guest")) }
                p { (trf(l, "host-proposal", args!["name" => &m.guest.name, "n" => m.party_size])) }
                p { (trf(l, "req-area", args!["area" => &area_of(&m.guest.area)])) " " code { (m.request_id) } " " a href=(format!("/coord/requests/{}", m.request_id)) { (tr(l, "coord-details-open")) } }
                @if let Some(r) = &m.guest.revealed {
                    @if let Some(ph) = &r.contact_phone { p { strong { (tr(l, "req-phone")) ": " } a href=(format!("tel:{ph}")) { (ph) } } }
                    @if let Some(em) = &r.contact_email { p { strong { (tr(l, "req-email")) ": " } a href=(format!("mailto:{em}")) { (em) } } }
                } @else {
                    p class="hint" { (tr(l, "coord-match-hidden")) }
                }
            }
            @if m.awaiting_review {
                div class="summary" {
                    p { (tr(l, "coord-review-hint")) }
                    (button_form(&format!("/coord/do/approve/{}", m.id), p.csrf, tr(l, "coord-approve"), "", &[("back", &back)]))
                }
            }
            section class="card" {
                h2 { (tr(l, "coord-host")) }
                p { (p.host.display_name) " " code { (p.host.id) } }
                p { (tr(l, match p.host.level { "coordinator_verified" => "coord-level-coordinator", "email_verified" => "coord-level-email", _ => "coord-level-none" })) }
                @if p.host.suspended { p class="error" { (tr(l, "coord-suspended")) } }
                div class="buttons" {
                    @if p.host.level != "coordinator_verified" {
                        (button_form(&format!("/coord/do/verify-identity/{}", p.host.id), p.csrf, tr(l, "coord-verify_identity"), "secondary", &[("back", &back)]))
                        " "
                    }
                    @if p.host.suspended {
                        (button_form(&format!("/coord/do/reinstate/{}", p.host.id), p.csrf, tr(l, "coord-reinstate"), "secondary", &[("back", &back)]))
                    } @else {
                        (button_form(&format!("/coord/do/suspend/{}", p.host.id), p.csrf, tr(l, "coord-suspend"), "danger", &[("back", &back)]))
                    }
                }
            }
            section class="card" {
                h2 { (tr(l, "coord-match-offer")) }
                p { (trf(l, "req-area", args!["area" => &area_of(&m.offer.area)])) " " code { (m.offer_id) } " " a href=(format!("/coord/offers/{}", m.offer_id)) { (tr(l, "coord-details-open")) } }
                @if let Some(r) = &m.offer.revealed {
                    p { strong { (tr(l, "req-host")) ": " } (r.host_name) }
                    p { strong { (tr(l, "req-address")) ": " } (r.address) }
                    @if let Some(ph) = &r.contact_phone { p { strong { (tr(l, "req-phone")) ": " } a href=(format!("tel:{ph}")) { (ph) } } }
                    @if let Some(em) = &r.contact_email { p { strong { (tr(l, "req-email")) ": " } a href=(format!("mailto:{em}")) { (em) } } }
                } @else {
                    p class="hint" { (tr(l, "coord-match-hidden")) }
                }
            }
        },
    )
}

/// The suggested assignments, with the comparison to nearest-first, and
/// one form that sends them all.
pub fn suggestions(
    ctx: &Ctx,
    v: &crate::service::assignment::SuggestionView,
    csrf: &str,
) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "coord-suggest"),
        html! {
            h1 { (tr(l, "coord-suggest")) }
            p { a href="/coord" { (tr(l, "coord-back")) } }
            p { (trf(l, "coord-suggest-totals", args!["people" => v.suggested.people, "waiting" => v.waiting_people, "km" => v.suggested.distance_km, "gpeople" => v.greedy.people, "gkm" => v.greedy.distance_km])) }
            (super::certificate::line(l, &v.certificate))
            @if v.pairs.is_empty() {
                p { (tr(l, "coord-suggest-none")) }
            } @else {
                form method="post" action="/coord/suggest" {
                    (csrf_field(csrf))
                    table {
                        thead { tr {
                            th scope="col" { (tr(l, "coord-suggest-guest")) }
                            th scope="col" { (tr(l, "coord-suggest-from")) }
                            th scope="col" { (tr(l, "coord-suggest-to")) }
                            th scope="col" { (tr(l, "coord-suggest-distance")) }
                        } }
                        tbody {
                            @for p in &v.pairs {
                                tr {
                                    td { (p.name) " (" (p.party_size) ")" input type="hidden" name="pair" value=(format!("{}:{}", p.request_id, p.offer_id)); }
                                    td { (area_of(&p.request_area)) }
                                    td { (area_of(&p.offer_area)) " " code { (p.offer_id) } }
                                    td { (p.distance.band) }
                                }
                            }
                        }
                    }
                    button type="submit" { (trf(l, "coord-suggest-send", args!["n" => v.pairs.len()])) }
                }
            }
        },
    )
}

/// Incidents: the list (open first) with a close button, and the form to
/// open one.
pub fn incidents(
    ctx: &Ctx,
    list: &[crate::service::incidents::IncidentView],
    values: &crate::views::host::Values,
    errors: &Errors,
    csrf: &str,
    time: &dyn Fn(&str) -> String,
) -> Markup {
    let l = ctx.lang;
    let v = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    let checked = |k: &str| values.is_empty() || values.get(k).is_some_and(|x| x == "on");
    page(
        ctx,
        tr(l, "incident-title"),
        html! {
            h1 { (tr(l, "incident-title")) }
            p { a href="/coord" { (tr(l, "coord-back")) } }
            @if list.is_empty() { p { (tr(l, "incident-none")) } }
            ul class="plain" {
                @for i in list {
                    li class="card" {
                        // each incident its own h2, under the page's h1
                        h2 { (i.name) " — " (tr(l, if i.status == IncidentStatus::Open { "incident-open" } else { "incident-closed" })) }
                        p { (trf(l, "incident-until", args!["time" => &time(&i.planned_end_at)])) }
                        @if let Some(r) = i.radius_km { p { (trf(l, "incident-radius", args!["km" => r])) } }
                        p { (trf(l, "incident-numbers", args!["numbers" => &i.emergency_numbers.join(", ")])) }
                        @if let Some(p) = &i.purge_after { @if i.purged_at.is_none() { p { (trf(l, "incident-purge", args!["time" => &time(p)])) } } }
                        @if let Some(s) = &i.summary { p { (tr(l, "incident-summary")) " " code { (s.to_string()) } } }
                        @if i.status == IncidentStatus::Open {
                            (button_form(&format!("/coord/incidents/{}/close", i.id), csrf, tr(l, "incident-close"), "danger", &[]))
                        }
                    }
                }
            }
            h2 { (tr(l, "incident-new")) }
            @if !errors.is_empty() { div class="summary" role="alert" { (tr(l, if errors.contains_key("csrf") { "err-csrf" } else { "err-summary" })) } }
            form method="post" action="/coord/incidents" novalidate {
                (csrf_field(csrf))
                (input(l, Input { name: "name", label: tr(l, "incident-name"), kind: "text", value: v("name"), hint: None, autocomplete: "off", required: true }, errors))
                (input(l, Input { name: "place", label: tr(l, "incident-place"), kind: "text", value: v("place"), hint: Some(tr(l, "need-place-hint")), autocomplete: "off", required: true }, errors))
                input type="hidden" name="lat" value=(v("lat"));
                input type="hidden" name="lon" value=(v("lon"));
                (input(l, Input { name: "radius_km", label: tr(l, "incident-radius_km"), kind: "number", value: if v("radius_km").is_empty() { "5" } else { v("radius_km") }, hint: None, autocomplete: "off", required: true }, errors))
                (input(l, Input { name: "hours", label: tr(l, "incident-hours"), kind: "number", value: if v("hours").is_empty() { "72" } else { v("hours") }, hint: None, autocomplete: "off", required: true }, errors))
                (input(l, Input { name: "emergency_numbers", label: tr(l, "incident-emergency"), kind: "text", value: if v("emergency_numbers").is_empty() { "112, 17" } else { v("emergency_numbers") }, hint: None, autocomplete: "off", required: true }, errors))
                fieldset {
                    legend { (tr(l, "incident-rules")) }
                    (checkbox("women_only_needs_verified_host", tr(l, "incident-rule-women"), checked("women_only_needs_verified_host")))
                    (checkbox("children_need_verified_host", tr(l, "incident-rule-children"), checked("children_need_verified_host")))
                    (checkbox("first_acceptance_review", tr(l, "incident-rule-review"), !values.is_empty() && checked("first_acceptance_review")))
                }
                button type="submit" { (tr(l, "incident-open_button")) }
            }
        },
    )
}
