//! The guests on the night: a party arrives and its request is made, its
//! page reloads, and it asks the best doors it is shown, up to the
//! service's limit of live asks; with the bookkeeping of each ask, from
//! made to over.

use super::{Ask, AskStatus, Ev, Night, SimResult, fail};
use crate::db;
use crate::domain::commands::NewRequest;
use crate::domain::ids::MatchId;
use crate::domain::matching::{Side, Status};
use crate::domain::states::RequestStatus;
use crate::error::AppError;
use crate::service::matches;
use crate::service::{self, requests};
use crate::sim::scenario::Party;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;
use std::cmp::Reverse;

impl Night<'_> {
    pub(super) fn arrive(&mut self, t: i64, i: usize) -> SimResult<()> {
        let p: &Party = &self.scenario.parties[i];
        let body = json!({
            "lat": p.lat, "lon": p.lon, "party_size": p.size,
            "name": format!("Party {}", i + 1),
            "contact_phone": format!("+336{:08}", i),
            "needs": { "accessible": p.accessible, "pets": p.pets },
            "languages": if p.english { vec!["en"] } else { vec!["fr"] },
            "auto_ask": self.guests_model.auto_ask,
        });
        let new = NewRequest::from_json(body).map_err(|e| fail("request body", e.into()))?;
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let view = requests::create(&self.state, &mut conn, new).map_err(|e| fail("request", e))?;
        self.party_of.insert(view.id.clone(), i);
        let g = &mut self.guests[i];
        g.request_id = Some(view.id);
        g.token = view.access_token.unwrap_or_default();
        g.created_at = t;
        g.cell = (view.area.lat, view.area.lon);
        let mut rng = StdRng::seed_from_u64(p.stream);
        // the request page opens with its candidates: the guest reads, then asks
        let react = self.guests_model.reaction(&mut rng);
        g.rng = Some(rng);
        if self.guests_model.live_asks > 0 {
            g.act_pending = true;
            self.at(t + react, Ev::GuestAct(i));
            self.at(t + self.guests_model.reload_ms, Ev::GuestReload(i));
        }
        // asks the platform made for the guest on creation
        self.sync(t)
    }

    /// The page reloads: the guest acts if it shows something to act on.
    pub(super) fn reload(&mut self, t: i64, i: usize) {
        let model = self.guests_model;
        let supply = self.supply;
        let g = &mut self.guests[i];
        if g.placed.is_some() {
            return; // the page shows the host's contact: nothing more to do tonight
        }
        self.seq += 1;
        self.queue
            .push(Reverse((t + model.reload_ms, self.seq, Ev::GuestReload(i))));
        let room = g.live.len() < model.live_asks && g.empty_at != Some(supply);
        if !g.act_pending && (g.news || room) {
            g.act_pending = true;
            let react = g
                .rng
                .as_mut()
                .map_or(model.react_ms.0, |r| model.reaction(r));
            self.at(t + react, Ev::GuestAct(i));
        }
    }

    /// The guest looks at the page and asks the best doors until the
    /// service's limit of live asks.
    pub(super) fn guest_acts(&mut self, t: i64, i: usize) -> SimResult<()> {
        let model = self.guests_model;
        let g = &mut self.guests[i];
        g.act_pending = false;
        g.news = false;
        // a guest acts only after asking for shelter: anything else is a
        // fault of the simulator, reported as such
        let (Some(id), token) = (g.request_id.clone(), g.token.clone()) else {
            return Err(fail("page", AppError::NotFound));
        };
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let req = service::request_access(&self.state, &mut conn, Some(&token), &id)
            .map_err(|e| fail("page", e))?;
        if req.status != RequestStatus::Waiting {
            return Ok(());
        }
        let mut live = db::matches::for_request(&mut conn, &id)
            .map_err(|e| fail("page", e.into()))?
            .iter()
            .filter(|m| matches::effective(m, t) == Status::Proposed)
            .count();
        if live >= model.live_asks {
            return Ok(());
        }
        self.counters.searches += 1;
        let cands =
            requests::candidates(&self.state, &mut conn, &req, model.limit, model.radius_km)
                .map_err(|e| fail("search", e))?;
        let actor = service::audit::guest(&id);
        for c in cands {
            if live >= model.live_asks {
                break;
            }
            match matches::propose(
                &self.state,
                &mut conn,
                &id,
                &c.offer_id,
                Side::Guest,
                &actor,
            ) {
                Ok(v) => {
                    live += 1;
                    let door = self
                        .offer_door
                        .get(&c.offer_id)
                        .copied()
                        .ok_or("unknown offer")?;
                    let expires_at = db::matches::get(&mut conn, &v.id)
                        .map_err(|e| fail("ask", e.into()))?
                        .map_or(t, |m| m.expires_at);
                    self.record_ask(t, i, door, v.id, expires_at, false);
                    self.note_older_at_ask(&mut conn, self.asks.len() - 1, t)?;
                }
                Err(AppError::Conflict { .. }) => self.counters.asks_refused += 1,
                Err(e) => return Err(fail("propose", e)),
            }
        }
        let g = &mut self.guests[i];
        g.empty_at = (live < model.live_asks).then_some(self.supply);
        Ok(())
    }

    pub(super) fn record_ask(
        &mut self,
        t: i64,
        party: usize,
        door: usize,
        match_id: MatchId,
        expires_at: i64,
        by_platform: bool,
    ) {
        let a = self.asks.len();
        let profile = self.scenario.doors[door].profile;
        let answer = self.hosts_model.answer(profile, &mut self.hosts[door].rng);
        self.ask_of.insert(match_id.clone(), a);
        self.asks.push(Ask {
            party,
            door,
            match_id,
            at: t,
            expires_at,
            answer: answer.map(|x| x.1),
            status: AskStatus::Live,
            by_platform,
            host_yes: false,
            answered: false,
            older_spare_at_ask: false,
        });
        let g = &mut self.guests[party];
        if by_platform {
            self.counters.asks_by_others += 1;
        } else {
            g.asks += 1;
        }
        g.live.push(a);
        if let Some((delay, _)) = answer {
            self.at(t + delay, Ev::HostAnswer(a));
        }
        self.at(expires_at, Ev::HoldEnds(a));
    }

    /// The ask is over: its places are free again (unless accepted).
    pub(super) fn close_ask(&mut self, a: usize, status: AskStatus) {
        self.asks[a].status = status;
        let g = &mut self.guests[self.asks[a].party];
        g.live.retain(|&x| x != a);
        if matches!(status, AskStatus::Declined | AskStatus::Expired) {
            g.news = true;
        }
        if status == AskStatus::Declined {
            g.declined_by.push(self.asks[a].door);
        }
        self.supply += 1;
    }
}
