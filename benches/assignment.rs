//! Global matching against nearest-first greedy on the same instances:
//! people sheltered, total distance and time, for 1,000 waiting requests
//! against 5,000 open offers across Paris (and a scarce variant with 600
//! offers), and against the exhaustive optimum on small instances; then
//! `solve` (the heuristic, then the exact method within a time limit) with
//! its certificate: the upper bound on people, the gap to it, what it
//! proved. Run: cargo bench --bench assignment (results in
//! docs/BENCHMARKS.md); `PO_EXACT_LIMITS=0.5,2,10` sets the limits tried
//! (seconds; default 2, the service's).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use porte_ouverte::domain::assignment::{
    Instance, Score, greedy, optimum, solve, suggest, upper_bound,
};
use porte_ouverte::domain::distance::metres_between;
use porte_ouverte::seed::point;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

/// Where people are stranded: most around three incident sites.
const SITES: [(f64, f64); 3] = [(48.8708, 2.3700), (48.8530, 2.3690), (48.8924, 2.3520)];

fn instance(requests: usize, offers: usize, seed: u64) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let offers: Vec<(f64, f64, i32)> = (0..offers)
        .map(|_| {
            let (lat, lon) = point(&mut rng, "paris");
            (lat, lon, rng.gen_range(1..=4))
        })
        .collect();
    let parties: Vec<(f64, f64, i32)> = (0..requests)
        .map(|_| {
            let (lat, lon) = if rng.gen_bool(0.6) {
                let (la, lo) = SITES[rng.gen_range(0..SITES.len())];
                (
                    la + rng.gen_range(-0.012..0.012),
                    lo + rng.gen_range(-0.018..0.018),
                )
            } else {
                point(&mut rng, "paris")
            };
            let size = *[1, 1, 1, 2, 2, 3, 4].get(rng.gen_range(0..7)).unwrap();
            (lat, lon, size)
        })
        .collect();
    // each party's 30 nearest offers within 5 km, as the service lists them
    let edges = parties
        .iter()
        .map(|(la, lo, _)| {
            let mut e: Vec<(usize, f64)> = offers
                .iter()
                .enumerate()
                .map(|(i, (ola, olo, _))| (i, metres_between(*la, *lo, *ola, *olo)))
                .filter(|(_, d)| *d <= 5_000.0)
                .collect();
            e.sort_by(|a, b| a.1.total_cmp(&b.1));
            e.truncate(30);
            e
        })
        .collect();
    Instance {
        sizes: parties.iter().map(|p| p.2).collect(),
        capacities: offers.iter().map(|o| o.2).collect(),
        edges,
    }
}

fn median_ms(mut f: impl FnMut(), runs: usize) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

fn row(name: &str, s: Score, ms: f64) {
    println!(
        "| {name} | {} | {:.1} | {:.3} |",
        s.people,
        s.distance_m / 1000.0,
        ms
    );
}

/// Where the exact method is cheap: instances of growing size (one request
/// for five offers, as above), `solve` with the service's limit.
fn growing() {
    let limit = Duration::from_secs(2);
    println!(
        "\n### Growing instances, `solve` with a {} s limit\n",
        limit.as_secs()
    );
    println!(
        "| requests × offers | pairs | suggest (people) | solve (people) | at most | most people proven | exact (then distance) | suggest km | solve km | solve time (ms) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (requests, offers) in [(25, 125), (50, 250), (100, 500), (200, 1000), (400, 2000)] {
        for seed in [2015, 2016] {
            let inst = instance(requests, offers, seed);
            let pairs: usize = inst.edges.iter().map(Vec::len).sum();
            let h = inst.score(&suggest(&inst));
            let started = Instant::now();
            let r = solve(&inst, limit);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let x = inst.score(&r.assignment);
            println!(
                "| {requests} × {offers} (seed {seed}) | {pairs} | {} | {} | {} | {} | {} | {:.1} | {:.1} | {ms:.0} |",
                h.people,
                x.people,
                r.at_most,
                if r.people_optimal { "yes" } else { "no" },
                if r.exact { "yes" } else { "no" },
                h.distance_m / 1000.0,
                x.distance_m / 1000.0,
            );
        }
    }
}

fn main() {
    if std::env::var("PO_ASSIGNMENT_PART").is_ok_and(|p| p == "growing") {
        growing();
        return;
    }
    for (label, requests, offers) in [
        ("1,000 requests × 5,000 offers", 1000, 5000),
        ("1,000 requests × 600 offers (scarce)", 1000, 600),
    ] {
        let inst = instance(requests, offers, 2015);
        let people: i32 = inst.sizes.iter().sum();
        let places: i32 = inst.capacities.iter().sum();
        println!("\n### {label}: {people} people waiting, {places} places\n");
        println!("| method | people sheltered | total distance (km) | median time (ms, 7 runs) |");
        println!("|---|---|---|---|");
        let g = greedy(&inst);
        let s = suggest(&inst);
        assert!(inst.is_valid(&g) && inst.is_valid(&s));
        row(
            "nearest-first greedy",
            inst.score(&g),
            median_ms(|| drop(greedy(&inst)), 7),
        );
        row(
            "suggest",
            inst.score(&s),
            median_ms(|| drop(suggest(&inst)), 7),
        );
        let bound = upper_bound(&inst);
        println!(
            "\nUpper bound (flow, tightened): {bound} people, {:.3} ms (median of 7).\n",
            median_ms(
                || {
                    std::hint::black_box(upper_bound(&inst));
                },
                7
            )
        );
        println!(
            "| solve, limit | people sheltered | total distance (km) | at most | gap to the bound | most people proven | exact (then distance) | median time (ms, 3 runs) |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        for limit in limits() {
            let r = solve(&inst, limit);
            assert!(inst.is_valid(&r.assignment));
            assert!(r.at_most <= bound);
            let sc = inst.score(&r.assignment);
            let ms = median_ms(|| drop(solve(&inst, limit)), 3);
            println!(
                "| {} s | {} | {:.1} | {} | {:.2} % | {} | {} | {:.1} |",
                limit.as_secs_f64(),
                sc.people,
                sc.distance_m / 1000.0,
                r.at_most,
                100.0 * f64::from(r.at_most - sc.people) / f64::from(r.at_most.max(1)),
                if r.people_optimal { "yes" } else { "no" },
                if r.exact { "yes" } else { "no" },
                ms
            );
        }
    }

    // small instances: against the exhaustive optimum
    let mut rng = StdRng::seed_from_u64(7);
    let (mut n, mut s_opt, mut g_opt, mut s_gap, mut g_gap) = (0, 0, 0, 0, 0);
    let (mut x_opt, mut x_gap, mut x_proven, mut tight, mut ms) = (0, 0, 0, 0, 0.0);
    let small_limit = Duration::from_secs(2);
    for _ in 0..2000 {
        let parties: Vec<(i32, f64)> = (0..rng.gen_range(2..=7))
            .map(|_| (rng.gen_range(1..=4), rng.gen_range(0.0..10_000.0)))
            .collect();
        let offers: Vec<(i32, f64)> = (0..rng.gen_range(1..=4))
            .map(|_| (rng.gen_range(1..=6), rng.gen_range(0.0..10_000.0)))
            .collect();
        let radius = rng.gen_range(2_000.0..8_000.0);
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
        let inst = Instance {
            sizes: parties.iter().map(|p| p.0).collect(),
            capacities: offers.iter().map(|o| o.0).collect(),
            edges,
        };
        let o = inst.score(&optimum(&inst));
        let s = inst.score(&suggest(&inst));
        let g = inst.score(&greedy(&inst));
        n += 1;
        if !o.beats(&s) {
            s_opt += 1;
        }
        if !o.beats(&g) {
            g_opt += 1;
        }
        s_gap += o.people - s.people;
        g_gap += o.people - g.people;
        let started = Instant::now();
        let r = solve(&inst, small_limit);
        ms += started.elapsed().as_secs_f64() * 1000.0;
        let x = inst.score(&r.assignment);
        assert!(inst.is_valid(&r.assignment));
        let bound = upper_bound(&inst);
        assert!(
            bound >= o.people && r.at_most >= o.people,
            "a bound below the optimum"
        );
        if !o.beats(&x) {
            x_opt += 1;
        }
        x_gap += o.people - x.people;
        if r.exact {
            x_proven += 1;
        }
        if bound == o.people {
            tight += 1;
        }
    }
    println!(
        "\n### {n} small random instances (2–7 parties, 1–4 offers) against the exhaustive optimum\n"
    );
    println!("| method | optimal (people, then distance) | people left out vs optimum, in all |");
    println!("|---|---|---|");
    println!("| nearest-first greedy | {g_opt} of {n} | {g_gap} |");
    println!("| suggest | {s_opt} of {n} | {s_gap} |");
    println!(
        "| solve ({} s limit) | {x_opt} of {n} ({x_proven} proven) | {x_gap} |",
        small_limit.as_secs()
    );
    growing();
    println!(
        "\nThe flow bound equals the optimum's people on {tight} of {n}; never below it. \
         `solve` took {:.2} ms per instance on average.",
        ms / f64::from(n)
    );
}

/// The time limits tried on the large instances (`PO_EXACT_LIMITS`).
fn limits() -> Vec<Duration> {
    std::env::var("PO_EXACT_LIMITS")
        .unwrap_or_else(|_| "2".to_owned())
        .split(',')
        .filter_map(|x| x.trim().parse::<f64>().ok())
        .filter(|x| x.is_finite() && *x >= 0.0)
        .map(Duration::from_secs_f64)
        .collect()
}
