//! Fair to larger parties: for `RESERVE_LARGE_MINUTES` after a door opens
//! (is made, or its window begins), while it has room for three or more,
//! the platform's asks for a party of one or two pass it by if a waiting
//! party of three or more could have it now. Families fit nowhere else;
//! a small party has many more doors. With no such family the door is
//! asked at once: nobody is made to wait for nobody. A guest asking by
//! hand still sees the door and may ask it (`service::auto_ask` and the
//! automatic matching, `service::assignment::run_auto`, are the callers;
//! the matching counts only the families its assignment did not weigh).

use crate::db::models::{MatchRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::distance::metres_between;
use crate::domain::ids::{AccountId, OfferId, RequestId};
use crate::domain::matching::Status;
use crate::domain::ranking::{self, OfferSnapshot, Ranked};
use crate::domain::values::Accommodates;
use crate::error::AppResult;
use crate::state::AppState;

/// What the platform reads of a door a party's search found, to decide
/// whether another waiting party could have it (here, and
/// `service::nearer`).
pub struct FoundDoor {
    available_from: i64,
    pub(super) free: i32,
    pub(super) cell: (f64, f64),
    pub(super) accommodates: Accommodates,
    host_id: AccountId,
    host_verified: bool,
}

impl FoundDoor {
    pub fn of(r: &Ranked<'_>) -> Self {
        Self::with_free(r.offer, r.remaining)
    }

    /// A door with `free` places now.
    pub fn with_free(offer: &OfferSnapshot, free: i32) -> Self {
        Self {
            available_from: offer.available_from,
            free,
            cell: (offer.cell.lat, offer.cell.lon),
            accommodates: offer.accommodates,
            host_id: offer.host_id.clone(),
            host_verified: offer.host_verified,
        }
    }
}

/// Waiting parties read, oldest first, to decide whether a door is kept.
/// Past them the door is not kept: fairness may be lost, nobody stranded.
const MAX_LARGER: i64 = 500;
/// Margin around the search radius for the box query on published cells
/// (the distance is then measured from each party's exact point).
const BOX_MARGIN_DEG: f64 = 0.02;

/// Whether the platform passes this door by for a small party now: it
/// opened less than `reserve` ago and a larger party could have it, other
/// than those the caller already `weighed` (the automatic matching's
/// assignment, which gave them the doors it chose).
pub fn kept(
    state: &AppState,
    conn: &mut DbConn,
    offer_id: &OfferId,
    door: &FoundDoor,
    reserve: i64,
    want: usize,
    weighed: impl Fn(&RequestId) -> bool,
) -> AppResult<bool> {
    let now = state.now();
    let created = db::offers::get(conn, offer_id)?.map_or(door.available_from, |o| o.created_at);
    let opened_at = created.max(door.available_from);
    if !ranking::kept_for_larger(true, opened_at, now, reserve) {
        return Ok(false);
    }
    larger_party_waits(state, conn, offer_id, door, want, weighed)
}

/// Whether a waiting party of three or more could have this door now, as
/// its own search would show it: it fits the free places, the door meets
/// its needs and its incident's rules (a verified host for children…),
/// its host is not blocked for it, the door is within the search radius
/// of its point, it has not asked the door (a decline counts), and it has
/// an ask to spare (the platform's `want` when it asks for them, else the
/// guest's own three).
fn larger_party_waits(
    state: &AppState,
    conn: &mut DbConn,
    offer_id: &OfferId,
    door: &FoundDoor,
    want: usize,
    weighed: impl Fn(&RequestId) -> bool,
) -> AppResult<bool> {
    let now = state.now();
    let radius_m = super::requests::DEFAULT_RADIUS_KM * 1000.0;
    let (lat, lon) = door.cell;
    let dlat = radius_m / 111_000.0 + BOX_MARGIN_DEG;
    let dlon = dlat / lat.to_radians().cos().max(0.01);
    let near: Vec<RequestRow> = db::requests::waiting_sized_in_box(
        conn,
        (ranking::LARGE_PARTY, door.free),
        (lat - dlat, lat + dlat),
        (lon - dlon, lon + dlon),
        MAX_LARGER,
    )?
    .into_iter()
    .filter(|r| {
        !weighed(&r.id)
            && door.accommodates.meets(&super::requests::needs_of(r))
            && metres_between(r.lat, r.lon, lat, lon) <= radius_m
    })
    .collect();
    if near.is_empty() {
        return Ok(false);
    }
    let ids: Vec<RequestId> = near.iter().map(|r| r.id.clone()).collect();
    let matches = db::matches::for_requests(conn, &ids)?;
    for r in &near {
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
        if asked || super::auto_ask::to_spare(&super::auto_ask::live_asks(&theirs, now), cap) == 0 {
            continue;
        }
        if rules_let(state, conn, r, door)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether a party's search could show this door as far as its incident's
/// rules (a verified host for children…) and its blocks go.
pub(super) fn rules_let(
    state: &AppState,
    conn: &mut DbConn,
    r: &RequestRow,
    door: &FoundDoor,
) -> AppResult<bool> {
    let rules = super::incidents::rules_for_request(state, conn, &r.id)?;
    let needs = super::requests::needs_of(r);
    if !rules.allows(door.accommodates.women_only, door.host_verified, &needs) {
        return Ok(false);
    }
    Ok(!db::safeguarding::blocked_hosts(conn, &r.id)?.contains(&door.host_id))
}
