//! The visits of the coordinators' console: the overview with its alerts,
//! the map, a match, the incidents, the suggestions, and an offer's and a
//! request's details.

use super::Made;
use crate::visit::{Visit as V, Who};

const COORD: Who = Who::Account("coord@example.org", "coordinator pw");

pub(super) fn now(m: &Made) -> Vec<V> {
    let Made {
        waiting_id,
        open_offer,
        accepted_match,
        ..
    } = m;
    let details =
        |kind: &str, id: &str| (format!("/coord/{kind}/{id}"), "form[action$='/details']");
    vec![
        // coordinators
        V::get(
            "coord",
            "/coord",
            COORD,
            "/coord".into(),
            "#live-alerts [role=alert] a[href^='/coord/matches/']",
        )
        // the live map (over the test's own tiles), its legend showing
        .then(
            "[data-show-map]",
            ".leaflet-container path.people[role=button]",
        ),
        V::get(
            "coord-party",
            "",
            COORD,
            format!("/coord?party={waiting_id}"),
            "#live-party form[action='/coord/propose']",
        )
        .then(
            "[data-show-map]",
            ".leaflet-container path.people[role=button]",
        ),
        V::get(
            "coord-party-unknown",
            "",
            COORD,
            "/coord?party=req_nobody".into(),
            "#live-party .error",
        )
        .status(404),
        V::get(
            "coord-map",
            "/coord/map.svg",
            COORD,
            "/coord/map.svg".into(),
            "svg",
        )
        .svg(),
        V::get(
            "coord-match-unknown",
            "/coord/match",
            COORD,
            "/coord/match?id=not+an+id".into(),
            "p.notice",
        ),
        V::get(
            "coord-match",
            "/coord/matches/{id}",
            COORD,
            format!("/coord/matches/{accepted_match}"),
            "main h1",
        ),
        V::get(
            "coord-incidents",
            "/coord/incidents",
            COORD,
            "/coord/incidents".into(),
            "form[action='/coord/incidents']",
        ),
        V::post(
            "coord-incidents-errors",
            "/coord/incidents",
            COORD,
            ("/coord/incidents".into(), "form[action='/coord/incidents']"),
            vec![("name", String::new())],
            "[aria-invalid=true]",
            422,
        ),
        V::get(
            "coord-suggest",
            "/coord/suggest",
            COORD,
            "/coord/suggest".into(),
            "main h1",
        ),
        V::get(
            "coord-offer",
            "/coord/offers/{id}",
            COORD,
            format!("/coord/offers/{open_offer}"),
            "form[action$='/details']",
        ),
        V::post(
            "coord-offer-details",
            "/coord/offers/{id}",
            COORD,
            details("offers", open_offer),
            vec![("reason", "The guest cannot find the door".into())],
            "section[role=status]",
            200,
        ),
        V::get(
            "coord-request",
            "/coord/requests/{id}",
            COORD,
            format!("/coord/requests/{waiting_id}"),
            "form[action='/coord/propose']",
        ),
        V::post(
            "coord-request-details",
            "/coord/requests/{id}",
            COORD,
            details("requests", waiting_id),
            vec![("reason", "Calling back about the place".into())],
            "section[role=status]",
            200,
        ),
    ]
}
