//! Reads never write (issue 10): an accepted match's contacts are revealed
//! once, in the transaction that accepts it (or that approves a host's
//! first acceptance), and every later look at it — the API, the guest's
//! page, the host's dashboard, the coordinators' match page — leaves the
//! `reveals` table and the audit log as they were.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::pages::{page, page_session};
use common::*;
use diesel::prelude::*;
use porte_ouverte::db::schema::{audit_log, audit_queue, reveals};
use serde_json::json;

on_both_backends!(
    viewing_an_accepted_match_writes_nothing,
    an_approved_first_acceptance_is_revealed_once,
);

/// (reveal rows of `mid` as (side, account), audit entries written or
/// queued for chaining, `contact.reveal` entries about `mid`).
fn counts(app: &TestApp, mid: &str) -> (Vec<(String, Option<String>)>, i64, i64) {
    let mut c = app.state.conn().unwrap();
    let mut sides: Vec<(String, Option<String>)> = reveals::table
        .filter(reveals::match_id.eq(mid))
        .select((reveals::viewer_side, reveals::viewer_account_id))
        .load(&mut *c)
        .unwrap();
    sides.sort();
    let chained: i64 = audit_log::table.count().get_result(&mut *c).unwrap();
    let queued: i64 = audit_queue::table.count().get_result(&mut *c).unwrap();
    let reveal_entries: i64 = audit_log::table
        .filter(audit_log::action.eq("contact.reveal"))
        .filter(audit_log::subject.eq(mid))
        .count()
        .get_result(&mut *c)
        .unwrap();
    let reveal_queued: i64 = audit_queue::table
        .filter(audit_queue::action.eq("contact.reveal"))
        .filter(audit_queue::subject.eq(mid))
        .count()
        .get_result(&mut *c)
        .unwrap();
    (sides, chained + queued, reveal_entries + reveal_queued)
}

async fn viewing_an_accepted_match_writes_nothing(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");

    // a proposal reveals nothing, and looking at it records nothing
    get(&svc, &format!("/api/v1/matches/{mid}"), Some(&host)).await;
    let (sides, _, entries) = counts(&app, &mid);
    assert!(sides.is_empty() && entries == 0, "{sides:?} {entries}");

    let a = act(&svc, &mid, "accept", &host).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.json["guest"]["contact_phone"], "+33700000001");
    let host_id = {
        let mut c = app.state.conn().unwrap();
        porte_ouverte::db::offers::get(&mut c, &id(&offer_id))
            .unwrap()
            .unwrap()
            .host_id
            .to_string()
    };
    // the accept wrote one reveal per party and one audit entry
    let before = counts(&app, &mid);
    assert_eq!(
        before.0,
        vec![("guest".into(), None), ("host".into(), Some(host_id))]
    );
    assert_eq!(before.2, 1, "one contact.reveal entry");

    let host_pages = page_session(&svc, "host@example.org", "correct horse").await;
    let coord_pages = page_session(&svc, "coord@example.org", "coordinator pw").await;
    for _ in 0..3 {
        for token in [&rt, &host, &coord] {
            let v = get(&svc, &format!("/api/v1/matches/{mid}"), Some(token)).await;
            assert_eq!(v.status, StatusCode::OK, "{}", v.text);
            assert_eq!(v.json["offer"]["contact_phone"], "+33612345678");
        }
        let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
        assert_eq!(
            r.json["matches"][0]["offer"]["contact_phone"],
            "+33612345678"
        );
        let o = get(
            &svc,
            &format!("/api/v1/offers/{offer_id}/matches"),
            Some(&host),
        )
        .await;
        assert_eq!(
            o.json["matches"][0]["guest"]["contact_phone"],
            "+33700000001"
        );
        let guest_page = page(&svc, &format!("/r/{rid}/{rt}"), "en", None).await;
        assert!(
            guest_page.text.contains("+33612345678"),
            "{}",
            guest_page.text
        );
        let dashboard = page(&svc, "/host", "en", Some(&host_pages)).await;
        assert!(
            dashboard.text.contains("+33700000001"),
            "{}",
            dashboard.text
        );
        let coord_page = page(
            &svc,
            &format!("/coord/matches/{mid}"),
            "en",
            Some(&coord_pages),
        )
        .await;
        assert!(
            coord_page.text.contains("+33700000001"),
            "{}",
            coord_page.text
        );
        let seen = get(&svc, "/api/v1/accounts/me/seen-by", Some(&host)).await;
        assert_eq!(seen.status, StatusCode::OK);
    }
    assert_eq!(counts(&app, &mid), before, "reads wrote nothing");

    // a second accept changes nothing either (the match is already accepted)
    act(&svc, &mid, "accept", &host).await;
    assert_eq!(counts(&app, &mid).0, before.0);
    assert_eq!(counts(&app, &mid).2, 1);
}

async fn an_approved_first_acceptance_is_revealed_once(b: Backend) {
    let app = TestApp::with(b, |c| c.first_acceptance_review = true);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    let a = act(&svc, &mid, "accept", &host).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.json["awaiting_review"], true, "{}", a.text);
    // both agreed, but nothing is revealed (nor recorded) before approval
    get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
    let (sides, _, entries) = counts(&app, &mid);
    assert!(sides.is_empty() && entries == 0, "{sides:?} {entries}");

    let ok = post(
        &svc,
        &format!("/api/v1/coordination/matches/{mid}/approve"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let after = counts(&app, &mid);
    assert_eq!(after.0.len(), 2, "{:?}", after.0);
    assert_eq!(after.2, 1);
    for _ in 0..3 {
        let g = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
        assert_eq!(g.json["offer"]["contact_phone"], "+33612345678");
        get(&svc, &format!("/api/v1/matches/{mid}"), Some(&host)).await;
    }
    assert_eq!(counts(&app, &mid), after);
}
