//! The HTTP layer: thin handlers (parse → call a service → render), the
//! route table, and the middleware every response goes through.

pub mod admission;
pub mod api;
pub mod csrf;
pub mod extract;
pub mod lang;
mod logging;
pub mod loop_lag;
pub mod memory;
mod ops;
mod pages;
pub mod problem;
pub mod ratelimit;
pub mod state;
mod transport;

use crate::error::AppError;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::DefaultHeaders;
use actix_web::web::{self, Data};
use actix_web::{App, HttpRequest, HttpResponse};
use futures_util::FutureExt;
use std::sync::Arc;
use std::time::Instant;

/// The API's body limit (API.md).
pub const BODY_LIMIT: usize = 16 * 1024;

/// Builds the whole application for a state and its web state (both
/// built once, shared by every worker): used by `serve` and by tests.
pub fn app(
    state: Arc<AppState>,
    web_state: Arc<state::WebState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let csp = web_state.csp.clone();
    let mut headers = DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        // same-origin, not no-referrer: with no-referrer, browsers send
        // "Origin: null" on form posts, which the CSRF check must refuse;
        // private links in URLs still never leave for another site
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Content-Security-Policy", csp))
        // personal data is everywhere: only static assets opt in to caching
        .add(("Cache-Control", "no-store"));
    if pages::secure(&state) {
        // people reach us over HTTPS: browsers never try plain HTTP again
        headers = headers.add(("Strict-Transport-Security", "max-age=31536000"));
    }
    let data = Data::from(state);
    let metrics_state = data.clone();
    App::new()
        .app_data(data)
        .app_data(Data::from(web_state))
        .app_data(
            web::JsonConfig::default()
                .limit(BODY_LIMIT)
                .error_handler(problem::json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(problem::query_error))
        .app_data(web::PayloadConfig::default().limit(BODY_LIMIT))
        .app_data(web::FormConfig::default().limit(BODY_LIMIT))
        .configure(api::routes)
        .configure(ops::routes)
        .configure(pages::routes)
        .default_service(web::to(not_found))
        .wrap_fn(transport::mark)
        .wrap(actix_web::middleware::Compress::default())
        .wrap_fn(|req, srv| {
            actix_web::dev::Service::call(srv, req).map(|r| r.map(transport::unmark))
        })
        .wrap(admission::Gatekeeper)
        .wrap(headers)
        .wrap_fn(move |req, srv| {
            let start = Instant::now();
            let method = req.method().as_str().to_owned();
            let m = metrics_state.clone();
            actix_web::dev::Service::call(srv, req).map(move |res| {
                if let Ok(r) = &res {
                    m.metrics
                        .observe(&method, r.status().as_u16(), start.elapsed());
                }
                res
            })
        })
        .wrap(logging::middleware())
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, AppError> {
    if req.path().starts_with("/api/") {
        Err(AppError::NotFound)
    } else {
        Ok(pages::not_found(&req))
    }
}
