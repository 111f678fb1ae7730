//! The walk's lower bounds: how far placed people walk at the least,
//! whatever the matcher, on the persons bound's instance
//! ([`super::Instance`]: compatible pairs, places, sizes).
//!
//! Two of them, for two questions. [`nearest_door`] takes each party
//! alone: it says whether a near door existed at all. [`least_total`] lets
//! the parties compete for the places: with the walk as the cost, it says
//! how far any placement of as many persons must walk in total, so how
//! much of a night's walk is the city's geography (where the doors are,
//! against where the people are) and how much a matcher could save; with
//! the wait for the door to open and its host to answer added, the same
//! for minutes to the door.

use super::Instance;
use super::flow::Flow;

/// For each party, the shortest `distance(party, door)` to a door it is
/// compatible with (`edges`), ignoring time and every other party, so no
/// night gives a placed party a shorter walk. `None` for a party with no
/// compatible door.
pub fn nearest_door(
    parties: usize,
    edges: &[(usize, usize)],
    distance: impl Fn(usize, usize) -> f64,
) -> Vec<Option<f64>> {
    let mut best: Vec<Option<f64>> = vec![None; parties];
    for &(i, j) in edges {
        let d = distance(i, j);
        if best[i].is_none_or(|b| d < b) {
            best[i] = Some(d);
        }
    }
    best
}

/// The placement of `persons` persons with the least total cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Least {
    /// the total: the sum of each person's cost
    pub total: i64,
    /// (party, door, persons) of that placement
    pub flows: Vec<(usize, usize, i64)>,
}

/// The least total cost of any placement of `persons` persons on `inst`,
/// each person placed at door `j` from party `i` costing `cost(i, j)` (a
/// lower bound on what that person's placement costs in any night, e.g.
/// the walk in whole hundreds of metres, rounded down), or `None` when
/// fewer can be placed.
///
/// A min-cost flow on the persons bound's network (source → party, its
/// size → door, the party's size, costing `cost` per person → sink, the
/// door's places), by the primal–dual method (`flow::Flow::min_cost`).
/// Like the persons bound it lets a party split across doors and lets
/// every party use every door: places are never taken for a while and
/// freed. So any real night that places `persons` persons costs at
/// least this much in total, and one that places more costs at least as
/// much per person (the least total is convex in the persons placed, and
/// zero for none). Costs in coarse units (few distinct values) keep it to
/// a few hundred shortest-path passes on a night of 2,000 parties.
pub fn least_total(
    inst: &Instance,
    persons: i64,
    cost: impl Fn(usize, usize) -> i64,
) -> Option<Least> {
    let (p, d) = (inst.parties.len(), inst.doors.len());
    let (source, sink) = (p + d, p + d + 1);
    let mut g = Flow::new(p + d + 2);
    for (i, &size) in inst.parties.iter().enumerate() {
        g.arc(source, i, size, 0);
    }
    let pairs: Vec<usize> = inst
        .edges
        .iter()
        .map(|&(i, j)| {
            let c = cost(i, j);
            debug_assert!(c >= 0, "a cost below zero: {c}");
            g.arc(i, p + j, inst.parties[i], c.max(0))
        })
        .collect();
    for (j, &places) in inst.doors.iter().enumerate() {
        g.arc(p + j, sink, places, 0);
    }
    let total = g.min_cost(source, sink, persons)?;
    let flows = inst
        .edges
        .iter()
        .zip(&pairs)
        .filter_map(|(&(i, j), &a)| {
            let used = g.used(a);
            (used > 0).then_some((i, j, used))
        })
        .collect();
    Some(Least { total, flows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_party_alone_walks_to_its_nearest_compatible_door() {
        // doors on a line at 0, 5 and 9 km; party 0 stands at 4 km and fits
        // doors 0 and 2 only (door 1, at 1 km from it, is not compatible);
        // party 1 fits none
        let doors = [0.0, 5.0, 9.0];
        let at = [4.0, 6.0];
        let edges = [(0, 2), (0, 0)];
        let d = |i: usize, j: usize| f64::abs(at[i] - doors[j]);
        assert_eq!(nearest_door(2, &edges, d), vec![Some(4.0), None]);
    }

    #[test]
    fn least_total_by_hand() {
        // party 0: 1 km from door 0, 3 km from door 1; party 1: 2 km and
        // 10 km; one place each. Alone each takes door 0; together the
        // least total is 3 + 2 (party 0 walks farther so party 1 need not
        // walk 10), not 1 + 10.
        let inst = Instance {
            parties: vec![1, 1],
            doors: vec![1, 1],
            edges: vec![(0, 0), (0, 1), (1, 0), (1, 1)],
        };
        let m = [[1_000, 3_000], [2_000, 10_000]];
        let walk = |k: i64| least_total(&inst, k, |i, j| m[i][j]);
        assert_eq!(walk(0).map(|w| w.total), Some(0));
        assert_eq!(walk(1).map(|w| w.total), Some(1_000));
        let two = walk(2).expect("two places");
        assert_eq!(two.total, 5_000);
        let mut flows = two.flows.clone();
        flows.sort_unstable();
        assert_eq!(flows, vec![(0, 1, 1), (1, 0, 1)]);
        assert_eq!(walk(3), None, "only two places");
    }

    #[test]
    fn least_total_counts_persons_and_places() {
        // a party of 3 fits only the 4-place door (5 km); two parties of 1
        // sit by the 2-place door (100 m) and could also walk to the big
        // one (6 km). Five persons: everyone placed, nobody moved: 15 km
        // + 2 × 100 m.
        let inst = Instance {
            parties: vec![3, 1, 1],
            doors: vec![4, 2],
            edges: vec![(0, 0), (1, 0), (1, 1), (2, 0), (2, 1)],
        };
        let m = |i: usize, j: usize| match (i, j) {
            (0, 0) => 5_000,
            (_, 0) => 6_000,
            _ => 100,
        };
        assert_eq!(least_total(&inst, 5, m).map(|w| w.total), Some(15_200));
        // four persons: the two singles by their door (200 m) and two of
        // the family (10 km), less than the family and a single (15.1
        // km): the relaxation splits the family
        assert_eq!(least_total(&inst, 4, m).map(|w| w.total), Some(10_200));
        assert_eq!(least_total(&inst, 6, m), None);
        let all = least_total(&inst, 5, m).expect("five");
        let placed: i64 = all.flows.iter().map(|f| f.2).sum();
        assert_eq!(placed, 5);
    }

    /// The least total by trying every whole placement: `x[i][j]` persons
    /// of party `i` at door `j` (0 where not compatible), within the
    /// party's size and the door's places, `persons` in all.
    fn by_every_placement(inst: &Instance, persons: i64, cost: &[Vec<i64>]) -> Option<i64> {
        let pairs = &inst.edges;
        let mut best: Option<i64> = None;
        let mut x = vec![0i64; pairs.len()];
        loop {
            let mut by_party = vec![0; inst.parties.len()];
            let mut by_door = vec![0; inst.doors.len()];
            for (k, &(i, j)) in pairs.iter().enumerate() {
                by_party[i] += x[k];
                by_door[j] += x[k];
            }
            let fits = by_party.iter().zip(&inst.parties).all(|(a, b)| a <= b)
                && by_door.iter().zip(&inst.doors).all(|(a, b)| a <= b);
            if fits && x.iter().sum::<i64>() == persons {
                let c = pairs
                    .iter()
                    .enumerate()
                    .map(|(k, &(i, j))| x[k] * cost[i][j])
                    .sum();
                best = Some(best.map_or(c, |b: i64| b.min(c)));
            }
            // the next placement, as a number in mixed radix
            let mut k = 0;
            loop {
                if k == pairs.len() {
                    return best;
                }
                x[k] += 1;
                if x[k] <= inst.parties[pairs[k].0] {
                    break;
                }
                x[k] = 0;
                k += 1;
            }
        }
    }

    proptest::proptest! {
        // trying every placement is slow: fewer cases, a short shrink
        #![proptest_config(proptest::test_runner::Config {
            cases: 96,
            max_shrink_iters: 64,
            ..proptest::test_runner::Config::default()
        })]
        #[test]
        fn least_total_is_the_best_whole_placement(
            sizes in proptest::collection::vec(1i64..=3, 1..=3),
            places in proptest::collection::vec(1i64..=4, 1..=3),
            links in proptest::collection::vec(proptest::bool::ANY, 9),
            costs in proptest::collection::vec(0i64..50, 9),
            persons in 0i64..=8,
        ) {
            let edges: Vec<(usize, usize)> = (0..sizes.len())
                .flat_map(|i| (0..places.len()).map(move |j| (i, j)))
                .filter(|&(i, j)| links[i * 3 + j])
                .collect();
            let cost: Vec<Vec<i64>> =
                (0..3).map(|i| (0..3).map(|j| costs[i * 3 + j]).collect()).collect();
            let inst = Instance { parties: sizes, doors: places, edges };
            let flow = least_total(&inst, persons, |i, j| cost[i][j]);
            proptest::prop_assert_eq!(
                flow.as_ref().map(|l| l.total),
                by_every_placement(&inst, persons, &cost)
            );
            if let Some(l) = flow {
                // the placement it returns is one, and costs its total
                let n: i64 = l.flows.iter().map(|f| f.2).sum();
                let c: i64 = l.flows.iter().map(|&(i, j, k)| k * cost[i][j]).sum();
                proptest::prop_assert_eq!((n, c), (persons, l.total));
            }
        }
    }

    /// The same as a linear program, solved by `microlp`: a min-cost flow's
    /// program has whole optima, so its value is the least total.
    fn by_linear_program(inst: &Instance, persons: i64, cost: &[Vec<i64>]) -> Option<i64> {
        use microlp::{ComparisonOp, OptimizationDirection, Problem};
        let mut lp = Problem::new(OptimizationDirection::Minimize);
        let x: Vec<_> = inst
            .edges
            .iter()
            .map(|&(i, j)| lp.add_var(cost[i][j] as f64, (0.0, inst.parties[i] as f64)))
            .collect();
        for (i, &size) in inst.parties.iter().enumerate() {
            let row: Vec<_> = (inst.edges.iter().zip(&x))
                .filter(|((a, _), _)| *a == i)
                .map(|(_, v)| (*v, 1.0))
                .collect();
            lp.add_constraint(row.as_slice(), ComparisonOp::Le, size as f64);
        }
        for (j, &places) in inst.doors.iter().enumerate() {
            let row: Vec<_> = (inst.edges.iter().zip(&x))
                .filter(|((_, b), _)| *b == j)
                .map(|(_, v)| (*v, 1.0))
                .collect();
            lp.add_constraint(row.as_slice(), ComparisonOp::Le, places as f64);
        }
        let all: Vec<_> = x.iter().map(|v| (*v, 1.0)).collect();
        lp.add_constraint(all.as_slice(), ComparisonOp::Eq, persons as f64);
        let outcome = lp.solve().ok()?;
        outcome.solution().map(|s| s.objective().round() as i64)
    }

    proptest::proptest! {
        #[test]
        fn least_total_is_the_linear_programs_optimum(
            sizes in proptest::collection::vec(1i64..=4, 1..=8),
            places in proptest::collection::vec(1i64..=4, 1..=6),
            links in proptest::collection::vec(0u8..4, 48),
            costs in proptest::collection::vec(0i64..1_000, 48),
            persons in 0i64..=20,
        ) {
            // about three pairs in four compatible
            let edges: Vec<(usize, usize)> = (0..sizes.len())
                .flat_map(|i| (0..places.len()).map(move |j| (i, j)))
                .filter(|&(i, j)| links[i * 6 + j] > 0)
                .collect();
            let cost: Vec<Vec<i64>> =
                (0..8).map(|i| (0..6).map(|j| costs[i * 6 + j]).collect()).collect();
            let inst = Instance { parties: sizes, doors: places, edges };
            proptest::prop_assert_eq!(
                least_total(&inst, persons, |i, j| cost[i][j]).map(|l| l.total),
                by_linear_program(&inst, persons, &cost)
            );
            // the docs rely on it: placing one more person never costs less
            // per person (convex, and nothing for no one)
            let per: Vec<f64> = (1..=persons)
                .map_while(|k| least_total(&inst, k, |i, j| cost[i][j]).map(|l| l.total as f64 / k as f64))
                .collect();
            proptest::prop_assert!(per.windows(2).all(|w| w[0] <= w[1] + 1e-9));
        }
    }
}
