//! Operations endpoints: liveness, readiness, Prometheus metrics.

use crate::db;
use crate::error::AppResult;
use crate::metrics::Gauges;
use crate::state::AppState;
use crate::web::extract::run;
use actix_web::HttpResponse;
use actix_web::web::{self, Data};
use diesel::connection::SimpleConnection;
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics));
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

async fn readyz(state: Data<AppState>) -> AppResult<HttpResponse> {
    run(&state, |_, c| {
        c.batch_execute("SELECT 1").map_err(Into::into)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({"status": "ready", "database": state.backend.name(), "offers_indexed": state.index.len()})))
}

async fn metrics(state: Data<AppState>) -> AppResult<HttpResponse> {
    let gauges = run(&state, |s, c| {
        let now = s.now();
        let (offers_open, places_free) = s.index.totals(now);
        Ok(Gauges {
            offers_open,
            places_free,
            requests_waiting: db::requests::count_status(c, "waiting")?,
            index_size: s.index.len(),
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render(&gauges) + &crate::live::metrics(&state.live)))
}
