//! The event loop: a priority queue of timed events on the manual clock.
//! Guests and hosts act only through the services the pages call
//! (`requests::create`, `request_access`, `requests::candidates`,
//! `matches::propose`, `matches::act`); the sweeper runs every 30 s of
//! simulated time, and after each sweep the database is checked for
//! overbooked doors.
//!
//! One shortcut keeps a three-hour night within a minute or two without
//! changing what anyone does: a guest's page reload that could show nothing
//! new (no answer or run-out hold since the last look, and no door opened or
//! freed since their last empty search) is not sent to the database.

use super::behaviour::{Answer, GuestModel, HostModel, Policy};
use super::scenario::{Door, Party, Scenario};
use crate::clock::Clock;
use crate::db;
use crate::domain::distance::metres_between;
use crate::domain::matching::{Side, Status};
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::error::AppError;
use crate::service::matches::{self, Action};
use crate::service::{self, Account, requests};
use crate::state::AppState;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

mod platform;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Sweep,
    OfferAppears(usize),
    Arrive(usize),
    GuestReload(usize),
    GuestAct(usize),
    HostAnswer(usize),
    HoldEnds(usize),
    /// the guest says yes to a host who said yes to an ask made for them
    GuestConfirm(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskStatus {
    Live,
    Accepted,
    Declined,
    Expired,
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct Ask {
    pub party: usize,
    pub door: usize,
    pub match_id: String,
    pub at: i64,
    pub expires_at: i64,
    pub answer: Option<Answer>,
    pub status: AskStatus,
    /// made by the platform for the guest (not by the guest's own hand)
    pub by_platform: bool,
    /// the host said yes; the guest's yes is awaited
    pub host_yes: bool,
}

/// A host and its door, once open.
pub struct Host {
    pub account: Account,
    pub offer_id: Option<String>,
    /// the door's published cell centre
    pub cell: (f64, f64),
    rng: StdRng,
}

#[derive(Default)]
pub struct Guest {
    pub request_id: String,
    token: String,
    pub created_at: i64,
    /// the request's published cell centre
    pub cell: (f64, f64),
    rng: Option<StdRng>,
    act_pending: bool,
    news: bool,
    empty_at: Option<u64>,
    pub asks: usize,
    live: Vec<usize>,
    declined_by: Vec<usize>,
    pub placed: Option<(i64, usize)>,
}

#[derive(Debug, Default, Clone)]
pub struct Counters {
    pub searches: usize,
    pub asks_refused: usize,
    pub declines: usize,
    pub dead_placed_elsewhere: usize,
    pub dead_expired: usize,
    pub dead_other: usize,
    pub asks_by_others: usize,
    /// paused offers their host opened again
    pub resumed: usize,
    pub acceptances: usize,
    pub skipping_older: usize,
    /// … of which an older party skipped had an ask to spare (it was not
    /// holding as many live asks as it may, nor awaited on a host's yes)
    pub skipping_older_free: usize,
    pub overbookings: usize,
    pub sweeps: usize,
}

pub struct Night<'a> {
    pub state: Arc<AppState>,
    clock: Clock,
    pub start: i64,
    pub scenario: &'a Scenario,
    guests_model: GuestModel,
    hosts_model: HostModel,
    queue: BinaryHeap<Reverse<(i64, u64, Ev)>>,
    seq: u64,
    pub hosts: Vec<Host>,
    pub guests: Vec<Guest>,
    pub asks: Vec<Ask>,
    offer_door: HashMap<String, usize>,
    /// match id → ask, request id → party: to follow what the platform does
    ask_of: HashMap<String, usize>,
    party_of: HashMap<String, usize>,
    /// matches changed since this instant are read again (`platform.rs`)
    synced_at: i64,
    /// bumped whenever a door opens or places are freed
    supply: u64,
    pub counters: Counters,
}

type SimResult<T> = Result<T, String>;

fn fail(what: &str, e: AppError) -> String {
    format!("{what}: {e} ({e:?})")
}

impl<'a> Night<'a> {
    pub fn new(
        state: Arc<AppState>,
        clock: Clock,
        scenario: &'a Scenario,
        policy: Policy,
        hosts: Vec<Account>,
    ) -> Self {
        let start = clock.now();
        let hosts = hosts
            .into_iter()
            .zip(&scenario.doors)
            .map(|(account, d)| Host {
                account,
                offer_id: None,
                cell: (0.0, 0.0),
                rng: StdRng::seed_from_u64(d.stream),
            })
            .collect();
        let guests = scenario.parties.iter().map(|_| Guest::default()).collect();
        Self {
            state,
            clock,
            start,
            scenario,
            guests_model: policy.guests(),
            hosts_model: policy.hosts(),
            queue: BinaryHeap::new(),
            seq: 0,
            hosts,
            guests,
            asks: Vec::new(),
            offer_door: HashMap::new(),
            ask_of: HashMap::new(),
            party_of: HashMap::new(),
            synced_at: start,
            supply: 0,
            counters: Counters::default(),
        }
    }

    fn at(&mut self, t: i64, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((t, self.seq, ev)));
    }

    /// How hosts answer on this night.
    pub fn host_model(&self) -> HostModel {
        self.hosts_model
    }

    /// The guests' search radius, in metres.
    pub fn radius_m(&self) -> f64 {
        self.guests_model.radius_km * 1000.0
    }

    pub fn end(&self) -> i64 {
        self.start + i64::from(self.scenario.params.minutes) * 60_000
    }

    /// Runs the night to its end, then sweeps once more.
    pub fn run(&mut self) -> SimResult<()> {
        for (i, d) in self.scenario.doors.iter().enumerate() {
            self.at(self.start + d.at_ms, Ev::OfferAppears(i));
        }
        for (i, p) in self.scenario.parties.iter().enumerate() {
            self.at(self.start + p.at_ms, Ev::Arrive(i));
        }
        self.at(self.start + self.guests_model.sweep_ms, Ev::Sweep);
        let end = self.end();
        while let Some(Reverse((t, _, ev))) = self.queue.pop() {
            if t > end {
                break;
            }
            self.clock.advance(t - self.clock.now());
            self.handle(t, ev)?;
        }
        self.clock.advance(end - self.clock.now());
        self.sweep(end, false)
    }

    fn handle(&mut self, t: i64, ev: Ev) -> SimResult<()> {
        match ev {
            Ev::Sweep => self.sweep(t, true),
            Ev::OfferAppears(i) => self.open_door(i),
            Ev::Arrive(i) => self.arrive(t, i),
            Ev::GuestReload(i) => {
                self.reload(t, i);
                Ok(())
            }
            Ev::GuestAct(i) => self.guest_acts(t, i),
            Ev::HostAnswer(a) => {
                self.host_answers(t, a)?;
                self.sync(t)
            }
            Ev::HoldEnds(a) => {
                // a hold the host's visit extended ends later
                let until = self.asks[a].expires_at;
                if self.asks[a].status == AskStatus::Live && t < until {
                    self.at(until, Ev::HoldEnds(a));
                } else if self.asks[a].status == AskStatus::Live {
                    self.close_ask(a, AskStatus::Expired);
                }
                Ok(())
            }
            Ev::GuestConfirm(a) => {
                self.guest_confirms(t, a)?;
                self.sync(t)
            }
        }
    }

    fn sweep(&mut self, t: i64, again: bool) -> SimResult<()> {
        // the background thread's work: hosts seen, then the sweeper
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        service::holds::flush_seen(&self.state, &mut conn).map_err(|e| fail("seen", e))?;
        self.state.sweep().map_err(|e| fail("sweep", e))?;
        self.counters.sweeps += 1;
        self.counters.overbookings += overbooked(&self.state, t).map_err(|e| fail("check", e))?;
        if again {
            self.at(t + self.guests_model.sweep_ms, Ev::Sweep);
        }
        self.sync(t)
    }

    fn open_door(&mut self, i: usize) -> SimResult<()> {
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
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let host = &mut self.hosts[i];
        let view = service::offers::create(&self.state, &mut conn, &host.account, body)
            .map_err(|e| fail("offer", e))?;
        host.cell = (view.area.lat, view.area.lon);
        self.offer_door.insert(view.id.clone(), i);
        host.offer_id = Some(view.id);
        self.supply += 1;
        Ok(())
    }

    fn arrive(&mut self, t: i64, i: usize) -> SimResult<()> {
        let p: &Party = &self.scenario.parties[i];
        let body = json!({
            "lat": p.lat, "lon": p.lon, "party_size": p.size,
            "name": format!("Party {}", i + 1),
            "contact_phone": format!("+336{:08}", i),
            "needs": { "accessible": p.accessible, "pets": p.pets },
            "languages": if p.english { vec!["en"] } else { vec!["fr"] },
            "auto_ask": self.guests_model.auto_ask,
        });
        let new = requests::parse(body).map_err(|e| fail("request body", e))?;
        let mut conn = self.state.conn().map_err(|e| fail("conn", e))?;
        let view = requests::create(&self.state, &mut conn, new).map_err(|e| fail("request", e))?;
        self.party_of.insert(view.id.clone(), i);
        let g = &mut self.guests[i];
        g.request_id = view.id;
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
    fn reload(&mut self, t: i64, i: usize) {
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
    fn guest_acts(&mut self, t: i64, i: usize) -> SimResult<()> {
        let model = self.guests_model;
        let g = &mut self.guests[i];
        g.act_pending = false;
        g.news = false;
        let (id, token) = (g.request_id.clone(), g.token.clone());
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
                }
                Err(AppError::Conflict { .. }) => self.counters.asks_refused += 1,
                Err(e) => return Err(fail("propose", e)),
            }
        }
        let g = &mut self.guests[i];
        g.empty_at = (live < model.live_asks).then_some(self.supply);
        Ok(())
    }

    fn record_ask(
        &mut self,
        t: i64,
        party: usize,
        door: usize,
        match_id: String,
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
    fn close_ask(&mut self, a: usize, status: AskStatus) {
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

    fn host_answers(&mut self, t: i64, a: usize) -> SimResult<()> {
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
        self.state.seen.mark(host_id.as_str(), t);
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
                self.count_skip(ask.party, ask.door, free);
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

    fn resume_if_paused(&mut self, conn: &mut db::DbConn, door: usize) -> SimResult<()> {
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
    fn free_before(&self, conn: &mut db::DbConn, a: usize, t: i64) -> SimResult<i32> {
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

    /// Counts the acceptance of `party` at `door` as a skip when an older
    /// party was still waiting that fitted the door's `free` places and its
    /// needs, within the search radius, and no farther (cell centre to cell
    /// centre) than the accepted party plus 1 km; a party this door had
    /// declined does not count. Also counted apart: skips where such an
    /// older party could still have been asked (fewer live asks than it may
    /// hold, and no host's yes awaiting its own).
    fn count_skip(&mut self, party: usize, door: usize, free: i32) {
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
            let older = !g.request_id.is_empty()
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
fn overbooked(state: &AppState, now: i64) -> Result<usize, AppError> {
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
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        bad += page
            .iter()
            .filter(|o| {
                let h = held.get(o.id.as_str()).copied().unwrap_or(0);
                o.accepted_places > o.capacity || o.accepted_places + h > o.capacity
            })
            .count();
    }
    Ok(bad)
}
