//! Regression tests for the security review (issue 11): open redirect,
//! CSRF origin behind proxies, hardening headers and endpoints, stable
//! guest cells, password-reset enumeration, file modes, and concurrent
//! duplicate acceptances — on both backends where storage is involved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::*;
use serde_json::json;

/// `GET /lang/{lang}?next=…`: only a path on this site comes back in
/// `Location`; everything else goes home, and nothing is a server error.
#[actix_web::test]
async fn language_switch_never_redirects_off_site() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let refused = [
        "/%09/evil.example/",
        "/%0a/x",
        "/%0d/x",
        "/%0d%0aSet-Cookie:%20x=1",
        "/x%09y",
        "%5C%5Cevil.example",
        "/%5Cevil.example",
        "/%5C/evil.example",
        "//evil.example",
        "//evil.example/path",
        "http://evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
    ];
    for next in refused {
        let r = send(
            &svc,
            TestRequest::get().uri(&format!("/lang/en?next={next}")),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "next={next}: {}", r.text);
        assert_eq!(r.headers.get("location").unwrap(), "/", "next={next}");
    }
    let r = send(
        &svc,
        TestRequest::get().uri("/lang/fr?next=%2Fhost%3Fx%3D1%23a"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get("location").unwrap(), "/host?x=1#a");
    assert!(
        r.headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("po_lang=fr"),
    );
}

/// The guest form's CSRF cookie and token.
async fn form_token<S, B>(svc: &S) -> (actix_web::cookie::Cookie<'static>, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = send(svc, TestRequest::get().uri("/need")).await;
    assert_eq!(r.status, StatusCode::OK);
    let set = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    let c = actix_web::cookie::Cookie::parse(set.to_owned()).unwrap();
    let cookie = actix_web::cookie::Cookie::new(c.name().to_owned(), c.value().to_owned());
    let token = r.text.split("name=\"csrf\" value=\"").nth(1).unwrap();
    (cookie, token.split('"').next().unwrap().to_owned())
}

/// A guest form post with a valid token, from `peer`, with these headers.
async fn post_need<S, B>(svc: &S, peer: &str, headers: &[(&str, &str)]) -> StatusCode
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let (cookie, token) = form_token(svc).await;
    let mut req = TestRequest::post().uri("/need").cookie(cookie);
    for (k, v) in headers {
        req = req.insert_header((*k, *v));
    }
    let fields = [
        ("csrf", token.as_str()),
        ("lat", "48.85"),
        ("lon", "2.35"),
        ("party_size", "1"),
        ("name", "Samira"),
        ("contact_phone", "+33 7 00 00 00 01"),
    ];
    let req = req.set_form(fields).peer_addr(peer.parse().unwrap());
    let res = actix_web::test::call_service(svc, req.to_request()).await;
    res.status()
}

/// A valid token with `Origin: http://evil` and `X-Forwarded-Host: evil` is
/// refused unless a trusted proxy sent the header; `PUBLIC_URL`'s origin is
/// the only one accepted when set.
#[actix_web::test]
async fn csrf_origin_ignores_forwarded_host_from_strangers() {
    let direct = TestApp::new(Backend::Sqlite);
    let svc = direct.service().await;
    let stranger = "198.51.100.4:40000";
    let forged = [
        ("host", "shelter.example"),
        ("origin", "http://evil"),
        ("x-forwarded-host", "evil"),
    ];
    assert_eq!(
        post_need(&svc, stranger, &forged).await,
        StatusCode::FORBIDDEN
    );
    let own = [
        ("host", "shelter.example"),
        ("origin", "http://shelter.example"),
    ];
    assert_eq!(post_need(&svc, stranger, &own).await, StatusCode::SEE_OTHER);

    let proxied = TestApp::with(Backend::Sqlite, |c| {
        c.trusted_proxies = vec!["10.0.0.9".parse().unwrap()];
    });
    let svc = proxied.service().await;
    let via_proxy = [
        ("host", "app:8080"),
        ("origin", "https://shelter.example"),
        ("x-forwarded-host", "shelter.example"),
    ];
    assert_eq!(
        post_need(&svc, "10.0.0.9:5000", &via_proxy).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post_need(&svc, stranger, &via_proxy).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_need(&svc, stranger, &forged).await,
        StatusCode::FORBIDDEN
    );

    let public = TestApp::with(Backend::Sqlite, |c| {
        c.public_url = Some("http://shelter.example".into());
        c.trusted_proxies = vec!["10.0.0.9".parse().unwrap()];
    });
    let svc = public.service().await;
    assert_eq!(
        post_need(&svc, "10.0.0.9:5000", &forged).await,
        StatusCode::FORBIDDEN
    );
    let same = [("host", "app:8080"), ("origin", "http://shelter.example")];
    assert_eq!(
        post_need(&svc, stranger, &same).await,
        StatusCode::SEE_OTHER
    );
}

/// HSTS only when people reach the site over HTTPS.
#[actix_web::test]
async fn hsts_only_when_public_url_is_https() {
    let https = TestApp::with(Backend::Sqlite, |c| {
        c.public_url = Some("https://abri.example.org".into());
    });
    let svc = https.service().await;
    for path in ["/", "/healthz", "/api/v1/nothing-here"] {
        let r = get(&svc, path, None).await;
        assert_eq!(
            r.headers.get("strict-transport-security").unwrap(),
            "max-age=31536000",
            "{path}"
        );
    }
    let http = TestApp::with(Backend::Sqlite, |c| {
        c.public_url = Some("http://abri.example.org".into());
    });
    let svc = http.service().await;
    assert!(
        !get(&svc, "/", None)
            .await
            .headers
            .contains_key("strict-transport-security")
    );
    let local = TestApp::new(Backend::Sqlite);
    let svc = local.service().await;
    assert!(
        !get(&svc, "/", None)
            .await
            .headers
            .contains_key("strict-transport-security")
    );
}

/// `/metrics` answers only with `Authorization: Bearer $METRICS_TOKEN`;
/// otherwise (and always when the token is unset) it does not exist.
#[actix_web::test]
async fn metrics_need_their_token() {
    let closed = TestApp::new(Backend::Sqlite);
    let svc = closed.service().await;
    assert_eq!(
        get(&svc, "/metrics", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&svc, "/metrics", Some("anything")).await.status,
        StatusCode::NOT_FOUND
    );

    let token = "metrics-token-for-the-test-0123456789";
    let open = TestApp::with(Backend::Sqlite, |c| c.metrics_token = Some(token.into()));
    let svc = open.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    for refused in [None, Some("wrong"), Some(host.as_str())] {
        let r = get(&svc, "/metrics", refused).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{refused:?}");
        assert!(!r.text.contains("po_"), "{}", r.text);
    }
    let r = get(&svc, "/metrics", Some(token)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("po_offers_open"), "{}", r.text);
}

on_both_backends!(
    a_guest_asking_again_shows_hosts_one_cell,
    concurrent_duplicate_acceptances_agree,
);

/// A guest who asks 32 times from one place, with the same contact, shows
/// hosts one cell (so averaging gives nothing); another person at the same
/// point may get another cell, and no cell centre is the point.
async fn a_guest_asking_again_shows_hosts_one_cell(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let oid = offer(&svc, &app, &host, 48.8566, 2.3522, 2).await;
    let (lat, lon) = (48.85731, 2.35419);
    for _ in 0..32 {
        let mut body = request_body(lat, lon, 1);
        body["contact_email"] = json!("Samira@Example.org ");
        let r = post(&svc, "/api/v1/requests", None, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = get(
        &svc,
        &format!("/api/v1/offers/{oid}/nearby-requests?limit=50"),
        Some(&host),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let seen = r.json["requests"].as_array().unwrap();
    assert_eq!(seen.len(), 32);
    let cells: std::collections::BTreeSet<String> = seen
        .iter()
        .map(|v| {
            format!(
                "{} {} {}",
                v["area"]["cell"], v["area"]["lat"], v["area"]["lon"]
            )
        })
        .collect();
    assert_eq!(cells.len(), 1, "{cells:?}");
    let (clat, clon) = (
        seen[0]["area"]["lat"].as_f64().unwrap(),
        seen[0]["area"]["lon"].as_f64().unwrap(),
    );
    assert!((clat, clon) != (lat, lon), "the centre is not the point");
    assert_no_secret(&r.text, GUEST_SECRETS);
    assert!(!r.text.contains("Samira"), "{}", r.text);
}

/// Both sides' duplicate "accept" at once: every answer is 200 with the
/// same accepted match, on SQLite and PostgreSQL alike (as a sequential
/// duplicate always was), and the places are counted once.
async fn concurrent_duplicate_acceptances_agree(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    for round in 0..6 {
        let oid = offer(&svc, &app, &host, 48.8566, 2.3522, 2).await;
        let (rid, rt) = guest(&svc, 48.85, 2.35, 1).await;
        let asked = ask(&svc, &rid, &rt, &oid).await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
        let mid = asked.s("id");
        let path = format!("/api/v1/matches/{mid}/accept");
        let answers = futures_util::future::join_all(
            (0..4).map(|_| post(&svc, &path, Some(&host), json!({}))),
        )
        .await;
        for a in &answers {
            assert_eq!(a.status, StatusCode::OK, "round {round}: {}", a.text);
            assert_eq!(a.json["id"], mid.as_str());
            assert_eq!(a.json["status"], "accepted");
        }
        let mine = get(&svc, &format!("/api/v1/offers/{oid}"), Some(&host)).await;
        assert_eq!(mine.json["remaining"], 1, "counted once: {}", mine.text);
    }
}

/// The SQLite database, its `-wal` and `-shm`, the keys and the `.eml`
/// outbox are the owner's only (0600), in folders only they may list (0700).
#[actix_web::test]
async fn database_and_outbox_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = data.join("po.db");
    let url = format!("sqlite://{}", db.display());
    let app = TestApp::with(Backend::Sqlite, |c| {
        c.database_url = url;
        c.secret_key = None; // generated into data/secret.key
    });
    let svc = app.service().await;
    let (rid, _) = guest(&svc, 48.85, 2.35, 1).await; // a write: -wal and -shm exist
    assert!(rid.starts_with("req_"));
    assert_eq!(mode(&data), 0o700, "the database's folder");
    for f in ["po.db", "po.db-wal", "po.db-shm", "secret.key"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    let outbox = tmp.path().join("mail/outbox");
    let t = porte_ouverte::mail::transport::Transport::from_config(None, outbox.to_str().unwrap())
        .unwrap();
    assert_eq!(
        porte_ouverte::mail::deliver_due(&app.state, &t, 10).unwrap(),
        1
    );
    assert_eq!(mode(&tmp.path().join("mail")), 0o700);
    assert_eq!(mode(&outbox), 0o700);
    let emls: Vec<_> = std::fs::read_dir(&outbox).unwrap().flatten().collect();
    assert_eq!(emls.len(), 1, "one mail, no temporary file left");
    let eml = emls[0].path();
    assert!(eml.extension().is_some_and(|x| x == "eml"));
    assert_eq!(mode(&eml), 0o600);
    assert!(
        std::fs::read_to_string(&eml)
            .unwrap()
            .contains("guest@example.org")
    );
}

on_both_backends!(password_reset_does_the_same_work_for_any_address);

/// Rows per table (every table of the schema).
fn row_counts(app: &TestApp) -> std::collections::BTreeMap<String, i64> {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    use porte_ouverte::db::DbConn;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    macro_rules! counts {
        ($c:expr, $list:expr) => {{
            let names: Vec<Name> = diesel::sql_query($list).load($c).unwrap();
            names
                .into_iter()
                .map(|t| {
                    let q = format!("SELECT COUNT(*) AS n FROM {}", t.name);
                    let n: Count = diesel::sql_query(q).get_result($c).unwrap();
                    (t.name, n.n)
                })
                .collect()
        }};
    }
    let mut conn = app.state.conn().unwrap();
    match &mut *conn {
        DbConn::Sqlite(c) => counts!(
            c,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ),
        DbConn::Pg(c) => counts!(
            c,
            "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public'"
        ),
    }
}

fn changed(
    a: &std::collections::BTreeMap<String, i64>,
    b: &std::collections::BTreeMap<String, i64>,
) -> Vec<(String, i64)> {
    b.iter()
        .filter_map(|(t, n)| {
            let d = n - a.get(t).copied().unwrap_or(0);
            (d != 0).then(|| (t.clone(), d))
        })
        .collect()
}

fn outbox_rows(app: &TestApp) -> Vec<(String, String, String)> {
    use diesel::prelude::*;
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    o::outbox
        .order(o::created_at.asc())
        .select((o::channel, o::kind, o::recipient))
        .load(&mut *c)
        .unwrap()
}

/// `POST /password-resets` writes exactly the same thing for an address
/// with an account and one without (one queued row), and nothing that
/// depends on the address happens on the request path; the link and its
/// mail come later, off it, and an unknown address leaves no trace.
async fn password_reset_does_the_same_work_for_any_address(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    sign_up_host(&svc, "nadia@example.org").await;
    let mails_before = outbox_rows(&app).len();
    let mut deltas = vec![];
    let mut answers = vec![];
    for email in ["NADIA@example.org", "nobody@example.org"] {
        let before = row_counts(&app);
        let r = post(
            &svc,
            "/api/v1/password-resets",
            None,
            json!({ "email": email }),
        )
        .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
        answers.push(r.text);
        deltas.push(changed(&before, &row_counts(&app)));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(deltas[0], deltas[1], "the same writes for both addresses");
    assert_eq!(deltas[0], vec![("outbox".to_owned(), 1)]);
    let queued: Vec<_> = outbox_rows(&app).split_off(mails_before);
    assert_eq!(
        queued
            .iter()
            .map(|q| (q.0.as_str(), q.1.as_str()))
            .collect::<Vec<_>>(),
        vec![("reset", "reset_request"), ("reset", "reset_request")],
        "no link, no mail while the client waits"
    );

    let before = row_counts(&app);
    assert_eq!(send_requested_resets(&app), 1, "one address had an account");
    let after = row_counts(&app);
    let mut d = changed(&before, &after);
    d.sort();
    assert!(d.contains(&("account_links".to_owned(), 1)), "{d:?}");
    let rows = outbox_rows(&app);
    assert!(rows.iter().all(|r| r.0 != "reset"), "the queue is emptied");
    assert!(
        rows.iter().all(|r| r.2 != "nobody@example.org"),
        "no trace of it"
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r.1 == "reset" && r.2 == "nadia@example.org")
            .count(),
        1
    );
    assert_eq!(send_requested_resets(&app), 0, "each request once");
}
