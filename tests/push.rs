//! Web Push alerts against a real HTTP push service started by each test:
//! what arrives is decrypted with the subscription's keys (RFC 8291) and its
//! VAPID JWT verified (RFC 8292); gone subscriptions, retries, rollback,
//! validation and ownership, and the pages' opt-in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/push_endpoint.rs"]
mod push_endpoint;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::*;
use diesel::prelude::*;
use porte_ouverte::push::{self, Sender};
use push_endpoint::{Browser, PushService, verify_vapid};
use serde_json::{Value, json};

on_both_backends!(
    a_proposal_reaches_the_hosts_phone_encrypted_and_signed,
    the_guest_hears_the_invitation_the_answer_and_the_expiry,
    a_gone_subscription_is_dropped_and_not_retried,
    a_server_error_is_retried_later_then_delivered_once,
    a_rolled_back_proposal_queues_no_push,
    bad_subscriptions_are_refused_and_nothing_is_stored,
    only_the_owner_removes_a_subscription,
    the_guest_page_turns_alerts_on_with_csrf,
);

fn app(backend: Backend) -> TestApp {
    TestApp::with(backend, |c| c.push_allow_loopback = true)
}

fn deliver(app: &TestApp) -> usize {
    push::deliver_due(&app.state, &Sender::default(), 100).unwrap()
}

/// (kind, status, attempts, last_error) of the push rows, oldest first.
fn push_rows(app: &TestApp) -> Vec<(String, String, i32, Option<String>)> {
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    o::outbox
        .filter(o::channel.eq("push"))
        .order((o::created_at.asc(), o::id.asc()))
        .select((o::kind, o::status, o::attempts, o::last_error))
        .load(&mut *c)
        .unwrap()
}

fn subscriptions(app: &TestApp) -> i64 {
    porte_ouverte::db::push::count(&mut app.state.conn().unwrap()).unwrap()
}

fn decrypt(browser: &Browser, r: &push_endpoint::Received) -> Value {
    serde_json::from_slice(&browser.decrypt(&r.body)).unwrap()
}

fn subscribe_body(browser: &Browser, endpoint: &str) -> Value {
    let mut b = browser.subscription(endpoint);
    b["lang"] = json!("en");
    b
}

#[allow(clippy::too_many_lines)]
async fn a_proposal_reaches_the_hosts_phone_encrypted_and_signed(backend: Backend) {
    let app = app(backend);
    let svc = app.service().await;
    let service = PushService::start();
    let phone = Browser::new();
    let (_, host) = sign_up_host(&svc, "helene@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let s = post(
        &svc,
        "/api/v1/push/subscriptions",
        Some(&host),
        subscribe_body(&phone, &service.url("/push/host-phone")),
    )
    .await;
    assert_eq!(s.status, StatusCode::CREATED, "{}", s.text);
    assert_eq!(s.json["lang"], "en");
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 2).await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.text);
    assert_eq!(
        push_rows(&app).len(),
        1,
        "one alert queued with the proposal"
    );

    let t = std::time::Instant::now();
    assert_eq!(deliver(&app), 1);
    let took = t.elapsed();
    let got = service.received();
    assert_eq!(got.len(), 1, "exactly one POST");
    eprintln!(
        "push: {} bytes on the wire, claimed + encrypted + signed + sent + recorded in {took:?}",
        got[0].body.len()
    );
    let r = &got[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/push/host-phone")
    );
    assert_eq!(r.headers["content-encoding"], "aes128gcm");
    assert!(r.headers["ttl"].parse::<u64>().unwrap() > 0);
    assert_eq!(r.headers["urgency"], "high");
    let key = get(&svc, "/api/v1/push/key", None).await.s("public_key");
    let now_s = app.clock.now() / 1000;
    verify_vapid(&r.headers["authorization"], &key, &service.origin(), now_s);

    let until = chrono::DateTime::parse_from_rfc3339(&m.s("expires_at"))
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M")
        .to_string();
    let payload = decrypt(&phone, r);
    assert_eq!(
        payload,
        json!({
            "title": "New request for 2",
            "body": format!("A guest asks for 2 places, held until {until}. Answer on your page."),
            "url": "/host",
        })
    );
    assert_no_secret(&payload.to_string(), GUEST_SECRETS);
    assert!(!payload.to_string().contains("Samira"), "no name");
    assert!(r.body.len() < 4096, "tiny: {} bytes", r.body.len());

    assert_eq!(push_rows(&app)[0].1, "sent");
    assert_eq!(deliver(&app), 0, "sent once");
    assert_eq!(service.received().len(), 1);
}

async fn the_guest_hears_the_invitation_the_answer_and_the_expiry(backend: Backend) {
    let app = app(backend);
    let svc = app.service().await;
    let service = PushService::start();
    let (guest_phone, host_phone) = (Browser::new(), Browser::new());
    let (_, host) = sign_up_host(&svc, "helene@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 1).await;
    for (token, phone, path) in [(&rt, &guest_phone, "/g"), (&host, &host_phone, "/h")] {
        let body = subscribe_body(phone, &service.url(path));
        let s = post(&svc, "/api/v1/push/subscriptions", Some(token), body).await;
        assert_eq!(s.status, StatusCode::CREATED, "{}", s.text);
    }
    // the host invites; the guest declines nothing yet — the host lets it run out
    let inv = post(
        &svc,
        &format!("/api/v1/offers/{offer_id}/matches"),
        Some(&host),
        json!({ "request_id": rid }),
    )
    .await;
    assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.text);
    app.clock.advance(app.state.hold_ms() + 1);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    // then the guest asks and the host accepts: both hear that contacts are revealed
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(
        act(&svc, &m.s("id"), "accept", &host).await.status,
        StatusCode::OK
    );
    assert_eq!(deliver(&app), 6);
    let mut heard: Vec<(String, String, String)> = service
        .received()
        .iter()
        .map(|r| {
            let phone = if r.path == "/g" {
                &guest_phone
            } else {
                &host_phone
            };
            let p = decrypt(phone, r);
            (
                r.path.clone(),
                p["title"].as_str().unwrap().to_owned(),
                p["url"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    heard.sort();
    let g = format!("/r/{rid}");
    let expected: Vec<(String, String, String)> = [
        ("/g", "A host invites you", g.as_str()),
        ("/g", "No answer in time", g.as_str()),
        ("/g", "Your place is confirmed", g.as_str()),
        ("/h", "A proposal has expired", "/host"),
        ("/h", "Match confirmed", "/host"),
        ("/h", "New request for 1", "/host"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(heard.len(), 6, "{heard:?}");
    assert_eq!(heard, expected);
}

async fn a_gone_subscription_is_dropped_and_not_retried(backend: Backend) {
    let app = app(backend);
    let svc = app.service().await;
    let service = PushService::start();
    let phone = Browser::new();
    let (_, host) = sign_up_host(&svc, "helene@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let body = subscribe_body(&phone, &service.url("/old-phone"));
    post(&svc, "/api/v1/push/subscriptions", Some(&host), body).await;
    service.answer(&[410]);
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 1).await;
    ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(deliver(&app), 0);
    assert_eq!(service.received().len(), 1);
    assert_eq!(subscriptions(&app), 0, "the subscription is gone");
    let rows = push_rows(&app);
    assert_eq!(rows[0].1, "sent", "the row is done: {rows:?}");
    assert!(rows[0].3.as_deref().unwrap().contains("410"));
    app.clock.advance(3 * 3_600_000);
    assert_eq!(deliver(&app), 0);
    assert_eq!(service.received().len(), 1, "not retried");
    let (rid2, rt2) = guest(&svc, 48.8566, 2.3522, 1).await;
    ask(&svc, &rid2, &rt2, &offer_id).await;
    assert_eq!(
        push_rows(&app).len(),
        1,
        "nothing queued for a dropped phone"
    );
}

async fn a_server_error_is_retried_later_then_delivered_once(backend: Backend) {
    let app = app(backend);
    let svc = app.service().await;
    let service = PushService::start();
    let phone = Browser::new();
    let (_, host) = sign_up_host(&svc, "helene@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let body = subscribe_body(&phone, &service.url("/p"));
    post(&svc, "/api/v1/push/subscriptions", Some(&host), body).await;
    service.answer(&[500, 429]);
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 1).await;
    ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(deliver(&app), 0);
    assert_eq!(push_rows(&app)[0].1, "pending");
    assert_eq!(deliver(&app), 0, "not before its back-off");
    assert_eq!(service.received().len(), 1);
    let base = i64::from(app.state.config.mail_retry_seconds) * 1000;
    app.clock.advance(base + 1);
    assert_eq!(deliver(&app), 0, "429: later again");
    app.clock.advance(2 * base + 1);
    assert_eq!(deliver(&app), 1);
    app.clock.advance(3_600_000);
    assert_eq!(deliver(&app), 0);
    let got = service.received();
    assert_eq!(got.len(), 3, "two refusals, one delivery");
    assert_eq!(decrypt(&phone, &got[2])["title"], "New request for 1");
    let rows = push_rows(&app);
    assert_eq!((rows[0].1.as_str(), rows[0].2), ("sent", 3));
}

async fn a_rolled_back_proposal_queues_no_push(backend: Backend) {
    let app = app(backend);
    let svc = app.service().await;
    let service = PushService::start();
    let (_, host) = sign_up_host(&svc, "helene@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let body = subscribe_body(&Browser::new(), &service.url("/p"));
    post(&svc, "/api/v1/push/subscriptions", Some(&host), body).await;
    {
        // the proposal's mail fails to be written, after its push row was
        use diesel::connection::SimpleConnection;
        let ddl = match backend {
            Backend::Sqlite => "CREATE TRIGGER refuse BEFORE INSERT ON outbox WHEN NEW.kind = 'proposal' BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            Backend::Postgres => "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.kind = 'proposal' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
                 CREATE TRIGGER refuse BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse();",
        };
        app.state.conn().unwrap().batch_execute(ddl).unwrap();
    }
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 1).await;
    let r = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text);
    assert!(
        push_rows(&app).is_empty(),
        "no push row from the rolled-back proposal"
    );
    assert_eq!(deliver(&app), 0);
    assert!(service.received().is_empty());
}

async fn bad_subscriptions_are_refused_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::new(backend); // loopback endpoints not allowed here
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "helene@example.org").await;
    let b = Browser::new();
    let good = b.subscription("https://push.example.org/p/1");
    let mut cases: Vec<(Value, &str)> = vec![
        (b.subscription("http://127.0.0.1:9/p"), "endpoint"),
        (b.subscription("https://10.0.0.1/p"), "endpoint"),
        (b.subscription("https://localhost/p"), "endpoint"),
        (json!({"keys": good["keys"]}), "endpoint"),
        (json!({"endpoint": good["endpoint"]}), "keys"),
        (
            json!({"endpoint": good["endpoint"], "keys": {"p256dh": "BAAA", "auth": good["keys"]["auth"]}}),
            "keys.p256dh",
        ),
        (
            json!({"endpoint": good["endpoint"], "keys": {"p256dh": good["keys"]["p256dh"], "auth": "c2hvcnQ"}}),
            "keys.auth",
        ),
        (
            json!({"endpoint": good["endpoint"], "keys": good["keys"], "lang": "xx"}),
            "lang",
        ),
    ];
    let mut extra = good.clone();
    extra["owner"] = json!("someone");
    cases.push((extra, "owner"));
    for (body, field) in cases {
        let r = post(
            &svc,
            "/api/v1/push/subscriptions",
            Some(&host),
            body.clone(),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert!(r.is_problem(), "{}", r.text);
        assert_eq!(r.error_fields(), [field], "{body}");
    }
    let anon = post(&svc, "/api/v1/push/subscriptions", None, good.clone()).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    assert!(anon.is_problem());
    assert_eq!(subscriptions(&app), 0, "nothing stored");
    let ok = post(&svc, "/api/v1/push/subscriptions", Some(&host), good).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(subscriptions(&app), 1);
}

async fn only_the_owner_removes_a_subscription(backend: Backend) {
    let app = app(backend);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "helene@example.org").await;
    let (_, rt_a) = guest(&svc, 48.8566, 2.3522, 1).await;
    let (_, rt_b) = guest(&svc, 48.8566, 2.3522, 1).await;
    let sub = Browser::new().subscription("https://push.example.org/a");
    let r = post(&svc, "/api/v1/push/subscriptions", Some(&rt_a), sub).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let delete = |token: String| {
        TestRequest::delete()
            .uri("/api/v1/push/subscriptions")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .set_json(json!({"endpoint": "https://push.example.org/a"}))
    };
    for other in [&rt_b, &host] {
        let r = send(&svc, delete(other.clone())).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert!(r.is_problem());
    }
    assert_eq!(subscriptions(&app), 1, "still there");
    let r = send(&svc, delete(rt_a.clone())).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(subscriptions(&app), 0);
}

async fn the_guest_page_turns_alerts_on_with_csrf(backend: Backend) {
    let app = app(backend);
    let svc = app.service().await;
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 1).await;
    let page = send(&svc, TestRequest::get().uri(&format!("/r/{rid}/{rt}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    let endpoint = format!("/r/{rid}/{rt}/push");
    assert!(page.text.contains(&format!("data-push=\"{endpoint}\"")));
    assert!(page.text.contains("hidden"), "shown only by the script");
    let set = page.headers.get("set-cookie").unwrap().to_str().unwrap();
    let cookie = actix_web::cookie::Cookie::parse(set.to_owned())
        .unwrap()
        .into_owned();
    let token = page
        .text
        .split("data-csrf=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let body = Browser::new().subscription("https://push.example.org/phone");
    let without = send(
        &svc,
        TestRequest::post()
            .uri(&endpoint)
            .cookie(cookie.clone())
            .set_json(body.clone()),
    )
    .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN, "{}", without.text);
    assert_eq!(subscriptions(&app), 0);
    let with = send(
        &svc,
        TestRequest::post()
            .uri(&endpoint)
            .cookie(cookie)
            .insert_header(("x-csrf-token", token))
            .insert_header(("accept-language", "fr"))
            .set_json(body),
    )
    .await;
    assert_eq!(with.status, StatusCode::CREATED, "{}", with.text);
    assert_eq!(with.json["lang"], "fr");
    let sw = send(&svc, TestRequest::get().uri("/sw.js")).await;
    assert_eq!(sw.status, StatusCode::OK);
    assert!(
        sw.headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(sw.text.contains("showNotification"));
}
