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
//!
//! This file holds the night's state and its loop; the guests' part is in
//! `night/guests.rs`, the hosts' in `night/hosts.rs`, what the platform does
//! for guests in `night/platform.rs`, and the skips and overbookings it
//! measures in `night/checks.rs`.

use super::behaviour::{Answer, GuestModel, HostModel, Policy};
use super::scenario::Scenario;
use crate::clock::Clock;
use crate::domain::ids::{MatchId, OfferId, RequestId};
use crate::error::AppError;
use crate::service::{self, Account};
use crate::state::AppState;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

mod checks;
mod guests;
mod hosts;
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
    pub match_id: MatchId,
    pub at: i64,
    pub expires_at: i64,
    pub answer: Option<Answer>,
    pub status: AskStatus,
    /// made by the platform for the guest (not by the guest's own hand)
    pub by_platform: bool,
    /// the host said yes; the guest's yes is awaited
    pub host_yes: bool,
    /// the host answered it (on its own or in the same visit as another)
    pub answered: bool,
    /// an older party that fitted the door as well had an ask to spare
    /// when this ask was made (`checks.rs`)
    pub older_spare_at_ask: bool,
}

/// A host and its door, once open.
pub struct Host {
    pub account: Account,
    pub offer_id: Option<OfferId>,
    /// the door's published cell centre
    pub cell: (f64, f64),
    rng: StdRng,
}

#[derive(Default)]
pub struct Guest {
    /// set once the party asked for shelter
    pub request_id: Option<RequestId>,
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
    /// host visits, and asks answered in a visit made for another ask
    pub host_visits: usize,
    pub answered_on_visit: usize,
    pub acceptances: usize,
    pub skipping_older: usize,
    /// … of which an older party skipped had an ask to spare (it was not
    /// holding as many live asks as it may, nor awaited on a host's yes)
    pub skipping_older_free: usize,
    /// … of which that older party had one when the accepted ask was made
    pub skipping_older_free_at_ask: usize,
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
    offer_door: HashMap<OfferId, usize>,
    /// match id → ask, request id → party: to follow what the platform does
    ask_of: HashMap<MatchId, usize>,
    party_of: HashMap<RequestId, usize>,
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
            hosts_model: HostModel {
                whole_page: !scenario.params.hosts_one_by_one,
                ..policy.hosts()
            },
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
        crate::service::sweeper::sweep(&self.state).map_err(|e| fail("sweep", e))?;
        self.counters.sweeps += 1;
        self.counters.overbookings +=
            checks::overbooked(&self.state, t).map_err(|e| fail("check", e))?;
        if again {
            self.at(t + self.guests_model.sweep_ms, Ev::Sweep);
        }
        self.sync(t)
    }
}
