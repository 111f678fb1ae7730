//! The offline upper bound: how many persons any matcher could have placed
//! on this scenario, knowing everything in advance.
//!
//! It is a max-flow relaxation: source → each party (capacity: its size) →
//! each compatible door (capacity: the party's size) → sink (capacity: the
//! door's places). A party may be split across doors and time is ignored
//! (every party may use every door of the night), so no real placement can
//! beat it: persons placed ≤ the flow. "Compatible" is what the product
//! itself would allow on a night where every proposal is answered: the host
//! accepts at all (not silent, not declining everything), the door meets the
//! party's needs and has at least its size in places, and the door's
//! published cell centre is within the search radius of the party.
//!
//! Its time counterpart, [`earliest_accepted`]: the earliest each party
//! could have an accepted place, ignoring every other party (no
//! competition for places, every ask sent at the best instant to the best
//! door), so no real night can place any party sooner.

mod flow;
pub mod walk;

use flow::Flow;

/// The time counterpart of the persons bound: for each party, the fewest
/// milliseconds from its arrival to an accepted place, ignoring competition
/// between parties. For party `i` it is the minimum, over the doors `j` it
/// is compatible with (`edges`, the persons bound's pairs), of
/// `max(arrivals[i], from) + answer − arrivals[i]`, where `doors[j]` is
/// `(from, answer)` ([`door_timing`]): no ask on that door is accepted
/// before `from`, nor sooner than `answer` after it was made (`None`: the
/// host never accepts). `None` for a party with no compatible door (never
/// placed, ∞).
///
/// No night can beat it for any party: an ask cannot be made before the
/// party arrives, and [`door_timing`] says when the host can accept it at
/// the soonest. It leaves out the guest's own steps (reading the
/// page, confirming), the hold running out before a slow host answers, and
/// the places other parties take, so it is optimistic, never pessimistic.
pub fn earliest_accepted(
    arrivals: &[i64],
    doors: &[(i64, Option<i64>)],
    edges: &[(usize, usize)],
) -> Vec<Option<i64>> {
    let mut best: Vec<Option<i64>> = vec![None; arrivals.len()];
    for &(i, j) in edges {
        let (opens, Some(fastest)) = doors[j] else {
            continue;
        };
        let at = arrivals[i];
        let wait = at.max(opens) + fastest - at;
        if best[i].is_none_or(|b| wait < b) {
            best[i] = Some(wait);
        }
    }
    best
}

/// When a door's host can accept an ask at the soonest, for
/// [`earliest_accepted`]: `(from, answer)` for a door that opens at `opens`
/// whose host's quickest answer is `quickest` (`None`: never accepts).
/// A host who answers each ask on its own (`whole_page` false) answers it
/// `quickest` after it was made, which is after the door opened:
/// `(opens, quickest)`. A host whose visit answers every live ask on the
/// page (`whole_page`) may accept an ask the moment it is made, during a
/// visit for another one; but their first visit comes at least `quickest`
/// after the first ask, made at the door's opening at the soonest:
/// `(opens + quickest, 0)`. (Until the fourteenth session the whole-page
/// model had the first rule, which is not a bound for it.)
pub fn door_timing(opens: i64, quickest: Option<i64>, whole_page: bool) -> (i64, Option<i64>) {
    match quickest {
        Some(q) if whole_page => (opens + q, Some(0)),
        q => (opens, q),
    }
}

/// Each compatible pair's wait, in ms from the party's arrival, by
/// [`earliest_accepted`]'s rule: (party, door, wait), for doors whose host
/// accepts at all.
pub fn waits(
    arrivals: &[i64],
    doors: &[(i64, Option<i64>)],
    edges: &[(usize, usize)],
) -> Vec<(usize, usize, i64)> {
    edges
        .iter()
        .filter_map(|&(i, j)| {
            let (opens, fastest) = doors[j];
            let at = arrivals[i];
            fastest.map(|f| (i, j, at.max(opens) + f - at))
        })
        .collect()
}

/// With competition for places: how many parties at most could each have
/// an accepted place within `limit_ms` of arriving. Max flow source → party
/// (1) → door (1, only where the party's wait for that door, from
/// [`earliest_accepted`]'s rule, is ≤ `limit_ms`) → sink (the door's
/// places). A party counts as taking one place (it takes at least one), so
/// this is an upper bound on the parties any night places that fast.
/// `waits` holds (party, door, wait in ms) for the compatible pairs.
pub fn parties_within(
    parties: usize,
    places: &[i64],
    waits: &[(usize, usize, i64)],
    limit_ms: i64,
) -> i64 {
    let d = places.len();
    let (source, sink) = (parties + d, parties + d + 1);
    let mut g = Flow::new(parties + d + 2);
    let mut reached = vec![false; parties];
    for &(i, j, w) in waits {
        if w <= limit_ms {
            reached[i] = true;
            g.edge(i, parties + j, 1);
        }
    }
    for (i, &r) in reached.iter().enumerate() {
        if r {
            g.edge(source, i, 1);
        }
    }
    for (j, &cap) in places.iter().enumerate() {
        g.edge(parties + j, sink, cap);
    }
    g.max_flow(source, sink)
}

/// A lower bound, with competition for places, on the `need`-th shortest
/// time to an accepted place of any night: the largest `k × step_ms` (up
/// to `max_ms`) at which fewer than `need` parties could be placed
/// ([`parties_within`]), so the `need`-th placed party waited longer than
/// that. `None` when even `max_ms` is not enough for `need` parties (no
/// night places them all within it); `Some(0)` when `need` is 0.
pub fn need_th_time(
    parties: usize,
    places: &[i64],
    waits: &[(usize, usize, i64)],
    need: i64,
    step_ms: i64,
    max_ms: i64,
) -> Option<i64> {
    let steps = max_ms / step_ms;
    let fits = |k: i64| parties_within(parties, places, waits, k * step_ms) >= need;
    if need <= 0 || fits(0) {
        return Some(0);
    }
    if !fits(steps) {
        return None;
    }
    // fits(lo) is false, fits(hi) is true
    let (mut lo, mut hi) = (0, steps);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(lo * step_ms)
}

/// A bipartite instance: party sizes, door places, and compatible pairs
/// (party index, door index).
#[derive(Debug, Clone, Default)]
pub struct Instance {
    pub parties: Vec<i64>,
    pub doors: Vec<i64>,
    pub edges: Vec<(usize, usize)>,
}

impl Instance {
    /// Persons placeable at most.
    pub fn max_persons(&self) -> i64 {
        self.max_persons_where(|_| true)
    }

    /// The bound with only the parties that pass `keep` (e.g. one party
    /// size: what supply allows that size if it came first).
    pub fn max_persons_where(&self, keep: impl Fn(usize) -> bool) -> i64 {
        let p = self.parties.len();
        let d = self.doors.len();
        let (source, sink) = (p + d, p + d + 1);
        let mut g = Flow::new(p + d + 2);
        for (i, &size) in self.parties.iter().enumerate() {
            if keep(i) {
                g.edge(source, i, size);
            }
        }
        for &(i, j) in &self.edges {
            if keep(i) {
                g.edge(i, p + j, self.parties[i]);
            }
        }
        for (j, &cap) in self.doors.iter().enumerate() {
            g.edge(p + j, sink, cap);
        }
        g.max_flow(source, sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_night_by_hand() {
        // parties of 3, 1, 2; doors of 2 and 3 places.
        // party 0 (3) fits only door 1; party 1 (1) fits both; party 2 (2)
        // fits only door 1. Door 1 (3) can take party 0, or party 2 and one
        // more person; door 0 (2) can take only party 1. Best: 1 + 3 = 4.
        let inst = Instance {
            parties: vec![3, 1, 2],
            doors: vec![2, 3],
            edges: vec![(0, 1), (1, 0), (1, 1), (2, 1)],
        };
        assert_eq!(inst.max_persons(), 4);
        // by size: alone, the party of 3 can place 3; the party of 1, 1
        assert_eq!(inst.max_persons_where(|i| inst.parties[i] == 3), 3);
        assert_eq!(inst.max_persons_where(|i| inst.parties[i] == 1), 1);
        assert_eq!(inst.max_persons_where(|i| inst.parties[i] == 2), 2);
    }

    #[test]
    fn the_relaxation_may_split_a_party() {
        // a party of 4 and two doors of 2: the relaxation places 4 although
        // no real placement places anyone (the bound is an upper bound)
        let inst = Instance {
            parties: vec![4],
            doors: vec![2, 2],
            edges: vec![(0, 0), (0, 1)],
        };
        assert_eq!(inst.max_persons(), 4);
    }

    #[test]
    fn no_edges_no_flow_and_capacity_caps() {
        let none = Instance {
            parties: vec![1, 2],
            doors: vec![4],
            edges: vec![],
        };
        assert_eq!(none.max_persons(), 0);
        let many = Instance {
            parties: vec![1; 10],
            doors: vec![3, 2],
            edges: (0..10).flat_map(|i| [(i, 0), (i, 1)]).collect(),
        };
        assert_eq!(many.max_persons(), 5);
    }

    #[test]
    fn earliest_acceptance_by_hand() {
        // party 0 arrives at 10 min; door 0 is open from the start with a
        // 4-min host, door 1 opens at 12 min with a 1-min host: 14 vs 13 →
        // door 1, 3 min after arrival. Party 1 arrives at 20 min: door 1 is
        // open, 1 min. Party 2 fits only door 2, whose host never accepts:
        // never. Party 3 has no compatible door at all: never.
        let m = 60_000;
        let arrivals = [10 * m, 20 * m, 0, 5 * m];
        let doors = [(0, Some(4 * m)), (12 * m, Some(m)), (0, None)];
        let edges = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)];
        assert_eq!(
            earliest_accepted(&arrivals, &doors, &edges),
            vec![Some(3 * m), Some(m), None, None]
        );
    }

    #[test]
    fn with_competition_the_fast_places_run_out() {
        let m = 60_000;
        // three parties all 1 min from the one fast door (2 places), and
        // 10 min from a slow door (1 place)
        let waits = [
            (0, 0, m),
            (1, 0, m),
            (2, 0, m),
            (0, 1, 10 * m),
            (1, 1, 10 * m),
            (2, 1, 10 * m),
        ];
        let places = [2, 1];
        assert_eq!(parties_within(3, &places, &waits, 0), 0);
        assert_eq!(parties_within(3, &places, &waits, m), 2);
        assert_eq!(parties_within(3, &places, &waits, 10 * m), 3);
        // the 2nd fastest party cannot be placed in under 1 min; the 3rd
        // not in under 10 min (bounds on the grid of 30 s: just below)
        let step = 30_000;
        assert_eq!(
            need_th_time(3, &places, &waits, 2, step, 60 * m),
            Some(m - step)
        );
        assert_eq!(
            need_th_time(3, &places, &waits, 3, step, 60 * m),
            Some(10 * m - step)
        );
        assert_eq!(need_th_time(3, &places, &waits, 4, step, 60 * m), None);
        assert_eq!(need_th_time(3, &places, &waits, 0, step, 60 * m), Some(0));
        // without competition each of them would be at 1 min
        let doors = [(0, Some(m)), (0, Some(10 * m))];
        let edges: Vec<(usize, usize)> = waits.iter().map(|w| (w.0, w.1)).collect();
        assert_eq!(
            earliest_accepted(&[0, 0, 0], &doors, &edges),
            vec![Some(m); 3]
        );
    }

    #[test]
    fn a_visit_that_answers_the_whole_page_can_accept_at_once() {
        // a door open at 0 whose host answers in 5 min at the soonest
        let m = 60_000;
        let one_by_one = [door_timing(0, Some(5 * m), false)];
        let whole_page = [door_timing(0, Some(5 * m), true)];
        let at = [2 * m, 10 * m];
        let edges = [(0, 0), (1, 0)];
        // each ask on its own: 5 min after it, whenever it is made
        assert_eq!(
            earliest_accepted(&at, &one_by_one, &edges),
            vec![Some(5 * m), Some(5 * m)]
        );
        // a visit for an earlier ask answers a new one at once, but the
        // first visit comes 5 min after the door opened at the soonest
        assert_eq!(
            earliest_accepted(&at, &whole_page, &edges),
            vec![Some(3 * m), Some(0)]
        );
        // a host who never accepts stays so
        assert_eq!(door_timing(7, None, true), (7, None));
    }

    #[test]
    fn earliest_acceptance_never_before_the_host_can_answer() {
        // a door open long before the party: only the host's answer counts;
        // a door opening after: the wait for it counts too
        let arrivals = [100_000];
        assert_eq!(
            earliest_accepted(&arrivals, &[(0, Some(30_000))], &[(0, 0)]),
            vec![Some(30_000)]
        );
        assert_eq!(
            earliest_accepted(&arrivals, &[(400_000, Some(30_000))], &[(0, 0)]),
            vec![Some(330_000)]
        );
        // no edges: nobody is placed
        assert_eq!(
            earliest_accepted(&[0, 1], &[(0, Some(1))], &[]),
            vec![None, None]
        );
    }
}
