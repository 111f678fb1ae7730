//! What the log says about a request: its method, its route *pattern*
//! (`/r/{id}/{token}`, `/api/v1/safe`), its status and a request ID — never
//! the path, the query string, the host, the client's address, headers or an
//! error's text. Private links carry their token in the path, searches carry
//! names in the query, and error details can quote what was sent: none of
//! that belongs in a log.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use std::rc::Rc;
use tracing::Span;
use tracing_actix_web::{RootSpanBuilder, TracingLogger};

/// The route pattern a request matches, found once per request: the log's
/// span and the admission gate both ask, and each lookup walks the route
/// table (a regular expression per route with a `{…}` part).
#[derive(Clone)]
struct RoutePattern(Option<Rc<str>>);

pub fn route_of(request: &ServiceRequest) -> Option<Rc<str>> {
    if let Some(found) = request.extensions().get::<RoutePattern>() {
        return found.0.clone();
    }
    let found = request.match_pattern().map(Rc::from);
    request.extensions_mut().insert(RoutePattern(found.clone()));
    found
}

/// The root span of every request (see the module's comment).
pub struct RouteOnly;

impl RootSpanBuilder for RouteOnly {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = route_of(request);
        let route = route.as_deref().unwrap_or("(no route)");
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
