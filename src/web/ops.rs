//! Operations endpoints: liveness, readiness, Prometheus metrics (only for
//! `Authorization: Bearer $METRICS_TOKEN`; without it the page does not
//! exist, as far as anyone can tell: 404).

use crate::db;
use crate::domain::states::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::metrics::Gauges;
use crate::state::AppState;
use crate::web::extract::{bearer, run};
use crate::web::state::WebState;
use actix_web::web::{self, Data};
use actix_web::{HttpRequest, HttpResponse};
use diesel::connection::SimpleConnection;
use serde_json::json;
use sha2::{Digest, Sha256};

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

/// Whether the request carries the configured metrics token (compared in
/// constant time); never when none is configured.
fn may_read_metrics(state: &AppState, req: &HttpRequest) -> bool {
    let (Some(want), Some(given)) = (&state.config.metrics_token, bearer(req)) else {
        return false;
    };
    let (a, b) = (
        Sha256::digest(want.as_bytes()),
        Sha256::digest(given.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

async fn metrics(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    if !may_read_metrics(&state, &req) {
        return Err(AppError::NotFound);
    }
    let gauges = run(&state, |s, c| {
        let now = s.now();
        let (offers_open, places_free) = s.index.totals(now);
        Ok(Gauges {
            offers_open,
            places_free,
            requests_waiting: db::requests::count_status(c, RequestStatus::Waiting)?,
            index_size: s.index.len(),
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(
            state.metrics.render(&gauges)
                + &crate::live::metrics(&state.live)
                + &WebState::of(&req).admission.metrics(),
        ))
}
