//! The audit log on both backends: what is recorded (reveals, state changes,
//! coordinator actions, refused accesses), that it holds no secret, that the
//! hash chain survives concurrency, and that any edit or deletion is found,
//! by the service and by `porte-ouverte audit verify`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use porte_ouverte::service::audit;
use serde_json::json;
use std::process::Command;

on_both_backends!(
    everything_that_matters_is_recorded_without_secrets,
    the_chain_holds_under_concurrency,
    any_edit_or_deletion_breaks_the_chain,
    parties_see_who_saw_their_contact_details,
);

/// Chains what is queued, as the background thread does every second.
fn chain(app: &TestApp) {
    let mut c = app.state.conn().unwrap();
    audit::chain_pending(&app.state, &mut c).unwrap();
}

fn entries(app: &TestApp) -> Vec<(i64, String, String, String, String)> {
    use porte_ouverte::db::schema::audit_log::dsl as a;
    chain(app);
    let mut c = app.state.conn().unwrap();
    a::audit_log
        .order(a::seq.asc())
        .select((a::seq, a::actor, a::action, a::subject, a::detail))
        .load(&mut *c)
        .unwrap()
}

fn verify(app: &TestApp) -> Result<i64, audit::Broken> {
    chain(app);
    let mut c = app.state.conn().unwrap();
    audit::verify(&mut c).unwrap()
}

async fn everything_that_matters_is_recorded_without_secrets(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    act(&svc, &mid, "accept", &host).await;
    get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
    get(&svc, &format!("/api/v1/matches/{mid}"), Some(&coord)).await;
    act(&svc, &mid, "arrived", &rt).await;
    // refused: another host's look at the match, another guest's token on this request
    let (_, other) = sign_up_host(&svc, "other@example.org").await;
    assert_eq!(
        get(&svc, &format!("/api/v1/matches/{mid}"), Some(&other))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (rid2, rt2) = guest(&svc, 48.8590, 2.3800, 1).await;
    assert_eq!(
        get(&svc, &format!("/api/v1/requests/{rid}"), Some(&rt2))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&svc, "/api/v1/coordination/overview", Some(&other))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // an unknown token is noise, not a party: not recorded
    assert_eq!(
        get(&svc, &format!("/api/v1/matches/{mid}"), Some("poa_forged"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // a coordinator action
    let host_id = {
        let mut c = app.state.conn().unwrap();
        porte_ouverte::db::offers::get(&mut c, &id(&offer_id))
            .unwrap()
            .unwrap()
            .host_id
            .to_string()
    };
    post(
        &svc,
        &format!("/api/v1/coordination/accounts/{host_id}/verify-identity"),
        Some(&coord),
        json!({}),
    )
    .await;

    let log = entries(&app);
    let has = |actor: &str, action: &str, subject: &str| {
        log.iter()
            .any(|(_, a, x, s, _)| a.starts_with(actor) && x == action && s == subject)
    };
    let guest_actor = format!("guest:{rid}");
    assert!(has("acc_", "offer.create", &offer_id));
    assert!(has(&guest_actor, "match.propose", &mid));
    assert!(has(&host_id, "match.accept", &mid));
    // the reveal is recorded once, by the yes that completed the match (the
    // host's), for both parties; the guest's and the coordinator's reads of
    // the accepted match add nothing
    let reveals: Vec<_> = log
        .iter()
        .filter(|(_, _, x, s, _)| x == "contact.reveal" && s == &mid)
        .collect();
    assert_eq!(reveals.len(), 1, "{reveals:?}");
    assert_eq!(
        reveals[0].1, host_id,
        "the host saw the guest's contact on accepting"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&reveals[0].4).unwrap(),
        json!({"to": ["guest", "host"]})
    );
    assert!(has(&guest_actor, "match.arrive", &mid));
    assert!(has("acc_", "access.refused", &mid));
    assert!(has(&format!("guest:{rid2}"), "access.refused", &rid));
    assert!(has("acc_", "access.refused", "coordination"));
    assert!(has("acc_", "coord.verify_identity", &host_id));
    assert_eq!(
        log.iter()
            .filter(|(_, a, x, _, _)| a == "poa_forged" || (x == "access.refused" && a.is_empty()))
            .count(),
        0
    );
    // no secret, contact or name in any entry
    let all = format!("{log:?}");
    assert_no_secret(&all, SECRETS);
    assert_no_secret(&all, GUEST_SECRETS);
    assert!(!all.contains("Samira") && !all.contains(&rt) && !all.contains(&host));
    assert_eq!(verify(&app), Ok(log.len() as i64));
}

async fn the_chain_holds_under_concurrency(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 40).await;
    let mut guests = Vec::new();
    for _ in 0..16 {
        guests.push(guest(&svc, 48.8590, 2.3800, 1).await);
    }
    // sixteen guests ask at once, each through its own connection, while two
    // chainers (two instances' background threads) chain what is queued
    let state = app.state.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let chainers: Vec<_> = (0..2)
        .map(|_| {
            let (state, stop) = (state.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut c = state.conn().unwrap();
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    audit::chain_pending(&state, &mut c).unwrap();
                }
            })
        })
        .collect();
    let handles: Vec<_> = guests
        .into_iter()
        .map(|(rid, _)| {
            let state = state.clone();
            let offer_id = offer_id.clone();
            std::thread::spawn(move || {
                let mut c = state.conn().unwrap();
                let actor = audit::guest(&id(&rid));
                porte_ouverte::service::matches::propose(
                    &state,
                    &mut c,
                    &id(&rid),
                    &id(&offer_id),
                    porte_ouverte::domain::matching::Side::Guest,
                    &actor,
                )
                .map(drop)
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for h in chainers {
        h.join().unwrap();
    }
    let log = entries(&app);
    assert_eq!(log.iter().filter(|e| e.2 == "match.propose").count(), 16);
    let seqs: Vec<i64> = log.iter().map(|e| e.0).collect();
    assert_eq!(
        seqs,
        (1..=log.len() as i64).collect::<Vec<_>>(),
        "no gap, no fork"
    );
    assert_eq!(verify(&app), Ok(log.len() as i64));
}

/// A fresh app whose audit log holds four entries (a sign-up, three offers).
async fn three_entries(b: Backend) -> TestApp {
    let app = TestApp::new(b);
    {
        let svc = app.service().await;
        let (_, host) = sign_up_host(&svc, "host@example.org").await;
        for _ in 0..3 {
            offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
        }
    }
    assert_eq!(verify(&app), Ok(4));
    app
}

fn exec(app: &TestApp, sql: &str) {
    let mut c = app.state.conn().unwrap();
    c.batch_execute(sql).unwrap();
}

async fn any_edit_or_deletion_breaks_the_chain(b: Backend) {
    // an edited field, whichever the column
    for (column, value) in [
        ("detail", "'{\"by\":\"host\"}'"),
        ("actor", "'acc_someone_else'"),
        ("at", "1"),
        ("action", "'offer.delete'"),
        ("subject", "'off_forged'"),
    ] {
        let app = three_entries(b).await;
        exec(
            &app,
            &format!("UPDATE audit_log SET {column} = {value} WHERE seq = 2"),
        );
        let broken = verify(&app).unwrap_err();
        assert_eq!(broken.seq, 2, "{column}: {broken:?}");
        assert!(broken.reason.contains("edited"), "{broken:?}");
    }
    // a hash recomputed by the editor: the next entry no longer follows
    let app = three_entries(b).await;
    exec(
        &app,
        "UPDATE audit_log SET hash = 'recomputed' WHERE seq = 2",
    );
    assert_eq!(verify(&app).unwrap_err().seq, 2);
    // deleted: the first, a middle one, the last
    for (deleted, named) in [(1, 1), (2, 2), (4, 4)] {
        let app = three_entries(b).await;
        exec(
            &app,
            &format!("DELETE FROM audit_log WHERE seq = {deleted}"),
        );
        let broken = verify(&app).unwrap_err();
        assert_eq!(broken.seq, named, "deleted {deleted}: {broken:?}");
    }
}

async fn parties_see_who_saw_their_contact_details(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 2).await;
    let mid = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    let none = get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), Some(&rt)).await;
    assert_eq!(none.json["seen_by"], json!([]));
    act(&svc, &mid, "accept", &host).await;
    get(&svc, &format!("/api/v1/matches/{mid}"), Some(&coord)).await;
    let guest_view = get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), Some(&rt)).await;
    let viewers: Vec<(String, Option<String>)> = guest_view.json["seen_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["viewer"].as_str().unwrap().to_owned(),
                v["viewer_name"].as_str().map(str::to_owned),
            )
        })
        .collect();
    // the host, to whom the acceptance revealed the guest's contact; a
    // coordinator's look at the match page is a read and records nothing
    // (coordinators' deliberate reads of details, with a reason, are listed:
    // tests/coord_details.rs), and the guest's own reveal is not listed
    assert_eq!(viewers, vec![("host".to_owned(), None)], "{viewers:?}");
    get(&svc, &format!("/api/v1/matches/{mid}"), Some(&rt)).await;
    let host_view = get(&svc, "/api/v1/accounts/me/seen-by", Some(&host)).await;
    assert!(
        host_view.json["seen_by"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["viewer"] == "guest")
    );
    // someone else's request, no token: refused
    let (_, rt2) = guest(&svc, 48.8590, 2.3800, 1).await;
    assert_eq!(
        get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), Some(&rt2))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&svc, &format!("/api/v1/requests/{rid}/seen-by"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&svc, "/api/v1/accounts/me/seen-by", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// `porte-ouverte audit verify` on a real SQLite file: intact, then edited.
#[test]
fn the_command_line_names_the_first_broken_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("po.db");
    let (mut server, addr) = common::http::start_server(&db, &[]);
    let body =
        json!({"email": "host@example.org", "password": "correct horse", "display_name": "Nadia"});
    common::http::http(&addr, "POST", "/api/v1/accounts", None, Some(&body)).unwrap();
    let (_, t) = common::http::http(
        &addr,
        "POST",
        "/api/v1/tokens",
        None,
        Some(&json!({"email": "host@example.org", "password": "correct horse"})),
    )
    .unwrap();
    let token = t["token"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        let offer = json!({"lat": 48.85, "lon": 2.35, "address": "1 rue X, Paris", "capacity": 2, "available_until": chrono::Utc::now().checked_add_signed(chrono::Duration::hours(5)).unwrap().to_rfc3339()});
        let (status, _) =
            common::http::http(&addr, "POST", "/api/v1/offers", Some(&token), Some(&offer))
                .unwrap();
        assert_eq!(status, 201);
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_porte-ouverte"))
            .args(["audit", "verify"])
            .env("DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("SECRET_KEY", "real-socket-test-secret-0123456789abcdef")
            .output()
            .unwrap()
    };
    let ok = run();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("audit log intact: 4 entries"));
    let mut c = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    c.batch_execute("UPDATE audit_log SET subject = 'off_forged' WHERE seq = 2")
        .unwrap();
    let broken = run();
    assert!(!broken.status.success());
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("audit log broken at entry 2"), "{err}");
}
