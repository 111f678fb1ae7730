//! What the log says about a request: its method, its route *pattern*
//! (`/r/{id}/{token}`, `/api/v1/safe`), its status and a request ID — never
//! the path, the query string, the host, the client's address, headers or an
//! error's text. Private links carry their token in the path, searches carry
//! names in the query, and error details can quote what was sent: none of
//! that belongs in a log.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RootSpanBuilder, TracingLogger};

/// The root span of every request (see the module's comment).
pub struct RouteOnly;

impl RootSpanBuilder for RouteOnly {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "(no route)".to_owned());
        let id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            route = %route,
            request_id = %id,
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(res) => res.status(),
            Err(e) => e.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
        // one line per request at debug level: an access log of routes
        span.in_scope(|| tracing::debug!(status = status.as_u16(), "answered"));
    }
}

/// The tracing middleware, with that span.
pub fn middleware() -> TracingLogger<RouteOnly> {
    TracingLogger::<RouteOnly>::new()
}
