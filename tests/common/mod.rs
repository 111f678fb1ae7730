//! Test harness: a fresh database per test (a temporary SQLite file, or a
//! throwaway PostgreSQL database), a hand-moved clock, and a small JSON
//! client over the real application service (in-process, no mocks).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod http;
pub mod pages;
pub mod smtp;
pub mod tiles;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use porte_ouverte::clock::Clock;
use porte_ouverte::config::Config;
use porte_ouverte::state::AppState;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::Arc;

/// An ID the API handed out, typed for a call into the services or the
/// database.
pub fn id<I: porte_ouverte::domain::ids::Id>(raw: &str) -> I {
    I::parse(raw).expect("an ID the API handed out")
}

/// Whether `PO_REQUIRE_<what>` asks that a missing dependency fail the
/// test rather than skip it. Every such variable is read here, the same way:
/// unset, empty, `0`, `false`, `no` are off; `1`, `true`, `yes` are on;
/// anything else is a mistake and fails.
pub fn required(var: &str) -> bool {
    let value = std::env::var(var).unwrap_or_default();
    parse_required(&value).unwrap_or_else(|| panic!("{var}={value:?}: use 1 or 0"))
}

pub fn parse_required(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" => Some(false),
        "1" | "true" | "yes" => Some(true),
        _ => None,
    }
}

/// Says that a test skipped part of its work. Written to the process's
/// stderr, past the test harness's capture (which only takes `eprintln!`),
/// so `cargo test` shows it.
pub fn skipped(what: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn pg_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Whether the PostgreSQL half of a test can run. With
/// `PO_REQUIRE_POSTGRES=1` (as in .ci/run) an unreachable server fails the
/// test instead of skipping it.
pub fn postgres_ready() -> bool {
    match PgConnection::establish(&pg_admin_url()) {
        Ok(_) => true,
        Err(e) => {
            if required("PO_REQUIRE_POSTGRES") {
                panic!(
                    "PostgreSQL is required (PO_REQUIRE_POSTGRES=1) but unreachable at {}: {e}",
                    pg_admin_url()
                );
            }
            skipped(&format!(
                "PostgreSQL run (no server at {}: {e})",
                pg_admin_url()
            ));
            false
        }
    }
}

/// Runs a test body once per backend, as two tests named `sqlite` and `postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
                #[actix_web::test]
                async fn postgres() {
                    if $crate::common::postgres_ready() {
                        super::$name($crate::common::Backend::Postgres).await;
                    }
                }
            }
        )*
    };
}

/// A database that disappears with the test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}/po.db", dir.path().display());
                Self {
                    url,
                    _dir: Some(dir),
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let name = format!("po_test_{}", rand_suffix());
                let mut admin = PgConnection::establish(&pg_admin_url()).unwrap();
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .unwrap();
                let base = pg_admin_url();
                let url = match base.rfind('/') {
                    Some(i) if i > "postgres://".len() => format!("{}/{name}", &base[..i]),
                    _ => format!("{base}/{name}"),
                };
                Self {
                    url,
                    _dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut admin) = PgConnection::establish(&pg_admin_url()) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}{:x}", n, std::process::id())
}

pub struct TestApp {
    pub state: Arc<AppState>,
    /// what only the web layer keeps (rate limits, admission, …), built
    /// once like the server does
    pub web: Arc<porte_ouverte::web::state::WebState>,
    pub clock: Clock,
    pub backend: Backend,
    pub db: TestDb,
}

pub const SECRET: &str = "test-secret-key-that-is-long-enough-0123456789";

/// The bearer token `/metrics` needs where a test sets `METRICS_TOKEN`
/// (`common::http::start_server` always does).
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789abcdef";

impl TestApp {
    pub fn new(backend: Backend) -> Self {
        Self::with(backend, |_| {})
    }

    /// A fresh app whose configuration `tweak` may change (rate limits are
    /// off unless a test turns them on).
    pub fn with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new(backend);
        let mut config = Config::defaults_for(&db.url);
        config.secret_key = Some(SECRET.into());
        config.rate_login_per_min = 0;
        config.rate_signup_per_hour = 0;
        config.rate_requests_per_min = 0;
        config.db_pool_size = 12;
        tweak(&mut config);
        let clock = Clock::manual(chrono::Utc::now().timestamp_millis());
        let web = porte_ouverte::web::state::WebState::new(&config).unwrap();
        let state = AppState::open(config, clock.clone()).unwrap();
        Self {
            state,
            web,
            clock,
            backend,
            db,
        }
    }

    pub async fn service(
        &self,
    ) -> impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    > {
        test::init_service(porte_ouverte::web::app(
            self.state.clone(),
            self.web.clone(),
        ))
        .await
    }

    /// An RFC 3339 time `hours` from the app's clock.
    pub fn in_hours(&self, hours: i64) -> String {
        let t = self.clock.now() + hours * 3_600_000;
        chrono::DateTime::from_timestamp_millis(t)
            .unwrap()
            .to_rfc3339()
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub json: Value,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn s(&self, key: &str) -> String {
        self.json[key]
            .as_str()
            .unwrap_or_else(|| panic!("no string '{key}' in {}", self.json))
            .to_owned()
    }
    pub fn is_problem(&self) -> bool {
        self.headers
            .get("content-type")
            .is_some_and(|v| v == "application/problem+json")
            && self.json["status"].as_u64() == Some(u64::from(self.status.as_u16()))
            && self.json["code"].is_string()
            && self.json["title"].is_string()
            && self.json["detail"].is_string()
    }
    pub fn error_fields(&self) -> Vec<String> {
        self.json["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Sends a request to the in-process app.
pub async fn send<S, B>(svc: &S, req: TestRequest) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = test::call_service(
        svc,
        req.peer_addr("203.0.113.7:40000".parse().unwrap())
            .to_request(),
    )
    .await;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = test::read_body(res).await;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        json,
        headers,
        text,
    }
}

fn with_token(mut req: TestRequest, token: Option<&str>) -> TestRequest {
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    req
}

pub async fn get<S, B>(svc: &S, path: &str, token: Option<&str>) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(svc, with_token(TestRequest::get().uri(path), token)).await
}

pub async fn post<S, B>(svc: &S, path: &str, token: Option<&str>, body: Value) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(
        svc,
        with_token(TestRequest::post().uri(path).set_json(body), token),
    )
    .await
}

pub async fn patch<S, B>(svc: &S, path: &str, token: Option<&str>, body: Value) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(
        svc,
        with_token(TestRequest::patch().uri(path).set_json(body), token),
    )
    .await
}

pub async fn post_raw<S, B>(
    svc: &S,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: impl Into<Vec<u8>>,
) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = TestRequest::post()
        .uri(path)
        .insert_header(("content-type", content_type))
        .set_payload(body.into());
    send(svc, with_token(req, token)).await
}

/// Signs up a host and logs in; returns (account id, token).
pub async fn sign_up_host<S, B>(svc: &S, email: &str) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = post(svc, "/api/v1/accounts", None, json!({"email": email, "password": "correct horse", "display_name": "Hélène Dupont", "phone": "+33 6 12 34 56 78"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let t = post(
        svc,
        "/api/v1/tokens",
        None,
        json!({"email": email, "password": "correct horse"}),
    )
    .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.text);
    (r.s("id"), t.s("token"))
}

pub fn offer_body(app: &TestApp, lat: f64, lon: f64, capacity: i64) -> Value {
    json!({
        "lat": lat, "lon": lon, "address": "12 rue de la Roquette, 75011 Paris",
        "capacity": capacity, "available_until": app.in_hours(24),
        "contact_phone": "+33 6 12 34 56 78", "contact_email": "host@example.org",
        "notes": "Digicode 4521B, 3rd floor", "languages": ["fr", "en"]
    })
}

pub async fn offer<S, B>(
    svc: &S,
    app: &TestApp,
    token: &str,
    lat: f64,
    lon: f64,
    capacity: i64,
) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = post(
        svc,
        "/api/v1/offers",
        Some(token),
        offer_body(app, lat, lon, capacity),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.s("id")
}

pub fn request_body(lat: f64, lon: f64, party: i64) -> Value {
    json!({"lat": lat, "lon": lon, "party_size": party, "name": "Samira", "contact_phone": "+33 7 00 00 00 01", "contact_email": "guest@example.org", "notes": "with my brother"})
}

/// Creates a request; returns (id, access token).
pub async fn guest<S, B>(svc: &S, lat: f64, lon: f64, party: i64) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = post(svc, "/api/v1/requests", None, request_body(lat, lon, party)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (r.s("id"), r.s("access_token"))
}

/// Creates a coordinator directly through the service, as the CLI does.
pub fn coordinator_token(app: &TestApp, email: &str) -> String {
    use porte_ouverte::service::accounts;
    let mut conn = app.state.conn().unwrap();
    let new = accounts::parse_new_account(
        json!({"email": email, "password": "coordinator pw", "display_name": "Coord"}),
    )
    .unwrap();
    accounts::create(
        &app.state,
        &mut conn,
        new,
        porte_ouverte::domain::states::Role::Coordinator,
    )
    .unwrap();
    accounts::login(
        &app.state,
        &mut conn,
        accounts::Credentials {
            email: email.into(),
            password: "coordinator pw".into(),
        },
    )
    .unwrap()
    .token
}

/// What the background thread does about every second: turns queued
/// password-reset requests into links and mails (`service::resets`).
pub fn send_requested_resets(app: &TestApp) -> usize {
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::resets::send_requested(&app.state, &mut c).unwrap()
}

/// Every string that must never reach a party before consent.
pub const SECRETS: &[&str] = &[
    "rue de la Roquette",
    "Digicode",
    "+33612345678",
    "host@example.org",
    "Dupont",
    "Hélène",
];
pub const GUEST_SECRETS: &[&str] = &["+33700000001", "guest@example.org", "with my brother"];

pub fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "'{s}' leaked in: {text}");
    }
}

/// A guest asks a host: `POST /requests/{rid}/matches`.
pub async fn ask<S, B>(svc: &S, rid: &str, rt: &str, offer_id: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post(
        svc,
        &format!("/api/v1/requests/{rid}/matches"),
        Some(rt),
        json!({ "offer_id": offer_id }),
    )
    .await
}

/// One side's action on a match: `POST /matches/{mid}/{action}`.
pub async fn act<S, B>(svc: &S, mid: &str, action: &str, token: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post(
        svc,
        &format!("/api/v1/matches/{mid}/{action}"),
        Some(token),
        json!({}),
    )
    .await
}

/// The offer IDs a request's candidate search returns, best first.
pub async fn candidate_ids<S, B>(svc: &S, rid: &str, rt: &str) -> Vec<String>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = get(svc, &format!("/api/v1/requests/{rid}/candidates"), Some(rt)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["offer_id"].as_str().unwrap().to_owned())
        .collect()
}
