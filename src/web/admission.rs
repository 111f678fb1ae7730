//! Admission control: under a flood, answer what we can in time and turn
//! the rest away at once, cheaply, before reading a body or touching the
//! database.
//!
//! Each kind of work (`Work`) has a gate: at most `in_flight` requests of
//! that kind are being served, at most `queue` more wait their turn (first
//! come, first served); the next one is shed on the spot with 503 and
//! `Retry-After` — problem+json on the API, a tiny static page otherwise
//! (pre-rendered per language at start). A queued request that waits longer
//! than `max_wait` is shed too (a backstop: the queue's bound is what keeps
//! waits short). What never touches the database is never shed: health and
//! metrics, the landing page and the empty request form (served from
//! memory), assets, event streams (capped by `LIVE_MAX_STREAMS`), and
//! unknown paths.

use crate::config::{Config, GateSize};
use crate::error::AppError;
use crate::web::lang::negotiate;
use crate::web::state::WebState;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::Method;
use actix_web::http::header::{CONTENT_TYPE, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use futures_util::future::{LocalBoxFuture, Ready, ready};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// The kinds of work, each with its own gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// a guest asking for shelter: `POST /api/v1/requests`, `POST /need`
    Create,
    /// candidate and nearby searches, "is my relative safe?"
    Search,
    /// every other state change (any method but GET)
    Write,
    /// every other page or API read that reads the database
    Read,
}

impl Work {
    pub const ALL: [Work; 4] = [Work::Create, Work::Search, Work::Write, Work::Read];

    pub fn name(self) -> &'static str {
        match self {
            Work::Create => "create",
            Work::Search => "search",
            Work::Write => "write",
            Work::Read => "read",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Route patterns (as in the route tables) that are never shed: they read
/// nothing from the database, or they are how operators see the instance.
const NEVER_SHED: [&str; 9] = [
    "/healthz",
    "/readyz",
    "/metrics",
    "/",
    "/assets/{name}",
    "/favicon.ico",
    "/sw.js",
    "/lang/{code}",
    "/api/v1/openapi.json",
];

/// Which gate a request goes through, from its method and route pattern
/// (`None` for an unknown path, or what is never shed).
pub fn classify(method: &Method, pattern: Option<&str>) -> Option<Work> {
    let pattern = pattern?;
    let get = method == Method::GET || method == Method::HEAD;
    if NEVER_SHED.contains(&pattern) || pattern.ends_with("/events") {
        return None;
    }
    Some(match (get, pattern) {
        // the empty form is served from memory
        (true, "/need") | (true, "/api/v1/push/key") => return None,
        (false, "/api/v1/requests" | "/need") => Work::Create,
        (
            true,
            "/api/v1/requests/{id}/candidates"
            | "/api/v1/offers/{id}/nearby-requests"
            | "/api/v1/safe"
            | "/safe"
            | "/coord/match",
        ) => Work::Search,
        (false, _) => Work::Write,
        (true, _) => Work::Read,
    })
}

impl GateSize {
    /// The default for a kind, from the database pool's size: writers on
    /// SQLite take turns anyway, so few run at once and a short queue keeps
    /// waits near one transaction each; reads share the pool.
    pub fn default_for(work: Work, pool: u32) -> Self {
        let p = usize::try_from(pool).unwrap_or(8).max(1);
        match work {
            Work::Create | Work::Write => GateSize {
                in_flight: p.div_ceil(2),
                queue: 2 * p,
            },
            Work::Search | Work::Read => GateSize {
                in_flight: p,
                queue: 4 * p,
            },
        }
    }

    /// The configured size of a kind's gate, else its default.
    pub fn from_config(c: &Config, work: Work) -> Self {
        let set = match work {
            Work::Create => c.admit_create,
            Work::Search => c.admit_search,
            Work::Write => c.admit_write,
            Work::Read => c.admit_read,
        };
        set.unwrap_or_else(|| Self::default_for(work, c.db_pool_size))
    }
}

struct Gate {
    size: GateSize,
    permits: Semaphore,
    waiting: AtomicUsize,
    shed: AtomicU64,
}

/// Leaves the queue however the wait ends (served, timed out, or the
/// client went away and the future was dropped).
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Every gate of an instance, and what was shed.
pub struct Admission {
    gates: [Gate; 4],
    max_wait: Duration,
    /// searches are shed while the loop is later than this
    /// (`None`: never for lateness)
    max_lag: Option<Duration>,
    retry_after: u64,
}

/// A place among the requests being served; freed when dropped.
pub struct Admitted<'a>(Option<SemaphorePermit<'a>>);

/// Turned away: try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shed {
    pub retry_after: u64,
}

impl Admission {
    pub fn new(sizes: [GateSize; 4], max_wait: Duration, retry_after: u64) -> Self {
        Self {
            max_lag: None,
            gates: sizes.map(|size| Gate {
                size,
                permits: Semaphore::new(size.in_flight),
                waiting: AtomicUsize::new(0),
                shed: AtomicU64::new(0),
            }),
            max_wait,
            retry_after,
        }
    }

    pub fn from_config(c: &Config) -> Self {
        Self::new(
            Work::ALL.map(|w| GateSize::from_config(c, w)),
            Duration::from_millis(c.admit_max_wait_ms),
            u64::from(c.admit_retry_after),
        )
        .with_max_lag(c.admit_max_lag_ms)
    }

    /// Sheds searches while the worker's loop is later than `ms` (0: never
    /// for lateness). Only searches: a flood is of searches, and a guest's
    /// own page should not be turned away for a moment's burst.
    pub fn with_max_lag(mut self, ms: u64) -> Self {
        self.max_lag = (ms > 0).then(|| Duration::from_millis(ms));
        self
    }

    pub fn size(&self, work: Work) -> GateSize {
        self.gates[work.index()].size
    }

    /// Requests of this kind shed since start.
    pub fn shed_count(&self, work: Work) -> u64 {
        self.gates[work.index()].shed.load(Ordering::Relaxed)
    }

    fn shed(&self, gate: &Gate) -> Shed {
        gate.shed.fetch_add(1, Ordering::Relaxed);
        Shed {
            retry_after: self.retry_after,
        }
    }

    /// A place now, a place after waiting in a queue that has room, or shed.
    pub async fn enter(&self, work: Work) -> Result<Admitted<'_>, Shed> {
        let gate = &self.gates[work.index()];
        if work == Work::Search
            && self
                .max_lag
                .is_some_and(|max| crate::web::loop_lag::late() > max)
        {
            return Err(self.shed(gate));
        }
        if let Ok(p) = gate.permits.try_acquire() {
            return Ok(Admitted(Some(p)));
        }
        let joined = gate
            .waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |w| {
                (w < gate.size.queue).then_some(w + 1)
            });
        if joined.is_err() {
            return Err(self.shed(gate));
        }
        let _queued = InQueue(&gate.waiting);
        match actix_web::rt::time::timeout(self.max_wait, gate.permits.acquire()).await {
            Ok(Ok(p)) => Ok(Admitted(Some(p))),
            // timed out (or the semaphore closed, which never happens)
            _ => Err(self.shed(gate)),
        }
    }

    /// Prometheus lines: requests shed by kind, and each gate's size.
    pub fn metrics(&self) -> String {
        let mut s = String::from(
            "# HELP po_shed_total Requests turned away by admission control (503), by kind of work.\n# TYPE po_shed_total counter\n",
        );
        for w in Work::ALL {
            s += &format!(
                "po_shed_total{{kind=\"{}\"}} {}\n",
                w.name(),
                self.shed_count(w)
            );
        }
        s += "# HELP po_admission_waiting Requests waiting for their turn now, by kind of work.\n# TYPE po_admission_waiting gauge\n";
        for w in Work::ALL {
            let waiting = self.gates[w.index()].waiting.load(Ordering::Relaxed);
            s += &format!("po_admission_waiting{{kind=\"{}\"}} {waiting}\n", w.name());
        }
        s
    }
}

impl Admitted<'_> {
    /// Whether this place holds a permit (always, once admitted).
    pub fn holds(&self) -> bool {
        self.0.is_some()
    }
}

/// The answer to a shed request: problem+json on the API, else the busy
/// page in the visitor's language.
fn shed_response(state: &WebState, req: &HttpRequest, shed: Shed) -> HttpResponse {
    if req.path().starts_with("/api/") {
        return AppError::Overloaded {
            retry_after: shed.retry_after,
        }
        .error_response();
    }
    HttpResponse::ServiceUnavailable()
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((RETRY_AFTER, shed.retry_after.to_string()))
        .body(state.memory.busy(negotiate(req)))
}

/// The middleware (`App::wrap(Gatekeeper)`): classify, wait for a place or
/// shed, serve, free the place. The request reaches the router only once
/// admitted.
pub struct Gatekeeper;

impl<S, B> Transform<S, ServiceRequest> for Gatekeeper
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = actix_web::Error;
    type Transform = Gated<S>;
    type InitError = ();
    type Future = Ready<Result<Gated<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(Gated(Rc::new(service))))
    }
}

pub struct Gated<S>(Rc<S>);

impl<S, B> Service<ServiceRequest> for Gated<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(
        &self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let srv = self.0.clone();
        let work = classify(req.method(), super::logging::route_of(&req).as_deref());
        let state = req.app_data::<actix_web::web::Data<WebState>>().cloned();
        Box::pin(async move {
            let (Some(work), Some(state)) = (work, state) else {
                return srv.call(req).await.map(ServiceResponse::map_into_left_body);
            };
            match state.admission.enter(work).await {
                Ok(place) => {
                    let res = srv.call(req).await;
                    drop(place);
                    res.map(ServiceResponse::map_into_left_body)
                }
                Err(shed) => {
                    let res = shed_response(&state, req.request(), shed);
                    Ok(req.into_response(res).map_into_right_body())
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_work() {
        let post = Method::POST;
        let get = Method::GET;
        assert_eq!(
            classify(&post, Some("/api/v1/requests")),
            Some(Work::Create)
        );
        assert_eq!(classify(&post, Some("/need")), Some(Work::Create));
        assert_eq!(
            classify(&get, Some("/need")),
            None,
            "the form is from memory"
        );
        assert_eq!(
            classify(&get, Some("/api/v1/requests/{id}/candidates")),
            Some(Work::Search)
        );
        assert_eq!(
            classify(&post, Some("/api/v1/requests/{id}/matches")),
            Some(Work::Write)
        );
        assert_eq!(classify(&get, Some("/r/{id}/{token}")), Some(Work::Read));
        assert_eq!(
            classify(&Method::HEAD, Some("/r/{id}/{token}")),
            Some(Work::Read)
        );
        for never in [
            "/healthz",
            "/readyz",
            "/metrics",
            "/",
            "/assets/{name}",
            "/r/{id}/{token}/events",
        ] {
            assert_eq!(classify(&get, Some(never)), None, "{never}");
        }
        assert_eq!(
            classify(&get, None),
            None,
            "unknown paths: a 404 from memory"
        );
    }

    #[test]
    fn gate_sizes_parse_and_default_from_the_pool() {
        assert_eq!(
            "4/32".parse::<GateSize>(),
            Ok(GateSize {
                in_flight: 4,
                queue: 32
            })
        );
        assert_eq!(
            " 1 / 0 ".parse::<GateSize>(),
            Ok(GateSize {
                in_flight: 1,
                queue: 0
            })
        );
        for bad in ["0/4", "4", "a/b", "4/-1", ""] {
            assert!(bad.parse::<GateSize>().is_err(), "{bad}");
        }
        let c = GateSize::default_for(Work::Create, 8);
        assert_eq!((c.in_flight, c.queue), (4, 16));
        let s = GateSize::default_for(Work::Search, 8);
        assert_eq!((s.in_flight, s.queue), (8, 32));
        assert_eq!(GateSize::default_for(Work::Write, 1).in_flight, 1);
    }

    #[actix_web::test]
    async fn a_full_gate_queues_then_sheds() {
        let one = GateSize {
            in_flight: 1,
            queue: 1,
        };
        let a = Admission::new([one; 4], Duration::from_secs(60), 7);
        let first = a.enter(Work::Create).await.expect("a free place");
        assert!(first.holds());
        // the second waits in the queue (polled once, it stays pending)
        let mut second = Box::pin(a.enter(Work::Create));
        assert!(
            futures_util::FutureExt::now_or_never(second.as_mut()).is_none(),
            "it waits"
        );
        // the queue is full: the third is shed at once
        assert_eq!(
            a.enter(Work::Create).await.err(),
            Some(Shed { retry_after: 7 })
        );
        assert_eq!(a.shed_count(Work::Create), 1);
        // other kinds have their own gates
        let search = a
            .enter(Work::Search)
            .await
            .expect("search has its own gate");
        drop(search);
        // the first leaves: the queued one gets its place
        drop(first);
        let second = second.await.expect("served after waiting");
        assert!(second.holds());
        assert!(a.metrics().contains("po_shed_total{kind=\"create\"} 1"));
        assert!(
            a.metrics()
                .contains("po_admission_waiting{kind=\"create\"} 0")
        );
    }

    #[actix_web::test]
    async fn searches_are_shed_while_the_loop_runs_late() {
        use crate::web::loop_lag::record;
        let room = GateSize {
            in_flight: 8,
            queue: 8,
        };
        let a = Admission::new([room; 4], Duration::from_secs(1), 5).with_max_lag(4);
        record(Duration::from_millis(4));
        assert!(a.enter(Work::Search).await.is_ok(), "at the bound: served");
        record(Duration::from_micros(4_001));
        assert_eq!(
            a.enter(Work::Search).await.err(),
            Some(Shed { retry_after: 5 })
        );
        assert_eq!(a.shed_count(Work::Search), 1);
        // only searches: a guest's own page, a request, a write still go in
        for w in [Work::Read, Work::Create, Work::Write] {
            assert!(a.enter(w).await.is_ok(), "{w:?}");
        }
        // caught up: served again
        record(Duration::ZERO);
        assert!(a.enter(Work::Search).await.is_ok());
        // 0 turns it off
        let off = Admission::new([room; 4], Duration::from_secs(1), 5).with_max_lag(0);
        record(Duration::from_secs(1));
        assert!(off.enter(Work::Search).await.is_ok());
        record(Duration::ZERO);
    }

    #[actix_web::test]
    async fn a_wait_beyond_the_limit_is_shed_and_leaves_the_queue() {
        let one = GateSize {
            in_flight: 1,
            queue: 4,
        };
        let a = Admission::new([one; 4], Duration::from_millis(1), 3);
        let _held = a.enter(Work::Write).await.expect("a place");
        assert_eq!(
            a.enter(Work::Write).await.err(),
            Some(Shed { retry_after: 3 })
        );
        assert!(
            a.metrics()
                .contains("po_admission_waiting{kind=\"write\"} 0")
        );
    }
}
