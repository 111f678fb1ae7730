//! What only the web layer keeps, built once beside the `AppState` and
//! shared by every worker: the rate limiter's buckets, the origins a form
//! post may come from, the admission gates, the pages rendered at start,
//! the map's tiles and the Content-Security-Policy that lets them in. The
//! services never see any of it.

use crate::config::Config;
use crate::web::admission::Admission;
use crate::web::csrf::Origins;
use crate::web::memory::Memory;
use crate::web::ratelimit::RateLimiter;
use actix_web::HttpRequest;
use actix_web::web::Data;
use std::sync::Arc;

pub struct WebState {
    pub limiter: RateLimiter,
    /// What a form post's `Origin` must be (`web::csrf`).
    pub origins: Origins,
    /// Admission control: a bounded queue per kind of work (`web::admission`).
    pub admission: Admission,
    /// Pages rendered once at start (`web::memory`).
    pub memory: Memory,
    /// The map's tile URL template, when the map is on.
    pub map: Option<String>,
    /// The Content-Security-Policy header: the tile server may serve images.
    pub csp: String,
}

impl WebState {
    pub fn new(config: &Config) -> Result<Arc<Self>, String> {
        let map = config.map_tiles()?;
        let csp = format!(
            "default-src 'self'; img-src 'self' data:{}; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            map.as_ref()
                .map(|(_, origin)| format!(" {origin}"))
                .unwrap_or_default()
        );
        Ok(Arc::new(Self {
            limiter: RateLimiter::new(config),
            origins: Origins::from_config(config),
            admission: Admission::from_config(config),
            memory: Memory::render(config)?,
            map: map.map(|(tiles, _)| tiles),
            csp,
        }))
    }

    /// The web state of the app serving `req` (`web::app` always registers
    /// it).
    pub fn of(req: &HttpRequest) -> &Self {
        #[allow(clippy::expect_used)]
        req.app_data::<Data<Self>>()
            .expect("web::app registers the WebState")
    }
}
