//! Global matching: assign waiting parties to open offers all at once.
//!
//! Objective, in this order: shelter as many people as possible, then keep
//! the total distance small. Constraints: an offer never takes more people
//! than its free places, a party is never split, and only eligible pairs
//! (needs, safeguarding rules, radius, blocks — decided by the caller, who
//! lists the edges) are used. The problem is a multiple-knapsack with
//! costs (NP-hard), so `suggest` is a heuristic — most constrained parties
//! first, then ejection repairs, then distance improvements — checked
//! against nearest-first `greedy` (it keeps the better of the two) and
//! against the exhaustive `optimum` on small instances. [`upper_bound`]
//! (`bound.rs`) is the certificate: no assignment shelters more people;
//! [`solve`] (`exact.rs`) runs the heuristic, then an exact method where it
//! is cheap, and says what it proved.

mod bound;
mod exact;

pub use bound::upper_bound;
pub use exact::{MAX_PAIRS, Solved, solve};

/// One instance: party sizes, free places, and for each party its eligible
/// offers with the distance, nearest first.
#[derive(Debug, Clone)]
pub struct Instance {
    pub sizes: Vec<i32>,
    pub capacities: Vec<i32>,
    pub edges: Vec<Vec<(usize, f64)>>,
}

/// For each party, the offer it goes to, if any.
pub type Assignment = Vec<Option<usize>>;

/// (people sheltered, total distance in metres) — compare people first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub people: i32,
    pub distance_m: f64,
}

impl Score {
    /// Whether `self` is strictly better: more people, or as many closer.
    pub fn beats(&self, other: &Score) -> bool {
        self.people > other.people
            || (self.people == other.people && self.distance_m + 1e-6 < other.distance_m)
    }
}

impl Instance {
    fn distance(&self, party: usize, offer: usize) -> Option<f64> {
        self.edges[party]
            .iter()
            .find(|(o, _)| *o == offer)
            .map(|(_, d)| *d)
    }

    pub fn score(&self, a: &Assignment) -> Score {
        let mut s = Score {
            people: 0,
            distance_m: 0.0,
        };
        for (p, o) in a.iter().enumerate() {
            if let Some(o) = o {
                s.people += self.sizes[p];
                s.distance_m += self.distance(p, *o).unwrap_or(f64::INFINITY);
            }
        }
        s
    }

    /// Every party on an eligible offer, and no offer over its places.
    pub fn is_valid(&self, a: &Assignment) -> bool {
        if a.len() != self.sizes.len() {
            return false;
        }
        let mut used = vec![0; self.capacities.len()];
        for (p, o) in a.iter().enumerate() {
            if let Some(o) = o {
                if self.distance(p, *o).is_none() {
                    return false;
                }
                used[*o] += self.sizes[p];
            }
        }
        used.iter().zip(&self.capacities).all(|(u, c)| u <= c)
    }
}

/// Nearest-first greedy, in the parties' order (longest wait first): what
/// proposals one at a time would do.
pub fn greedy(inst: &Instance) -> Assignment {
    let mut free = inst.capacities.clone();
    let mut a = vec![None; inst.sizes.len()];
    for (p, edges) in inst.edges.iter().enumerate() {
        if let Some((o, _)) = edges.iter().find(|(o, _)| free[*o] >= inst.sizes[p]) {
            free[*o] -= inst.sizes[p];
            a[p] = Some(*o);
        }
    }
    a
}

/// The heuristic: never worse than `greedy` on the same instance.
// parties and offers are indices into several parallel arrays
#[allow(clippy::needless_range_loop)]
pub fn suggest(inst: &Instance) -> Assignment {
    let n = inst.sizes.len();
    // 1. the most constrained first: fewest eligible offers, then the
    //    largest party, then the order given (longest wait)
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&p| (inst.edges[p].len(), -inst.sizes[p], p));
    let mut a: Assignment = vec![None; n];
    let mut free = inst.capacities.clone();
    for &p in &order {
        // the nearest offer that still fits
        if let Some((o, _)) = inst.edges[p]
            .iter()
            .find(|(o, _)| free[*o] >= inst.sizes[p])
        {
            free[*o] -= inst.sizes[p];
            a[p] = Some(*o);
        }
    }
    // 2. repairs: make room for an unplaced party by moving one placed
    //    party to another offer with room
    let mut improved = true;
    let mut rounds = 0;
    while improved && rounds < 4 {
        improved = false;
        rounds += 1;
        let mut unplaced: Vec<usize> = (0..n).filter(|&p| a[p].is_none()).collect();
        unplaced.sort_by_key(|&p| (-inst.sizes[p], p));
        for p in unplaced {
            if let Some((o, _)) = inst.edges[p]
                .iter()
                .find(|(o, _)| free[*o] >= inst.sizes[p])
            {
                free[*o] -= inst.sizes[p];
                a[p] = Some(*o);
                improved = true;
                continue;
            }
            'offers: for &(o, _) in &inst.edges[p] {
                let need = inst.sizes[p] - free[o];
                for q in 0..n {
                    if a[q] != Some(o) || inst.sizes[q] < need {
                        continue;
                    }
                    if let Some(&(o2, _)) = inst.edges[q]
                        .iter()
                        .find(|(o2, _)| *o2 != o && free[*o2] >= inst.sizes[q])
                    {
                        free[o2] -= inst.sizes[q];
                        free[o] += inst.sizes[q];
                        a[q] = Some(o2);
                        free[o] -= inst.sizes[p];
                        a[p] = Some(o);
                        improved = true;
                        break 'offers;
                    }
                }
            }
        }
    }
    // 3. shorter distances: move a party to a nearer offer with room, or
    //    swap two parties' offers when both fit and the sum shrinks
    for _ in 0..3 {
        let mut changed = false;
        for p in 0..n {
            let Some(o) = a[p] else { continue };
            let here = inst.distance(p, o).unwrap_or(f64::INFINITY);
            if let Some(&(o2, _)) = inst.edges[p]
                .iter()
                .take_while(|(_, d)| *d + 1e-6 < here)
                .find(|(o2, _)| free[*o2] >= inst.sizes[p])
            {
                free[o] += inst.sizes[p];
                free[o2] -= inst.sizes[p];
                a[p] = Some(o2);
                changed = true;
            }
        }
        for p in 0..n {
            let Some(op) = a[p] else { continue };
            for q in (p + 1)..n {
                let Some(oq) = a[q] else { continue };
                if op == oq {
                    continue;
                }
                let (Some(dpq), Some(dqp)) = (inst.distance(p, oq), inst.distance(q, op)) else {
                    continue;
                };
                let before =
                    inst.distance(p, op).unwrap_or(0.0) + inst.distance(q, oq).unwrap_or(0.0);
                let fits = free[oq] + inst.sizes[q] >= inst.sizes[p]
                    && free[op] + inst.sizes[p] >= inst.sizes[q];
                if fits && dpq + dqp + 1e-6 < before {
                    free[op] += inst.sizes[p] - inst.sizes[q];
                    free[oq] += inst.sizes[q] - inst.sizes[p];
                    a[p] = Some(oq);
                    a[q] = Some(op);
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    debug_assert!(inst.is_valid(&a));
    let g = greedy(inst);
    if inst.score(&g).beats(&inst.score(&a)) {
        g
    } else {
        a
    }
}

/// The best assignment by exhaustive search (small instances only: every
/// party has its offers or nothing, so `(offers + 1) ^ parties` cases).
pub fn optimum(inst: &Instance) -> Assignment {
    fn go(
        inst: &Instance,
        p: usize,
        free: &mut Vec<i32>,
        cur: &mut Assignment,
        best: &mut (Score, Assignment),
    ) {
        if p == inst.sizes.len() {
            let s = inst.score(cur);
            if s.beats(&best.0) {
                *best = (s, cur.clone());
            }
            return;
        }
        for &(o, _) in &inst.edges[p] {
            if free[o] >= inst.sizes[p] {
                free[o] -= inst.sizes[p];
                cur[p] = Some(o);
                go(inst, p + 1, free, cur, best);
                cur[p] = None;
                free[o] += inst.sizes[p];
            }
        }
        go(inst, p + 1, free, cur, best);
    }
    let mut best = (
        Score {
            people: -1,
            distance_m: 0.0,
        },
        vec![None; inst.sizes.len()],
    );
    let mut free = inst.capacities.clone();
    let mut cur = vec![None; inst.sizes.len()];
    go(inst, 0, &mut free, &mut cur, &mut best);
    best.1
}

/// Free places left once `a` is applied (for tests and reports).
pub fn free_places(inst: &Instance, a: &Assignment) -> Vec<i32> {
    let mut free = inst.capacities.clone();
    for (p, o) in a.iter().enumerate() {
        if let Some(o) = o {
            free[*o] -= inst.sizes[p];
        }
    }
    free
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::Duration;

    /// A random instance: parties and offers on a line, an edge when close.
    fn instance() -> impl Strategy<Value = Instance> {
        (
            prop::collection::vec((1i32..=4, 0.0f64..10_000.0), 1..8),
            prop::collection::vec((1i32..=6, 0.0f64..10_000.0), 1..5),
            3_000.0f64..12_000.0,
        )
            .prop_map(|(parties, offers, radius)| {
                let edges = parties
                    .iter()
                    .map(|(_, x)| {
                        let mut e: Vec<(usize, f64)> = offers
                            .iter()
                            .enumerate()
                            .map(|(o, (_, y))| (o, (x - y).abs()))
                            .filter(|(_, d)| *d <= radius)
                            .collect();
                        e.sort_by(|a, b| a.1.total_cmp(&b.1));
                        e
                    })
                    .collect();
                Instance {
                    sizes: parties.iter().map(|p| p.0).collect(),
                    capacities: offers.iter().map(|o| o.0).collect(),
                    edges,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn never_over_capacity_never_split_never_off_the_edges(inst in instance()) {
            for a in [greedy(&inst), suggest(&inst), optimum(&inst)] {
                prop_assert!(inst.is_valid(&a));
                prop_assert!(free_places(&inst, &a).iter().all(|f| *f >= 0));
            }
        }

        #[test]
        fn suggest_is_never_worse_than_greedy_nor_better_than_the_optimum(inst in instance()) {
            let (g, s, o) = (inst.score(&greedy(&inst)), inst.score(&suggest(&inst)), inst.score(&optimum(&inst)));
            prop_assert!(!g.beats(&s), "greedy {g:?} beat suggest {s:?}");
            prop_assert!(!s.beats(&o), "suggest {s:?} beat the optimum {o:?}");
        }
    }

    /// The same, every party of one size (1 to 3): then the flow bound is
    /// integral and must be reached.
    fn uniform() -> impl Strategy<Value = Instance> {
        (instance(), 1i32..=3).prop_map(|(mut inst, k)| {
            inst.sizes.iter_mut().for_each(|s| *s = k);
            inst
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn the_bound_is_never_below_any_assignment(inst in instance()) {
            let best = inst.score(&optimum(&inst)).people;
            let solved = solve(&inst, Duration::from_secs(10));
            prop_assert!(upper_bound(&inst) >= best, "bound {} < optimum {best}", upper_bound(&inst));
            prop_assert!(solved.at_most >= best, "{solved:?} < optimum {best}");
            prop_assert!(solved.at_most <= upper_bound(&inst));
        }

        #[test]
        fn solved_exactly_small_instances_are_the_optimum(inst in instance()) {
            let best = inst.score(&optimum(&inst));
            let solved = solve(&inst, Duration::from_secs(10));
            let got = inst.score(&solved.assignment);
            prop_assert!(inst.is_valid(&solved.assignment));
            prop_assert!(!inst.score(&suggest(&inst)).beats(&got), "worse than the heuristic");
            prop_assert!(solved.exact, "not proven in 10 s: {solved:?}");
            prop_assert!(solved.people_optimal);
            prop_assert_eq!(got.people, best.people);
            prop_assert_eq!(solved.at_most, best.people);
            prop_assert!(!best.beats(&got), "optimum {best:?} beats {got:?}");
        }

        #[test]
        fn with_parties_of_one_size_the_bound_is_reached(inst in uniform()) {
            prop_assert_eq!(upper_bound(&inst), inst.score(&optimum(&inst)).people);
        }
    }

    #[test]
    fn without_time_the_heuristic_stands_with_the_flow_bound() {
        // the bound is 4; the heuristic reaches it: proven without a solver
        let inst = Instance {
            sizes: vec![2, 2],
            capacities: vec![2, 2],
            edges: vec![vec![(0, 100.0), (1, 200.0)], vec![(0, 300.0)]],
        };
        let s = solve(&inst, Duration::ZERO);
        assert_eq!((s.at_most, s.people_optimal, s.exact), (4, true, false));
        assert_eq!(s.assignment, suggest(&inst));
        // with time, the exact method also proves the distance
        let s = solve(&inst, Duration::from_secs(10));
        assert_eq!((s.at_most, s.people_optimal, s.exact), (4, true, true));
    }

    #[test]
    fn constrained_parties_first_shelter_more_than_nearest_first() {
        // party 0 (waiting longest) can go anywhere; party 1 only to offer 0
        let inst = Instance {
            sizes: vec![2, 2],
            capacities: vec![2, 2],
            edges: vec![vec![(0, 100.0), (1, 200.0)], vec![(0, 300.0)]],
        };
        assert_eq!(inst.score(&greedy(&inst)).people, 2);
        let s = suggest(&inst);
        assert_eq!(inst.score(&s).people, 4);
        assert_eq!(s, vec![Some(1), Some(0)]);
        assert_eq!(inst.score(&optimum(&inst)).people, 4);
    }

    #[test]
    fn an_ejection_makes_room_for_a_large_party() {
        // the couple is placed first where the family of four must go
        let inst = Instance {
            sizes: vec![2, 4],
            capacities: vec![4, 2],
            edges: vec![vec![(0, 50.0), (1, 60.0)], vec![(0, 80.0), (1, 90.0)]],
        };
        let s = suggest(&inst);
        assert_eq!(inst.score(&s).people, 6, "{s:?}");
    }
}
