//! The live pages' event streams (server-sent events): the guest's private
//! link, the host's dashboard, the coordinators' console. Each checks access
//! as its page does, then sends only `event: changed` (nothing secret: the
//! page fetches itself), a heartbeat comment every 15 s, and ends after ten
//! minutes (the browser reconnects). See `crate::live`.

use super::session::current;
use crate::db::Backend;
use crate::error::AppError;
use crate::live::{HEARTBEAT, LIFETIME, Subscription, Topic};
use crate::service;
use crate::state::AppState;
use crate::web::extract::{path_id, run};
use actix_web::web::{Bytes, Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use futures_util::future::{Either, select};
use std::collections::HashMap;
use std::convert::Infallible;
use tokio::time::Instant;

/// The first bytes: how long the browser waits before reconnecting.
const HELLO: &[u8] = b"retry: 3000\n: live\n\n";
const CHANGED: &[u8] = b"event: changed\ndata: 1\n\n";
const BEAT: &[u8] = b": beat\n\n";

/// The page's version (`?v=`, its fingerprint when rendered): a stream
/// opened after a change the page missed says "changed" at once.
type Since = Query<HashMap<String, String>>;

/// `/r/{id}/{token}/events`: the same token check as the page.
pub async fn guest(
    state: Data<AppState>,
    path: Path<(String, String)>,
    since: Since,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let Ok(id) = path_id(&id) else {
        return HttpResponse::NotFound().finish();
    };
    match run(&state, move |s, c| {
        service::request_access(s, c, Some(&token), &id)
    })
    .await
    {
        Ok(r) => {
            open(
                &state,
                Topic::Request {
                    id: r.id,
                    lat: r.cell_lat,
                    lon: r.cell_lon,
                },
                since.get("v"),
            )
            .await
        }
        Err(AppError::Unauthorized(_)) => HttpResponse::Unauthorized().finish(),
        // a stream, not a page: the status says it, the script retries
        Err(e @ (AppError::Unavailable(_) | AppError::Internal(_))) => {
            tracing::error!(error = %e, "live stream");
            HttpResponse::ServiceUnavailable().finish()
        }
        Err(_) => HttpResponse::NotFound().finish(),
    }
}

/// `/host/events`: the dashboard of the session's account.
pub async fn host(state: Data<AppState>, req: HttpRequest, since: Since) -> HttpResponse {
    match current(&state, &req).await {
        Some(who) => open(&state, Topic::Host(who.id.clone()), since.get("v")).await,
        None => HttpResponse::Unauthorized().finish(),
    }
}

/// `/coord/events`: coordinators only (a host gets 404, as on the console).
pub async fn coordinators(state: Data<AppState>, req: HttpRequest, since: Since) -> HttpResponse {
    match current(&state, &req).await {
        Some(who) if who.is_coordinator() => {
            open(&state, Topic::Coordinators, since.get("v")).await
        }
        Some(_) => HttpResponse::NotFound().finish(),
        None => HttpResponse::Unauthorized().finish(),
    }
}

async fn open(state: &Data<AppState>, topic: Topic, since: Option<&String>) -> HttpResponse {
    let Ok(sub) = state.live.subscribe(topic) else {
        return HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "60"))
            .finish();
    };
    // the fingerprint now: compared with the page's version, and on
    // PostgreSQL with the later checks'
    let check = matches!(state.backend, Backend::Postgres(_)).then(|| state.clone());
    let last = if check.is_some() || since.is_some() {
        let topic = sub.topic.clone();
        run(state, move |_, c| crate::live::fingerprint(c, &topic))
            .await
            .ok()
    } else {
        None
    };
    let missed = match (since, &last) {
        (Some(v), Some(fp)) => *v != crate::live::version(fp),
        _ => false,
    };
    let now = Instant::now();
    let pump = Pump {
        sub,
        check,
        last,
        next_check: now + state.live.check_every,
        next_beat: now + HEARTBEAT,
        deadline: now + LIFETIME,
        started: false,
        pending: missed,
        quiet_until: now,
    };
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-store"))
        // proxies (nginx) must pass each event on at once
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(futures_util::stream::unfold(pump, next))
}

struct Pump {
    sub: Subscription,
    /// on PostgreSQL, the state to read the fingerprint with
    check: Option<Data<AppState>>,
    last: Option<Vec<i64>>,
    next_check: Instant,
    next_beat: Instant,
    deadline: Instant,
    started: bool,
    /// a change not yet told (waiting for `quiet_until`)
    pending: bool,
    quiet_until: Instant,
}

async fn next(mut p: Pump) -> Option<(Result<Bytes, Infallible>, Pump)> {
    let send = |b: &'static [u8], p: Pump| Some((Ok(Bytes::from_static(b)), p));
    if !p.started {
        p.started = true;
        return send(HELLO, p);
    }
    loop {
        let now = Instant::now();
        if now >= p.deadline {
            return None;
        }
        if p.pending && now >= p.quiet_until {
            p.pending = false;
            p.quiet_until = now + crate::live::min_gap(&p.sub.topic);
            return send(CHANGED, p);
        }
        if let Some(state) = p.check.clone().filter(|_| now >= p.next_check) {
            p.next_check = now + state.live.check_every;
            let topic = p.sub.topic.clone();
            if let Ok(fp) = run(&state, move |_, c| crate::live::fingerprint(c, &topic)).await {
                let moved = p.last.as_ref().is_some_and(|l| *l != fp);
                p.last = Some(fp);
                p.pending |= moved;
            }
            continue;
        }
        if now >= p.next_beat {
            p.next_beat = now + HEARTBEAT;
            return send(BEAT, p);
        }
        let mut wake = p.deadline.min(p.next_beat);
        if p.check.is_some() {
            wake = wake.min(p.next_check);
        }
        if p.pending {
            wake = wake.min(p.quiet_until);
        }
        let woke = {
            let changed = std::pin::pin!(p.sub.changed());
            let sleep = std::pin::pin!(tokio::time::sleep_until(wake));
            match select(changed, sleep).await {
                Either::Left((alive, _)) => Some(alive),
                Either::Right(_) => None,
            }
        };
        match woke {
            Some(true) => p.pending = true,
            Some(false) => return None,
            None => {}
        }
    }
}
