//! The index against a scan of every snapshot.

use super::*;
use crate::domain::ids::{AccountId, MatchId, OfferId, RequestId};
use crate::domain::ranking::best_by_scan;
use crate::domain::values::Needs;
use std::collections::HashMap;

fn row(i: usize, lat: f64, lon: f64, cell: &str) -> OfferRow {
    OfferRow {
        id: OfferId::from_db(format!("off_{i}")),
        host_id: AccountId::from_db("acc".into()),
        status: OfferStatus::Open,
        capacity: 1 + (i % 4) as i32,
        accepted_places: 0,
        lat,
        lon,
        address: String::new(),
        cell: cell.into(),
        cell_lat: lat,
        cell_lon: lon,
        available_from: 0,
        available_until: 10_000,
        contact_phone: None,
        contact_email: None,
        notes: None,
        accessible: false,
        pets_ok: false,
        children_ok: false,
        women_only: false,
        languages: String::new(),
        created_at: 0,
        updated_at: 1,
        host_verified: false,
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
}

fn q(langs: &Languages) -> Query<'_> {
    Query {
        rules: crate::domain::safeguarding::Rules::default(),
        request_id: "r",
        lat: 48.85,
        lon: 2.35,
        party_size: 1,
        needs: Needs::default(),
        languages: langs,
        radius_m: 50_000.0,
        limit: 5,
        now: 5,
    }
}

#[test]
fn upserts_moves_and_removals_keep_cells_consistent() {
    let idx = OfferIndex::new();
    let rows: Vec<OfferRow> = (0..30)
        .map(|i| {
            row(
                i,
                48.85 + (i % 5) as f64 * 0.01,
                2.35,
                &format!("c{}", i % 5),
            )
        })
        .collect();
    idx.load(&rows, &[], 5);
    let langs = Languages::default();
    let ids = |v: Vec<String>| v;
    let snaps: Vec<OfferSnapshot> = rows.iter().map(|r| snapshot(r, &[])).collect();
    let expect = best_by_scan(snaps.iter(), &q(&langs))
        .iter()
        .map(|r| r.offer.id.to_string())
        .collect::<Vec<_>>();
    assert_eq!(
        ids(idx.search(&q(&langs), |r| r.offer.id.to_string())),
        expect
    );

    // move offer 0 to another cell, close offer 1, reopen later with an old version
    let mut moved = rows[0].clone();
    moved.cell = "far".into();
    moved.cell_lat = 49.5;
    moved.updated_at = 2;
    let mut closed = rows[1].clone();
    closed.status = OfferStatus::Closed;
    closed.updated_at = 2;
    idx.apply(&[moved, closed], &[], 5);
    assert_eq!(idx.len(), 29);
    idx.apply(&[rows[1].clone()], &[], 5); // stale read (version 1) of a removed offer
    let found = idx.search(&q(&langs), |r| r.offer.id.to_string());
    assert!(!found.contains(&"off_0".to_string()));
    for r in &rows[2..] {
        idx.remove(&r.id);
    }
    idx.remove(&OfferId::from_db("off_1".into()));
    idx.remove(&OfferId::from_db("off_0".into()));
    assert!(idx.is_empty());
    assert_eq!(idx.read().tree.size(), 0, "empty cells leave the tree");
    assert!(idx.read().cells.is_empty());
}

/// Two offers whose tie-break keys are equal: the second is kept by its ID,
/// and a lookup that lands on the other's cell is not taken for an answer.
/// (A real collision cannot be made on purpose: the key of `off_2` is
/// marked as taken by offer `off_1`'s cell.)
#[test]
fn offers_whose_keys_collide_are_told_apart() {
    let idx = OfferIndex::new();
    let one = row(1, 48.85, 2.35, "c1");
    idx.load(std::slice::from_ref(&one), &[], 5);
    let at_one = idx.read().cell_of.get("off_1").expect("indexed");
    idx.write().cell_of.occupy_key_of("off_2", at_one);
    let len = idx.read().cell_of.len();

    // off_2 is not indexed, though its key points at off_1's cell
    assert!(idx.get(&OfferId::from_db("off_2".into())).is_none());
    idx.remove(&OfferId::from_db("off_2".into()));
    assert_eq!(
        idx.read().cell_of.len(),
        len,
        "the other offer's entry stays"
    );

    // indexed in another cell, it is found, updated and removed by its ID
    let mut two = row(2, 48.90, 2.40, "c2");
    idx.apply(std::slice::from_ref(&two), &[], 5);
    assert_eq!(idx.get(&two.id).map(|s| s.cell.id), Some("c2".to_owned()));
    two.capacity = 3;
    two.updated_at = 2;
    idx.apply(std::slice::from_ref(&two), &[], 5);
    assert_eq!(idx.get(&two.id).map(|s| s.capacity), Some(3));
    assert_eq!(idx.read().cell_of.len(), len + 1);
    idx.remove(&two.id);
    assert!(idx.get(&two.id).is_none());
    assert_eq!(idx.get(&one.id).map(|s| s.cell.id), Some("c1".to_owned()));
    assert_eq!(idx.read().cell_of.len(), len);
}

/// An offer of the property test: a few cells, every capacity and host
/// record that changes the order, holds that run out, windows that end.
#[derive(Debug, Clone)]
struct Gen {
    cell: usize,
    capacity: i32,
    accepted: i32,
    hold: Option<(i32, i64)>,
    seen_at: Option<i64>,
    record: (i32, i32, i32, Option<i64>),
    flags: (bool, bool, bool, bool, bool),
    until: i64,
    langs: usize,
}

fn arb_offer() -> impl proptest::strategy::Strategy<Value = Gen> {
    use proptest::prelude::*;
    (
        (0usize..6, 1i32..8, 0i32..3),
        proptest::option::of((1i32..4, 0i64..400)),
        proptest::option::of(-2_000_000i64..300),
        (
            0i32..3,
            0i32..3,
            0i32..2,
            proptest::option::of(0i64..800_000),
        ),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        (50i64..500, 0usize..3),
    )
        .prop_map(
            |((cell, capacity, accepted), hold, seen_at, record, flags, (until, langs))| Gen {
                cell,
                capacity,
                accepted,
                hold,
                seen_at,
                record,
                flags,
                until,
                langs,
            },
        )
}

fn gen_row(i: usize, g: &Gen) -> (OfferRow, Vec<MatchRow>) {
    // six cells a few hundred metres to a few km apart: bands 0 to 3
    let lat = 48.85 + g.cell as f64 * 0.006;
    let mut r = row(i, lat, 2.35, &format!("cell{}", g.cell));
    r.host_id = AccountId::from_db(format!("acc_{}", i % 4));
    r.capacity = g.capacity;
    r.accepted_places = g.accepted;
    r.host_seen_at = g.seen_at;
    (
        r.answers_accepted,
        r.answers_declined,
        r.holds_expired,
        r.answer_ms_avg,
    ) = g.record;
    (
        r.accessible,
        r.pets_ok,
        r.children_ok,
        r.women_only,
        r.host_verified,
    ) = g.flags;
    r.available_until = g.until;
    r.languages = ["", "fr", "ar,fr"][g.langs].into();
    let holds = g
        .hold
        .map(|(places, expires_at)| MatchRow {
            id: MatchId::from_db(format!("m_{i}")),
            request_id: RequestId::from_db("other".into()),
            offer_id: r.id.clone(),
            party_size: places,
            status: Status::Proposed,
            proposed_by: crate::domain::matching::Side::Guest,
            guest_consent_at: None,
            host_consent_at: None,
            expires_at,
            created_at: 0,
            updated_at: 0,
            accepted_at: None,
            arrived_at: None,
            on_behalf: false,
            opened_at: None,
        })
        .into_iter()
        .collect();
    (r, holds)
}

proptest::proptest! {
    /// Whatever the offers, their holds and hosts, and however much time has
    /// passed since they were indexed (holds running out, hosts' visits
    /// ageing, windows ending), the index answers exactly what a scan of
    /// every snapshot answers — with offers left out before ranking too.
    #[test]
    fn index_equals_scan_as_time_passes(
        offers in proptest::collection::vec(arb_offer(), 0..120),
        updated in proptest::collection::vec((0usize..80, arb_offer()), 0..10),
        later in proptest::collection::vec(-6i64..1_000_000, 1..4),
        party in 1i32..5,
        limit in 1usize..12,
        needs in (proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>()),
        rules in (proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>()),
        skip_host in proptest::option::of(0usize..4),
        (request, query_langs) in (0u32..1_000, 0usize..3),
    ) {
        let built: Vec<(OfferRow, Vec<MatchRow>)> =
            offers.iter().enumerate().map(|(i, g)| gen_row(i, g)).collect();
        let rows: Vec<OfferRow> = built.iter().map(|b| b.0.clone()).collect();
        let holds: Vec<MatchRow> = built.iter().flat_map(|b| b.1.clone()).collect();
        let idx = OfferIndex::new();
        idx.load(&rows, &holds, 5);
        let mut snaps: HashMap<OfferId, OfferSnapshot> = built
            .iter()
            .filter(|(r, _)| r.available_until > 5)
            .map(|(r, h)| (r.id.clone(), snapshot(r, h)))
            .collect();
        // some offers change after the load (a newer version, at time 7)
        for (i, g) in &updated {
            if *i < rows.len() {
                let (mut r, h) = gen_row(*i, g);
                r.updated_at = 2;
                idx.apply(std::slice::from_ref(&r), &h, 7);
                snaps.remove(&r.id);
                if r.available_until > 7 {
                    snaps.insert(r.id.clone(), snapshot(&r, &h));
                }
            }
        }
        // a request of its own (where its tie-break rotation starts), with
        // no language, one, or two
        let request_id = format!("req_{request}");
        let langs = Languages::from_db(["", "fr", "ar,fr"][query_langs]);
        for now in later.iter().map(|t| 7 + t) {
            let mut q = q(&langs);
            q.request_id = &request_id;
            q.party_size = party;
            q.limit = limit;
            q.radius_m = 2_500.0;
            q.now = now;
            q.needs = Needs { accessible: needs.0, pets: needs.1, children: needs.2, women_only: false };
            q.rules.women_only_needs_verified_host = rules.0;
            q.rules.children_need_verified_host = rules.1;
            let skip = |host: &str| skip_host.is_some_and(|h| host == format!("acc_{h}"));
            let mut expect_q = q.clone();
            expect_q.limit = snaps.len().max(1);
            let expect: Vec<String> = best_by_scan(snaps.values(), &expect_q)
                .iter()
                .filter(|r| !skip(r.offer.host_id.as_str()))
                .take(limit)
                .map(|r| r.offer.id.to_string())
                .collect();
            let found = idx.search_excluding(&q, |_, host| skip(host), |r| r.offer.id.to_string());
            proptest::prop_assert_eq!(found, expect, "at {}", now);
        }
    }
}

proptest::proptest! {
    /// A dense cell of offers that tie on everything but the tie-break (a
    /// few rungs, a few language sets): each request reads its own rotation
    /// of a rung from where it starts and stops early, and still answers
    /// exactly what a scan answers.
    #[test]
    fn dense_ties_read_from_the_rotation_equal_a_scan(
        offers in proptest::collection::vec((1i32..4, 0usize..3, proptest::option::of(0i64..40)), 1..300),
        request in 0u32..100_000,
        party in 1i32..4,
        limit in 1usize..15,
        query_langs in 0usize..3,
        skip_host in proptest::option::of(0usize..4),
    ) {
        let built: Vec<(OfferRow, Vec<MatchRow>)> = offers
            .iter()
            .enumerate()
            .map(|(i, &(capacity, langs, hold))| {
                let g = Gen {
                    cell: i % 2,
                    capacity,
                    accepted: 0,
                    hold: hold.map(|at| (1, at)),
                    seen_at: None,
                    record: (0, 0, 0, None),
                    flags: (false, false, false, false, false),
                    until: 500,
                    langs,
                };
                gen_row(i, &g)
            })
            .collect();
        let rows: Vec<OfferRow> = built.iter().map(|b| b.0.clone()).collect();
        let holds: Vec<MatchRow> = built.iter().flat_map(|b| b.1.clone()).collect();
        let idx = OfferIndex::new();
        idx.load(&rows, &holds, 5);
        let snaps: Vec<OfferSnapshot> = built.iter().map(|(r, h)| snapshot(r, h)).collect();
        let request_id = format!("req_{request}");
        let langs = Languages::from_db(["", "fr", "ar,fr"][query_langs]);
        let mut q = q(&langs);
        q.request_id = &request_id;
        q.party_size = party;
        q.limit = limit;
        q.radius_m = 2_500.0;
        q.now = 20;
        let skip = |host: &str| skip_host.is_some_and(|h| host == format!("acc_{h}"));
        let mut expect_q = q.clone();
        expect_q.limit = snaps.len();
        let expect: Vec<String> = best_by_scan(snaps.iter(), &expect_q)
            .iter()
            .filter(|r| !skip(r.offer.host_id.as_str()))
            .take(limit)
            .map(|r| r.offer.id.to_string())
            .collect();
        let found = idx.search_excluding(&q, |_, host| skip(host), |r| r.offer.id.to_string());
        proptest::prop_assert_eq!(found, expect);
    }
}
