//! The guest's pages: the request form (works without JavaScript: a place
//! or postcode; with it, "use my location") and the request's private page.

use super::layout::{
    Ctx, Errors, Input, button_form, checkbox, csrf_field, input, page, place_choices, report_form,
};
use crate::domain::locale::Lang;
use crate::domain::matching::Status;
use crate::domain::states::RequestStatus;
use crate::i18n::{args, tr, trf};
use crate::service::views::{CandidateView, MatchView, RequestView};
use maud::{Markup, html};
use std::collections::HashMap;

/// What the guest typed, to fill the form again after an error.
pub type Values = HashMap<String, String>;

fn v<'a>(values: &'a Values, k: &str) -> &'a str {
    values.get(k).map(String::as_str).unwrap_or("")
}

/// The request form's optional fields, folded under the submit button.
const OPTIONAL: [&str; 10] = [
    "accessible",
    "pets",
    "children",
    "women_only",
    "languages",
    "trusted_contact_email",
    "trusted_contact_consent",
    "findable_name",
    "findable_consent",
    "notes",
];

pub fn need_form(ctx: &Ctx, values: &Values, errors: &Errors, csrf: &str) -> Markup {
    let l = ctx.lang;
    let checked = |k: &str| values.get(k).is_some_and(|x| x == "on");
    // the optional part opens when it holds something: a value or an error
    let open_more = OPTIONAL
        .iter()
        .any(|k| errors.contains_key(*k) || values.get(*k).is_some_and(|x| !x.trim().is_empty()));
    page(
        ctx,
        tr(l, "need-title"),
        html! {
            h1 { (tr(l, "need-title")) }
            @if !errors.is_empty() {
                div class="summary" role="alert" tabindex="-1" id="errors" {
                    (tr(l, if errors.contains_key("csrf") { "err-csrf" } else { "err-summary" }))
                }
            }
            // what is required, then the button, fit a phone's first screen;
            // the rest is folded below
            form method="post" action="/need" novalidate {
                (csrf_field(csrf))
                fieldset {
                    legend { (tr(l, "need-where")) }
                    (input(l, Input { name: "place", label: tr(l, "need-place"), kind: "text", value: v(values, "place"),
                        hint: Some(tr(l, "need-place-hint")), autocomplete: "address-level2", required: false }, errors))
                    (place_choices(l, values))
                    input type="hidden" name="lat" value=(v(values, "lat"));
                    input type="hidden" name="lon" value=(v(values, "lon"));
                    button type="button" class="secondary js-only" data-locate="locate-status"
                        data-done=(tr(l, "need-locate-done")) data-failed=(tr(l, "need-locate-failed")) { (tr(l, "need-locate")) }
                    p id="locate-status" class="hint" aria-live="polite" {}
                }
                div class="pair" {
                    (input(l, Input { name: "party_size", label: tr(l, "need-party"), kind: "number",
                        value: if v(values, "party_size").is_empty() { "1" } else { v(values, "party_size") },
                        hint: None, autocomplete: "off", required: true }, errors))
                    (input(l, Input { name: "name", label: tr(l, "need-name"), kind: "text", value: v(values, "name"),
                        hint: None, autocomplete: "given-name", required: true }, errors))
                }
                fieldset {
                    legend { (tr(l, "need-contact-hint")) }
                    div class="pair even" {
                        (input(l, Input { name: "contact_phone", label: tr(l, "need-phone"), kind: "tel", value: v(values, "contact_phone"),
                            hint: None, autocomplete: "tel", required: false }, errors))
                        (input(l, Input { name: "contact_email", label: tr(l, "need-email"), kind: "email", value: v(values, "contact_email"),
                            hint: None, autocomplete: "email", required: false }, errors))
                    }
                }
                button type="submit" { (tr(l, "need-submit")) }
                p class="hint" { (tr(l, "need-intro")) }
                details class="more" open[open_more] {
                summary { (tr(l, "need-more")) }
                fieldset {
                    legend { (tr(l, "need-auto")) }
                    // ticked on the first view: the sentence says what it allows
                    (checkbox("auto_ask", tr(l, "need-auto-consent"), values.is_empty() || checked("auto_ask")))
                }
                (optional_details(l, values, errors))
                button type="submit" { (tr(l, "need-submit")) }
                }
            }
        },
    )
}

/// The optional part of a request, on the form (folded) and on the page
/// where the guest adds it after sending (`details_form`).
fn optional_details(l: Lang, values: &Values, errors: &Errors) -> Markup {
    let checked = |k: &str| values.get(k).is_some_and(|x| x == "on");
    html! {
        fieldset {
            legend { (tr(l, "need-needs")) }
            (checkbox("accessible", tr(l, "need-accessible"), checked("accessible")))
            (checkbox("pets", tr(l, "need-pets"), checked("pets")))
            (checkbox("children", tr(l, "need-children"), checked("children")))
            (checkbox("women_only", tr(l, "need-women_only"), checked("women_only")))
        }
        (input(l, Input { name: "languages", label: tr(l, "need-languages"), kind: "text", value: v(values, "languages"),
            hint: Some(tr(l, "languages-hint")), autocomplete: "off", required: false }, errors))
        fieldset {
            legend { (tr(l, "need-trusted")) }
            p class="hint" { (tr(l, "need-trusted-hint")) }
            (input(l, Input { name: "trusted_contact_email", label: tr(l, "need-trusted-email"), kind: "email", value: v(values, "trusted_contact_email"),
                hint: None, autocomplete: "off", required: false }, errors))
            @if let Some(key) = errors.get("trusted_contact_consent") { p class="error" id="f-trusted_contact_consent-error" { (tr(l, key)) } }
            (checkbox("trusted_contact_consent", tr(l, "need-trusted-consent"), checked("trusted_contact_consent")))
        }
        fieldset {
            legend { (tr(l, "need-findable")) }
            p class="hint" { (tr(l, "need-findable-hint")) }
            (input(l, Input { name: "findable_name", label: tr(l, "need-findable-name"), kind: "text", value: v(values, "findable_name"),
                hint: None, autocomplete: "name", required: false }, errors))
            @if let Some(key) = errors.get("findable_consent") { p class="error" id="f-findable_consent-error" { (tr(l, key)) } }
            (checkbox("findable_consent", tr(l, "need-findable-consent"), checked("findable_consent")))
        }
        (input(l, Input { name: "notes", label: tr(l, "need-notes"), kind: "textarea", value: v(values, "notes"),
            hint: None, autocomplete: "off", required: false }, errors))
    }
}

/// The page where a guest adds details to a request already sent: needs,
/// languages and notes as they are, a trusted contact and a findable name
/// (never shown back: a blank one leaves the one given before).
pub fn details_form(ctx: &Ctx, base: &str, values: &Values, errors: &Errors, csrf: &str) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "req-details-title"),
        html! {
            h1 { (tr(l, "req-details-title")) }
            @if !errors.is_empty() {
                div class="summary" role="alert" tabindex="-1" id="errors" {
                    (tr(l, if errors.contains_key("csrf") { "err-csrf" } else { "err-summary" }))
                }
            }
            p class="hint" { (tr(l, "req-details-intro")) }
            form method="post" action=(format!("{base}/details")) novalidate {
                (csrf_field(csrf))
                (optional_details(l, values, errors))
                button type="submit" { (tr(l, "req-details-save")) }
            }
            p { a href=(base) { (tr(l, "req-details-back")) } }
        },
    )
}

/// Everything the request page shows.
pub struct RequestPage<'a> {
    pub request: &'a RequestView,
    pub candidates: &'a [CandidateView],
    /// the full private link, to keep
    pub link: String,
    /// where the page's forms post to (`/r/{id}/{token}`)
    pub base: String,
    pub csrf: &'a str,
    pub notice: Option<&'static str>,
    pub radius_km: f64,
    pub time: &'a dyn Fn(&str) -> String,
    /// The tile URL template when the optional map is on.
    pub map: Option<&'a str>,
    /// who saw the guest's contact details
    pub seen: &'a [crate::service::audit::SeenBy],
    /// the deployment's emergency numbers, for a guest who feels unsafe
    pub emergency: &'a str,
    pub attribution: &'a str,
}

/// The optional map: a button that loads Leaflet on demand and draws the
/// guest's own position, the open doors' areas (cell centres, never a
/// host's point) and, once both agreed, the host's address. Hidden without
/// JavaScript; everything it shows is also in the page as text.
fn map(l: Lang, p: &RequestPage<'_>, tiles: &str) -> Markup {
    let r = p.request;
    let mut points = vec![
        serde_json::json!({"lat": r.lat, "lon": r.lon, "kind": "you", "label": tr(l, "map-you")}),
    ];
    if r.status == RequestStatus::Waiting {
        for c in p.candidates {
            let area = c.area.label.clone().unwrap_or_else(|| c.area.cell.clone());
            points.push(serde_json::json!({"lat": c.area.lat, "lon": c.area.lon, "kind": "door", "label": trf(l, "req-area", args!["area" => &area])}));
        }
    }
    for m in &r.matches {
        if let (Some(h), Status::Accepted | Status::Arrived) = (&m.offer.revealed, m.status) {
            points.push(
                serde_json::json!({"lat": h.lat, "lon": h.lon, "kind": "host", "label": h.address}),
            );
        }
    }
    html! {
        div class="map js-only" data-map=(serde_json::Value::Array(points)) data-tiles=(tiles) data-attribution=(p.attribution)
            data-leaflet-js=(super::assets::url("leaflet.js")) data-leaflet-css=(super::assets::url("leaflet.css"))
            data-failed=(tr(l, "map-failed")) {
            button type="button" class="secondary" data-show-map { (tr(l, "map-show")) }
            p class="hint" { (tr(l, "map-note")) }
        }
    }
}

fn attributes(l: Lang, accessible: bool, pets: bool, children: bool, women_only: bool) -> String {
    [
        (accessible, "req-attr-accessible"),
        (pets, "req-attr-pets"),
        (children, "req-attr-children"),
        (women_only, "req-attr-women_only"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, k)| tr(l, k))
    .collect::<Vec<_>>()
    .join(" · ")
}

fn candidate(l: Lang, p: &RequestPage<'_>, c: &CandidateView, can_ask: bool) -> Markup {
    let area = c.area.label.clone().unwrap_or_else(|| c.area.cell.clone());
    html! {
        li class="card" {
            h3 { (trf(l, "req-distance", args!["band" => c.distance.band])) }
            p { (trf(l, "req-area", args!["area" => &area])) }
            p { (trf(l, "req-places", args!["n" => c.remaining])) }
            @let tags = attributes(l, c.accessible, c.pets_ok, c.children_ok, c.women_only);
            @if !tags.is_empty() { p class="tags" { (tags) } }
            @if can_ask {
                (button_form(&format!("{}/ask", p.base), p.csrf, tr(l, "req-ask"), "", &[("offer_id", &c.offer_id)]))
            }
            // secondary actions: smaller, apart from "Ask", so a thumb aiming
            // at "Ask" does not hide the host by mistake
            div class="minor" {
                (button_form(&format!("{}/block", p.base), p.csrf, tr(l, "req-block"), "secondary", &[("offer_id", &c.offer_id)]))
                (report_form(l, &format!("{}/report", p.base), p.csrf, &[("offer_id", &c.offer_id)]))
            }
        }
    }
}

fn match_card(l: Lang, p: &RequestPage<'_>, m: &MatchView) -> Markup {
    let area = m
        .offer
        .area
        .label
        .clone()
        .unwrap_or_else(|| m.offer.area.cell.clone());
    html! {
        li class=(if m.offer.revealed.is_some() { "card reveal" } else { "card" }) {
            @match (m.status, m.offer.revealed.as_ref()) {
                (Status::Accepted | Status::Arrived, Some(r)) => {
                    h3 { (tr(l, "req-host")) ": " (r.host_name) }
                    p {
                        strong { (tr(l, "req-address")) ": " } span id=(format!("address-{}", m.id)) { (r.full_address()) }
                        " " button type="button" class="secondary small js-only" data-copy=(format!("address-{}", m.id)) data-copied=(tr(l, "req-address-copied")) { (tr(l, "req-address-copy")) }
                    }
                    p { a href=(format!("https://www.openstreetmap.org/?mlat={:.6}&mlon={:.6}#map=18/{:.6}/{:.6}", r.lat, r.lon, r.lat, r.lon)) rel="noreferrer" { (tr(l, "req-map")) } }
                    @if let Some(ph) = &r.contact_phone { p { strong { (tr(l, "req-phone")) ": " } a href=(format!("tel:{ph}")) { (ph) } } }
                    @if let Some(em) = &r.contact_email { p { strong { (tr(l, "req-email")) ": " } a href=(format!("mailto:{em}")) { (em) } } }
                    @if let Some(n) = &r.notes { p { strong { (tr(l, "req-notes")) ": " } (n) } }
                    @if m.status == Status::Accepted {
                        (button_form(&format!("{}/arrived/{}", p.base, m.id), p.csrf, tr(l, "req-arrived"), "", &[]))
                    }
                    details class="unsafe" {
                        summary { (tr(l, "req-unsafe")) }
                        p { (tr(l, "req-unsafe-hint")) }
                        (button_form(&format!("{}/unsafe/{}", p.base, m.id), p.csrf, tr(l, "req-unsafe-send"), "danger", &[]))
                    }
                }
                (Status::Proposed, _) if m.consent.guest => {
                    p { (trf(l, "req-asked", args!["time" => &(p.time)(&m.expires_at)])) " " (trf(l, "req-area", args!["area" => &area])) }
                }
                (Status::Proposed, _) if m.on_behalf && m.consent.host => {
                    p { strong { (tr(l, "req-behalf-yes")) } " " (trf(l, "req-area", args!["area" => &area])) }
                    p { (trf(l, "req-behalf-confirm", args!["time" => &(p.time)(&m.expires_at)])) }
                    (button_form(&format!("{}/accept/{}", p.base, m.id), p.csrf, tr(l, "req-accept"), "", &[]))
                    " "
                    (button_form(&format!("{}/decline/{}", p.base, m.id), p.csrf, tr(l, "req-decline"), "secondary", &[]))
                }
                (Status::Proposed, _) if m.on_behalf => {
                    p { (trf(l, "req-behalf-asked", args!["time" => &(p.time)(&m.expires_at)])) " " (trf(l, "req-area", args!["area" => &area])) }
                    (button_form(&format!("{}/accept/{}", p.base, m.id), p.csrf, tr(l, "req-behalf-agree"), "", &[]))
                    " "
                    (button_form(&format!("{}/decline/{}", p.base, m.id), p.csrf, tr(l, "req-behalf-skip"), "secondary", &[]))
                }
                (Status::Proposed, _) => {
                    p { (trf(l, "req-invited", args!["time" => &(p.time)(&m.expires_at)])) " " (trf(l, "req-area", args!["area" => &area])) }
                    (button_form(&format!("{}/accept/{}", p.base, m.id), p.csrf, tr(l, "req-accept"), "", &[]))
                    " "
                    (button_form(&format!("{}/decline/{}", p.base, m.id), p.csrf, tr(l, "req-decline"), "secondary", &[]))
                }
                (Status::Declined, _) => { p { (tr(l, "req-match-declined")) } }
                (Status::Expired, _) => { p { (tr(l, "req-match-expired")) } }
                _ => { p { (tr(l, "req-match-cancelled")) } }
            }
        }
    }
}

pub fn request_page(ctx: &Ctx, p: &RequestPage<'_>) -> Markup {
    let l = ctx.lang;
    let r = p.request;
    let status_key = match r.status {
        RequestStatus::Waiting => "req-status-waiting",
        RequestStatus::Matched => "req-status-matched",
        RequestStatus::Arrived => "req-status-arrived",
        RequestStatus::Cancelled => "req-status-cancelled",
    };
    let live = r
        .matches
        .iter()
        .filter(|m| m.status == Status::Proposed)
        .count();
    let visible: Vec<&MatchView> = r
        .matches
        .iter()
        .filter(|m| m.status != Status::Cancelled || r.status == RequestStatus::Cancelled)
        .collect();
    page(
        ctx,
        tr(l, "req-title"),
        html! {
            h1 { (tr(l, "req-title")) }
            @if let Some(n) = p.notice {
                p class="notice" role="status" {
                    (tr(l, n))
                    @if n == "notice-unsafe" { " " strong { (trf(l, "req-emergency", args!["numbers" => p.emergency])) } }
                }
            }
            div class="field" {
                label for="link" { (tr(l, "req-keep")) }
                input id="link" class="link" type="text" readonly value=(p.link);
                button type="button" class="secondary js-only" data-copy="link" data-copied=(tr(l, "req-copied")) { (tr(l, "req-copy")) }
            }
            (super::push::opt_in(l, &format!("{}/push", p.base), p.csrf, Some(&format!("/r/{}", r.id))))
            div id="live-status" data-live {
                p role="status" { strong { (tr(l, status_key)) } }
                @if !visible.is_empty() {
                    // the cards are h3: a heading of their own keeps the outline whole
                    h2 { (tr(l, "req-matches")) }
                    ul class="plain" { @for m in &visible { (match_card(l, p, m)) } }
                }
            }
            div id="live-candidates" data-live { @if r.status == RequestStatus::Waiting {
                h2 { (tr(l, "req-candidates")) }
                @if p.candidates.is_empty() {
                    p { (trf(l, "req-candidates-none", args!["km" => p.radius_km])) }
                } @else {
                    ul class="plain" { @for c in p.candidates { (candidate(l, p, c, live < 3)) } }
                }
            } }
            @if let Some(tiles) = p.map { (map(l, p, tiles)) }
            div id="live-more" data-live {
                (super::layout::seen_by(l, p.seen, p.time))
                @if r.status == RequestStatus::Waiting || r.status == RequestStatus::Matched {
                    p { a href=(format!("{}/details", p.base)) { (tr(l, "req-add-details")) } }
                    div class="buttons" { (button_form(&format!("{}/cancel", p.base), p.csrf, tr(l, "req-cancel"), "danger", &[])) }
                }
            }
            p class="safety" { (tr(l, "landing-safety")) }
        },
    )
}
