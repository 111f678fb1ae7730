//! The hosts on the night: a door opens (the host's offer is made), a host
//! answers an ask, and a host who finds their offer paused opens it again.

use super::{AskStatus, Night, SimResult, fail};
use crate::db;
use crate::domain::commands::NewOffer;
use crate::domain::matching::{Side, Status};
use crate::domain::states::OfferStatus;
use crate::error::AppError;
use crate::service;
use crate::service::matches::{self, Action};
use crate::sim::behaviour::Answer;
use crate::sim::scenario::Door;
use serde_json::json;

impl Night<'_> {
    pub(super) fn open_door(&mut self, i: usize) -> SimResult<()> {
        let d: &Door = &self.scenario.doors[i];
        let until = crate::domain::rfc3339(self.end() + 12 * 3_600_000);
        let body = json!({
            "lat": d.lat, "lon": d.lon,
            "address": format!("{} rue de la Nuit", i + 1),
            "capacity": d.capacity,
            "available_until": until,
            "accessible": d.accessible, "pets_ok": d.pets_ok, "children_ok": d.children_ok,
            "languages": if d.english { vec!["en", "fr"] } else { vec!["fr"] },
        });
        let new = NewOffer::from_json(body, self.state.now())
            .map_err(|e| fail("offer body", e.into()))?;
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let host = &mut self.hosts[i];
        let view = service::offers::create(&self.state, &mut conn, &host.account, new)
            .map_err(|e| fail("offer", e))?;
        host.cell = (view.area.lat, view.area.lon);
        self.offer_door.insert(view.id.clone(), i);
        host.offer_id = Some(view.id);
        self.supply += 1;
        Ok(())
    }

    /// The host comes to answer ask `a` (the mail or push about it): on
    /// their page they answer it and, when the model says so, every other
    /// live ask on their door they have not answered yet, oldest first.
    pub(super) fn host_answers(&mut self, t: i64, a: usize) -> SimResult<()> {
        if self.asks[a].answered {
            return Ok(()); // answered already, in an earlier visit
        }
        self.counters.host_visits += 1;
        self.answer_ask(t, a)?;
        if !self.hosts_model.whole_page {
            return Ok(());
        }
        let door = self.asks[a].door;
        let mut others: Vec<usize> = (0..self.asks.len())
            .filter(|&x| self.asks[x].door == door && !self.asks[x].answered)
            .collect();
        others.sort_by_key(|&x| self.asks[x].at);
        for x in others {
            // what the previous answer changed (a pause ends the others)
            self.sync(t)?;
            if self.asks[x].status == AskStatus::Live && !self.asks[x].answered {
                self.counters.answered_on_visit += 1;
                self.answer_ask(t, x)?;
            }
        }
        Ok(())
    }

    /// The host's answer to ask `a`, once: a second answer to the same ask
    /// is a fault of the simulator, reported as such.
    fn answer_ask(&mut self, t: i64, a: usize) -> SimResult<()> {
        if self.asks[a].answered {
            return Err(format!("ask {a} answered twice"));
        }
        self.asks[a].answered = true;
        let ask = self.asks[a].clone();
        let Some(answer) = ask.answer else {
            return Ok(());
        };
        let host_id = self.hosts[ask.door].account.id.clone();
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let action = match answer {
            Answer::Accept => Action::Accept,
            Answer::Decline => Action::Decline,
        };
        let free = if answer == Answer::Accept {
            self.free_before(&mut conn, a, t)?
        } else {
            0
        };
        // the host's page or API call: the authentication marks them seen
        self.state.seen.mark(&host_id, t);
        match matches::act(
            &self.state,
            &mut conn,
            &ask.match_id,
            Side::Host,
            Some(host_id),
            action,
        ) {
            Ok(_) if answer == Answer::Decline => {
                self.counters.declines += 1;
                self.close_ask(a, AskStatus::Declined);
            }
            // asked for the guest: their yes is awaited (see `platform.rs`)
            Ok(v) if v.status == Status::Proposed => self.host_said_yes(t, a),
            Ok(_) => {
                self.counters.acceptances += 1;
                self.count_skip(ask.party, ask.door, free, a);
                self.placed(t, a);
            }
            Err(AppError::Conflict { .. }) => match ask.status {
                AskStatus::Cancelled => self.counters.dead_placed_elsewhere += 1,
                AskStatus::Expired => self.counters.dead_expired += 1,
                _ if t >= ask.expires_at => self.counters.dead_expired += 1,
                _ => self.counters.dead_other += 1,
            },
            Err(e) => return Err(fail("answer", e)),
        }
        // a host who comes back to answer and finds their offer paused (their
        // answer came too late) presses "Yes, I am still hosting tonight"
        if answer == Answer::Accept {
            self.resume_if_paused(&mut conn, ask.door)?;
        }
        Ok(())
    }

    pub(super) fn resume_if_paused(&mut self, conn: &mut db::DbConn, door: usize) -> SimResult<()> {
        let Some(oid) = self.hosts[door].offer_id.clone() else {
            return Ok(());
        };
        let row = db::offers::get(conn, &oid)
            .map_err(|e| fail("offer", e.into()))?
            .ok_or("offer vanished")?;
        if row.status == OfferStatus::Paused {
            service::holds::resume(&self.state, conn, &self.hosts[door].account, &oid)
                .map_err(|e| fail("resume", e))?;
            self.counters.resumed += 1;
            self.supply += 1;
        }
        Ok(())
    }

    /// The door's free places before ask `a` is accepted, its own hold
    /// counted free.
    pub(super) fn free_before(&self, conn: &mut db::DbConn, a: usize, t: i64) -> SimResult<i32> {
        let ask = &self.asks[a];
        let Some(oid) = &self.hosts[ask.door].offer_id else {
            return Ok(0);
        };
        let row = db::offers::get(conn, oid)
            .map_err(|e| fail("offer", e.into()))?
            .ok_or("offer vanished")?;
        let own = if ask.status == AskStatus::Live && t < ask.expires_at {
            self.scenario.parties[ask.party].size
        } else {
            0
        };
        Ok(service::offers::remaining(conn, &row, t).map_err(|e| fail("free", e))? + own)
    }
}
