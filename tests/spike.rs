//! The spike: admission control on the real binary over real sockets, on a
//! SQLite file and on PostgreSQL, and the pages served from memory with
//! their validators (in-process).
//!
//! A saturated instance is made deterministic, not timed: the test holds
//! the database's write lock from outside (SQLite `BEGIN IMMEDIATE`, a
//! PostgreSQL `LOCK TABLE`), so the admitted request creations wait inside
//! the server while more arrive; with `ADMIT_CREATE=1/2` exactly three are
//! admitted and the rest must be shed at once. Then the lock is released and
//! every acknowledged request must be in the database, and nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One answer: status, headers (lower-case names), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

/// One request on its own connection, with extra headers.
fn call(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn metric(addr: &str, line_start: &str) -> Option<u64> {
    let auth = format!("Bearer {METRICS_TOKEN}");
    let m = call(addr, "GET", "/metrics", &[("Authorization", &auth)], "");
    m.body
        .lines()
        .find_map(|l| l.strip_prefix(line_start))
        .and_then(|v| v.trim().parse().ok())
}

/// Holds the database's write lock for requests until dropped.
enum Lock {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

impl Lock {
    fn take(url: &str) -> Self {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let mut c = diesel::SqliteConnection::establish(path).unwrap();
            c.batch_execute("PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE")
                .unwrap();
            Lock::Sqlite(c)
        } else {
            let mut c = diesel::PgConnection::establish(url).unwrap();
            c.batch_execute("BEGIN; LOCK TABLE requests IN EXCLUSIVE MODE")
                .unwrap();
            Lock::Postgres(c)
        }
    }
    fn release(self) {
        match self {
            Lock::Sqlite(mut c) => c.batch_execute("COMMIT").unwrap(),
            Lock::Postgres(mut c) => c.batch_execute("COMMIT").unwrap(),
        }
    }
}

fn request_ids(url: &str) -> Vec<String> {
    use porte_ouverte::db::schema::requests::dsl::*;
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut c = diesel::SqliteConnection::establish(path).unwrap();
        requests.select(id).load(&mut c).unwrap()
    } else {
        let mut c = diesel::PgConnection::establish(url).unwrap();
        requests.select(id).load(&mut c).unwrap()
    }
}

const FLOOD: usize = 20;

/// A header of an in-process answer ("" when absent).
fn hdr(r: &Resp, name: &str) -> String {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

fn saturated_instance_sheds_at_once_and_loses_nothing(backend: Backend) {
    let db = TestDb::new(backend);
    let dir = tempfile::tempdir().unwrap();
    let sqlite_file = dir.path().join("po.db");
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}", sqlite_file.display()),
        Backend::Postgres => db.url.clone(),
    };
    let (mut server, addr) = http::start_server(
        &sqlite_file,
        &[
            ("DATABASE_URL", &url),
            ("ADMIT_CREATE", "1/2"),
            // only the queue's bound sheds here, never the wait
            ("ADMIT_MAX_WAIT_MS", "60000"),
            ("ADMIT_RETRY_AFTER", "7"),
        ],
    );
    let before = request_ids(&url);
    assert!(before.is_empty());

    let lock = Lock::take(&url);
    let body = request_body(48.8585, 2.3795, 2).to_string();
    let senders: Vec<_> = (0..FLOOD)
        .map(|_| {
            let (addr, body) = (addr.clone(), body.clone());
            std::thread::spawn(move || {
                call(
                    &addr,
                    "POST",
                    "/api/v1/requests",
                    &[("Content-Type", "application/json")],
                    &body,
                )
            })
        })
        .collect();
    // a guest's form is shed the same way, with a page in their language
    let wait_for_shed = |n: u64| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while metric(&addr, "po_shed_total{kind=\"create\"}") < Some(n) {
            assert!(Instant::now() < deadline, "never shed {n}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_for_shed((FLOOD - 3) as u64);
    for (lang, words) in [
        ("en", "try again in 7 seconds"),
        ("fr", "Réessayez dans 7 secondes"),
    ] {
        let page = call(
            &addr,
            "POST",
            "/need",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept-Language", lang),
            ],
            "name=Samira&party_size=2&place=75011",
        );
        assert_eq!(page.status, 503, "{}", page.body);
        assert_eq!(page.header("retry-after"), Some("7"));
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(page.body.contains(words), "{}", page.body);
        assert!(page.body.contains("112"), "whom to call in danger");
        assert!(
            page.body.len() < 2048,
            "a tiny page: {} bytes",
            page.body.len()
        );
    }
    wait_for_shed((FLOOD - 1) as u64);
    // health endpoints and what is served from memory answer all along
    assert_eq!(call(&addr, "GET", "/healthz", &[], "").status, 200);
    assert_eq!(call(&addr, "GET", "/readyz", &[], "").status, 200);
    assert_eq!(call(&addr, "GET", "/", &[], "").status, 200);
    assert_eq!(call(&addr, "GET", "/need", &[], "").status, 200);
    assert_eq!(
        metric(&addr, "po_admission_waiting{kind=\"create\"}"),
        Some(2),
        "two wait their turn"
    );
    lock.release();

    let answers: Vec<Answer> = senders.into_iter().map(|t| t.join().unwrap()).collect();
    let mut acknowledged = Vec::new();
    for a in &answers {
        match a.status {
            201 => acknowledged.push(a.json()["id"].as_str().unwrap().to_owned()),
            503 => {
                assert_eq!(a.header("retry-after"), Some("7"));
                assert_eq!(a.header("content-type"), Some("application/problem+json"));
                let p = a.json();
                assert_eq!(p["code"], "overloaded", "{p}");
                assert_eq!(p["status"], 503);
                assert!(p["detail"].as_str().unwrap().contains("try again in 7 s"));
            }
            other => panic!("unexpected {other}: {}", a.body),
        }
    }
    assert_eq!(acknowledged.len(), 3, "one in flight and two queued");
    let mut stored = request_ids(&url);
    stored.sort();
    acknowledged.sort();
    assert_eq!(
        stored, acknowledged,
        "every acknowledged write, and nothing else"
    );
    assert_eq!(
        metric(&addr, "po_shed_total{kind=\"create\"}"),
        Some((FLOOD - 3 + 2) as u64)
    );
    // searches have their own gate: untouched by the flood of creations
    assert_eq!(metric(&addr, "po_shed_total{kind=\"search\"}"), Some(0));
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn saturated_instance_sheds_at_once_and_loses_nothing_sqlite() {
    saturated_instance_sheds_at_once_and_loses_nothing(Backend::Sqlite);
}

#[test]
fn saturated_instance_sheds_at_once_and_loses_nothing_postgres() {
    if postgres_ready() {
        saturated_instance_sheds_at_once_and_loses_nothing(Backend::Postgres);
    }
}

#[actix_web::test]
async fn landing_and_assets_answer_304_to_their_validator() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let first = get(&svc, "/", None).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = hdr(&first, "etag").to_owned();
    assert!(etag.starts_with('"'), "strong: {etag}");
    assert_eq!(hdr(&first, "cache-control"), "public, max-age=60");
    assert!(hdr(&first, "vary").contains("Accept-Language"));
    let again = send(
        &svc,
        TestRequest::get()
            .uri("/")
            .insert_header(("if-none-match", etag.as_str())),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.text.is_empty());
    let english = send(
        &svc,
        TestRequest::get()
            .uri("/")
            .insert_header(("accept-language", "en"))
            .insert_header(("if-none-match", etag.as_str())),
    )
    .await;
    assert_eq!(
        english.status,
        StatusCode::OK,
        "another language, another page"
    );
    assert_ne!(hdr(&english, "etag"), hdr(&first, "etag"));
    assert!(english.text.contains("lang=\"en\""));

    let css = porte_ouverte::views::assets::url("app.css");
    let a = get(&svc, &css, None).await;
    let tag = hdr(&a, "etag").to_owned();
    let cached = send(
        &svc,
        TestRequest::get()
            .uri(&css)
            .insert_header(("if-none-match", tag.as_str())),
    )
    .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        hdr(&cached, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    // compressed, the same validator is weak (other bytes), and still matches
    let gz = send(
        &svc,
        TestRequest::get()
            .uri(&css)
            .insert_header(("accept-encoding", "gzip"))
            .insert_header(("if-none-match", format!("W/{tag}"))),
    )
    .await;
    assert_eq!(gz.status, StatusCode::NOT_MODIFIED);
    let gz = send(
        &svc,
        TestRequest::get()
            .uri(&css)
            .insert_header(("accept-encoding", "gzip")),
    )
    .await;
    assert_eq!(hdr(&gz, "content-encoding"), "gzip");
    assert_eq!(hdr(&gz, "etag"), format!("W/{tag}"));
    for path in ["/favicon.ico", "/sw.js"] {
        let r = get(&svc, path, None).await;
        let t = hdr(&r, "etag").to_owned();
        let again = send(
            &svc,
            TestRequest::get()
                .uri(path)
                .insert_header(("if-none-match", t.as_str())),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
    }
}

/// The form from memory: a fresh masked token in every response, a
/// validator bound to the visitor's CSRF cookie, and its token verifies.
#[actix_web::test]
async fn the_form_from_memory_keeps_csrf_and_revalidates_per_cookie() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let first = get(&svc, "/need", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(hdr(&first, "cache-control"), "private, no-cache");
    let set = hdr(&first, "set-cookie").to_owned();
    let cookie = actix_web::cookie::Cookie::parse(set).unwrap().into_owned();
    let cookie =
        actix_web::cookie::Cookie::new(cookie.name().to_owned(), cookie.value().to_owned());
    let etag = hdr(&first, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let token = |text: &str| {
        text.split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    // the same visitor: the same validator, a different masked token
    let second = send(&svc, TestRequest::get().uri("/need").cookie(cookie.clone())).await;
    assert_eq!(hdr(&second, "etag"), etag);
    assert!(
        second.headers.get("set-cookie").is_none(),
        "the cookie is kept"
    );
    assert_ne!(
        token(&first.text),
        token(&second.text),
        "masked afresh (BREACH)"
    );
    let not_modified = send(
        &svc,
        TestRequest::get()
            .uri("/need")
            .cookie(cookie.clone())
            .insert_header(("if-none-match", etag.as_str())),
    )
    .await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    // without the cookie the cached copy's token would not verify: a new page
    let stranger = send(
        &svc,
        TestRequest::get()
            .uri("/need")
            .insert_header(("if-none-match", etag.as_str())),
    )
    .await;
    assert_eq!(stranger.status, StatusCode::OK);
    assert_ne!(hdr(&stranger, "etag"), etag);

    // both tokens of the cached copies verify with the cookie
    for t in [token(&first.text), token(&second.text)] {
        let res = send(
            &svc,
            TestRequest::post()
                .uri("/need")
                .insert_header(("host", "localhost:8080"))
                .insert_header(("origin", "http://localhost:8080"))
                .cookie(cookie.clone())
                .set_form(vec![
                    ("csrf", t.as_str()),
                    ("place", "75011"),
                    ("party_size", "2"),
                    ("name", "Samira"),
                    ("contact_phone", "+33 7 00 00 00 01"),
                ]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    }
    // and not with another visitor's cookie
    let other = hdr(&stranger, "set-cookie").to_owned();
    let other = actix_web::cookie::Cookie::parse(other)
        .unwrap()
        .into_owned();
    let refused = send(
        &svc,
        TestRequest::post()
            .uri("/need")
            .insert_header(("host", "localhost:8080"))
            .insert_header(("origin", "http://localhost:8080"))
            .cookie(actix_web::cookie::Cookie::new(
                other.name().to_owned(),
                other.value().to_owned(),
            ))
            .set_form(vec![
                ("csrf", token(&first.text).as_str()),
                ("place", "75011"),
                ("party_size", "2"),
                ("name", "Samira"),
            ]),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// The document says which operations admission control may shed.
#[test]
fn the_document_names_the_503_of_shed_operations() {
    let d = porte_ouverte::web::api::openapi::document();
    let desc = |path: &str, method: &str| {
        d["paths"][path][method]["responses"]["503"]["description"]
            .as_str()
            .map(str::to_owned)
    };
    let create = desc("/api/v1/requests", "post").unwrap();
    assert!(create.contains("overloaded"), "{create}");
    let search = desc("/api/v1/requests/{id}/candidates", "get").unwrap();
    assert!(search.contains("overloaded"), "{search}");
    let ready = desc("/readyz", "get").unwrap();
    assert!(!ready.contains("overloaded"), "never shed: {ready}");
    assert_eq!(desc("/healthz", "get"), None);
}
