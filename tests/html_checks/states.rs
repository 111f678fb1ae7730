//! The states the checks visit, made through the JSON API as people would
//! make them, and the list of visits: each page, in each state.
//!
//! The visits are listed by kind of page: anyone's and the guests'
//! (`states/guest.rs`), the hosts' (`states/host.rs`), the coordinators'
//! (`states/coord.rs`); this file makes the states they show.

#[path = "states/coord.rs"]
mod coord;
#[path = "states/guest.rs"]
mod guest;
#[path = "states/host.rs"]
mod host;

use crate::common::http::http;
use crate::common::{self, TestApp};
use crate::visit::Visit;
use serde_json::{Value, json};

const PW: &str = "long enough";

/// The API over the socket; any answer but 2xx fails.
pub struct Api<'a>(pub &'a str);

impl Api<'_> {
    fn call(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Value {
        let (status, v) = http(self.0, method, path, token, Some(&body)).unwrap();
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {v}"
        );
        v
    }

    fn host(&self, email: &str) -> String {
        self.call(
            "POST",
            "/api/v1/accounts",
            None,
            json!({"email": email, "password": PW, "display_name": "Hélène Dupont"}),
        );
        let t = self.call(
            "POST",
            "/api/v1/tokens",
            None,
            json!({"email": email, "password": PW}),
        );
        t["token"].as_str().unwrap().to_owned()
    }

    fn offer(&self, app: &TestApp, token: &str, (lat, lon): (f64, f64)) -> String {
        let v = self.call(
            "POST",
            "/api/v1/offers",
            Some(token),
            common::offer_body(app, lat, lon, 4),
        );
        v["id"].as_str().unwrap().to_owned()
    }

    /// A request: (id, its page's path).
    fn request(&self, (lat, lon): (f64, f64), extra: Value) -> (String, String) {
        let mut body = common::request_body(lat, lon, 2);
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let v = self.call("POST", "/api/v1/requests", None, body);
        let (id, t) = (
            v["id"].as_str().unwrap(),
            v["access_token"].as_str().unwrap(),
        );
        (id.to_owned(), format!("/r/{id}/{t}"))
    }

    fn token_of(page: &str) -> &str {
        page.rsplit('/').next().unwrap()
    }

    /// The guest of `page` asks `offer`; returns the match ID.
    fn ask(&self, rid: &str, page: &str, offer: &str) -> String {
        let v = self.call(
            "POST",
            &format!("/api/v1/requests/{rid}/matches"),
            Some(Self::token_of(page)),
            json!({ "offer_id": offer }),
        );
        v["id"].as_str().unwrap().to_owned()
    }
}

const PARIS_11: (f64, f64) = (48.8585, 2.3795);
const NEAR: (f64, f64) = (48.8590, 2.3800);
const LYON: (f64, f64) = (45.7640, 4.8357);
const MARSEILLE: (f64, f64) = (43.2965, 5.3698);

/// Every page in every state, for phase 1 (now) and phase 2 (once the
/// holds have run out), built on the states the API made.
pub struct Pages {
    pub now: Vec<Visit>,
    pub later: Vec<Visit>,
}

pub fn make_states(app: &TestApp, api: &Api<'_>) -> Pages {
    let coord = common::coordinator_token(app, "coord@example.org");
    api.call(
        "POST",
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Paris, 13 November", "center": [48.8566, 2.3522], "radius_km": 8,
               "planned_end_at": app.in_hours(72)}),
    );
    // hosts, each in one state
    api.host("empty@example.org");
    let open = api.host("open@example.org");
    let open_offer = api.offer(app, &open, PARIS_11);
    let paused = api.host("paused@example.org");
    let paused_offer = api.offer(app, &paused, PARIS_11);
    api.call(
        "PATCH",
        &format!("/api/v1/offers/{paused_offer}"),
        Some(&paused),
        json!({"status": "paused"}),
    );
    let proposal = api.host("proposal@example.org");
    let proposal_offer = api.offer(app, &proposal, PARIS_11);
    let accepted = api.host("accepted@example.org");
    let accepted_offer = api.offer(app, &accepted, PARIS_11);
    let inviting = api.host("invite@example.org");
    let inviting_offer = api.offer(app, &inviting, PARIS_11);
    let arrived = api.host("arrived@example.org");
    let arrived_offer = api.offer(app, &arrived, PARIS_11);
    let silent = api.host("silent@example.org");
    let silent_offer = api.offer(app, &silent, PARIS_11);
    let lyon = api.host("lyon@example.org");
    api.offer(app, &lyon, LYON);

    // guests, each in one state
    let (waiting_id, waiting) = api.request(
        NEAR,
        json!({"findable_name": "Samira Haddad", "findable_consent": true, "languages": ["fr", "ar"]}),
    );
    let (asked_id, asked) = api.request(NEAR, json!({}));
    api.ask(&asked_id, &asked, &proposal_offer);
    let (acc_id, acc) = api.request(NEAR, json!({}));
    let accepted_match = api.ask(&acc_id, &acc, &accepted_offer);
    api.call(
        "POST",
        &format!("/api/v1/matches/{accepted_match}/accept"),
        Some(&accepted),
        json!({}),
    );
    let (inv_id, invited) = api.request(NEAR, json!({}));
    api.call(
        "POST",
        &format!("/api/v1/offers/{inviting_offer}/matches"),
        Some(&inviting),
        json!({ "request_id": inv_id }),
    );
    let (arr_id, arr) = api.request(NEAR, json!({}));
    let arrived_match = api.ask(&arr_id, &arr, &arrived_offer);
    api.call(
        "POST",
        &format!("/api/v1/matches/{arrived_match}/accept"),
        Some(&arrived),
        json!({}),
    );
    api.call(
        "POST",
        &format!("/api/v1/matches/{arrived_match}/arrived"),
        Some(Api::token_of(&arr)),
        json!({}),
    );
    let (exp_id, expiring) = api.request(NEAR, json!({}));
    api.ask(&exp_id, &expiring, &silent_offer);
    let (closed_id, closed) = api.request(NEAR, json!({}));
    api.call(
        "POST",
        &format!("/api/v1/requests/{closed_id}/cancel"),
        Some(Api::token_of(&closed)),
        json!({}),
    );
    // the console's alerts and reports: a guest feels unsafe at an accepted
    // door, someone reports an open offer
    let (unsafe_id, unsafe_page) = api.request(NEAR, json!({}));
    let unsafe_match = api.ask(&unsafe_id, &unsafe_page, &open_offer);
    api.call(
        "POST",
        &format!("/api/v1/matches/{unsafe_match}/accept"),
        Some(&open),
        json!({}),
    );
    api.call(
        "POST",
        &format!("/api/v1/matches/{unsafe_match}/unsafe"),
        Some(Api::token_of(&unsafe_page)),
        json!({}),
    );
    api.call(
        "POST",
        "/api/v1/reports",
        None,
        json!({"target_kind": "offer", "target_id": paused_offer, "reason": "asks_money", "details": "Wanted 50 euros"}),
    );
    let (_, alone) = api.request(MARSEILLE, json!({}));
    let (_, behalf) = api.request(LYON, json!({"auto_ask": true}));

    let m = Made {
        waiting_id,
        waiting,
        unsafe_page,
        alone,
        asked,
        invited,
        behalf,
        acc,
        arr,
        closed,
        expiring,
        open_offer,
        accepted_match,
    };
    // in the order of the pages' kinds: anyone's and the guests', the
    // hosts', the coordinators'
    Pages {
        now: [guest::now(&m), host::now(&m), coord::now(&m)]
            .into_iter()
            .flatten()
            .collect(),
        later: [guest::later(&m), host::later()]
            .into_iter()
            .flatten()
            .collect(),
    }
}

/// What the states made, for the visits: the requests' pages and IDs, an
/// open offer and an accepted match.
struct Made {
    waiting_id: String,
    waiting: String,
    unsafe_page: String,
    alone: String,
    asked: String,
    invited: String,
    behalf: String,
    acc: String,
    arr: String,
    closed: String,
    expiring: String,
    open_offer: String,
    accepted_match: String,
}
