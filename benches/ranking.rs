//! The ranking alone, without HTTP or database: nearest-first search in the
//! in-memory index against a linear scan, at 10k, 100k and 1M offers
//! clustered like France (dense Paris, sparser suburbs, other cities).
//! Run: cargo bench --bench ranking (results in docs/BENCHMARKS.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use porte_ouverte::db::models::OfferRow;
use porte_ouverte::domain::ids::{AccountId, OfferId};
use porte_ouverte::domain::privacy::PrivacyGrid;
use porte_ouverte::domain::ranking::{OfferSnapshot, Query, best_by_scan};
use porte_ouverte::domain::values::{Coordinates, Languages, Needs};
use porte_ouverte::index::{OfferIndex, snapshot};
use porte_ouverte::seed::point;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::hint::black_box;
use std::time::Duration;

const NOW: i64 = 1_800_000_000_000;

fn rows(n: usize) -> Vec<OfferRow> {
    let grid = PrivacyGrid::new(500, b"bench secret");
    let mut rng = StdRng::seed_from_u64(13);
    (0..n)
        .map(|i| {
            let (lat, lon) = point(&mut rng, "france");
            let host = format!("acc_{}", i / 3);
            let cell = grid.publish(Coordinates::new(lat, lon).unwrap(), &host);
            OfferRow {
                id: OfferId::from_db(format!("off_{i:08}")),
                host_id: AccountId::from_db(host),
                status: porte_ouverte::domain::states::OfferStatus::Open,
                capacity: rng.gen_range(1..=6),
                accepted_places: 0,
                lat,
                lon,
                address: String::new(),
                cell: cell.id,
                cell_lat: cell.lat,
                cell_lon: cell.lon,
                available_from: NOW - 3_600_000,
                available_until: NOW + 86_400_000,
                contact_phone: None,
                contact_email: None,
                notes: None,
                accessible: rng.gen_bool(0.15),
                pets_ok: rng.gen_bool(0.3),
                children_ok: rng.gen_bool(0.6),
                women_only: rng.gen_bool(0.08),
                languages: "fr".into(),
                created_at: NOW,
                updated_at: NOW,
                host_verified: i % 2 == 0,
                host_suspended: false,
                hidden: false,
                host_seen_at: None,
                answers_accepted: 0,
                answers_declined: 0,
                holds_expired: 0,
                declines_in_row: 0,
                answer_ms_avg: None,
                paused_at: None,
                paused_reason: None,
            }
        })
        .collect()
}

fn queries() -> Vec<(f64, f64, i32)> {
    let mut rng = StdRng::seed_from_u64(99);
    (0..1000)
        .map(|_| {
            let (lat, lon) = point(&mut rng, "france");
            (lat, lon, rng.gen_range(1..=3))
        })
        .collect()
}

fn query<'a>(q: &(f64, f64, i32), langs: &'a Languages, i: usize) -> Query<'a> {
    Query {
        rules: porte_ouverte::domain::safeguarding::Rules::default(),
        request_id: if i % 2 == 0 { "req_a" } else { "req_b" },
        lat: q.0,
        lon: q.1,
        party_size: q.2,
        needs: Needs::default(),
        languages: langs,
        radius_m: 5_000.0,
        limit: 10,
        now: NOW,
    }
}

/// Criterion reports per-sample means; this prints the spread over single
/// queries (each timed alone, three rounds over the 1000 positions).
fn per_query_percentiles(index: &OfferIndex, qs: &[(f64, f64, i32)], langs: &Languages, n: usize) {
    let mut times: Vec<f64> = Vec::with_capacity(qs.len() * 3);
    for _ in 0..3 {
        for (i, q) in qs.iter().enumerate() {
            let t = std::time::Instant::now();
            black_box(index.search(&query(q, langs, i), |r| r.remaining));
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "per-query rtree_nearest_first/{n}: p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        times[times.len() - 1]
    );
}

fn bench(c: &mut Criterion) {
    let qs = queries();
    let langs = Languages::from_db("fr,en");
    let mut g = c.benchmark_group("candidates_10_within_5km");
    g.sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for n in [10_000usize, 100_000, 1_000_000] {
        let rs = rows(n);
        let index = OfferIndex::new();
        index.load(&rs, &[], NOW);
        per_query_percentiles(&index, &qs, &langs, n);
        let mut i = 0usize;
        g.bench_with_input(BenchmarkId::new("rtree_nearest_first", n), &n, |b, _| {
            b.iter(|| {
                i = (i + 1) % qs.len();
                black_box(index.search(&query(&qs[i], &langs, i), |r| r.remaining))
            })
        });
        if n <= 100_000 {
            let snaps: Vec<OfferSnapshot> = rs.iter().map(|r| snapshot(r, &[])).collect();
            let mut j = 0usize;
            g.bench_with_input(BenchmarkId::new("linear_scan", n), &n, |b, _| {
                b.iter(|| {
                    j = (j + 1) % qs.len();
                    black_box(best_by_scan(snaps.iter(), &query(&qs[j], &langs, j)).len())
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
