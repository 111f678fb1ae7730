//! Candidate ranking. Hard filters first (open now, enough free places
//! counting live holds, within radius, needs met). Then, within a distance
//! band of [`BAND_M`] between the published cell centre and the requester
//! (so nobody is sent a band further for any other reason): hosts who let
//! holds run out or only decline last, then doors that only a larger party
//! could use after the others, then hosts seen lately or quick to answer
//! before the rest (`domain::responsiveness`), then the best capacity fit
//! (smallest sufficient free places), then the exact centre distance,
//! shared languages, and a tie-break that is stable for a request and does
//! not depend on anyone's location.
//!
//! Only published cell centres enter a distance here: the exact point of an
//! offer is not even part of [`OfferSnapshot`].
//!
//! Every offer of one published cell is at the same distance from a query,
//! so inside a cell the order before the tie-break is decided by the offer's
//! [`Rung`] (slow host, large door, tier, free places), the same for every
//! party size: the candidate index keeps each cell's offers in rung order and
//! stops reading a cell at the first rung that can no longer enter
//! ([`Best::closed_from`]).

use super::Millis;
use super::distance::metres_between;
use super::ids::{AccountId, MatchId, OfferId, RequestId};
use super::privacy::PublicCell;
use super::responsiveness::{HostRecord, SEEN_RECENTLY, Tier};
use super::safeguarding::Rules;
use super::values::{Accommodates, Languages, Needs};
use std::cmp::Ordering;

mod best;
pub use best::{Best, TieKey, id_key};

/// Places held by a live proposal until `expires_at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    pub match_id: MatchId,
    pub places: i32,
    pub expires_at: Millis,
}

/// What the matcher knows of an offer: everything public, nothing exact.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferSnapshot {
    pub id: OfferId,
    pub host_id: AccountId,
    pub open: bool,
    pub capacity: i32,
    pub accepted: i32,
    pub holds: Vec<Hold>,
    pub cell: PublicCell,
    pub available_from: Millis,
    pub available_until: Millis,
    pub accommodates: Accommodates,
    pub languages: Languages,
    /// the host's identity was seen by a coordinator
    pub host_verified: bool,
    /// how the host answers (never shown, only used to order a band)
    pub host: HostRecord,
}

/// What the filters and the order read of one offer: a snapshot's fields,
/// or the candidate index's compact copy of them.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub id: &'a str,
    pub open: bool,
    pub capacity: i32,
    pub accepted: i32,
    pub holds: &'a [Hold],
    pub available_from: Millis,
    pub available_until: Millis,
    pub accommodates: Accommodates,
    pub host_verified: bool,
    pub host: &'a HostRecord,
    pub languages: &'a Languages,
}

impl Facts<'_> {
    /// Free places at `now`: a hold stops counting the instant it expires,
    /// whether or not a sweeper has marked it expired yet.
    pub fn remaining(&self, now: Millis) -> i32 {
        let held: i32 = self
            .holds
            .iter()
            .filter(|h| h.expires_at > now)
            .map(|h| h.places)
            .sum();
        (self.capacity - self.accepted - held).max(0)
    }

    pub fn available_at(&self, now: Millis) -> bool {
        self.open && self.available_from <= now && now < self.available_until
    }
}

impl OfferSnapshot {
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            id: self.id.as_str(),
            open: self.open,
            capacity: self.capacity,
            accepted: self.accepted,
            holds: &self.holds,
            available_from: self.available_from,
            available_until: self.available_until,
            accommodates: self.accommodates,
            host_verified: self.host_verified,
            host: &self.host,
            languages: &self.languages,
        }
    }

    /// See [`Facts::remaining`].
    pub fn remaining(&self, now: Millis) -> i32 {
        self.facts().remaining(now)
    }

    pub fn available_at(&self, now: Millis) -> bool {
        self.facts().available_at(now)
    }
}

/// A guest's search.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub request_id: &'a str,
    pub lat: f64,
    pub lon: f64,
    pub party_size: i32,
    pub needs: Needs,
    pub languages: &'a Languages,
    pub radius_m: f64,
    pub limit: usize,
    pub now: Millis,
    pub rules: Rules,
}

/// Width of the distance bands inside which other criteria may reorder.
pub const BAND_M: f64 = 1_000.0;

/// Smallest party that needs a "large" door (see [`Ranked::large_door`]).
pub const LARGE_PARTY: i32 = 3;

/// Fair to larger parties: a door that opened less than `reserve` ago and
/// has room for a large party may be kept for large parties when the
/// platform asks on a small party's behalf (`service::auto_ask` keeps it
/// only while such a party waits nearby). Once the reserve has passed,
/// anyone may have it.
/// `large_door` is [`Ranked::large_door`]; `opened_at` when the door was
/// made or its window began, whichever is later.
pub fn kept_for_larger(large_door: bool, opened_at: Millis, now: Millis, reserve: Millis) -> bool {
    large_door && now.saturating_sub(opened_at) < reserve
}

/// A small party taking a door with `remaining` places would take places
/// only a large party can use ([`Ranked::large_door`]).
pub fn is_large_door(party_size: i32, remaining: i32) -> bool {
    party_size < LARGE_PARTY && remaining >= LARGE_PARTY
}

pub fn band_of(distance_m: f64) -> u32 {
    // distances are at most a few thousand km: the cast cannot overflow
    (distance_m / BAND_M).floor() as u32
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a> {
    pub offer: &'a OfferSnapshot,
    pub distance_m: f64,
    pub remaining: i32,
    band: u32,
    /// a small party would take places only a large party can use
    large_door: bool,
    pub tier: Tier,
    shared_languages: usize,
    tie: u64,
}

/// How one passing offer ranks for one query: everything [`compare`] reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub distance_m: f64,
    pub remaining: i32,
    band: u32,
    large_door: bool,
    pub tier: Tier,
    shared_languages: usize,
    tie: u64,
}

impl<'a> Ranked<'a> {
    pub fn new(offer: &'a OfferSnapshot, s: Score) -> Self {
        Self {
            offer,
            distance_m: s.distance_m,
            remaining: s.remaining,
            band: s.band,
            large_door: s.large_door,
            tier: s.tier,
            shared_languages: s.shared_languages,
            tie: s.tie,
        }
    }

    /// The party is small and the door has room for a large one: the
    /// small party would take places only a large party can use.
    pub fn large_door(&self) -> bool {
        self.large_door
    }

    pub fn score(&self) -> Score {
        Score {
            distance_m: self.distance_m,
            remaining: self.remaining,
            band: self.band,
            large_door: self.large_door,
            tier: self.tier,
            shared_languages: self.shared_languages,
            tie: self.tie,
        }
    }
}

/// Distance from the query to the offer's published centre, if it passes
/// every hard filter.
pub fn evaluate<'a>(offer: &'a OfferSnapshot, q: &Query<'_>) -> Option<Ranked<'a>> {
    let d = metres_between(q.lat, q.lon, offer.cell.lat, offer.cell.lon);
    evaluate_at(offer, d, q)
}

/// As [`evaluate`], with the distance already known (one per cell).
pub fn evaluate_at<'a>(
    offer: &'a OfferSnapshot,
    distance_m: f64,
    q: &Query<'_>,
) -> Option<Ranked<'a>> {
    score(&offer.facts(), distance_m, q, TieKey::new(q.request_id)).map(|s| Ranked::new(offer, s))
}

/// The hard filters and the order's criteria for one offer at a known
/// distance; `tie` is [`TieKey::new`] of the query's request.
pub fn score(f: &Facts<'_>, distance_m: f64, q: &Query<'_>, tie: TieKey) -> Option<Score> {
    if distance_m > q.radius_m
        || !f.available_at(q.now)
        || !f.accommodates.meets(&q.needs)
        || !q
            .rules
            .allows(f.accommodates.women_only, f.host_verified, &q.needs)
    {
        return None;
    }
    let remaining = f.remaining(q.now);
    if remaining < q.party_size {
        return None;
    }
    Some(Score {
        distance_m,
        remaining,
        band: band_of(distance_m),
        large_door: is_large_door(q.party_size, remaining),
        tier: f.host.tier(q.now),
        shared_languages: f.languages.shared_with(q.languages),
        tie: tie.with(f.id),
    })
}

/// The full ordering of two passing offers for one request.
pub fn compare(a: &Ranked<'_>, b: &Ranked<'_>, party_size: i32) -> Ordering {
    compare_scores(&a.score(), &b.score(), party_size)
}

/// [`compare`] on scores.
pub fn compare_scores(a: &Score, b: &Score, party_size: i32) -> Ordering {
    a.band
        .cmp(&b.band)
        .then((a.tier == Tier::Slow).cmp(&(b.tier == Tier::Slow)))
        .then(a.large_door.cmp(&b.large_door))
        .then(a.tier.cmp(&b.tier))
        .then((a.remaining - party_size).cmp(&(b.remaining - party_size)))
        .then(a.distance_m.total_cmp(&b.distance_m))
        .then(b.shared_languages.cmp(&a.shared_languages))
        .then(a.tie.cmp(&b.tie))
}

/// Where an offer stands among the offers of one published cell (one
/// distance) for a party of any size: the order's criteria before the
/// distance, as far as the offer alone decides them. For every party, an
/// offer of a later rung that passes the filters ranks after (or level with,
/// up to languages and the tie-break) a passing offer of an earlier rung.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rung {
    slow: bool,
    /// enough places for a large party
    large: bool,
    tier: Tier,
    remaining: i32,
}

impl Rung {
    /// Whether an offer of this rung has places for a party of this size.
    pub fn fits(self, party_size: i32) -> bool {
        self.remaining >= party_size
    }

    /// The offer's rung for every query at `now` or later — `None` when it
    /// may still change on its own: a live hold will run out, or the host's
    /// tier will fall when their last visit ages.
    pub fn settled(f: &Facts<'_>, now: Millis) -> Option<Rung> {
        if f.holds.iter().any(|h| h.expires_at > now) {
            return None;
        }
        let tier = f.host.tier(now);
        // the tier changes at most once, when the last visit stops counting
        let later = f
            .host
            .seen_at
            .map_or(now, |s| s.max(now))
            .saturating_add(SEEN_RECENTLY)
            .saturating_add(1);
        if f.host.tier(later) != tier {
            return None;
        }
        let remaining = f.remaining(now);
        Some(Rung {
            slow: tier == Tier::Slow,
            large: remaining >= LARGE_PARTY,
            tier,
            remaining,
        })
    }
}

/// Stable per (request, offer) pair, independent of any position, so that
/// equal offers are not always shown in the same order to everyone and the
/// order leaks nothing (see [`TieKey`]).
pub fn tie_break(request_id: &str, other_id: &str) -> u64 {
    TieKey::new(request_id).with(other_id)
}

/// Collects the best `q.limit` candidates from offers yielded in
/// non-decreasing distance of their published centre. Keeps only the best
/// `limit` so far (sorted), and stops as soon as no later offer can enter:
/// once `limit` are held and the next offer is in a farther band than the
/// last of them (the ordering is band first, and bands only grow with
/// distance).
pub fn best_nearest_first<'a, I>(nearest_first: I, q: &Query<'_>) -> Vec<Ranked<'a>>
where
    I: IntoIterator<Item = (f64, &'a OfferSnapshot)>,
{
    let tie = TieKey::new(q.request_id);
    let mut best = Best::new(q);
    for (d, offer) in nearest_first {
        if d > q.radius_m || best.closed_at(d) {
            break;
        }
        if let Some(s) = score(&offer.facts(), d, q, tie) {
            best.offer(s, offer);
        }
    }
    best.into_vec()
        .into_iter()
        .map(|(s, o)| Ranked::new(o, s))
        .collect()
}

/// Reference implementation over all offers, in any order: used by tests and
/// benchmarks to check the indexed search.
pub fn best_by_scan<'a, I>(offers: I, q: &Query<'_>) -> Vec<Ranked<'a>>
where
    I: IntoIterator<Item = &'a OfferSnapshot>,
{
    let mut out: Vec<Ranked<'a>> = offers.into_iter().filter_map(|o| evaluate(o, q)).collect();
    out.sort_by(|a, b| compare(a, b, q.party_size));
    out.truncate(q.limit);
    out
}

/// A waiting request as a host may see it: published cell, never the point.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSnapshot {
    pub id: RequestId,
    pub cell: PublicCell,
    pub party_size: i32,
    pub needs: Needs,
    pub languages: Languages,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct RankedRequest {
    pub request: RequestSnapshot,
    pub distance_m: f64,
}

/// The host's mirror view: waiting requests this offer could take, by
/// distance band (centre to centre), then the party that best fills the free
/// places, then the longest wait (so a newcomer does not pass an older party
/// that fits as well), then shared languages.
pub fn rank_requests(
    offer: &OfferSnapshot,
    remaining: i32,
    requests: Vec<RequestSnapshot>,
    radius_m: f64,
    limit: usize,
    rules: &Rules,
) -> Vec<RankedRequest> {
    let mut out: Vec<(RankedRequest, usize, u64)> = requests
        .into_iter()
        .filter(|r| {
            r.party_size <= remaining
                && offer.accommodates.meets(&r.needs)
                && rules.allows(offer.accommodates.women_only, offer.host_verified, &r.needs)
        })
        .filter_map(|r| {
            let d = metres_between(offer.cell.lat, offer.cell.lon, r.cell.lat, r.cell.lon);
            (d <= radius_m).then(|| {
                let shared = r.languages.shared_with(&offer.languages);
                let tie = tie_break(offer.id.as_str(), &r.id);
                (
                    RankedRequest {
                        request: r,
                        distance_m: d,
                    },
                    shared,
                    tie,
                )
            })
        })
        .collect();
    out.sort_by(|(a, sa, ta), (b, sb, tb)| {
        band_of(a.distance_m)
            .cmp(&band_of(b.distance_m))
            .then((remaining - a.request.party_size).cmp(&(remaining - b.request.party_size)))
            .then(a.request.created_at.cmp(&b.request.created_at))
            .then(sb.cmp(sa))
            .then(a.distance_m.total_cmp(&b.distance_m))
            .then(ta.cmp(tb))
    });
    out.truncate(limit);
    out.into_iter().map(|(r, _, _)| r).collect()
}

#[cfg(test)]
mod tests;
