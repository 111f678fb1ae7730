//! What the night measures beside its counters: an acceptance that skips
//! an older party still waiting, and doors overbooked in the database
//! (checked after each sweep).

use super::Night;
use crate::db;
use crate::domain::distance::metres_between;
use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;

impl Night<'_> {
    /// Counts the acceptance of `party` at `door` as a skip when an older
    /// party was still waiting that fitted the door's `free` places and its
    /// needs, within the search radius, and no farther (cell centre to cell
    /// centre) than the accepted party plus 1 km; a party this door had
    /// declined does not count. Also counted apart: skips where such an
    /// older party could still have been asked (fewer live asks than it may
    /// hold, and no host's yes awaiting its own).
    pub(super) fn count_skip(&mut self, party: usize, door: usize, free: i32) {
        let d = &self.scenario.doors[door];
        let cell = self.hosts[door].cell;
        let me = &self.guests[party];
        let reach = metres_between(me.cell.0, me.cell.1, cell.0, cell.1) + 1000.0;
        let radius = self.guests_model.radius_km * 1000.0;
        let cap = if self.guests_model.auto_ask {
            usize::try_from(self.state.config.auto_asks).unwrap_or(1)
        } else {
            self.guests_model.live_asks
        };
        let mut skipped = false;
        let mut could_ask = false;
        for (q, g) in self.guests.iter().enumerate() {
            let p = &self.scenario.parties[q];
            let older = g.request_id.is_some()
                && g.placed.is_none()
                && (g.created_at, q) < (me.created_at, party)
                && p.size <= free
                && (!p.accessible || d.accessible)
                && (!p.pets || d.pets_ok)
                && !g.declined_by.contains(&door)
                && metres_between(p.lat, p.lon, cell.0, cell.1) <= radius
                && metres_between(g.cell.0, g.cell.1, cell.0, cell.1) <= reach;
            if older {
                skipped = true;
                if g.live.len() < cap && !g.live.iter().any(|&a| self.asks[a].host_yes) {
                    could_ask = true;
                    break;
                }
            }
        }
        if skipped {
            self.counters.skipping_older += 1;
        }
        if could_ask {
            self.counters.skipping_older_free += 1;
        }
    }
}

/// Doors whose places are overbooked in the database: accepted beyond
/// capacity, or accepted plus live holds beyond capacity.
pub(super) fn overbooked(state: &AppState, now: i64) -> Result<usize, AppError> {
    let mut conn = state.conn()?;
    let holds = db::matches::live_holds(&mut conn, None, now)?;
    let mut held: HashMap<&str, i32> = HashMap::new();
    for h in &holds {
        *held.entry(h.offer_id.as_str()).or_default() += h.party_size;
    }
    let mut bad = 0;
    let mut after = String::new();
    loop {
        let page = db::offers::searchable_page(&mut conn, now, &after, 20_000)?;
        bad += page
            .open
            .iter()
            .filter(|o| {
                let h = held.get(o.id.as_str()).copied().unwrap_or(0);
                o.accepted_places > o.capacity || o.accepted_places + h > o.capacity
            })
            .count();
        let Some(next) = page.next else { break };
        after = next;
    }
    Ok(bad)
}
