//! What the night measures beside its counters: an acceptance that skips
//! an older party still waiting, and doors overbooked in the database
//! (checked after each sweep).

use super::{Night, SimResult};
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
    pub(super) fn count_skip(&mut self, party: usize, door: usize, free: i32, a: usize) {
        let (skipped, could_ask) = self.older_fitting(party, door, free);
        if skipped {
            self.counters.skipping_older += 1;
        }
        if could_ask {
            self.counters.skipping_older_free += 1;
            if self.asks[a].older_spare_at_ask {
                self.counters.skipping_older_free_at_ask += 1;
            }
        }
    }

    /// Whether an older party still waiting fits `door` for `party` as well
    /// (the rule of [`Night::count_skip`]), and whether one such party has
    /// an ask to spare.
    fn older_fitting(&self, party: usize, door: usize, free: i32) -> (bool, bool) {
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
                if g.live.len() < cap && !g.live.iter().any(|&x| self.asks[x].host_yes) {
                    return (true, true);
                }
            }
        }
        (skipped, false)
    }

    /// Notes on ask `a`, just made, whether an older party that fitted its
    /// door as well had an ask to spare at that moment: an acceptance that
    /// skips such a party was chosen when the ask was made, not only by
    /// the timing of answers after it.
    pub(super) fn note_older_at_ask(
        &mut self,
        conn: &mut db::DbConn,
        a: usize,
        t: i64,
    ) -> SimResult<()> {
        let free = self.free_before(conn, a, t)?;
        let (_, could_ask) = self.older_fitting(self.asks[a].party, self.asks[a].door, free);
        self.asks[a].older_spare_at_ask = could_ask;
        Ok(())
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
