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
    let found = hot_pattern(request.path())
        .map(Rc::from)
        .or_else(|| request.match_pattern().map(Rc::from));
    request.extensions_mut().insert(RoutePattern(found.clone()));
    found
}

/// The pattern of a guest's hottest routes — sending a request, reading it,
/// searching for doors — recognised without the router's regular
/// expressions. In a crowd every request is classified before most are
/// turned away, and that walk was 11 % of the server's CPU at three times
/// the search rate it sustains (docs/BENCHMARKS.md). A test checks that
/// each pattern given here is the one the router finds.
fn hot_pattern(path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/api/v1/requests")?;
    if rest.is_empty() {
        return Some("/api/v1/requests");
    }
    let mut parts = rest.strip_prefix('/')?.split('/');
    parts.next().filter(|id| !id.is_empty())?;
    match (parts.next(), parts.next()) {
        (None, _) => Some("/api/v1/requests/{id}"),
        (Some("candidates"), None) => Some("/api/v1/requests/{id}/candidates"),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::hot_pattern;
    use actix_web::{App, HttpResponse, test};
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Each pattern the fast path gives is the router's, over the real API
    /// routes, and the three hot routes are recognised.
    #[actix_web::test]
    async fn hot_patterns_are_the_routers() {
        // (path, the router's pattern) of each request the app saw
        type Seen = Vec<(String, Option<String>)>;
        let seen: Rc<RefCell<Seen>> = Rc::default();
        let log = seen.clone();
        let app = test::init_service(App::new().configure(crate::web::api::routes).wrap_fn(
            move |req, _srv| {
                log.borrow_mut()
                    .push((req.path().to_owned(), req.match_pattern()));
                let res = req.into_response(HttpResponse::NoContent().finish());
                futures_util::future::ready(Ok(res))
            },
        ))
        .await;
        let paths = [
            "/api/v1/requests",
            "/api/v1/requests/r_abc",
            "/api/v1/requests/r_abc/candidates",
            "/api/v1/requests/r_abc/matches",
            "/api/v1/requests/r_abc/seen-by",
            "/api/v1/requests/r_abc/cancel",
            "/api/v1/requests/",
            "/api/v1/requests//candidates",
            "/api/v1/requests/r_abc/candidates/more",
            "/api/v1/requests/r_abc/",
            "/api/v1/requestsx",
            "/api/v1/requests/a%2Fb/candidates",
            "/api/v1/requests/caf%C3%A9",
            "/api/v1/offers/o_1",
            "/r/x/y",
        ];
        for p in paths {
            test::call_service(&app, test::TestRequest::get().uri(p).to_request()).await;
        }
        let seen = seen.borrow();
        assert_eq!(seen.len(), paths.len());
        for (path, router) in seen.iter() {
            if let Some(fast) = hot_pattern(path) {
                assert_eq!(Some(fast), router.as_deref(), "{path}");
            }
        }
        let hot: Vec<&str> = paths
            .into_iter()
            .filter(|p| hot_pattern(p).is_some())
            .collect();
        assert_eq!(
            hot,
            [
                "/api/v1/requests",
                "/api/v1/requests/r_abc",
                "/api/v1/requests/r_abc/candidates",
                "/api/v1/requests/a%2Fb/candidates",
                "/api/v1/requests/caf%C3%A9",
            ]
        );
    }
}
