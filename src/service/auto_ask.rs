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
//! Fair to larger parties: for `RESERVE_LARGE_MINUTES` after a door opens,
//! while it has room for three or more, the platform does not ask it for a
//! party of one or two if a waiting party of three or more nearby could
//! have it (it fits, has not asked it, and has an ask to spare); families,
//! who fit nowhere else, get the first chance at it. With no such family,
//! nobody is kept waiting. On the simulator, parties of 3–4 placed against
//! what supply allows went from 55 to 67 %, of 1–2 from 78 to 70 %, persons
//! about the same, time to a bed longer (docs/BENCHMARKS.md). A guest
//! asking by hand still sees and may ask the door.

use super::requests::{DEFAULT_RADIUS_KM, search_for};
use crate::db::models::MatchRow;
use crate::db::{self, DbConn};
use crate::domain::distance::metres_between;
use crate::domain::ids::{OfferId, RequestId};
use crate::domain::matching::Status;
use crate::domain::ranking;
use crate::domain::states::RequestStatus;
use crate::domain::values::Accommodates;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Waiting requests looked at by one [`keep_asking`] pass.
const MAX_WAITING: i64 = 5_000;

/// Tops up one request's asks. Returns how many were sent.
pub fn refill(state: &AppState, conn: &mut DbConn, request_id: &RequestId) -> AppResult<usize> {
    let now = state.now();
    let Some(req) = db::requests::get(conn, request_id)? else {
        return Ok(0);
    };
    if req.status != RequestStatus::Waiting || !req.auto_ask {
        return Ok(0);
    }
    let want = usize::try_from(state.config.auto_asks)
        .unwrap_or(1)
        .min(super::matches::MAX_LIVE_PROPOSALS);
    let mine = db::matches::for_request(conn, &req.id)?;
    let live = live_asks(&mine, now);
    if to_spare(&live, want) == 0 {
        return Ok(0);
    }
    let reserve = i64::from(state.config.reserve_large_minutes) * 60_000;
    let found = search_for(state, conn, &req, want * 3, DEFAULT_RADIUS_KM, |r| {
        // a door that may be kept for larger parties
        let large = (r.large_door() && reserve > 0).then_some(LargeDoor {
            available_from: r.offer.available_from,
            free: r.remaining,
            cell: (r.offer.cell.lat, r.offer.cell.lon),
            accommodates: r.offer.accommodates,
        });
        (r.offer.id.clone(), large)
    })?;
    let mut sent = 0;
    for (offer_id, large) in found {
        if live.len() + sent >= want {
            break;
        }
        if let Some(door) = large {
            let opened_at = opened_at(conn, &offer_id, door.available_from)?;
            if ranking::kept_for_larger(true, opened_at, now, reserve)
                && larger_party_waits(conn, &offer_id, &door, now, want)?
            {
                continue;
            }
        }
        match super::matches::propose_on_behalf(state, conn, &req.id, &offer_id) {
            Ok(_) => sent += 1,
            // the door changed since the search (taken, paused, closed…)
            Err(AppError::Conflict { .. } | AppError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(sent)
}

/// The live asks among a request's matches.
fn live_asks(matches: &[MatchRow], now: i64) -> Vec<&MatchRow> {
    matches
        .iter()
        .filter(|m| super::matches::effective(m, now) == Status::Proposed)
        .collect()
}

/// How many more asks the platform may make for a request: none while a
/// host's yes awaits the guest's, else up to `want` live asks.
fn to_spare(live: &[&MatchRow], want: usize) -> usize {
    if live.iter().any(|m| m.host_consent_at.is_some()) {
        0
    } else {
        want.saturating_sub(live.len())
    }
}

/// What the reserve for larger parties reads of a door.
struct LargeDoor {
    available_from: i64,
    free: i32,
    cell: (f64, f64),
    accommodates: Accommodates,
}

/// Waiting parties read to decide whether a young large door is kept.
const MAX_LARGER: i64 = 500;

/// Whether a waiting party of three or more could have this door now: it
/// fits the free places, the door meets its needs, its cell is within the
/// search radius, it has not asked this door, and it has an ask to spare
/// (the platform's `want` when it asks for them, else the guest's own
/// three). With none, the door is not kept: a small party alone in the
/// night is never made to wait for nobody.
fn larger_party_waits(
    conn: &mut DbConn,
    offer_id: &OfferId,
    door: &LargeDoor,
    now: i64,
    want: usize,
) -> AppResult<bool> {
    let radius_m = DEFAULT_RADIUS_KM * 1000.0;
    let (lat, lon) = door.cell;
    let dlat = radius_m / 111_000.0;
    let dlon = dlat / lat.to_radians().cos().max(0.01);
    let near: Vec<_> = db::requests::waiting_sized_in_box(
        conn,
        (ranking::LARGE_PARTY, door.free),
        (lat - dlat, lat + dlat),
        (lon - dlon, lon + dlon),
        MAX_LARGER,
    )?
    .into_iter()
    .filter(|r| {
        door.accommodates.meets(&super::requests::needs_of(r))
            && metres_between(r.cell_lat, r.cell_lon, lat, lon) <= radius_m
    })
    .collect();
    if near.is_empty() {
        return Ok(false);
    }
    let ids: Vec<RequestId> = near.iter().map(|r| r.id.clone()).collect();
    let matches = db::matches::for_requests(conn, &ids)?;
    Ok(near.iter().any(|r| {
        let theirs: Vec<MatchRow> = matches
            .iter()
            .filter(|m| m.request_id == r.id)
            .cloned()
            .collect();
        let asked = theirs
            .iter()
            .any(|m| &m.offer_id == offer_id && m.status != Status::Cancelled);
        let cap = if r.auto_ask {
            want
        } else {
            super::matches::MAX_LIVE_PROPOSALS
        };
        !asked && to_spare(&live_asks(&theirs, now), cap) > 0
    }))
}

/// When a door opened: made, or its window began, whichever is later.
fn opened_at(conn: &mut DbConn, offer_id: &OfferId, available_from: i64) -> AppResult<i64> {
    let created = db::offers::get(conn, offer_id)?.map_or(available_from, |o| o.created_at);
    Ok(created.max(available_from))
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
    let mut sent = 0;
    for (_, id) in ids {
        sent += refill(state, conn, id)?;
    }
    Ok(sent)
}

/// Every waiting request that allowed it, oldest first, gets its asks
/// topped up (new doors, doors that opened again). Run by the sweeper.
pub fn keep_asking(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    let waiting = db::requests::waiting_auto_ask(conn, MAX_WAITING)?;
    let mut sent = 0;
    for id in waiting {
        sent += refill(state, conn, &id)?;
    }
    Ok(sent)
}
