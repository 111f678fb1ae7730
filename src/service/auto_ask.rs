//! Asking for a guest who allowed it (`requests.auto_ask`, on by default on
//! the request form): when an ask fails — declined, run out, or its offer
//! paused — and whenever a door opens while they still wait, the platform
//! sends their request to the next suitable hosts, up to `AUTO_ASKS` live
//! asks. Such a proposal holds places like any ask, but reveals nothing
//! until the host AND the guest said yes (`matches.on_behalf`).
//!
//! Older parties come first: [`keep_asking`] walks waiting requests in the
//! order they arrived, so a newcomer does not take the door an older party
//! fits as well. Hosts who let holds run out or only decline (`Tier::Slow`)
//! come last in every band of the ranking, as for a guest asking by hand;
//! they are not left out: on the crisis-night simulator, leaving them out
//! placed 129 fewer persons (docs/BENCHMARKS.md). Paused offers are out of
//! every search anyway.
//!
//! Fair to larger parties (`service::reserve`): for `RESERVE_LARGE_MINUTES`
//! after a door opens, while it has room for three or more, the platform
//! does not ask it for a party of one or two if a waiting family nearby
//! could have it; with no such family, nobody is kept waiting. On the
//! simulator, parties of 3–4 placed against what supply allows went from
//! 55 to 66–67 %, of 1–2 from 78 to 70–71 %, persons about the same, time
//! to a bed longer (docs/BENCHMARKS.md).
//!
//! A door to the nearer party (`service::nearer`): for its first
//! `NEARER_PARTY_MINUTES`, a party's asks pass by a door that a younger
//! waiting party is much nearer to and could have now.

use super::nearer::Waiters;
use super::requests::{DEFAULT_RADIUS_KM, search_for};
use super::reserve::FoundDoor;
use crate::db::models::MatchRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{OfferId, RequestId};
use crate::domain::matching::Status;
use crate::domain::states::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Waiting requests looked at by one [`keep_asking`] pass.
pub(super) const MAX_WAITING: i64 = 5_000;

/// Tops up one request's asks, `waiters` being the requests waiting with
/// it (read once per pass). Returns how many were sent.
pub fn refill(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
    waiters: &Waiters,
) -> AppResult<usize> {
    let now = state.now();
    let Some(req) = db::requests::get(conn, request_id)? else {
        return Ok(0);
    };
    if req.status != RequestStatus::Waiting || !req.auto_ask {
        return Ok(0);
    }
    let want = want(state);
    let mine = db::matches::for_request(conn, &req.id)?;
    let live = live_asks(&mine, now);
    if to_spare(&live, want) == 0 {
        return Ok(0);
    }
    let reserve = i64::from(state.config.reserve_large_minutes) * 60_000;
    let found = search_for(state, conn, &req, want * 3, DEFAULT_RADIUS_KM, |r| {
        (
            r.offer.id.clone(),
            FoundDoor::of(r),
            r.distance_m,
            r.large_door() && reserve > 0,
        )
    })?;
    let wanted = to_spare(&live, want);
    let mut sent = 0;
    for (offer_id, door, distance_m, large) in found {
        if sent >= wanted {
            break;
        }
        // a young large door may be kept for larger parties
        if large && super::reserve::kept(state, conn, &offer_id, &door, reserve, want, |_| false)? {
            continue;
        }
        // a door to the nearer party, for a while
        if waiters.nearer_younger(state, conn, &req, &offer_id, &door, distance_m)? {
            continue;
        }
        sent += ask(state, conn, &req.id, &offer_id)?;
    }
    Ok(sent)
}

/// The platform's asks for one guest, within the service's cap.
fn want(state: &AppState) -> usize {
    usize::try_from(state.config.auto_asks)
        .unwrap_or(1)
        .min(super::matches::MAX_LIVE_PROPOSALS)
}

/// One ask on the guest's behalf: 1 if sent, 0 if the door changed since
/// the search (taken, paused, closed…).
fn ask(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
    offer_id: &OfferId,
) -> AppResult<usize> {
    match super::matches::propose_on_behalf(state, conn, request_id, offer_id) {
        Ok(_) => Ok(1),
        Err(AppError::Conflict { .. } | AppError::NotFound) => Ok(0),
        Err(e) => Err(e),
    }
}

/// The live asks among a request's matches.
pub(super) fn live_asks(matches: &[MatchRow], now: i64) -> Vec<&MatchRow> {
    matches
        .iter()
        .filter(|m| super::matches::effective(m, now) == Status::Proposed)
        .collect()
}

/// How many more asks the platform may make for a request: none while a
/// host's yes awaits the guest's, else up to `want` live asks.
pub(super) fn to_spare(live: &[&MatchRow], want: usize) -> usize {
    if live.iter().any(|m| m.host_consent_at.is_some()) {
        0
    } else {
        want.saturating_sub(live.len())
    }
}

/// After asks were lost (declined, run out, paused), or for a new request:
/// asks for those requests, oldest first. Runs after the caller's change
/// committed, so a failure here is logged, never returned: the change the
/// person made stands.
pub fn after_loss(state: &AppState, conn: &mut DbConn, requests: &[RequestId]) -> usize {
    match ask_for(state, conn, requests) {
        Ok(n) => n,
        Err(e) => {
            tracing::error!(error = %e, "asking hosts for guests failed");
            0
        }
    }
}

fn ask_for(state: &AppState, conn: &mut DbConn, requests: &[RequestId]) -> AppResult<usize> {
    if requests.is_empty() {
        return Ok(0);
    }
    let mut ids: Vec<(i64, &RequestId)> = Vec::with_capacity(requests.len());
    for id in requests {
        if ids.iter().any(|(_, x)| *x == id) {
            continue;
        }
        let created = db::requests::get(conn, id)?.map_or(i64::MAX, |r| r.created_at);
        ids.push((created, id));
    }
    ids.sort();
    // only parties younger than a request still in its first minutes may
    // be passed a door (`service::nearer`)
    let waiters = Waiters::younger_than_fresh(state, conn, want(state), ids.iter().map(|x| x.0))?;
    let mut sent = 0;
    for (_, id) in ids {
        sent += refill(state, conn, id, &waiters)?;
    }
    Ok(sent)
}

/// Every waiting request that allowed it, oldest first, gets its asks
/// topped up (new doors, doors that opened again). Run by the sweeper.
pub fn keep_asking(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    let waiters = Waiters::read(state, conn, want(state), i64::MIN, MAX_WAITING)?;
    let mut sent = 0;
    for id in waiters.with_spare() {
        sent += refill(state, conn, id, &waiters)?;
    }
    Ok(sent)
}
