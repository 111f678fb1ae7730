//! A door to the nearer party. The platform asks for waiting parties oldest
//! first (`service::auto_ask`), so without this an older party takes a door
//! at the far end of its search radius while a younger party waits next to
//! it, and both walk across town. For the first `NEARER_PARTY_MINUTES` of
//! a party's wait, the platform's own asks for it, and its automatic
//! matching (`service::assignment::run_auto`; not a coordinator's
//! suggestions), pass by a door that a younger waiting party, which lets the
//! platform ask for it too, is more than [`NEARER_BY_M`] nearer to and
//! could have now; past that, the
//! party asks its doors in the ranking's order again, whoever is nearer, so
//! nobody is passed by for longer. On the crisis-night simulator people
//! walked about 0.4 km less at the median (4–7 minutes less from
//! request to door), with as many persons and first-hour parties placed,
//! and a minute or two more in the slowest tenth's wait for a yes
//! (docs/BENCHMARKS.md).
//!
//! The younger party must be at least as large (so no place is given to
//! fewer persons, and a door kept for families never goes to a small
//! party), have an ask to spare, fit the door's free places and needs,
//! have it within its radius, not have asked it (a decline counts), and be
//! allowed it by its incident's rules and blocks: the door its own search
//! shows it. Its asks usually take it in the same pass; if they go to
//! other doors first and leave it no ask to spare, the door goes back to
//! the older party in the next pass (about 10 s).
//!
//! One read of the waiting parties per pass ([`Waiters::read`]); each door
//! is then checked in memory, with the database read only for the rules
//! and blocks of a party that would have it, at most [`MAX_RULE_CHECKS`]
//! parties a door (past them the older party asks it: nobody is passed by
//! on a guess).

use super::reserve::{FoundDoor, rules_let};
use crate::db::models::{MatchRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::distance::metres_between;
use crate::domain::ids::{OfferId, RequestId};
use crate::domain::matching::Status;
use crate::domain::ranking::BAND_M;
use crate::error::AppResult;
use crate::state::AppState;
use std::collections::HashMap;

/// How much nearer the younger party must be: the ranking's distance band.
pub const NEARER_BY_M: f64 = BAND_M;
/// Younger parties whose rules and blocks are read for one door.
pub const MAX_RULE_CHECKS: usize = 8;
/// Requests whose matches are read at once (keeps the `IN` list well under
/// every backend's bound on parameters).
const CHUNK: usize = 500;

/// Waiting requests the platform asks for, read once per pass.
pub struct Waiters {
    /// those with an ask to spare, oldest first
    spare: Vec<Waiter>,
    /// how long a party's asks pass doors by (0: never)
    patience_ms: i64,
    now: i64,
}

struct Waiter {
    row: RequestRow,
    /// offers it asked, a withdrawn ask excepted (a decline counts)
    asked: Vec<OfferId>,
}

impl Waiters {
    /// At most `limit` waiting requests made after `after` that let the
    /// platform ask for them, and which of them have an ask to spare out
    /// of `want`.
    pub fn read(
        state: &AppState,
        conn: &mut DbConn,
        want: usize,
        after: i64,
        limit: i64,
    ) -> AppResult<Self> {
        let now = state.now();
        let rows = db::requests::waiting_auto_ask_after(conn, after, limit)?;
        let ids: Vec<RequestId> = rows.iter().map(|r| r.id.clone()).collect();
        let mut by_request: HashMap<RequestId, Vec<MatchRow>> = HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            for m in db::matches::for_requests(conn, chunk)? {
                by_request.entry(m.request_id.clone()).or_default().push(m);
            }
        }
        let mut spare = Vec::new();
        for row in rows {
            let theirs = by_request.remove(&row.id).unwrap_or_default();
            let live = super::auto_ask::live_asks(&theirs, now);
            if super::auto_ask::to_spare(&live, want) == 0 {
                continue;
            }
            let asked = theirs
                .into_iter()
                .filter(|m| m.status != Status::Cancelled)
                .map(|m| m.offer_id)
                .collect();
            spare.push(Waiter { row, asked });
        }
        Ok(Self {
            spare,
            patience_ms: patience_ms(state),
            now,
        })
    }

    /// The parties that requests made at `created` may pass a door to:
    /// those younger than the oldest such request still in its first
    /// minutes (nobody when none is, or the setting is 0).
    pub fn younger_than_fresh(
        state: &AppState,
        conn: &mut DbConn,
        want: usize,
        created: impl IntoIterator<Item = i64>,
    ) -> AppResult<Self> {
        let (patience, now) = (patience_ms(state), state.now());
        if patience == 0 {
            return Ok(Self::none());
        }
        match created.into_iter().filter(|c| now - c < patience).min() {
            Some(c) => Self::read(state, conn, want, c, super::auto_ask::MAX_WAITING),
            None => Ok(Self::none()),
        }
    }

    /// Nobody to pass a door to.
    pub fn none() -> Self {
        Self {
            spare: Vec::new(),
            patience_ms: 0,
            now: 0,
        }
    }

    /// The requests with an ask to spare, oldest first.
    pub fn with_spare(&self) -> impl Iterator<Item = &RequestId> {
        self.spare.iter().map(|w| &w.row.id)
    }

    /// Whether `older`'s asks pass this door by: it has waited less than
    /// the setting, and a younger waiting party more than [`NEARER_BY_M`]
    /// nearer to the door than `older` (`distance_m` away) could have it.
    pub fn nearer_younger(
        &self,
        state: &AppState,
        conn: &mut DbConn,
        older: &RequestRow,
        offer_id: &OfferId,
        door: &FoundDoor,
        distance_m: f64,
    ) -> AppResult<bool> {
        if self.now - older.created_at >= self.patience_ms || distance_m <= NEARER_BY_M {
            return Ok(false);
        }
        let within = (distance_m - NEARER_BY_M).min(super::requests::DEFAULT_RADIUS_KM * 1000.0);
        // a degree of latitude is at least 110.5 km: a cheap bound first
        let dlat = within / 110_000.0;
        let (lat, lon) = door.cell;
        let start = self
            .spare
            .partition_point(|w| w.row.created_at <= older.created_at);
        let mut checks = 0;
        for w in &self.spare[start..] {
            let r = &w.row;
            if r.party_size < older.party_size
                || r.party_size > door.free
                || (r.lat - lat).abs() > dlat
                || w.asked.contains(offer_id)
                || !door.accommodates.meets(&super::requests::needs_of(r))
                || metres_between(r.lat, r.lon, lat, lon) >= within
            {
                continue;
            }
            if rules_let(state, conn, r, door)? {
                return Ok(true);
            }
            checks += 1;
            if checks == MAX_RULE_CHECKS {
                break;
            }
        }
        Ok(false)
    }
}

/// `NEARER_PARTY_MINUTES` in milliseconds.
pub fn patience_ms(state: &AppState) -> i64 {
    i64::from(state.config.nearer_party_minutes) * 60_000
}
