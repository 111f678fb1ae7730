//! A flow network for the offline bounds: the most that can be sent
//! (Dinic's algorithm), and a given amount sent at the least cost
//! (primal–dual: shortest paths on reduced costs, then Dinic's algorithm
//! on the arcs those paths may use). Hand-written: the maintained
//! min-cost-flow crates are a binding to a C++ library (`mcmf`) or
//! GPL-licensed (`rs-graph`), and the max flow is a few dozen lines.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Arc `a`'s reverse is `a ^ 1`.
pub(super) struct Flow {
    out: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    /// node potentials: `cost + pot[from] − pot[to]` ≥ 0 on every arc
    /// with room left, 0 on the arcs of shortest paths
    pot: Vec<i64>,
}

impl Flow {
    pub(super) fn new(n: usize) -> Self {
        Self {
            out: vec![Vec::new(); n],
            to: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
            pot: vec![0; n],
        }
    }

    /// Adds an arc without cost; returns its index.
    pub(super) fn edge(&mut self, a: usize, b: usize, cap: i64) -> usize {
        self.arc(a, b, cap, 0)
    }

    /// Adds an arc and its reverse; returns the arc's index. Costs must
    /// not be negative.
    pub(super) fn arc(&mut self, a: usize, b: usize, cap: i64, cost: i64) -> usize {
        let id = self.to.len();
        self.out[a].push(id);
        self.to.push(b);
        self.cap.push(cap);
        self.cost.push(cost);
        self.out[b].push(id + 1);
        self.to.push(a);
        self.cap.push(0);
        self.cost.push(-cost);
        id
    }

    /// What went through arc `a`.
    pub(super) fn used(&self, a: usize) -> i64 {
        self.cap[a ^ 1]
    }

    /// As much as can go from `s` to `t`, whatever the cost.
    pub(super) fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        self.blocking_flows(s, t, i64::MAX, false)
    }

    /// Sends `want` units from `s` to `t` at the least total cost, or
    /// `None` if the network cannot carry them. Each phase finds the
    /// shortest distances on reduced costs, moves the potentials by them,
    /// and sends all it can along arcs of reduced cost 0 (those of some
    /// shortest path); with whole costs in coarse units, phases are few.
    pub(super) fn min_cost(&mut self, s: usize, t: usize, want: i64) -> Option<i64> {
        let mut sent = 0;
        while sent < want {
            let dist = self.distances(s, t);
            let reach = dist[t];
            if reach == i64::MAX {
                return None;
            }
            // every node moves by its distance, but by no more than the
            // sink's: the search stopped there, and a node settled before
            // it has its neighbours within its distance plus the arc's
            // reduced cost, so every arc with room keeps a reduced cost
            // ≥ 0, and those of shortest paths to the sink get 0
            for (p, d) in self.pot.iter_mut().zip(&dist) {
                *p += (*d).min(reach);
            }
            sent += self.blocking_flows(s, t, want - sent, true);
        }
        let total = (0..self.to.len())
            .step_by(2)
            .map(|a| self.used(a) * self.cost[a])
            .sum();
        Some(total)
    }

    /// Shortest distances from `s` on reduced costs, over arcs with room,
    /// exact up to the sink's (the search stops there; nodes farther keep
    /// a tentative distance or none).
    fn distances(&self, s: usize, t: usize) -> Vec<i64> {
        let mut dist = vec![i64::MAX; self.out.len()];
        dist[s] = 0;
        let mut heap = BinaryHeap::from([Reverse((0i64, s))]);
        while let Some(Reverse((du, u))) = heap.pop() {
            if du > dist[u] {
                continue;
            }
            if u == t {
                break;
            }
            for &a in &self.out[u] {
                if self.cap[a] <= 0 {
                    continue;
                }
                let v = self.to[a];
                let dv = du + self.cost[a] + self.pot[u] - self.pot[v];
                if dv < dist[v] {
                    dist[v] = dv;
                    heap.push(Reverse((dv, v)));
                }
            }
        }
        dist
    }

    /// Whether arc `a`, from `u`, has room (and, if `tight`, a reduced
    /// cost of 0).
    fn open(&self, u: usize, a: usize, tight: bool) -> bool {
        self.cap[a] > 0 && (!tight || self.cost[a] + self.pot[u] - self.pot[self.to[a]] == 0)
    }

    /// Dinic's algorithm on the open arcs, sending at most `limit`;
    /// returns what it sent.
    fn blocking_flows(&mut self, s: usize, t: usize, limit: i64, tight: bool) -> i64 {
        let mut total = 0;
        while total < limit {
            let Some(level) = self.levels(s, t, tight) else {
                break;
            };
            let mut next = vec![0; self.out.len()];
            loop {
                let f = self.augment(s, t, limit - total, &level, &mut next, tight);
                if f == 0 {
                    break;
                }
                total += f;
                if total == limit {
                    break;
                }
            }
        }
        total
    }

    fn levels(&self, s: usize, t: usize, tight: bool) -> Option<Vec<i32>> {
        let mut level = vec![-1; self.out.len()];
        level[s] = 0;
        let mut q = VecDeque::from([s]);
        while let Some(v) = q.pop_front() {
            for &e in &self.out[v] {
                let w = self.to[e];
                if level[w] < 0 && self.open(v, e, tight) {
                    level[w] = level[v] + 1;
                    q.push_back(w);
                }
            }
        }
        (level[t] >= 0).then_some(level)
    }

    /// One augmentation along level-increasing arcs, of at most `limit`,
    /// iteratively (no recursion depth to worry about).
    fn augment(
        &mut self,
        s: usize,
        t: usize,
        limit: i64,
        level: &[i32],
        next: &mut [usize],
        tight: bool,
    ) -> i64 {
        let mut path: Vec<usize> = Vec::new();
        let mut v = s;
        loop {
            if v == t {
                let f = path.iter().map(|&e| self.cap[e]).fold(limit, i64::min);
                for &e in &path {
                    self.cap[e] -= f;
                    self.cap[e ^ 1] += f;
                }
                return f;
            }
            let mut advanced = false;
            while next[v] < self.out[v].len() {
                let e = self.out[v][next[v]];
                let w = self.to[e];
                if level[w] == level[v] + 1 && self.open(v, e, tight) {
                    path.push(e);
                    v = w;
                    advanced = true;
                    break;
                }
                next[v] += 1;
            }
            if !advanced {
                // dead end: retreat and never try this arc again
                let Some(e) = path.pop() else { return 0 };
                v = self.to[e ^ 1];
                next[v] += 1;
            }
        }
    }
}
