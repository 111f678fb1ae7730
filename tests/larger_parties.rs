//! Fair to larger parties, through the API on both backends: for
//! `RESERVE_LARGE_MINUTES` after a door opens, the platform's own asks for
//! a party of one or two pass a door with room for three or more by while
//! a family nearby could have it; a family that could not (too large, needs
//! unmet, an unverified host for children, blocked, declined, no ask to
//! spare, too far) keeps nobody waiting; a guest asking by hand still may
//! ask it, and once the reserve has passed (to the millisecond, on the
//! manual clock) the platform asks it for anyone. The automatic matching
//! keeps such doors for families asking by hand, not for those its own
//! assignment weighed and paired elsewhere.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const PARIS: (f64, f64) = (48.8566, 2.3522);
const MIN: i64 = 60_000;

on_both_backends!(
    young_large_doors_wait_for_large_parties,
    nobody_waits_for_nobody,
    a_family_that_could_not_have_the_door_keeps_nobody_waiting,
    no_reserve_asks_every_door_at_once,
    automatic_matching_keeps_young_large_doors_too,
    automatic_matching_keeps_no_door_for_a_family_its_assignment_weighed,
);

fn sweep(app: &TestApp) {
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
}

/// The offers a request's live asks are on.
fn asked(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "proposed")
        .map(|m| m["offer_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// A request that lets the platform ask for it; returns (id, token, asks).
async fn auto_guest<S, B>(svc: &S, party: i64) -> (String, String, Vec<String>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut body = request_body(PARIS.0 + 0.001, PARIS.1, party);
    body["auto_ask"] = json!(true);
    let r = post(svc, "/api/v1/requests", None, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (r.s("id"), r.s("access_token"), asked(&r.json))
}

async fn young_large_doors_wait_for_large_parties(b: Backend) {
    let app = TestApp::with(b, |c| c.reserve_large_minutes = 2);
    let svc = app.service().await;
    let (_, h1) = sign_up_host(&svc, "large@example.org").await;
    let (_, h2) = sign_up_host(&svc, "small@example.org").await;
    let large = offer(&svc, &app, &h1, PARIS.0, PARIS.1, 4).await;
    let single = offer(&svc, &app, &h2, PARIS.0 + 0.02, PARIS.1, 1).await;
    // a family of three waits nearby, asking by hand
    let (fam, fam_t) = guest(&svc, PARIS.0, PARIS.1, 3).await;
    // a party of one: the platform asks the small door, farther as it is,
    // and keeps the large one for the family
    let (g1, t1, first) = auto_guest(&svc, 1).await;
    assert_eq!(first, vec![single.clone()]);
    // both see it, and may ask it by hand (below)
    assert!(candidate_ids(&svc, &g1, &t1).await.contains(&large));
    assert!(candidate_ids(&svc, &fam, &fam_t).await.contains(&large));
    // a party of three that lets the platform ask is asked there at once
    let (g3, t3, three) = auto_guest(&svc, 3).await;
    assert_eq!(three, vec![large.clone()]);
    // with one place left it is no longer a door for a large party: the
    // party of one may be asked there
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g1}"), Some(&t1)).await;
    let mut two = vec![large.clone(), single.clone()];
    two.sort();
    assert_eq!(asked(&r.json), two, "{}", r.text);
    // a door for three opens a minute later: the party of three is asked
    // there, the party of one is not
    app.clock.advance(MIN);
    let (_, h3) = sign_up_host(&svc, "late@example.org").await;
    let late = offer(&svc, &app, &h3, PARIS.0, PARIS.1 + 0.01, 3).await;
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g3}"), Some(&t3)).await;
    assert!(asked(&r.json).contains(&late), "{}", r.text);
    let r = get(&svc, &format!("/api/v1/requests/{g1}"), Some(&t1)).await;
    assert_eq!(asked(&r.json), two, "{}", r.text);
    // the party of three is placed there (host, then guest, say yes)
    let r = get(&svc, &format!("/api/v1/requests/{g3}"), Some(&t3)).await;
    let at_late = r.json["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["offer_id"] == late.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        act(&svc, &at_late, "accept", &h3).await.status,
        StatusCode::OK
    );
    let placed = act(&svc, &at_late, "accept", &t3).await;
    assert_eq!(placed.json["status"], "accepted", "{}", placed.text);
    // the family still waits: a new door for three is kept from the
    // platform's asks for two minutes, to the millisecond
    let (_, h4) = sign_up_host(&svc, "kept@example.org").await;
    let kept = offer(&svc, &app, &h4, PARIS.0 - 0.01, PARIS.1, 3).await;
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g1}"), Some(&t1)).await;
    assert_eq!(asked(&r.json), two, "{}", r.text);
    app.clock.advance(2 * MIN - 1);
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g1}"), Some(&t1)).await;
    assert_eq!(asked(&r.json), two, "{}", r.text);
    // …and once the reserve has passed the platform asks it for anyone
    app.clock.advance(1);
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g1}"), Some(&t1)).await;
    assert!(asked(&r.json).contains(&kept), "{}", r.text);
    // by hand, a party of one may ask a young large door
    let (_, h5) = sign_up_host(&svc, "fresh@example.org").await;
    let fresh = offer(&svc, &app, &h5, PARIS.0 + 0.01, PARIS.1, 4).await;
    let (g2, t2) = guest(&svc, PARIS.0, PARIS.1, 1).await;
    let by_hand = ask(&svc, &g2, &t2, &fresh).await;
    assert_eq!(by_hand.status, StatusCode::CREATED, "{}", by_hand.text);
}

/// With no larger party waiting that could have it, a young large door is
/// asked for a small party at once.
async fn nobody_waits_for_nobody(b: Backend) {
    let app = TestApp::with(b, |c| c.reserve_large_minutes = 2);
    let svc = app.service().await;
    let (_, h1) = sign_up_host(&svc, "large@example.org").await;
    let (_, h2) = sign_up_host(&svc, "small@example.org").await;
    let large = offer(&svc, &app, &h1, PARIS.0, PARIS.1, 4).await;
    let single = offer(&svc, &app, &h2, PARIS.0 + 0.02, PARIS.1, 1).await;
    // a family far away (beyond the search radius) does not count
    let (_, _) = guest(&svc, PARIS.0 + 0.5, PARIS.1, 3).await;
    let (_, _, asks) = auto_guest(&svc, 1).await;
    let mut both = vec![large, single];
    both.sort();
    assert_eq!(asks, both);
}

async fn no_reserve_asks_every_door_at_once(b: Backend) {
    let app = TestApp::with(b, |c| c.reserve_large_minutes = 0);
    let svc = app.service().await;
    let (_, h1) = sign_up_host(&svc, "large@example.org").await;
    let (_, h2) = sign_up_host(&svc, "small@example.org").await;
    let large = offer(&svc, &app, &h1, PARIS.0, PARIS.1, 4).await;
    let single = offer(&svc, &app, &h2, PARIS.0 + 0.02, PARIS.1, 1).await;
    // a family waits nearby: with no reserve, it makes no difference
    let (_, _) = guest(&svc, PARIS.0, PARIS.1, 3).await;
    let (_, _, asks) = auto_guest(&svc, 1).await;
    let mut both = vec![large, single];
    both.sort();
    assert_eq!(asks, both);
}

/// Coordinators' automatic matching (`AUTO_MATCH`) is the platform asking
/// too: it passes a young large door by for a small party while a family
/// could have it, and asks it once the reserve has passed.
async fn automatic_matching_keeps_young_large_doors_too(b: Backend) {
    let app = TestApp::with(b, |c| {
        c.reserve_large_minutes = 2;
        c.auto_match = true;
    });
    let svc = app.service().await;
    // a family waits, asking by hand (the matching never asks for it), and
    // a party of one lets the platform ask; no door yet
    let (_, _) = guest(&svc, PARIS.0, PARIS.1, 3).await;
    let (g1, t1, none) = auto_guest(&svc, 1).await;
    assert!(none.is_empty());
    let (_, host) = sign_up_host(&svc, "large@example.org").await;
    let door = offer(&svc, &app, &host, PARIS.0, PARIS.1, 3).await;
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g1}"), Some(&t1)).await;
    assert!(asked(&r.json).is_empty(), "kept for the family: {}", r.text);
    app.clock.advance(2 * MIN);
    sweep(&app);
    let r = get(&svc, &format!("/api/v1/requests/{g1}"), Some(&t1)).await;
    assert_eq!(asked(&r.json), vec![door], "{}", r.text);
}

/// Each family below could not have the door for three now: the party of
/// one is asked there at once. The last case is a family that could, as a
/// check that the set-up would keep the door otherwise.
async fn a_family_that_could_not_have_the_door_keeps_nobody_waiting(b: Backend) {
    for case in [
        "four",
        "step-free",
        "children",
        "blocked",
        "declined",
        "no ask to spare",
        "too far",
        "could",
    ] {
        let app = TestApp::with(b, |c| {
            c.reserve_large_minutes = 2;
            c.pause_after_declines = 0;
        });
        let svc = app.service().await;
        let (_, host) = sign_up_host(&svc, "large@example.org").await;
        let mut body = offer_body(&app, PARIS.0, PARIS.1, 3);
        body["children_ok"] = json!(true);
        let door = post(&svc, "/api/v1/offers", Some(&host), body).await;
        assert_eq!(door.status, StatusCode::CREATED, "{}", door.text);
        let door = door.s("id");
        // the family, by hand
        let (size, lat) = match case {
            "four" => (4, PARIS.0),
            "too far" => (3, PARIS.0 + 0.095), // 10.6 km: in the box, out of the circle
            _ => (3, PARIS.0),
        };
        let mut fb = request_body(lat, PARIS.1, size);
        match case {
            "step-free" => fb["needs"] = json!({"accessible": true}),
            "children" => fb["needs"] = json!({"children": true}),
            _ => {}
        }
        let fam = post(&svc, "/api/v1/requests", None, fb).await;
        assert_eq!(fam.status, StatusCode::CREATED, "{case}: {}", fam.text);
        let (f, ft) = (fam.s("id"), fam.s("access_token"));
        match case {
            "blocked" => {
                // the family blocks the door's host
                let r = post(
                    &svc,
                    &format!("/api/v1/requests/{f}/blocks"),
                    Some(&ft),
                    json!({"offer_id": door}),
                )
                .await;
                assert_eq!(r.status, StatusCode::CREATED, "{case}: {}", r.text);
            }
            "declined" => {
                let m = ask(&svc, &f, &ft, &door).await;
                let r = act(&svc, &m.s("id"), "decline", &host).await;
                assert_eq!(r.status, StatusCode::OK, "{case}: {}", r.text);
            }
            "no ask to spare" => {
                for i in 0..3 {
                    let (_, h) = sign_up_host(&svc, &format!("o{i}@example.org")).await;
                    let o = offer(
                        &svc,
                        &app,
                        &h,
                        PARIS.0 + 0.01 * f64::from(i + 1),
                        PARIS.1,
                        3,
                    )
                    .await;
                    let m = ask(&svc, &f, &ft, &o).await;
                    assert_eq!(m.status, StatusCode::CREATED, "{case}: {}", m.text);
                }
            }
            _ => {}
        }
        let (_, _, asks) = auto_guest(&svc, 1).await;
        if case == "could" {
            assert!(!asks.contains(&door), "{case}: {asks:?}");
        } else {
            assert!(asks.contains(&door), "{case}: {asks:?}");
        }
    }
}

/// The automatic matching's assignment already weighs every family that
/// lets the platform ask for it, and gives it the door it chose: such a
/// family keeps no other young large door from a small party. Here the
/// family is paired with the door beside it, the party of one with the
/// other large door, beside it too; both pairs are sent.
async fn automatic_matching_keeps_no_door_for_a_family_its_assignment_weighed(b: Backend) {
    let app = TestApp::with(b, |c| {
        c.reserve_large_minutes = 2;
        c.auto_match = true;
    });
    let svc = app.service().await;
    let east = (PARIS.0, PARIS.1 + 0.03); // 2.2 km east
    let mut made = vec![];
    for (at, party) in [(PARIS, 3), (east, 1)] {
        let mut body = request_body(at.0, at.1, party);
        body["auto_ask"] = json!(true);
        let r = post(&svc, "/api/v1/requests", None, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert!(asked(&r.json).is_empty(), "no door yet: {}", r.text);
        made.push((r.s("id"), r.s("access_token")));
        app.clock.advance(1000);
    }
    let (_, h1) = sign_up_host(&svc, "west@example.org").await;
    let (_, h2) = sign_up_host(&svc, "east@example.org").await;
    let west_door = offer(&svc, &app, &h1, PARIS.0, PARIS.1, 3).await;
    let east_door = offer(&svc, &app, &h2, east.0, east.1, 3).await;
    let sent =
        porte_ouverte::service::assignment::run_auto(&app.state, &mut app.state.conn().unwrap())
            .unwrap();
    assert_eq!(sent, 2);
    for ((id, token), door) in made.iter().zip([west_door, east_door]) {
        let r = get(&svc, &format!("/api/v1/requests/{id}"), Some(token)).await;
        assert_eq!(asked(&r.json), vec![door], "{}", r.text);
    }
}
