//! Following what the platform does on the guests' behalf: asks it makes
//! (on creation, after a failed ask, when a door opens, from automatic
//! matching), holds it extends, asks a paused offer ended. After each event
//! that may have changed matches, [`Night::sync`] reads the matches changed
//! since the last look — the same rows the guest's live page and the host's
//! dashboard would show — and the night's bookkeeping follows them.

use super::{AskStatus, Ev, Night, SimResult, fail};
use crate::db::models::MatchRow;
use crate::db::schema::matches;
use crate::domain::matching::Side;
use crate::domain::matching::Status;
use crate::error::AppError;
use crate::service::matches::{self as service_matches, Action};
use diesel::prelude::*;

impl Night<'_> {
    /// Reads the matches changed since the last look.
    pub(super) fn sync(&mut self, t: i64) -> SimResult<()> {
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let rows: Vec<MatchRow> = matches::table
            .filter(matches::updated_at.ge(self.synced_at))
            .select(MatchRow::as_select())
            .load(&mut *conn)
            .map_err(|e| fail("sync", e.into()))?;
        self.synced_at = t;
        let first_new = self.asks.len();
        for m in rows {
            self.follow(t, &m);
        }
        // after every row: the older parties' asks of the same pass are known
        for a in first_new..self.asks.len() {
            self.note_older_at_ask(&mut conn, a, t)?;
        }
        Ok(())
    }

    fn follow(&mut self, t: i64, m: &MatchRow) {
        let a = match self.ask_of.get(&m.id) {
            Some(&a) => a,
            None if m.status == Status::Proposed => {
                let (Some(&party), Some(&door)) = (
                    self.party_of.get(&m.request_id),
                    self.offer_door.get(&m.offer_id),
                ) else {
                    return;
                };
                self.record_ask(t, party, door, m.id.clone(), m.expires_at, true);
                let a = self.asks.len() - 1;
                if self.guests_model.agree_ahead {
                    self.host_said_yes(t, a); // the same tap, before the host's answer
                    self.asks[a].host_yes = false;
                }
                a
            }
            None => return,
        };
        self.asks[a].expires_at = m.expires_at;
        if self.asks[a].status != AskStatus::Live {
            return;
        }
        match m.status {
            Status::Expired => self.close_ask(a, AskStatus::Expired),
            Status::Declined => self.close_ask(a, AskStatus::Declined),
            // ended by a pause, a withdrawal, or the guest placed elsewhere
            Status::Cancelled => self.close_ask(a, AskStatus::Cancelled),
            Status::Accepted | Status::Arrived => self.placed(t, a),
            Status::Proposed => {}
        }
    }

    /// The host said yes to an ask made for the guest: the live page shows
    /// it at once, and the guest says yes after reading it.
    pub(super) fn host_said_yes(&mut self, t: i64, a: usize) {
        if self.asks[a].host_yes {
            return;
        }
        self.asks[a].host_yes = true;
        let model = self.guests_model;
        let party = self.asks[a].party;
        let react = self.guests[party]
            .rng
            .as_mut()
            .map_or(model.react_ms.0, |r| model.reaction(r));
        self.at(t + react, Ev::GuestConfirm(a));
    }

    /// The guest's yes; both consents make the acceptance.
    pub(super) fn guest_confirms(&mut self, t: i64, a: usize) -> SimResult<()> {
        let ask = self.asks[a].clone();
        if ask.status != AskStatus::Live || self.guests[ask.party].placed.is_some() {
            return Ok(());
        }
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let free = self.free_before(&mut conn, a, t)?;
        match service_matches::act(
            &self.state,
            &mut conn,
            &ask.match_id,
            Side::Guest,
            None,
            Action::Accept,
        ) {
            Ok(v) if v.status == Status::Accepted => {
                self.counters.acceptances += 1;
                self.count_skip(ask.party, ask.door, free, a);
                self.placed(t, a);
            }
            Ok(_) => {}
            Err(AppError::Conflict { .. }) => self.counters.dead_other += 1,
            Err(e) => return Err(fail("confirm", e)),
        }
        Ok(())
    }

    /// The party is placed through ask `a`: its other asks end.
    pub(super) fn placed(&mut self, t: i64, a: usize) {
        let party = self.asks[a].party;
        if self.guests[party].placed.is_some() {
            return;
        }
        let others: Vec<usize> = self.guests[party]
            .live
            .iter()
            .copied()
            .filter(|&x| x != a)
            .collect();
        for x in others {
            self.close_ask(x, AskStatus::Cancelled);
        }
        self.close_ask(a, AskStatus::Accepted);
        self.guests[party].placed = Some((t, self.asks[a].door));
    }
}
