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

use super::Millis;
use super::distance::metres_between;
use super::ids::{AccountId, MatchId, OfferId};
use super::privacy::PublicCell;
use super::responsiveness::{HostRecord, Tier};
use super::safeguarding::Rules;
use super::values::{Accommodates, Languages, Needs};
use std::cmp::Ordering;

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

impl OfferSnapshot {
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

/// Smallest party that needs a "large" door (see [`Ranked::spares`]).
pub const LARGE_PARTY: i32 = 3;

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
    if distance_m > q.radius_m
        || !offer.available_at(q.now)
        || !offer.accommodates.meets(&q.needs)
        || !q
            .rules
            .allows(offer.accommodates.women_only, offer.host_verified, &q.needs)
    {
        return None;
    }
    let remaining = offer.remaining(q.now);
    if remaining < q.party_size {
        return None;
    }
    Some(Ranked {
        distance_m,
        remaining,
        band: band_of(distance_m),
        large_door: q.party_size < LARGE_PARTY && remaining >= LARGE_PARTY,
        tier: offer.host.tier(q.now),
        shared_languages: offer.languages.shared_with(q.languages),
        tie: tie_break(q.request_id, offer.id.as_str()),
        offer,
    })
}

/// The full ordering of two passing offers for one request.
pub fn compare(a: &Ranked<'_>, b: &Ranked<'_>, party_size: i32) -> Ordering {
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

/// Stable per (request, offer) pair, independent of any position, so that
/// equal offers are not always shown in the same order to everyone and the
/// order leaks nothing. FNV-1a with a strong final mix: cheap enough to run
/// on every offer of a dense cell.
pub fn tie_break(request_id: &str, other_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in request_id
        .bytes()
        .chain(std::iter::once(0))
        .chain(other_id.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // splitmix64 finaliser
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
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
    let mut best: Vec<Ranked<'a>> = Vec::with_capacity(q.limit + 1);
    for (d, offer) in nearest_first {
        let full = best.len() >= q.limit;
        if d > q.radius_m || (full && best.last().is_some_and(|w| band_of(d) > w.band)) {
            break;
        }
        let Some(r) = evaluate_at(offer, d, q) else {
            continue;
        };
        let at = best.partition_point(|k| compare(k, &r, q.party_size) == Ordering::Less);
        if at < q.limit {
            best.insert(at, r);
            best.truncate(q.limit);
        }
    }
    best
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
    pub id: String,
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
mod tests {
    use super::*;
    use crate::domain::privacy::PrivacyGrid;
    use crate::domain::values::Coordinates;
    use proptest::prelude::*;

    const NOW: Millis = 1_800_000_000_000;

    fn offer(i: usize, lat: f64, lon: f64, capacity: i32) -> OfferSnapshot {
        let grid = PrivacyGrid::new(500, b"k");
        let host = format!("acc_{i}");
        OfferSnapshot {
            id: OfferId::from_db(format!("off_{i}")),
            host_id: AccountId::from_db(host.clone()),
            open: true,
            capacity,
            accepted: 0,
            holds: vec![],
            cell: grid.publish(Coordinates::new(lat, lon).unwrap(), &host),
            available_from: NOW - 1000,
            available_until: NOW + 3_600_000,
            accommodates: Accommodates::default(),
            languages: Languages::from_db("fr"),
            host_verified: false,
            host: HostRecord::default(),
        }
    }

    fn query(langs: &Languages) -> Query<'_> {
        Query {
            request_id: "req_x",
            lat: 48.8566,
            lon: 2.3522,
            party_size: 2,
            needs: Needs::default(),
            languages: langs,
            radius_m: 10_000.0,
            limit: 10,
            now: NOW,
            rules: Rules::default(),
        }
    }

    #[test]
    fn expired_holds_stop_counting_at_once() {
        let mut o = offer(1, 48.85, 2.35, 4);
        o.holds.push(Hold {
            match_id: MatchId::from_db("m".into()),
            places: 3,
            expires_at: NOW + 1,
        });
        assert_eq!(o.remaining(NOW), 1);
        assert_eq!(o.remaining(NOW + 1), 4);
    }

    #[test]
    fn hard_filters() {
        let langs = Languages::default();
        let q = query(&langs);
        let mut closed = offer(1, 48.8566, 2.3522, 4);
        closed.open = false;
        assert!(evaluate(&closed, &q).is_none());
        let mut later = offer(2, 48.8566, 2.3522, 4);
        later.available_from = NOW + 1;
        assert!(evaluate(&later, &q).is_none());
        let mut ended = offer(3, 48.8566, 2.3522, 4);
        ended.available_until = NOW;
        assert!(evaluate(&ended, &q).is_none());
        assert!(
            evaluate(&offer(4, 48.8566, 2.3522, 1), &q).is_none(),
            "too small"
        );
        assert!(
            evaluate(&offer(5, 49.5, 2.3522, 4), &q).is_none(),
            "too far"
        );
        let mut pets = q.clone();
        pets.needs.pets = true;
        assert!(evaluate(&offer(6, 48.8566, 2.3522, 4), &pets).is_none());
        assert!(evaluate(&offer(7, 48.8566, 2.3522, 4), &q).is_some());
    }

    #[test]
    fn same_cell_prefers_the_tightest_fit_then_languages() {
        let langs = Languages::from_db("ar");
        let q = query(&langs);
        let mut a = offer(1, 48.8566, 2.3522, 10);
        let mut b = offer(2, 48.8566, 2.3522, 3);
        let mut c = offer(3, 48.8566, 2.3522, 3);
        // put them all in one cell, as if the same host offered them
        b.cell = a.cell.clone();
        c.cell = a.cell.clone();
        c.languages = Languages::from_db("ar,fr");
        a.languages = Languages::from_db("ar");
        let ranked = best_by_scan([&a, &b, &c], &q);
        let ids: Vec<_> = ranked.iter().map(|r| r.offer.id.as_str()).collect();
        assert_eq!(ids, ["off_3", "off_2", "off_1"]);
    }

    #[test]
    fn answering_hosts_first_but_never_a_band_further() {
        let langs = Languages::default();
        let q = query(&langs);
        let mut silent = offer(1, 48.8566, 2.3522, 2);
        silent.host.expired = 1;
        let mut fresh = offer(2, 48.8566, 2.3522, 2);
        let mut present = offer(3, 48.8566, 2.3522, 2);
        present.host.seen_at = Some(NOW - 60_000);
        // one cell, one distance
        fresh.cell = silent.cell.clone();
        present.cell = silent.cell.clone();
        let mut far_present = offer(4, 48.8566 + 0.03, 2.3522, 2);
        far_present.host.seen_at = Some(NOW);
        let ranked = best_by_scan([&silent, &fresh, &present, &far_present], &q);
        let ids: Vec<_> = ranked.iter().map(|r| r.offer.id.as_str()).collect();
        assert_eq!(ids, ["off_3", "off_2", "off_1", "off_4"]);
        assert!(ranked[3].distance_m > 3_000.0);
    }

    #[test]
    fn small_parties_leave_large_doors_in_their_band() {
        let langs = Languages::default();
        let mut q = query(&langs);
        q.party_size = 1;
        // the large door is a little nearer, in the same band
        let large = offer(1, 48.8566, 2.3522, 4);
        let small = offer(2, 48.8566 + 0.004, 2.3522, 1);
        let ranked = best_by_scan([&large, &small], &q);
        let ids: Vec<_> = ranked.iter().map(|r| r.offer.id.as_str()).collect();
        assert_eq!(ids, ["off_2", "off_1"]);
        // a party of three goes to the large door
        q.party_size = 3;
        let ranked = best_by_scan([&large, &small], &q);
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].offer.id.as_str(), "off_1");
    }

    #[test]
    fn mirror_view_filters_and_orders() {
        let o = offer(1, 48.8566, 2.3522, 4);
        let grid = PrivacyGrid::new(500, b"k");
        let mk = |id: &str, lat: f64, size: i32, at: Millis| RequestSnapshot {
            id: id.into(),
            cell: grid.publish(Coordinates::new(lat, 2.3522).unwrap(), id),
            party_size: size,
            needs: Needs::default(),
            languages: Languages::default(),
            created_at: at,
        };
        let reqs = vec![
            mk("far", 48.95, 1, 0),
            mk("big", 48.8566, 5, 0),
            mk("near", 48.8566, 2, 5),
        ];
        let ranked = rank_requests(&o, 4, reqs, 50_000.0, 10, &Rules::default());
        let ids: Vec<_> = ranked.iter().map(|r| r.request.id.as_str()).collect();
        assert_eq!(ids, ["near", "far"]);
    }

    proptest! {
        /// Nearest-first with early stop gives exactly the scan's answer.
        #[test]
        fn nearest_first_equals_scan(
            pts in prop::collection::vec((48.80f64..48.92, 2.25f64..2.45, 1i32..6, any::<bool>()), 0..120),
            limit in 1usize..12,
            party in 1i32..4,
            radius in 500.0f64..8000.0,
        ) {
            let offers: Vec<OfferSnapshot> = pts.iter().enumerate().map(|(i, (la, lo, cap, open))| {
                let mut o = offer(i, *la, *lo, *cap);
                o.open = *open;
                o
            }).collect();
            let langs = Languages::default();
            let mut q = query(&langs);
            q.limit = limit;
            q.party_size = party;
            q.radius_m = radius;
            let mut sorted: Vec<&OfferSnapshot> = offers.iter().collect();
            sorted.sort_by(|a, b| metres_between(q.lat, q.lon, a.cell.lat, a.cell.lon)
                .total_cmp(&metres_between(q.lat, q.lon, b.cell.lat, b.cell.lon)));
            let fast = best_nearest_first(sorted.into_iter().map(|o| (metres_between(q.lat, q.lon, o.cell.lat, o.cell.lon), o)), &q);
            let slow = best_by_scan(offers.iter(), &q);
            prop_assert_eq!(fast, slow);
        }
    }
}
