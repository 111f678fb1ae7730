//! Typed states (issue 10): a status the code does not know, found in the
//! database, is an error — the operation that read it stops with a 500
//! problem and changes nothing — never a default such as "cancelled".
//! The schema's CHECK constraints keep such values out, so the test turns
//! them off for its own corrupting write, as a bad manual edit or a
//! half-applied migration would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use porte_ouverte::db::DbConn;
use porte_ouverte::db::schema::{matches, requests};
use porte_ouverte::domain::matching::Status;
use porte_ouverte::domain::states::RequestStatus;
use serde_json::json;

on_both_backends!(
    an_unknown_match_status_stops_what_reads_it,
    an_unknown_request_status_stops_what_reads_it,
    a_closed_offer_stays_closed_on_the_api_too,
    an_unknown_report_standing_stops_the_weighing,
);

/// Runs `sql` with the CHECK constraints of `table`'s status column off.
fn corrupt(app: &TestApp, table: &str, sql: &str) {
    corrupt_column(app, table, "status", sql);
}

/// Runs `sql` with the CHECK constraint of `table`'s `column` off.
fn corrupt_column(app: &TestApp, table: &str, column: &str, sql: &str) {
    let mut c = app.state.conn().unwrap();
    match &mut *c {
        DbConn::Sqlite(s) => s
            .batch_execute(&format!(
                "PRAGMA ignore_check_constraints = ON; {sql}; PRAGMA ignore_check_constraints = OFF;"
            ))
            .unwrap(),
        DbConn::Pg(p) => p
            .batch_execute(&format!(
                "ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_check; {sql}"
            ))
            .unwrap(),
    }
}

fn match_status(app: &TestApp, mid: &str) -> String {
    let mut c = app.state.conn().unwrap();
    matches::table
        .find(mid)
        .select(matches::status)
        .first(&mut *c)
        .unwrap()
}

fn request_status(app: &TestApp, rid: &str) -> String {
    let mut c = app.state.conn().unwrap();
    requests::table
        .find(rid)
        .select(requests::status)
        .first(&mut *c)
        .unwrap()
}

async fn an_unknown_match_status_stops_what_reads_it(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    assert_eq!(match_status(&app, &mid), Status::Proposed.as_str());

    corrupt(
        &app,
        "matches",
        &format!("UPDATE matches SET status = 'on_hold' WHERE id = '{mid}'"),
    );

    // reading it fails loudly, for each side
    let r = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&host)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.json);
    assert!(r.is_problem());
    let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.json);

    // acting on it changes nothing: not accepted, not taken for cancelled
    let r = act(&svc, &mid, "accept", &host).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.json);
    assert_eq!(match_status(&app, &mid), "on_hold");
    assert_eq!(request_status(&app, &rid), RequestStatus::Waiting.as_str());
}

async fn an_unknown_request_status_stops_what_reads_it(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;

    // a capitalised status is not "waiting"
    corrupt(
        &app,
        "requests",
        &format!("UPDATE requests SET status = 'Waiting' WHERE id = '{rid}'"),
    );
    let r = get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.json);
    assert!(r.is_problem());
    let r = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.json);
    let mut c = app.state.conn().unwrap();
    let asked: i64 = matches::table
        .filter(matches::request_id.eq(&rid))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(asked, 0, "nothing was proposed");
    drop(c);
    assert_eq!(request_status(&app, &rid), "Waiting");
}

/// The rule lives in the service, so the API and the pages cannot disagree:
/// a closed offer is neither reopened nor edited, only closed again.
async fn a_closed_offer_stays_closed_on_the_api_too(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let path = format!("/api/v1/offers/{offer_id}");
    let r = patch(&svc, &path, Some(&host), json!({"status": "closed"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let before = get(&svc, &path, Some(&host)).await.json;

    for body in [
        json!({"capacity": 2}),
        json!({"notes": "back again"}),
        json!({"status": "open"}),
        json!({"status": "paused"}),
        json!({"status": "closed", "capacity": 3}),
    ] {
        let r = patch(&svc, &path, Some(&host), body.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{body}: {}", r.text);
        assert_eq!(r.s("code"), "offer_closed");
    }
    // closing again changes nothing and is not an error
    let r = patch(&svc, &path, Some(&host), json!({"status": "closed"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let after = get(&svc, &path, Some(&host)).await.json;
    assert_eq!(before["capacity"], after["capacity"]);
    assert_eq!(before["notes"], after["notes"]);
    assert_eq!(after["status"], "closed");
}

/// Reports are weighed by the reporter's standing: one the code does not
/// know is an error, not a report that "counts for nothing".
async fn an_unknown_report_standing_stops_the_weighing(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let body = json!({"target_kind": "offer", "target_id": offer_id, "reason": "fake"});
    let r = post(&svc, "/api/v1/reports", None, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    corrupt_column(
        &app,
        "reports",
        "standing",
        "UPDATE reports SET standing = 'vip'",
    );
    // another reporter: their report is weighed with the corrupt one
    let (_, other) = sign_up_host(&svc, "other@example.org").await;
    let r = post(&svc, "/api/v1/reports", Some(&other), body).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text);
    let mut c = app.state.conn().unwrap();
    let kept: i64 = porte_ouverte::db::schema::reports::table
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(kept, 1, "the second report was not filed");
}
