//! What the server's log says about people (issue 11, finding 4): the real
//! binary at RUST_LOG=debug through a whole flow — an offer, a request with
//! a name, a search, the guest's private link, refused and rate-limited
//! calls carrying a full name in the query — and the log holds no name, no
//! token, no e-mail address and no query string: route patterns only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::http::{http, raw, start_server_logging};
use serde_json::json;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn the_log_of_a_whole_flow_names_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let outbox = dir.path().join("outbox");
    let env = [
        ("RUST_LOG", "debug"),
        ("MAIL_DIR", outbox.to_str().unwrap()),
        ("MAIL_POLL_MS", "100"),
        ("INDEX_SYNC_MS", "200"),
        ("RATE_LOGIN_PER_MIN", "3"),
    ];
    let (mut server, addr) =
        start_server_logging(&dir.path().join("po.db"), &env, Stdio::from(log));

    let account = json!({"email": "helene.host@example.org", "password": "correct horse",
        "display_name": "Hélène Marchand", "phone": "+33 6 12 34 56 78"});
    let (s, created) = http(&addr, "POST", "/api/v1/accounts", None, Some(&account)).unwrap();
    assert_eq!(s, 201);
    let account_id = created["id"].as_str().unwrap().to_owned();
    let login = json!({"email": "helene.host@example.org", "password": "correct horse"});
    let (s, t) = http(&addr, "POST", "/api/v1/tokens", None, Some(&login)).unwrap();
    assert_eq!(s, 201);
    // a wrong password: refused, and logged by account, not by address
    let wrong = json!({"email": "helene.host@example.org", "password": "wrong horse"});
    assert_eq!(
        http(&addr, "POST", "/api/v1/tokens", None, Some(&wrong))
            .unwrap()
            .0,
        401
    );
    let host = t["token"].as_str().unwrap().to_owned();
    let reset = json!({"email": "helene.host@example.org"});
    // (the reset and the log-in share the log-in limit)
    assert_eq!(
        http(&addr, "POST", "/api/v1/password-resets", None, Some(&reset))
            .unwrap()
            .0,
        202
    );
    let until = chrono::Utc::now() + chrono::Duration::hours(24);
    let offer = json!({"lat": 48.8566, "lon": 2.3522, "address": "12 rue de la Roquette",
        "capacity": 2, "available_until": until.to_rfc3339(), "contact_phone": "+33 6 12 34 56 78"});
    assert_eq!(
        http(&addr, "POST", "/api/v1/offers", Some(&host), Some(&offer))
            .unwrap()
            .0,
        201
    );

    let request = json!({"lat": 48.85, "lon": 2.35, "party_size": 1, "name": "Jeanne Dupont",
        "contact_email": "jeanne.d@example.org", "findable_name": "Jeanne Dupont",
        "findable_consent": true});
    let (s, r) = http(&addr, "POST", "/api/v1/requests", None, Some(&request)).unwrap();
    assert_eq!(s, 201, "{r}");
    let (rid, rt) = (
        r["id"].as_str().unwrap().to_owned(),
        r["access_token"].as_str().unwrap().to_owned(),
    );
    let (s, _) = http(
        &addr,
        "GET",
        &format!("/api/v1/requests/{rid}/candidates?limit=5"),
        Some(&rt),
        None,
    )
    .unwrap();
    assert_eq!(s, 200);
    // the private link, and a wrong one beside it
    assert_eq!(
        raw(&addr, "GET", &format!("/r/{rid}/{rt}"), None, None)
            .unwrap()
            .0,
        200
    );
    assert_eq!(
        raw(&addr, "GET", &format!("/r/{rid}/{rt}x"), None, None)
            .unwrap()
            .0,
        404
    );
    // refused input that quotes a name, and a search by name until it is rate-limited
    let bad = json!({"lat": 999, "lon": 2.35, "party_size": 1, "name": "Jeanne Dupont"});
    assert_eq!(
        http(&addr, "POST", "/api/v1/requests", None, Some(&bad))
            .unwrap()
            .0,
        422
    );
    let (s, _) = raw(
        &addr,
        "POST",
        "/api/v1/requests",
        None,
        Some("{\"name\": \"Jeanne Dupont\""),
    )
    .unwrap();
    assert_eq!(s, 400);
    let mut statuses = vec![];
    for _ in 0..5 {
        statuses.push(
            http(
                &addr,
                "GET",
                "/api/v1/safe?name=Jeanne%20Dupont",
                None,
                None,
            )
            .unwrap()
            .0,
        );
    }
    assert!(statuses.contains(&429), "{statuses:?}");

    // the background thread turns the reset into a mail (an .eml file)
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let resets = std::fs::read_dir(&outbox)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("/host/reset/"))
            });
        if resets.count() == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the reset was never mailed");
        std::thread::sleep(Duration::from_millis(100));
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("route=/api/v1/safe"),
        "requests are logged by route:\n{log}"
    );
    assert!(log.contains("route=/r/{id}/{token}"), "{log}");
    // log-ins, good and bad, are there by account ID (ASVS 16.3.1)
    assert!(
        log.lines()
            .any(|l| l.contains("log-in") && !l.contains("refused") && l.contains(&account_id)),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains("log-in refused: wrong password") && l.contains(&account_id)),
        "{log}"
    );
    for secret in [
        "Jeanne",
        "Dupont",
        "jeanne.d@",
        "Hélène",
        "Marchand",
        "helene.host",
        "Roquette",
        "+33",
        &rt,
        &host,
        "por_",
        "poa_",
        "prs_",
        "name=",
        "limit=",
        "?",
    ] {
        let line = log.lines().find(|l| l.contains(secret));
        assert!(
            line.is_none(),
            "{secret:?} is in the log: {}",
            line.unwrap_or("")
        );
    }
}
