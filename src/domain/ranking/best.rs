//! The pieces of a nearest-first search: the tie-break's request half hashed
//! once, and the best candidates kept so far with the tests that end a
//! search (or the reading of a cell) early.

use super::{LARGE_PARTY, Query, Rung, Score, band_of, compare_scores};
use crate::domain::responsiveness::Tier;
use std::cmp::Ordering;

/// The tie-break of one search: the request's key, hashed once.
///
/// Every ID has a key (FNV-1a with a strong final mix); an offer's tie for a
/// request is its key minus the request's, wrapping. So each request sees
/// equal offers in a rotation of one order that starts at a point of its
/// own: stable for the request, different from one request to the next, and
/// independent of anyone's location. A rotation can be read from its start
/// in the key order the index keeps, so a search stops after the first few
/// offers of a tied group instead of hashing every one.
#[derive(Debug, Clone, Copy)]
pub struct TieKey(u64);

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// An ID's place in the tie-break order.
pub fn id_key(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    // splitmix64 finaliser
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl TieKey {
    pub fn new(request_id: &str) -> Self {
        Self(id_key(request_id))
    }

    /// Where the rotation starts: the first key it reaches.
    pub fn start(self) -> u64 {
        self.0
    }

    /// The tie of the ID whose key is `key`.
    pub fn of_key(self, key: u64) -> u64 {
        key.wrapping_sub(self.0)
    }

    pub fn with(self, other_id: &str) -> u64 {
        self.of_key(id_key(other_id))
    }
}

/// The best `limit` candidates offered so far, best first.
pub struct Best<T> {
    items: Vec<(Score, T)>,
    limit: usize,
    party_size: i32,
}

impl<T> Best<T> {
    pub fn new(q: &Query<'_>) -> Self {
        Self {
            items: Vec::with_capacity(q.limit + 1),
            limit: q.limit,
            party_size: q.party_size,
        }
    }

    /// The worst kept, once `limit` are kept.
    fn last_if_full(&self) -> Option<&Score> {
        (self.items.len() >= self.limit)
            .then(|| self.items.last().map(|(s, _)| s))
            .flatten()
    }

    /// No offer at `distance_m` or farther can enter any more (the order
    /// is band first, and bands only grow with distance).
    pub fn closed_at(&self, distance_m: f64) -> bool {
        self.last_if_full()
            .is_some_and(|w| band_of(distance_m) > w.band)
    }

    /// No offer at `distance_m` whose rung is `rung` or a later one can
    /// enter any more.
    pub fn closed_from(&self, rung: Rung, distance_m: f64) -> bool {
        let p = self.party_size;
        if rung.remaining < p {
            // such an offer fails the filters; later rungs are not bounded by it
            return false;
        }
        self.last_if_full().is_some_and(|w| {
            w.band
                .cmp(&band_of(distance_m))
                .then((w.tier == Tier::Slow).cmp(&rung.slow))
                .then(w.large_door.cmp(&(p < LARGE_PARTY && rung.large)))
                .then(w.tier.cmp(&rung.tier))
                .then((w.remaining - p).cmp(&(rung.remaining - p)))
                .then(w.distance_m.total_cmp(&distance_m))
                == Ordering::Less
        })
    }

    /// No offer at `distance_m` of rung `rung` sharing at most
    /// `shared_at_most` languages with the query and tied at `tie` or later
    /// can enter any more.
    pub fn closed_at_tie(
        &self,
        rung: Rung,
        distance_m: f64,
        shared_at_most: usize,
        tie: u64,
    ) -> bool {
        let p = self.party_size;
        let at_best = Score {
            distance_m,
            remaining: rung.remaining,
            band: band_of(distance_m),
            large_door: p < LARGE_PARTY && rung.large,
            tier: rung.tier,
            shared_languages: shared_at_most,
            tie,
        };
        self.last_if_full()
            .is_some_and(|w| compare_scores(w, &at_best, p) == Ordering::Less)
    }

    pub fn offer(&mut self, s: Score, item: T) {
        let at = self
            .items
            .partition_point(|(k, _)| compare_scores(k, &s, self.party_size) == Ordering::Less);
        if at < self.limit {
            self.items.insert(at, (s, item));
            self.items.truncate(self.limit);
        }
    }

    pub fn into_vec(self) -> Vec<(Score, T)> {
        self.items
    }
}
