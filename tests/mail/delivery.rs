//! Delivery: atomic with the change, once each despite a server down, two workers, a kill.

use crate::common::http::{http, start_server};
use crate::common::smtp::{self, Sink};
use crate::common::*;
use crate::on_both_backends;
use crate::support::*;
use actix_web::http::StatusCode;
use diesel::prelude::*;
use porte_ouverte::mail::{self, transport::Transport};
use serde_json::json;
use std::time::{Duration, Instant};

on_both_backends!(
    no_mail_when_the_transaction_rolls_back,
    smtp_down_then_back_delivers_everything_once,
    two_workers_send_each_mail_once,
);

async fn no_mail_when_the_transaction_rolls_back(backend: Backend) {
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (host, offer_id) = french_host(&svc, &app, "helene@example.org").await;
    let (rid, rt) = english_guest(
        &svc,
        "sam@example.org",
        json!({"trusted_contact_email": "mum@example.org", "trusted_contact_consent": true}),
    )
    .await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    act(&svc, &m.s("id"), "accept", &host).await;
    let before = outbox(&app);
    // the last mail of the arrival (the trusted contact's) fails to be
    // written: the arrival and its earlier mails roll back with it
    {
        use diesel::connection::SimpleConnection;
        let mut c = app.state.conn().unwrap();
        let ddl = match backend {
            Backend::Sqlite => "CREATE TRIGGER refuse BEFORE INSERT ON outbox WHEN NEW.kind = 'trusted_contact' BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            Backend::Postgres => "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.kind = 'trusted_contact' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
                 CREATE TRIGGER refuse BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse();",
        };
        c.batch_execute(ddl).unwrap();
    }
    let r = act(&svc, &m.s("id"), "arrived", &rt).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text);
    assert!(r.text.contains("nothing was changed"));
    assert_eq!(outbox(&app), before, "no mail from the rolled-back arrival");
    let view = get(&svc, &format!("/api/v1/matches/{}", m.s("id")), Some(&rt)).await;
    assert_eq!(view.json["status"], "accepted", "and no arrival either");
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::audit::chain_pending(&app.state, &mut c).unwrap();
    use porte_ouverte::db::schema::audit_log::dsl as al;
    let arrivals: i64 = al::audit_log
        .filter(al::action.eq("match.arrive"))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(arrivals, 0, "nor its audit entry");
}

async fn smtp_down_then_back_delivers_everything_once(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let mut sink = Sink::down();
    let t = smtp_transport(&sink);
    let app = TestApp::with(backend, |c| {
        c.mail_max_attempts = 3;
        c.mail_retry_seconds = 30;
    });
    let svc = app.service().await;
    for i in 0..5 {
        english_guest(&svc, &format!("guest{i}@example.org"), json!({})).await;
    }
    // the server is down: nothing is lost, each mail waits with back-off
    assert_eq!(deliver(&app, &t), 0);
    assert!(
        outbox(&app)
            .iter()
            .all(|(_, s, a)| s == "pending" && *a == 1)
    );
    assert_eq!(deliver(&app, &t), 0, "not due again before the back-off");
    app.clock.advance(31_000);
    assert_eq!(deliver(&app, &t), 0);
    assert!(
        outbox(&app)
            .iter()
            .all(|(_, s, a)| s == "pending" && *a == 2)
    );
    // it comes back: everything is delivered, once
    sink.up();
    app.clock.advance(61_000);
    assert_eq!(deliver(&app, &t), 5);
    assert_eq!(sink.mails().len(), 5);
    app.clock.advance(3_600_000);
    assert_eq!(deliver(&app, &t), 0);
    assert_eq!(sink.mails().len(), 5, "each once");

    // down for good: after MAIL_MAX_ATTEMPTS a mail is a dead letter that a
    // coordinator sees and sends again
    sink.stop();
    english_guest(&svc, "late@example.org", json!({})).await;
    for _ in 0..3 {
        deliver(&app, &t);
        app.clock.advance(3_600_000);
    }
    assert_eq!(outbox(&app).last().unwrap().1, "dead");
    let coord = coordinator_token(&app, "coord@example.org");
    let dead = get(
        &svc,
        "/api/v1/coordination/outbox?status=dead",
        Some(&coord),
    )
    .await;
    let dead = dead.json["mails"].as_array().unwrap().clone();
    assert_eq!(dead.len(), 1);
    assert!(dead[0]["last_error"].as_str().unwrap().len() > 3);
    let id = dead[0]["id"].as_str().unwrap();
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    for (token, status) in [
        (Some(host.as_str()), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let r = post(
            &svc,
            &format!("/api/v1/coordination/outbox/{id}/retry"),
            token,
            json!({}),
        )
        .await;
        assert!(
            r.status == status || r.status == StatusCode::NOT_FOUND,
            "{}",
            r.status
        );
    }
    let missing = post(
        &svc,
        "/api/v1/coordination/outbox/msg_nope/retry",
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let r = post(
        &svc,
        &format!("/api/v1/coordination/outbox/{id}/retry"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    sink.up();
    assert_eq!(
        deliver(&app, &t),
        2,
        "the retried one and the host's verification"
    );
    assert_eq!(sink.to("late@example.org").len(), 1);
}

async fn two_workers_send_each_mail_once(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let app = TestApp::new(backend);
    let svc = app.service().await;
    for i in 0..40 {
        english_guest(&svc, &format!("g{i}@example.org"), json!({})).await;
    }
    // a second instance on the same database, with its own worker
    let mut config = app.state.config.clone();
    config.db_pool_size = 4;
    let other = porte_ouverte::state::AppState::open(config, app.clock.clone()).unwrap();
    let states = [app.state.clone(), other];
    let url = sink.url();
    let handles: Vec<_> = states
        .into_iter()
        .map(|s| {
            let url = url.clone();
            std::thread::spawn(move || {
                let t = Transport::from_config(Some(&url), "unused").unwrap();
                let mut sent = 0;
                for _ in 0..40 {
                    sent += mail::deliver_due(&s, &t, 3).unwrap();
                }
                sent
            })
        })
        .collect();
    let sent: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(sent, 40);
    let mails = sink.mails();
    assert_eq!(mails.len(), 40, "each mail exactly once");
    let ids: std::collections::BTreeSet<&str> = mails
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 40);
}

/// The real binary: without SMTP_URL mails become .eml files; with the SMTP
/// server down, a SIGKILL between commit and delivery loses nothing, and the
/// restarted process delivers once.
#[test]
fn killed_between_commit_and_delivery_delivers_once_after_restart() {
    if !smtp::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("po.db");
    let eml = dir.path().join("outbox");
    let eml_dir = eml.to_str().unwrap().to_owned();
    let (mut server, addr) = start_server(&db, &[("MAIL_DIR", &eml_dir), ("MAIL_POLL_MS", "100")]);
    let body = json!({"lat": 48.8566, "lon": 2.3522, "party_size": 1, "name": "Lina", "contact_email": "lina@example.org"});
    let (status, _) = http(&addr, "POST", "/api/v1/requests", None, Some(&body)).unwrap();
    assert_eq!(status, 201);
    let deadline = Instant::now() + Duration::from_secs(20);
    let file = loop {
        let found = std::fs::read_dir(&eml).ok().and_then(|d| {
            d.flatten()
                .find(|e| e.path().extension().is_some_and(|x| x == "eml"))
        });
        if let Some(f) = found {
            break f.path();
        }
        assert!(Instant::now() < deadline, "no .eml written");
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.contains("To: lina@example.org") && text.contains("Message-ID: <msg_"),
        "{text}"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    // SMTP down: the mail is committed but cannot leave; then SIGKILL
    let mut sink = Sink::down();
    let env = [
        ("SMTP_URL", sink.url()),
        ("MAIL_POLL_MS", "100".into()),
        ("MAIL_RETRY_SECONDS", "1".into()),
    ];
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (mut server, addr) = start_server(&db, &env_ref);
    let body = json!({"lat": 48.8566, "lon": 2.3522, "party_size": 1, "name": "Omar", "contact_email": "omar@example.org"});
    let (status, _) = http(&addr, "POST", "/api/v1/requests", None, Some(&body)).unwrap();
    assert_eq!(status, 201);
    std::thread::sleep(Duration::from_millis(300));
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    sink.up();
    let (mut server, _) = start_server(&db, &env_ref);
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.to("omar@example.org").is_empty() {
        assert!(Instant::now() < deadline, "never delivered after restart");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sink.to("omar@example.org").len(), 1, "delivered once");
    assert!(
        sink.to("lina@example.org").is_empty(),
        "the .eml one is not sent again"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
