//! The application in-process: its state on a fresh database, a manual clock, its service.

use super::backend::{Backend, TestDb};
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test;
use porte_ouverte::clock::Clock;
use porte_ouverte::config::Config;
use porte_ouverte::state::AppState;
use std::sync::Arc;

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
