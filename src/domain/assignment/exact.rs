//! Exact solving where it is cheap, with the heuristic as the floor.
//!
//! The instance splits into connected groups of parties and offers (a party
//! and an offer it can use are in the same group); each group is an integer
//! program, a 0/1 variable per usable pair: every party on at most one
//! offer, no offer over its places. `microlp` (pure Rust, branch and bound)
//! solves it in two steps, smallest groups first, within one time limit for
//! the whole instance:
//!
//! 1. the most people (skipped where the heuristic already reaches the
//!    group's bound: that is proof enough);
//! 2. the shortest total distance among assignments of that many people.
//!
//! Each step starts from the best known assignment (warm start), and a
//! solver's answer replaces the heuristic's only if it is valid, checked
//! here, and better. A group too large ([`MAX_PAIRS`]) or reached when the
//! time is up keeps the heuristic's answer, with the flow bound as its
//! certificate.

use super::{Assignment, Instance, Score, bound, suggest};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolutionStatus, SolveOptions};
use std::time::{Duration, Instant};

/// Party–offer pairs above which a group is left to the heuristic and the
/// flow bound. Measured in `docs/BENCHMARKS.md` ("Global matching"): about
/// 700 pairs (25 requests) are proven within a second or so; from about
/// 1,400 pairs on, microlp does not prove the shortest distance within
/// 2 s, and on 30,000 pairs (1,000 requests) it improves nothing in 10 s.
pub const MAX_PAIRS: usize = 1_000;

/// A suggestion with its certificate.
#[derive(Debug, Clone)]
pub struct Solved {
    pub assignment: Assignment,
    /// no assignment shelters more people than this
    pub at_most: i32,
    /// proven: no assignment shelters more people than `assignment`
    pub people_optimal: bool,
    /// proven: and none of as many people has a shorter total distance
    pub exact: bool,
}

/// The heuristic, then the exact method on every group while `limit` lasts.
pub fn solve(inst: &Instance, limit: Duration) -> Solved {
    let start = Instant::now();
    let mut a = suggest(inst);
    let usable = bound::usable(inst);
    let (bounds, party_group) = bound::by_group(inst);
    let mut members: Vec<Vec<usize>> = vec![vec![]; bounds.len()];
    for (p, offers) in usable.iter().enumerate() {
        if !offers.is_empty() {
            members[party_group[p]].push(p);
        }
    }
    let pairs = |g: &Vec<usize>| g.iter().map(|&p| usable[p].len()).sum::<usize>();
    let mut order: Vec<usize> = (0..members.len())
        .filter(|&g| !members[g].is_empty())
        .collect();
    order.sort_by_key(|&g| pairs(&members[g]));
    let mut out = Solved {
        assignment: vec![],
        at_most: 0,
        people_optimal: true,
        exact: true,
    };
    for g in order {
        let group = Group {
            inst,
            parties: &members[g],
            usable: &usable,
        };
        let left = limit.saturating_sub(start.elapsed());
        let mut at_most = bounds[g];
        let mut people_optimal = group.score(&a).people >= at_most;
        let mut exact = false;
        if pairs(&members[g]) <= MAX_PAIRS && !left.is_zero() {
            let r = group.solve(&a, at_most, people_optimal, start + limit);
            // a bound below what is achieved would be the solver's rounding
            at_most = at_most
                .min(r.at_most)
                .max(group.score(&r.assignment).people);
            people_optimal = group.score(&r.assignment).people >= at_most;
            exact = people_optimal && r.shortest;
            a = r.assignment;
        }
        out.at_most += at_most;
        out.people_optimal &= people_optimal;
        out.exact &= exact;
    }
    debug_assert!(inst.is_valid(&a));
    out.assignment = a;
    out
}

/// One connected group: its parties, each with the offers it can use.
struct Group<'a> {
    inst: &'a Instance,
    parties: &'a [usize],
    usable: &'a [Vec<usize>],
}

/// What the solver made of a group.
struct Answer {
    assignment: Assignment,
    /// the solver's own bound on the group's people (or the flow bound)
    at_most: i32,
    /// the shortest total distance for that many people, proven
    shortest: bool,
}

impl Group<'_> {
    fn score(&self, a: &Assignment) -> Score {
        let mut s = Score {
            people: 0,
            distance_m: 0.0,
        };
        for &p in self.parties {
            if let Some(o) = a[p] {
                s.people += self.inst.sizes[p];
                s.distance_m += self.inst.distance(p, o).unwrap_or(f64::INFINITY);
            }
        }
        s
    }

    /// The pairs, in variable order.
    fn pairs(&self) -> Vec<(usize, usize)> {
        self.parties
            .iter()
            .flat_map(|&p| self.usable[p].iter().map(move |&o| (p, o)))
            .collect()
    }

    /// The 0/1 program: one variable per pair with `cost(p, o)`, each party
    /// on at most one offer, no offer over its places.
    fn program(
        &self,
        pairs: &[(usize, usize)],
        goal: OptimizationDirection,
        cost: impl Fn(usize, usize) -> f64,
    ) -> (Problem, Vec<microlp::Variable>) {
        let mut lp = Problem::new(goal);
        let vars: Vec<_> = pairs
            .iter()
            .map(|&(p, o)| lp.add_binary_var(cost(p, o)))
            .collect();
        let mut by_offer: std::collections::BTreeMap<usize, Vec<(microlp::Variable, f64)>> =
            Default::default();
        let mut i = 0;
        for &p in self.parties {
            let n = self.usable[p].len();
            if n > 1 {
                let row: Vec<_> = vars[i..i + n].iter().map(|v| (*v, 1.0)).collect();
                lp.add_constraint(row.as_slice(), ComparisonOp::Le, 1.0);
            }
            for (k, &o) in self.usable[p].iter().enumerate() {
                by_offer
                    .entry(o)
                    .or_default()
                    .push((vars[i + k], f64::from(self.inst.sizes[p])));
            }
            i += n;
        }
        for (o, row) in by_offer {
            let cap = f64::from(self.inst.capacities[o]);
            if row.iter().map(|(_, s)| s).sum::<f64>() > cap {
                lp.add_constraint(row.as_slice(), ComparisonOp::Le, cap);
            }
        }
        (lp, vars)
    }

    /// `a` as a starting point for the solver.
    fn hint(
        &self,
        pairs: &[(usize, usize)],
        vars: &[microlp::Variable],
        a: &Assignment,
    ) -> SolveOptions {
        let mut options = SolveOptions::default();
        options.warm_start = Some(
            pairs
                .iter()
                .zip(vars)
                .map(|(&(p, o), v)| (*v, if a[p] == Some(o) { 1.0 } else { 0.0 }))
                .collect(),
        );
        options
    }

    /// The solver's values read back into `a` (this group's parties only),
    /// if they make a valid assignment.
    fn read(
        &self,
        pairs: &[(usize, usize)],
        values: impl Fn(usize) -> f64,
        a: &Assignment,
    ) -> Option<Assignment> {
        let mut out = a.clone();
        for &p in self.parties {
            out[p] = None;
        }
        for (i, &(p, o)) in pairs.iter().enumerate() {
            if values(i) > 0.5 {
                if out[p].is_some() {
                    return None;
                }
                out[p] = Some(o);
            }
        }
        self.inst.is_valid(&out).then_some(out)
    }

    /// Most people, then shortest distance, until `deadline`; never worse
    /// than `a` on this group.
    fn solve(&self, a: &Assignment, at_most: i32, reached: bool, deadline: Instant) -> Answer {
        let pairs = self.pairs();
        let mut best = a.clone();
        let mut answer = Answer {
            assignment: a.clone(),
            at_most,
            shortest: false,
        };
        // 1. the most people, unless the heuristic already reaches the bound
        if !reached {
            let (lp, vars) = self.program(&pairs, OptimizationDirection::Maximize, |p, _| {
                f64::from(self.inst.sizes[p])
            });
            let mut options = self.hint(&pairs, &vars, &best);
            options.time_limit = Some(deadline.saturating_duration_since(Instant::now()));
            let Ok(outcome) = lp.solve_with(options) else {
                return answer;
            };
            if let Some(b) = outcome.stats().best_bound {
                // integer people: the solver's bound, rounded down with a
                // margin for its floating point
                answer.at_most = answer.at_most.min((b + 1e-4).floor() as i32);
            }
            let Some(s) = outcome.solution() else {
                return answer;
            };
            if let Some(x) = self.read(&pairs, |i| s.var_value(vars[i]), &best) {
                if self.score(&x).beats(&self.score(&best)) {
                    best = x;
                }
            }
            if s.status() == SolutionStatus::Optimal {
                answer.at_most = answer.at_most.min(self.score(&best).people);
            } else {
                answer.assignment = best;
                return answer;
            }
        }
        // 2. as many people, the shortest total distance
        let people = self.score(&best).people;
        if Instant::now() >= deadline {
            answer.assignment = best;
            return answer;
        }
        let (mut lp, vars) = self.program(&pairs, OptimizationDirection::Minimize, |p, o| {
            self.inst.distance(p, o).unwrap_or(0.0)
        });
        let row: Vec<_> = pairs
            .iter()
            .zip(&vars)
            .map(|(&(p, _), v)| (*v, f64::from(self.inst.sizes[p])))
            .collect();
        lp.add_constraint(row.as_slice(), ComparisonOp::Ge, f64::from(people) - 0.5);
        let mut options = self.hint(&pairs, &vars, &best);
        options.time_limit = Some(deadline.saturating_duration_since(Instant::now()));
        if let Ok(outcome) = lp.solve_with(options) {
            if let Some(s) = outcome.solution() {
                if let Some(x) = self.read(&pairs, |i| s.var_value(vars[i]), &best) {
                    if !self.score(&best).beats(&self.score(&x)) {
                        best = x;
                        answer.shortest = s.status() == SolutionStatus::Optimal;
                    }
                }
            }
        }
        answer.assignment = best;
        answer
    }
}
