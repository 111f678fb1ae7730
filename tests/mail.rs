//! Notifications through a real SMTP server (aiosmtpd): the mails of each
//! event in both languages, atomicity with the change, faults (server down,
//! process killed), two workers, escalation, trusted contact, "I feel unsafe".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::http::{http, start_server};
use common::smtp::{self, Sink};
use common::*;
use diesel::prelude::*;
use porte_ouverte::mail::{self, transport::Transport};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

on_both_backends!(
    each_event_sends_its_mails_in_the_recipients_language,
    no_mail_when_the_transaction_rolls_back,
    smtp_down_then_back_delivers_everything_once,
    two_workers_send_each_mail_once,
    escalation_unsafe_flag_and_trusted_contact,
    password_reset_and_verification_links,
    every_mail_in_both_languages,
);

fn smtp_transport(sink: &Sink) -> Transport {
    Transport::from_config(Some(&sink.url()), "unused").unwrap()
}

fn deliver(app: &TestApp, t: &Transport) -> usize {
    mail::deliver_due(&app.state, t, 100).unwrap()
}

fn outbox(app: &TestApp) -> Vec<(String, String, i32)> {
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    o::outbox
        .order(o::created_at.asc())
        .select((o::kind, o::status, o::attempts))
        .load(&mut *c)
        .unwrap()
}

/// A host signs up in French through the API, and offers places.
async fn french_host<S, B>(svc: &S, app: &TestApp, email: &str) -> (String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = send(
        svc,
        TestRequest::post()
            .uri("/api/v1/accounts")
            .insert_header(("accept-language", "fr-FR,fr;q=0.9"))
            .set_json(json!({"email": email, "password": "correct horse", "display_name": "Hélène Dupont"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let t = post(
        svc,
        "/api/v1/tokens",
        None,
        json!({"email": email, "password": "correct horse"}),
    )
    .await;
    let token = t.s("token");
    let offer_id = offer(svc, app, &token, 48.8585, 2.3795, 4).await;
    (token, offer_id)
}

async fn english_guest<S, B>(svc: &S, email: &str, extra: Value) -> (String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut body = request_body(48.8590, 2.3800, 2);
    body["contact_email"] = json!(email);
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = send(
        svc,
        TestRequest::post()
            .uri("/api/v1/requests")
            .insert_header(("accept-language", "en-GB,en;q=0.9"))
            .set_json(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (r.s("id"), r.s("access_token"))
}

fn one(mails: &[Value], subject: &str) -> Value {
    let found: Vec<&Value> = mails.iter().filter(|m| m["subject"] == subject).collect();
    assert_eq!(found.len(), 1, "one '{subject}' in {mails:#?}");
    found[0].clone()
}

async fn each_event_sends_its_mails_in_the_recipients_language(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let t = smtp_transport(&sink);
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (host, offer_id) = french_host(&svc, &app, "helene@example.org").await;

    // the host confirms the address from the mailed link, in French
    assert_eq!(deliver(&app, &t), 1);
    let verify = one(
        &sink.to("helene@example.org"),
        "Confirmez votre adresse e-mail",
    );
    let text = verify["text"].as_str().unwrap();
    assert!(text.starts_with("Bonjour Hélène Dupont,"), "{text}");
    let token = text
        .split("/host/verify/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let me = get(&svc, "/api/v1/accounts/me", Some(&host)).await;
    assert_eq!(me.json["email_verified"], false);
    let r = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let me = get(&svc, "/api/v1/accounts/me", Some(&host)).await;
    assert_eq!(me.json["email_verified"], true);
    let again = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": token}),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a link works once");

    // a guest who left an e-mail gets the private link, in English
    let (rid, rt) = english_guest(&svc, "sam@example.org", json!({})).await;
    assert_eq!(deliver(&app, &t), 1);
    let link = one(
        &sink.to("sam@example.org"),
        "Your request for a place to stay",
    );
    assert!(
        link["text"]
            .as_str()
            .unwrap()
            .contains(&format!("/r/{rid}/{rt}")),
        "{link}"
    );
    assert!(
        link["html"]
            .as_str()
            .unwrap()
            .contains(&format!("/r/{rid}/{rt}"))
    );
    let mid = link["message_id"].as_str().unwrap();
    assert!(
        mid.starts_with("<msg_") && mid.ends_with("@porte-ouverte.invalid>"),
        "{mid}"
    );
    assert_eq!(
        link["from"],
        "Porte Ouverte <no-reply@porte-ouverte.invalid>"
    );

    // the guest asks: the host hears it in French, without the guest's contact
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(m.status, StatusCode::CREATED);
    deliver(&app, &t);
    let proposal = one(
        &sink.to("helene@example.org"),
        "Demande d'hébergement, 2 pers.",
    );
    let text = proposal["text"].as_str().unwrap();
    assert!(text.contains("Samira demande 2 places"), "{text}");
    assert_no_secret(text, GUEST_SECRETS);
    assert_no_secret(proposal["html"].as_str().unwrap(), GUEST_SECRETS);
    assert!(!text.contains("sam@example.org"));

    // the host accepts: the guest gets the address and contact, in English
    assert_eq!(
        act(&svc, &m.s("id"), "accept", &host).await.status,
        StatusCode::OK
    );
    deliver(&app, &t);
    let accepted = one(&sink.to("sam@example.org"), "A host is waiting for you");
    let text = accepted["text"].as_str().unwrap();
    for line in [
        "Hélène Dupont accepted.",
        "Address: 12 rue de la Roquette, 75011 Paris",
        "Phone: +33612345678",
        "Notes from the host: Digicode 4521B, 3rd floor",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }

    // arrival: both sides hear it
    assert_eq!(
        act(&svc, &m.s("id"), "arrived", &rt).await.status,
        StatusCode::OK
    );
    deliver(&app, &t);
    one(&sink.to("sam@example.org"), "Arrival confirmed");
    let host_arrival = one(&sink.to("helene@example.org"), "Arrivée confirmée");
    assert!(
        host_arrival["text"]
            .as_str()
            .unwrap()
            .contains("L'arrivée de Samira est confirmée.")
    );

    // a host declining a guest who asked: the guest hears it, with other doors
    let (rid2, rt2) = english_guest(&svc, "noor@example.org", json!({})).await;
    let m2 = ask(&svc, &rid2, &rt2, &offer_id).await;
    let (_, other_host) = sign_up_host(&svc, "second@example.org").await;
    offer(&svc, &app, &other_host, 48.8600, 2.3810, 3).await;
    assert_eq!(
        act(&svc, &m2.s("id"), "decline", &host).await.status,
        StatusCode::OK
    );
    deliver(&app, &t);
    let declined = one(&sink.to("noor@example.org"), "This host cannot take you");
    let text = declined["text"].as_str().unwrap();
    assert!(
        text.contains("Open doors near you now:") && text.contains("3 places free"),
        "{text}"
    );

    // a hold that runs out: the guest hears it when the sweeper passes
    let (rid3, rt3) = english_guest(&svc, "ines@example.org", json!({"lang": "fr"})).await;
    ask(&svc, &rid3, &rt3, &offer_id).await;
    app.clock.advance(21 * 60_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    deliver(&app, &t);
    let expired = one(
        &sink.to("ines@example.org"),
        "L'hôte n'a pas répondu à temps",
    );
    assert!(
        expired["text"]
            .as_str()
            .unwrap()
            .contains("Bonjour Samira,")
    );

    // every mail left once; bodies are not kept after delivery
    let all = sink.mails();
    let ids: std::collections::BTreeSet<&str> = all
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), all.len(), "one Message-ID per mail");
    assert!(outbox(&app).iter().all(|(_, s, _)| s == "sent"));
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    let kept: i64 = o::outbox
        .filter(o::body_text.ne(""))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(kept, 0);
    assert_eq!(deliver(&app, &t), 0, "nothing sent twice");
}

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

async fn escalation_unsafe_flag_and_trusted_contact(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let t = smtp_transport(&sink);
    let app = TestApp::new(backend);
    let svc = app.service().await;
    coordinator_token(&app, "coord@example.org");
    let (host, offer_id) = french_host(&svc, &app, "helene@example.org").await;

    // the trusted contact needs the guest's explicit consent
    let mut body = request_body(48.8590, 2.3800, 2);
    body["trusted_contact_email"] = json!("mum@example.org");
    let r = post(&svc, "/api/v1/requests", None, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["trusted_contact_consent"]);
    body["trusted_contact_email"] = json!("not an address");
    body["trusted_contact_consent"] = json!(true);
    let r = post(&svc, "/api/v1/requests", None, body).await;
    assert_eq!(r.error_fields(), vec!["trusted_contact_email"]);

    let (rid, rt) = english_guest(
        &svc,
        "sam@example.org",
        json!({"trusted_contact_email": "mum@example.org", "trusted_contact_consent": true}),
    )
    .await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    let mid = m.s("id");
    act(&svc, &mid, "accept", &host).await;

    // "I feel unsafe": only the guest may raise it; coordinators are told, the host is not
    let r = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        None,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&rt),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["emergency_numbers"], json!(["112", "17"]));
    post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&rt),
        json!({}),
    )
    .await;
    deliver(&app, &t);
    let urgent = sink.to("coord@example.org");
    assert_eq!(urgent.len(), 1, "one alert, however often pressed");
    assert_eq!(
        urgent[0]["subject"],
        format!("URGENT : une personne hébergée ne se sent pas en sécurité ({mid})")
    );
    let host_view = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&host)).await;
    assert!(!host_view.text.contains("unsafe"), "{}", host_view.text);
    assert!(
        sink.to("helene@example.org")
            .iter()
            .all(|m| !m["subject"].as_str().unwrap().contains("URGENT"))
    );

    // no arrival within ARRIVAL_WINDOW_MINUTES: escalated once, shown first
    let coord = coordinator_token(&app, "coord2@example.org");
    app.clock.advance(89 * 60_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    deliver(&app, &t);
    assert_eq!(sink.to("coord@example.org").len(), 1, "not yet");
    app.clock.advance(2 * 60_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    deliver(&app, &t);
    for to in ["coord@example.org", "coord2@example.org"] {
        let late: Vec<Value> = sink
            .to(to)
            .into_iter()
            .filter(|m| m["subject"] == format!("Arrivée non confirmée : mise en relation {mid}"))
            .collect();
        assert_eq!(late.len(), 1, "{to}");
    }
    let alerts = get(&svc, "/api/v1/coordination/alerts", Some(&coord)).await;
    assert_eq!(alerts.json["alerts"][0]["kind"], "unsafe");
    assert_eq!(alerts.json["alerts"][0]["match"]["id"], mid.as_str());
    let denied = get(&svc, "/api/v1/coordination/alerts", Some(&host)).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // arrival: the trusted contact is told once, the area at most
    act(&svc, &mid, "arrived", &rt).await;
    deliver(&app, &t);
    let safe = sink.to("mum@example.org");
    assert_eq!(safe.len(), 1);
    assert_eq!(safe[0]["subject"], "Samira is safe");
    let text = safe[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Samira has reached a shelter and is safe (area: Paris 11e)."),
        "{text}"
    );
    assert_no_secret(text, SECRETS);
    assert_no_secret(safe[0]["html"].as_str().unwrap(), SECRETS);
    assert!(!text.contains("Hélène"));
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

/// The link a mail carries after `marker` (e.g. "/host/reset/").
fn link_token(mail: &Value, marker: &str) -> String {
    mail["text"]
        .as_str()
        .unwrap()
        .split(marker)
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

async fn password_reset_and_verification_links(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let t = smtp_transport(&sink);
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (_, old_token) = sign_up_host(&svc, "nadia@example.org").await;
    deliver(&app, &t);
    let verify_mail = one(
        &sink.to("nadia@example.org"),
        "Confirmez votre adresse e-mail",
    );
    let verify_token = link_token(&verify_mail, "/host/verify/");

    // the same answer whether or not the address has an account
    let unknown = post(
        &svc,
        "/api/v1/password-resets",
        None,
        json!({"email": "nobody@example.org"}),
    )
    .await;
    let known = post(
        &svc,
        "/api/v1/password-resets",
        None,
        json!({"email": "NADIA@example.org"}),
    )
    .await;
    assert_eq!(
        (unknown.status, known.status),
        (StatusCode::ACCEPTED, StatusCode::ACCEPTED)
    );
    assert_eq!(unknown.text, known.text);
    for bad in [
        json!({}),
        json!({"email": 5}),
        json!({"email": "x@y.z", "admin": true}),
    ] {
        let r = post(&svc, "/api/v1/password-resets", None, bad.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    send_requested_resets(&app);
    deliver(&app, &t);
    assert!(sink.to("nobody@example.org").is_empty());
    let reset_mail = one(
        &sink.to("nadia@example.org"),
        "Choisissez un nouveau mot de passe",
    );
    let token = link_token(&reset_mail, "/host/reset/");
    assert!(token.starts_with("prs_"), "{token}");

    // a weak password is refused and the link stays usable; a wrong link changes nothing
    let confirm = |token: &str, password: &str| {
        post(
            &svc,
            "/api/v1/password-resets/confirm",
            None,
            json!({"token": token, "password": password}),
        )
    };
    let r = confirm(&token, "short").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["password"]);
    let r = confirm("prs_not_a_real_link", "a brand new password").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = confirm(&verify_token, "a brand new password").await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a verification link resets nothing"
    );
    let r = confirm(&token, "a brand new password").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(
        confirm(&token, "yet another password").await.status,
        StatusCode::CONFLICT,
        "once"
    );
    // the old password and the old sessions are gone
    let me = get(&svc, "/api/v1/accounts/me", Some(&old_token)).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let old = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "nadia@example.org", "password": "correct horse"}),
    )
    .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "nadia@example.org", "password": "a brand new password"}),
    )
    .await;
    assert_eq!(new.status, StatusCode::CREATED);
    let token_now = new.s("token");

    // a reset link lasts one hour
    post(
        &svc,
        "/api/v1/password-resets",
        None,
        json!({"email": "nadia@example.org"}),
    )
    .await;
    send_requested_resets(&app);
    deliver(&app, &t);
    let late: Vec<Value> = sink
        .to("nadia@example.org")
        .into_iter()
        .filter(|m| m["subject"] == "Choisissez un nouveau mot de passe")
        .collect();
    assert_eq!(late.len(), 2);
    let fresh = late
        .iter()
        .map(|m| link_token(m, "/host/reset/"))
        .find(|t| *t != token)
        .unwrap();
    app.clock.advance(61 * 60_000);
    assert_eq!(
        confirm(&fresh, "too late password").await.status,
        StatusCode::CONFLICT
    );

    // verification: resent on demand, once confirmed no more; an old link still works once
    let resend = post(
        &svc,
        "/api/v1/accounts/me/verification",
        Some(&token_now),
        json!({}),
    )
    .await;
    assert_eq!(resend.status, StatusCode::ACCEPTED);
    let anonymous = post(&svc, "/api/v1/accounts/me/verification", None, json!({})).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    deliver(&app, &t);
    let verifies = sink
        .to("nadia@example.org")
        .into_iter()
        .filter(|m| m["subject"] == "Confirmez votre adresse e-mail")
        .count();
    assert_eq!(verifies, 2);
    let r = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": verify_token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let resend = post(
        &svc,
        "/api/v1/accounts/me/verification",
        Some(&token_now),
        json!({}),
    )
    .await;
    assert_eq!(resend.status, StatusCode::CONFLICT);
    let r = post(&svc, "/api/v1/accounts/verify", None, json!({"token": 42})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // a verification link expires after two days
    let (_, other) = sign_up_host(&svc, "omar@example.org").await;
    deliver(&app, &t);
    let expired = link_token(
        &one(
            &sink.to("omar@example.org"),
            "Confirmez votre adresse e-mail",
        ),
        "/host/verify/",
    );
    app.clock.advance(49 * 3_600_000);
    let r = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": expired}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let me = get(&svc, "/api/v1/accounts/me", Some(&other)).await;
    assert_eq!(me.json["email_verified"], false);
}

/// Every kind of mail, once with hosts and coordinators in French and
/// guests in English, once the other way round: exactly these arrive.
async fn every_mail_in_both_languages(backend: Backend) {
    if !smtp::available() {
        return;
    }
    for (staff, guests) in [("fr", "en"), ("en", "fr")] {
        let sink = Sink::start();
        let t = smtp_transport(&sink);
        let app = TestApp::new(backend);
        let svc = app.service().await;
        let lang = |l: &str| if l == "fr" { "fr-FR" } else { "en-GB" };
        // a coordinator (in the staff's language) and a host
        {
            use porte_ouverte::service::accounts;
            let mut conn = app.state.conn().unwrap();
            let new = accounts::parse_new_account(json!({"email": "coord@example.org", "password": "coordinator pw", "display_name": "Coord", "lang": staff})).unwrap();
            accounts::create(
                &app.state,
                &mut conn,
                new,
                porte_ouverte::domain::states::Role::Coordinator,
            )
            .unwrap();
        }
        let r = send(
            &svc,
            TestRequest::post()
                .uri("/api/v1/accounts")
                .insert_header(("accept-language", lang(staff)))
                .set_json(json!({"email": "host@example.org", "password": "correct horse", "display_name": "Hélène"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let host = post(
            &svc,
            "/api/v1/tokens",
            None,
            json!({"email": "host@example.org", "password": "correct horse"}),
        )
        .await
        .s("token");
        let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 8).await;
        let guest_at = |email: &str, extra: Value| {
            let mut body = request_body(48.8590, 2.3800, 1);
            body["contact_email"] = json!(email);
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            send(
                &svc,
                TestRequest::post()
                    .uri("/api/v1/requests")
                    .insert_header(("accept-language", lang(guests)))
                    .set_json(body),
            )
        };
        // accepted, arrived, trusted contact
        let a = guest_at(
            "a@example.org",
            json!({"trusted_contact_email": "kin@example.org", "trusted_contact_consent": true}),
        )
        .await;
        let m = ask(&svc, &a.s("id"), &a.s("access_token"), &offer_id)
            .await
            .s("id");
        act(&svc, &m, "accept", &host).await;
        post(
            &svc,
            &format!("/api/v1/matches/{m}/unsafe"),
            Some(&a.s("access_token")),
            json!({}),
        )
        .await;
        act(&svc, &m, "arrived", &a.s("access_token")).await;
        // declined
        let b = guest_at("b@example.org", json!({})).await;
        let mb = ask(&svc, &b.s("id"), &b.s("access_token"), &offer_id)
            .await
            .s("id");
        act(&svc, &mb, "decline", &host).await;
        // invited by the host
        let c = guest_at("c@example.org", json!({})).await;
        post(
            &svc,
            &format!("/api/v1/offers/{offer_id}/matches"),
            Some(&host),
            json!({"request_id": c.s("id")}),
        )
        .await;
        // accepted then never confirmed; and a hold that runs out
        let d = guest_at("d@example.org", json!({})).await;
        let md = ask(&svc, &d.s("id"), &d.s("access_token"), &offer_id)
            .await
            .s("id");
        act(&svc, &md, "accept", &host).await;
        let e = guest_at("e@example.org", json!({})).await;
        ask(&svc, &e.s("id"), &e.s("access_token"), &offer_id).await;
        app.clock.advance(91 * 60_000);
        porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
        post(
            &svc,
            "/api/v1/password-resets",
            None,
            json!({"email": "host@example.org"}),
        )
        .await;
        send_requested_resets(&app);
        while deliver(&app, &t) > 0 {}

        let mut got: Vec<(String, String)> = sink
            .mails()
            .iter()
            .map(|m| {
                (
                    m["rcpt"][0].as_str().unwrap().to_owned(),
                    m["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        got.sort();
        let (s, g) = (staff == "fr", guests == "fr");
        let pick = |fr: bool, fr_text: &str, en_text: &str| {
            if fr {
                fr_text.to_owned()
            } else {
                en_text.to_owned()
            }
        };
        let mut want: Vec<(String, String)> = vec![
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Confirmez votre adresse e-mail",
                    "Confirm your e-mail address",
                ),
            ),
            // the hold that ran out unanswered paused the offer
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Accueillez-vous toujours cette nuit ?",
                    "Are you still hosting tonight?",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Choisissez un nouveau mot de passe",
                    "Choose a new password",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(s, "Arrivée confirmée", "Arrival confirmed"),
            ),
            (
                "coord@example.org".into(),
                pick(
                    s,
                    &format!("URGENT : une personne hébergée ne se sent pas en sécurité ({m})"),
                    &format!("URGENT: a guest feels unsafe (match {m})"),
                ),
            ),
            (
                "coord@example.org".into(),
                pick(
                    s,
                    &format!("Arrivée non confirmée : mise en relation {md}"),
                    &format!("No arrival confirmed: match {md}"),
                ),
            ),
            (
                "kin@example.org".into(),
                pick(g, "Samira est en sécurité", "Samira is safe"),
            ),
            (
                "a@example.org".into(),
                pick(g, "Un hôte vous attend", "A host is waiting for you"),
            ),
            (
                "a@example.org".into(),
                pick(g, "Arrivée confirmée", "Arrival confirmed"),
            ),
            (
                "b@example.org".into(),
                pick(
                    g,
                    "Cet hôte ne peut pas vous accueillir",
                    "This host cannot take you",
                ),
            ),
            (
                "c@example.org".into(),
                pick(g, "Un hôte vous invite", "A host invites you"),
            ),
            (
                "d@example.org".into(),
                pick(g, "Un hôte vous attend", "A host is waiting for you"),
            ),
            (
                "e@example.org".into(),
                pick(
                    g,
                    "L'hôte n'a pas répondu à temps",
                    "The host did not answer in time",
                ),
            ),
        ];
        for who in ["a", "b", "c", "d", "e"] {
            want.push((
                format!("{who}@example.org"),
                pick(
                    g,
                    "Votre demande d'hébergement",
                    "Your request for a place to stay",
                ),
            ));
        }
        want.sort();
        assert_eq!(got, want, "staff {staff}, guests {guests}");
    }
}

/// No header can be injected through a field that reaches a mail.
#[actix_web::test]
async fn user_fields_cannot_inject_mail_headers() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    for (field, value) in [
        ("name", "Sam\r\nBcc: evil@example.org"),
        ("contact_email", "sam@example.org\r\nBcc: evil@example.org"),
        (
            "trusted_contact_email",
            "kin@example.org\nBcc: evil@example.org",
        ),
    ] {
        let mut body = request_body(48.8590, 2.3800, 1);
        body[field] = json!(value);
        body["trusted_contact_consent"] = json!(true);
        let r = post(&svc, "/api/v1/requests", None, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(r.error_fields(), vec![field.to_owned()]);
    }
    let r = post(
        &svc,
        "/api/v1/accounts",
        None,
        json!({"email": "a@example.org", "password": "long enough", "display_name": "Eve\r\nBcc: x@example.org"}),
    )
    .await;
    assert_eq!(r.error_fields(), vec!["display_name"]);
    assert!(outbox(&app).is_empty(), "nothing queued");
    assert_eq!(
        porte_ouverte::mail::transport::one_line("Hi\r\nBcc: x@example.org"),
        "Hi  Bcc: x@example.org"
    );
}
