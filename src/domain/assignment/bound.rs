//! An upper bound on the people any assignment can shelter: the certificate
//! that says how far a suggestion can be from the best possible.
//!
//! It is the linear relaxation (a party may be split) written as a maximum
//! flow — source → party (its size) → eligible offer → sink (its places) —
//! tightened where it is cheap and always valid:
//!
//! - a party larger than an offer never goes there (the edge is dropped);
//! - an offer takes at most the largest sum of its eligible parties' sizes
//!   that fits its places (four places and only couples eligible: four;
//!   three places and only couples: two);
//! - in each connected group of parties and offers, the people sheltered
//!   are a sum of whole parties: the flow is rounded down to the largest
//!   such sum that does not exceed it.
//!
//! Each step only removes what no assignment can use, so the bound is never
//! below what an assignment achieves (property-tested against the
//! exhaustive optimum). The flow is Dinic's algorithm, in integers, written
//! here (about sixty lines) rather than taken from a crate: the LP solver
//! we use computes in floating point, and a certificate must not round the
//! wrong way.

use super::Instance;

/// Offers a party can use (each once, nearest first): the offer has room
/// for the whole party.
pub(super) fn usable(inst: &Instance) -> Vec<Vec<usize>> {
    inst.edges
        .iter()
        .enumerate()
        .map(|(p, e)| {
            let mut out: Vec<usize> = Vec::with_capacity(e.len());
            for &(o, _) in e {
                if inst.sizes[p] > 0 && inst.sizes[p] <= inst.capacities[o] && !out.contains(&o) {
                    out.push(o);
                }
            }
            out
        })
        .collect()
}

/// The largest sum of some of `items` that is at most `cap` (0 if none).
fn best_sum(items: impl Iterator<Item = i32>, cap: i32) -> i32 {
    let Ok(cap) = usize::try_from(cap) else {
        return 0;
    };
    let mut reach = vec![false; cap + 1];
    reach[0] = true;
    let mut total = 0usize;
    for s in items.filter_map(|s| usize::try_from(s).ok()) {
        if s == 0 || s > cap {
            continue;
        }
        total = (total + s).min(cap);
        for v in (s..=total).rev() {
            if reach[v - s] {
                reach[v] = true;
            }
        }
        if reach[cap] {
            break;
        }
    }
    reach.iter().rposition(|r| *r).unwrap_or(0) as i32
}

/// Parties and offers in connected groups: for each party and each offer,
/// the index of its group (offers without a usable edge get their own).
pub(super) fn groups(inst: &Instance, usable: &[Vec<usize>]) -> (Vec<usize>, Vec<usize>, usize) {
    let (n, m) = (inst.sizes.len(), inst.capacities.len());
    let mut parent: Vec<usize> = (0..n + m).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (p, offers) in usable.iter().enumerate() {
        for &o in offers {
            let (a, b) = (find(&mut parent, p), find(&mut parent, n + o));
            parent[a] = b;
        }
    }
    let mut id = vec![usize::MAX; n + m];
    let mut count = 0;
    let mut of = vec![0; n + m];
    for (x, slot) in of.iter_mut().enumerate() {
        let r = find(&mut parent, x);
        if id[r] == usize::MAX {
            id[r] = count;
            count += 1;
        }
        *slot = id[r];
    }
    let offers = of.split_off(n);
    (of, offers, count)
}

/// Maximum flow in integers (Dinic): a graph of `nodes` and arcs with
/// capacities, from `source` to `sink`; returns the flow on every arc.
struct Flow {
    head: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
}

impl Flow {
    fn new(nodes: usize) -> Self {
        Flow {
            head: vec![vec![]; nodes],
            to: vec![],
            cap: vec![],
        }
    }

    fn arc(&mut self, a: usize, b: usize, c: i64) -> usize {
        let i = self.to.len();
        self.head[a].push(i);
        self.to.push(b);
        self.cap.push(c);
        self.head[b].push(i + 1);
        self.to.push(a);
        self.cap.push(0);
        i
    }

    fn levels(&self, s: usize) -> Vec<usize> {
        let mut level = vec![usize::MAX; self.head.len()];
        level[s] = 0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(a) = queue.pop_front() {
            for &i in &self.head[a] {
                let b = self.to[i];
                if self.cap[i] > 0 && level[b] == usize::MAX {
                    level[b] = level[a] + 1;
                    queue.push_back(b);
                }
            }
        }
        level
    }

    /// One augmenting path along increasing levels (iterative, so deep
    /// graphs cannot overflow the stack); the amount pushed.
    fn push(&mut self, s: usize, t: usize, level: &[usize], next: &mut [usize]) -> i64 {
        let mut path: Vec<usize> = vec![];
        let mut a = s;
        loop {
            if a == t {
                let f = path.iter().map(|&i| self.cap[i]).min().unwrap_or(0);
                for &i in &path {
                    self.cap[i] -= f;
                    self.cap[i ^ 1] += f;
                }
                return f;
            }
            let mut advanced = false;
            while next[a] < self.head[a].len() {
                let i = self.head[a][next[a]];
                let b = self.to[i];
                if self.cap[i] > 0 && level[b] == level[a] + 1 {
                    path.push(i);
                    a = b;
                    advanced = true;
                    break;
                }
                next[a] += 1;
            }
            if !advanced {
                // a dead end: never try it again in this phase
                let Some(i) = path.pop() else { return 0 };
                a = self.to[i ^ 1];
                next[a] += 1;
            }
        }
    }

    fn run(&mut self, s: usize, t: usize) {
        loop {
            let level = self.levels(s);
            if level[t] == usize::MAX {
                return;
            }
            let mut next = vec![0; self.head.len()];
            while self.push(s, t, &level, &mut next) > 0 {}
        }
    }
}

/// The bound for each connected group (see the module's comment), and the
/// groups of the parties (as [`groups`] numbers them).
pub(super) fn by_group(inst: &Instance) -> (Vec<i32>, Vec<usize>) {
    let usable = usable(inst);
    let (n, m) = (inst.sizes.len(), inst.capacities.len());
    let mut eligible: Vec<Vec<i32>> = vec![vec![]; m];
    for (p, offers) in usable.iter().enumerate() {
        for &o in offers {
            eligible[o].push(inst.sizes[p]);
        }
    }
    let (s, t) = (n + m, n + m + 1);
    let mut flow = Flow::new(n + m + 2);
    let mut into_sink = vec![0; m];
    for (o, sizes) in eligible.iter().enumerate() {
        let room = best_sum(sizes.iter().copied(), inst.capacities[o]);
        into_sink[o] = flow.arc(n + o, t, i64::from(room));
    }
    for (p, offers) in usable.iter().enumerate() {
        if offers.is_empty() {
            continue;
        }
        flow.arc(s, p, i64::from(inst.sizes[p]));
        for &o in offers {
            flow.arc(p, n + o, i64::from(inst.sizes[p]));
        }
    }
    flow.run(s, t);
    let (party_group, offer_group, count) = groups(inst, &usable);
    let mut relaxed = vec![0i64; count];
    for (o, &arc) in into_sink.iter().enumerate() {
        // what went through an arc is what its reverse arc now holds
        relaxed[offer_group[o]] += flow.cap[arc ^ 1];
    }
    let mut sizes: Vec<Vec<i32>> = vec![vec![]; count];
    for (p, offers) in usable.iter().enumerate() {
        if !offers.is_empty() {
            sizes[party_group[p]].push(inst.sizes[p]);
        }
    }
    let bounds = sizes
        .iter()
        .zip(&relaxed)
        .map(|(sz, &f)| best_sum(sz.iter().copied(), i32::try_from(f).unwrap_or(i32::MAX)))
        .collect();
    (bounds, party_group)
}

/// No assignment of `inst` shelters more people than this.
pub fn upper_bound(inst: &Instance) -> i32 {
    by_group(inst).0.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_sums_fit_the_places() {
        assert_eq!(best_sum([2, 2, 2].into_iter(), 3), 2);
        assert_eq!(best_sum([3, 2, 2].into_iter(), 4), 4);
        assert_eq!(best_sum([5].into_iter(), 4), 0);
        assert_eq!(best_sum([1, 4].into_iter(), 0), 0);
        assert_eq!(best_sum([].into_iter(), 7), 0);
        assert_eq!(best_sum([3, 3, 1].into_iter(), 100), 7);
    }

    #[test]
    fn a_couple_never_fills_three_places_and_a_family_never_splits() {
        // two couples, one offer of three places: only one couple fits
        let inst = Instance {
            sizes: vec![2, 2],
            capacities: vec![3],
            edges: vec![vec![(0, 10.0)], vec![(0, 20.0)]],
        };
        assert_eq!(upper_bound(&inst), 2);
        // a family of three and two offers of two places: nowhere to go
        let inst = Instance {
            sizes: vec![3],
            capacities: vec![2, 2],
            edges: vec![vec![(0, 10.0), (1, 20.0)]],
        };
        assert_eq!(upper_bound(&inst), 0);
        // a family of three and a couple against 2 + 3 places: the flow
        // would send 5, and 5 is reachable (3 → second, 2 → first)
        let inst = Instance {
            sizes: vec![3, 2],
            capacities: vec![2, 3],
            edges: vec![vec![(0, 10.0), (1, 20.0)], vec![(0, 5.0), (1, 5.0)]],
        };
        assert_eq!(upper_bound(&inst), 5);
    }

    #[test]
    fn whole_parties_round_the_flow_down_in_each_group() {
        // four couples and a family of three against two offers of five
        // places, each open to two couples and the family: split in halves
        // the family would let 10 people in, but sums of whole parties
        // skip 10 (2+2+2+2 = 8, 3+2+2+2 = 9), and 9 is reached
        let e = |o: usize| vec![(o, 1.0)];
        let inst = Instance {
            sizes: vec![2, 2, 2, 2, 3],
            capacities: vec![5, 5],
            edges: vec![e(0), e(0), e(1), e(1), vec![(0, 1.0), (1, 1.0)]],
        };
        assert_eq!(upper_bound(&inst), 9);
        assert_eq!(inst.score(&super::super::optimum(&inst)).people, 9);
    }
}
