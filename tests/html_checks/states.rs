//! The states the checks visit, made through the JSON API as people would
//! make them, and the list of visits: each page, in each state.

use crate::common::http::http;
use crate::common::{self, TestApp};
use crate::visit::{Visit, Who};
use serde_json::{Value, json};

const PW: &str = "long enough";
const COORD: Who = Who::Account("coord@example.org", "coordinator pw");

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

fn host(email: &'static str) -> Who {
    Who::Account(email, PW)
}

/// Every page in every state, for phase 1 (now) and phase 2 (once the
/// holds have run out), built on the states the API made.
pub struct Pages {
    pub now: Vec<Visit>,
    pub later: Vec<Visit>,
}

pub fn make_states(app: &TestApp, api: &Api<'_>) -> Pages {
    use Visit as V;
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

    let vis = Who::Visitor;
    let need = || ("/need".to_owned(), "form[action='/need']");
    let guest = |name: &str, page: &str, expect: &'static str| {
        V::get(name, "/r/{id}/{token}", vis, page.to_owned(), expect)
    };
    let dash = |name: &str, who: Who, expect: &'static str| {
        V::get(name, "/host", who, "/host".into(), expect)
    };
    let offer_form = ("/host".to_owned(), "form[action='/host/offers']");
    let edit = format!("/host/offers/{open_offer}/edit");
    let details =
        |kind: &str, id: &str| (format!("/coord/{kind}/{id}"), "form[action$='/details']");
    let now = vec![
        V::get("landing", "/", vis, "/".into(), "a.big[href='/need']"),
        V::get("not-found", "", vis, "/no/such/page".into(), "main h1").status(404),
        // the guest's form and request pages
        V::get(
            "need",
            "/need",
            vis,
            "/need".into(),
            "form[action='/need'] button[type=submit]",
        ),
        V::post(
            "need-errors",
            "/need",
            vis,
            need(),
            vec![("name", "Samira".into())],
            "[aria-invalid=true]",
            422,
        ),
        V::post(
            "need-choices",
            "/need",
            vis,
            need(),
            vec![
                ("place", "Carcassonne".into()),
                ("name", "Samira".into()),
                ("contact_phone", "0700000001".into()),
            ],
            "fieldset.choices input[type=radio]",
            422,
        ),
        V::post(
            "need-csrf",
            "/need",
            vis,
            need(),
            vec![("csrf", "forged".into())],
            "#errors, .summary",
            403,
        ),
        guest("request-waiting", &waiting, "form[action$='/ask']"),
        guest(
            "request-notice",
            &format!("{unsafe_page}?notice=unsafe"),
            "p.notice strong",
        ),
        guest("request-alone", &alone, "#live-candidates h2"),
        guest("request-asked", &asked, "#live-status .card"),
        guest("request-invited", &invited, "form[action*='/accept/']"),
        guest("request-on-behalf", &behalf, "form[action*='/accept/']"),
        guest("request-accepted", &acc, ".card.reveal"),
        guest("request-arrived", &arr, ".card.reveal"),
        guest("request-closed", &closed, "#live-status"),
        V::get(
            "request-unknown",
            "/r/{id}/{token}",
            vis,
            "/r/req_nothing/nothing".into(),
            "main h1",
        )
        .status(404),
        V::post(
            "request-action-csrf",
            "/r/{id}/{token}",
            vis,
            (waiting.clone(), "form[action$='/cancel']"),
            vec![("csrf", "forged".into())],
            "main h1",
            403,
        ),
        // is my relative safe?
        V::get("safe", "/safe", vis, "/safe".into(), "form[action='/safe']"),
        V::get(
            "safe-found",
            "/safe",
            vis,
            "/safe?name=Samira+Haddad".into(),
            "p.notice",
        ),
        V::get(
            "safe-error",
            "/safe",
            vis,
            "/safe?name=S".into(),
            "[aria-invalid=true]",
        )
        .status(422),
        // hosts: accounts
        V::get(
            "host-login",
            "/host/login",
            vis,
            "/host/login".into(),
            "form[action='/host/login']",
        ),
        V::post(
            "host-login-errors",
            "/host/login",
            vis,
            ("/host/login".into(), "form[action='/host/login']"),
            vec![
                ("email", "nobody@example.org".into()),
                ("password", "wrong password".into()),
            ],
            "#errors",
            401,
        ),
        V::get(
            "host-signup",
            "/host/signup",
            vis,
            "/host/signup".into(),
            "form[action='/host/signup']",
        ),
        V::post(
            "host-signup-errors",
            "/host/signup",
            vis,
            ("/host/signup".into(), "form[action='/host/signup']"),
            vec![("email", "not an address".into())],
            "#errors",
            422,
        ),
        V::get(
            "host-reset",
            "/host/reset",
            vis,
            "/host/reset".into(),
            "form[action='/host/reset']",
        ),
        V::post(
            "host-reset-sent",
            "/host/reset",
            vis,
            ("/host/reset".into(), "form[action='/host/reset']"),
            vec![("email", "open@example.org".into())],
            "p.notice",
            200,
        ),
        V::get(
            "host-reset-token",
            "/host/reset/{token}",
            vis,
            "/host/reset/abcdef".into(),
            "form[action='/host/reset/abcdef']",
        ),
        V::post(
            "host-reset-token-errors",
            "/host/reset/{token}",
            vis,
            (
                "/host/reset/abcdef".into(),
                "form[action='/host/reset/abcdef']",
            ),
            vec![("password", "short".into())],
            "#errors, .summary, .error",
            422,
        ),
        V::get(
            "host-verify",
            "/host/verify/{token}",
            vis,
            "/host/verify/abcdef".into(),
            "form[action='/host/verify/abcdef']",
        ),
        V::post(
            "host-verify-failed",
            "/host/verify/{token}",
            vis,
            (
                "/host/verify/abcdef".into(),
                "form[action='/host/verify/abcdef']",
            ),
            vec![],
            "#errors",
            409,
        ),
        V::get(
            "host-login-notice",
            "/host/login",
            vis,
            "/host/login?notice=reset".into(),
            "p.notice",
        ),
        // hosts: the dashboard in each state
        dash(
            "host-empty",
            host("empty@example.org"),
            "form[action='/host/offers']",
        ),
        V::post(
            "host-offer-errors",
            "/host",
            host("empty@example.org"),
            offer_form,
            vec![("capacity", "0".into())],
            "[aria-invalid=true]",
            422,
        ),
        dash(
            "host-open",
            host("open@example.org"),
            "form[action$='/invite']",
        ),
        V::get(
            "host-edit",
            "/host/offers/{id}/edit",
            host("open@example.org"),
            edit.clone(),
            "form[action$='/edit']",
        ),
        V::post(
            "host-edit-errors",
            "/host/offers/{id}/edit",
            host("open@example.org"),
            (edit, "form[action$='/edit']"),
            vec![("capacity", "0".into())],
            "[aria-invalid=true]",
            422,
        ),
        dash(
            "host-paused",
            host("paused@example.org"),
            "form[action$='/status'] input[value=open]",
        ),
        dash(
            "host-proposal",
            host("proposal@example.org"),
            "form[action$='/accept']",
        ),
        dash(
            "host-accepted",
            host("accepted@example.org"),
            "a[href^='tel:']",
        ),
        dash("host-invited", host("invite@example.org"), "li.card"),
        dash(
            "host-arrived",
            host("arrived@example.org"),
            "li.card.reveal",
        ),
        V::get(
            "host-not-coordinator",
            "/coord",
            host("open@example.org"),
            "/coord".into(),
            "main h1",
        )
        .status(404),
        // coordinators
        V::get(
            "coord",
            "/coord",
            COORD,
            "/coord".into(),
            "#live-alerts [role=alert] a[href^='/coord/matches/']",
        ),
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
            details("offers", &open_offer),
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
            details("requests", &waiting_id),
            vec![("reason", "Calling back about the place".into())],
            "section[role=status]",
            200,
        ),
    ];
    let later = vec![
        guest("request-expired", &expiring, "#live-status .card"),
        dash(
            "host-paused-unanswered",
            host("silent@example.org"),
            "form[action$='/status'] input[value=open]",
        ),
    ];
    Pages { now, later }
}
