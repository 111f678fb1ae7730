//! The console's working parts: the waiting queue (each party a button
//! that opens it), the selected party with its doors and one-click
//! proposals, and the map (the server-drawn SVG, and the live Leaflet map
//! `assets/app.js` draws on demand from the JSON this file writes).

use super::assets;
use super::coord_details::{area_of, doors, tags};
use crate::domain::locale::Lang;
use crate::domain::states::RequestStatus;
use crate::i18n::{args, tr, trf};
use crate::service::console::ConsoleMap;
use crate::service::views::{CandidateView, QueueEntryView};
use maud::{Markup, html};
use serde_json::json;

/// The party the console shows, chosen in the queue or on the map.
pub enum Party<'a> {
    None,
    /// an ID that is no request (the page answers 404)
    Unknown,
    Shown(&'a QueueEntryView, &'a [CandidateView]),
}

impl Party<'_> {
    fn id(&self) -> Option<&str> {
        match self {
            Party::Shown(q, _) => Some(&q.request_id),
            _ => None,
        }
    }
}

fn needs(l: Lang, q: &QueueEntryView) -> String {
    tags(
        l,
        &[
            (q.needs.accessible, "req-attr-accessible"),
            (q.needs.pets, "req-attr-pets"),
            (q.needs.children, "req-attr-children"),
            (q.needs.women_only, "req-attr-women_only"),
        ],
    )
}

fn item(l: Lang, q: &QueueEntryView) -> String {
    trf(
        l,
        "coord-item",
        args!["name" => &q.name, "n" => q.party_size, "min" => q.waiting_minutes, "area" => &area_of(&q.area)],
    )
}

/// The waiting queue, longest first. One GET form: each party is a button
/// that opens it on this page (`?party=…`), with or without JavaScript;
/// Enter and Space work as on any button.
pub fn queue(l: Lang, queue: &[QueueEntryView], party: &Party<'_>) -> Markup {
    let chosen = party.id();
    html! {
        @if queue.is_empty() { p { (tr(l, "coord-queue-none")) } }
        @else {
            p class="hint" { (tr(l, "coord-queue-hint")) }
            form method="get" action="/coord#party" class="queue" {
                ol {
                    @for q in queue {
                        li {
                            @let on = chosen == Some(q.request_id.as_str());
                            button type="submit" name="party" value=(q.request_id) class="party" data-party=(q.request_id) aria-current=[on.then_some("true")] {
                                (item(l, q))
                            }
                            @let n = needs(l, q);
                            @if !n.is_empty() { " " span class="tags" { (n) } }
                        }
                    }
                }
            }
        }
    }
}

/// The selected party: who, and the doors to propose with one click.
pub fn party_panel(l: Lang, party: &Party<'_>, csrf: &str) -> Markup {
    html! {
        @match party {
            Party::None => {}
            Party::Unknown => {
                section class="card party-panel" aria-labelledby="party" {
                    h2 id="party" tabindex="-1" { (tr(l, "coord-party")) }
                    p class="error" { (tr(l, "coord-party-unknown")) }
                    p { a href="/coord" { (tr(l, "coord-party-close")) } }
                }
            }
            Party::Shown(q, found) => {
                section class="card party-panel" aria-labelledby="party" {
                    h2 id="party" tabindex="-1" { (item(l, q)) }
                    @let n = needs(l, q);
                    @if !n.is_empty() { p class="tags" { (n) } }
                    @if q.status != RequestStatus::Waiting {
                        p { (tr(l, "coord-party-gone")) }
                    } @else if found.is_empty() {
                        p { (tr(l, "coord-party-none")) }
                    } @else {
                        h3 { (tr(l, "coord-doors")) }
                        (doors(l, &q.request_id, found, csrf))
                    }
                    p {
                        a href=(format!("/coord/requests/{}", q.request_id)) { (tr(l, "coord-party-details")) }
                        " · "
                        a href="/coord" { (tr(l, "coord-party-close")) }
                    }
                }
            }
        }
    }
}

/// Where the console's map gets its tiles, when it has them.
pub struct Tiles<'a> {
    pub url: &'a str,
    pub attribution: &'a str,
}

/// The map: the server-drawn SVG (always there: without JavaScript or
/// tiles it is the map), and, with tiles, a button that loads Leaflet and
/// draws the same figures per privacy cell, the incidents' areas and the
/// alerts over the streets, with its legend. Both follow the live updates:
/// the SVG's address carries the page's version, and the points are in a
/// `data-live` region the script redraws from.
pub fn map(
    l: Lang,
    m: &ConsoleMap,
    party: &Party<'_>,
    tiles: Option<&Tiles<'_>>,
    version: &str,
) -> Markup {
    html! {
        script src=(assets::url("console.js")) defer {}
        section class="console-map" aria-labelledby="map-title" {
            h2 id="map-title" { (tr(l, "coord-map")) }
            div id="live-map-svg" data-live {
                img class="map-svg" src=(format!("/coord/map.svg?v={version}")) alt=(tr(l, "coord-map-alt")) width="640" height="480";
            }
            @if let Some(t) = tiles {
                ul class="legend plain" data-map-legend hidden aria-label=(tr(l, "coord-legend")) {
                    li { span class="key key-places" {} (tr(l, "coord-legend-places")) }
                    li { span class="key key-people" {} (tr(l, "coord-legend-people")) }
                    li { span class="key key-incident" {} (tr(l, "coord-legend-incident")) }
                    li { span class="key key-alert" {} (tr(l, "coord-legend-alert")) }
                }
                div class="map js-only" data-console-map="live-map" data-tiles=(t.url) data-attribution=(t.attribution)
                    data-leaflet-js=(assets::url("leaflet.js")) data-leaflet-css=(assets::url("leaflet.css"))
                    data-failed=(tr(l, "map-failed")) data-choose=(tr(l, "coord-map-choose")) {
                    button type="button" class="secondary" data-show-map { (tr(l, "coord-map-show")) }
                    p class="hint" data-map-hint { (tr(l, "coord-map-note")) }
                }
                // the data in a child: live updates compare regions' contents
                div id="live-map" data-live hidden {
                    div data-map-points=(points(l, m)) data-selected=[party.id()] {}
                }
            }
        }
    }
}

/// The map's figures as JSON for the script, with their words in the
/// reader's language (cell by cell, never a person's point).
fn points(l: Lang, m: &ConsoleMap) -> String {
    let area = |a: &Option<String>| a.clone().unwrap_or_else(|| "—".into());
    json!({
        "cells": m.cells.iter().map(|c| json!({
            "lat": c.lat, "lon": c.lon, "places": c.places, "people": c.people,
            "placesLabel": trf(l, "coord-map-places", args!["n" => c.places, "area" => &area(&c.area)]),
            "peopleLabel": trf(l, "coord-map-people", args!["n" => c.people, "area" => &area(&c.area)]),
            "parties": c.parties.iter().map(|p| json!({
                "id": p.id,
                "label": trf(l, "coord-item", args!["name" => &p.name, "n" => p.size, "min" => p.minutes, "area" => &area(&c.area)]),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "incidents": m.incidents.iter().map(|i| json!({
            "label": trf(l, "coord-map-incident", args!["name" => &i.name]),
            "center": i.center, "radius_km": i.radius_km, "polygon": i.polygon,
        })).collect::<Vec<_>>(),
        "alerts": m.alerts.iter().map(|a| json!({
            "lat": a.lat, "lon": a.lon,
            "label": tr(l, if a.kind == "unsafe" { "coord-alert-unsafe" } else { "coord-alert-no_arrival" })
                .trim_end_matches([':', ' ', '\u{a0}']),
            "href": format!("/coord/matches/{}", a.match_id),
        })).collect::<Vec<_>>(),
    })
    .to_string()
}
