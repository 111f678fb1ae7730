//! The order, the filters, and nearest-first against a scan.

use super::*;
use crate::domain::privacy::PrivacyGrid;
use crate::domain::values::Coordinates;
use proptest::prelude::*;

const NOW: Millis = 1_800_000_000_000;

fn offer(i: usize, lat: f64, lon: f64, capacity: i32) -> OfferSnapshot {
    let grid = PrivacyGrid::new(500, b"k");
    let host = format!("acc_{i}");
    OfferSnapshot {
        id: OfferId::from_db(format!("off_{i}")),
        host_id: AccountId::from_db(host.clone()),
        open: true,
        capacity,
        accepted: 0,
        holds: vec![],
        cell: grid.publish(Coordinates::new(lat, lon).unwrap(), &host),
        available_from: NOW - 1000,
        available_until: NOW + 3_600_000,
        accommodates: Accommodates::default(),
        languages: Languages::from_db("fr"),
        host_verified: false,
        host: HostRecord::default(),
    }
}

fn query(langs: &Languages) -> Query<'_> {
    Query {
        request_id: "req_x",
        lat: 48.8566,
        lon: 2.3522,
        party_size: 2,
        needs: Needs::default(),
        languages: langs,
        radius_m: 10_000.0,
        limit: 10,
        now: NOW,
        rules: Rules::default(),
    }
}

#[test]
fn expired_holds_stop_counting_at_once() {
    let mut o = offer(1, 48.85, 2.35, 4);
    o.holds.push(Hold {
        match_id: MatchId::from_db("m".into()),
        places: 3,
        expires_at: NOW + 1,
    });
    assert_eq!(o.remaining(NOW), 1);
    assert_eq!(o.remaining(NOW + 1), 4);
}

#[test]
fn hard_filters() {
    let langs = Languages::default();
    let q = query(&langs);
    let mut closed = offer(1, 48.8566, 2.3522, 4);
    closed.open = false;
    assert!(evaluate(&closed, &q).is_none());
    let mut later = offer(2, 48.8566, 2.3522, 4);
    later.available_from = NOW + 1;
    assert!(evaluate(&later, &q).is_none());
    let mut ended = offer(3, 48.8566, 2.3522, 4);
    ended.available_until = NOW;
    assert!(evaluate(&ended, &q).is_none());
    assert!(
        evaluate(&offer(4, 48.8566, 2.3522, 1), &q).is_none(),
        "too small"
    );
    assert!(
        evaluate(&offer(5, 49.5, 2.3522, 4), &q).is_none(),
        "too far"
    );
    let mut pets = q.clone();
    pets.needs.pets = true;
    assert!(evaluate(&offer(6, 48.8566, 2.3522, 4), &pets).is_none());
    assert!(evaluate(&offer(7, 48.8566, 2.3522, 4), &q).is_some());
}

#[test]
fn same_cell_prefers_the_tightest_fit_then_languages() {
    let langs = Languages::from_db("ar");
    let q = query(&langs);
    let mut a = offer(1, 48.8566, 2.3522, 10);
    let mut b = offer(2, 48.8566, 2.3522, 3);
    let mut c = offer(3, 48.8566, 2.3522, 3);
    // put them all in one cell, as if the same host offered them
    b.cell = a.cell.clone();
    c.cell = a.cell.clone();
    c.languages = Languages::from_db("ar,fr");
    a.languages = Languages::from_db("ar");
    let ranked = best_by_scan([&a, &b, &c], &q);
    let ids: Vec<_> = ranked.iter().map(|r| r.offer.id.as_str()).collect();
    assert_eq!(ids, ["off_3", "off_2", "off_1"]);
}

#[test]
fn answering_hosts_first_but_never_a_band_further() {
    let langs = Languages::default();
    let q = query(&langs);
    let mut silent = offer(1, 48.8566, 2.3522, 2);
    silent.host.expired = 1;
    let mut fresh = offer(2, 48.8566, 2.3522, 2);
    let mut present = offer(3, 48.8566, 2.3522, 2);
    present.host.seen_at = Some(NOW - 60_000);
    // one cell, one distance
    fresh.cell = silent.cell.clone();
    present.cell = silent.cell.clone();
    let mut far_present = offer(4, 48.8566 + 0.03, 2.3522, 2);
    far_present.host.seen_at = Some(NOW);
    let ranked = best_by_scan([&silent, &fresh, &present, &far_present], &q);
    let ids: Vec<_> = ranked.iter().map(|r| r.offer.id.as_str()).collect();
    assert_eq!(ids, ["off_3", "off_2", "off_1", "off_4"]);
    assert!(ranked[3].distance_m > 3_000.0);
}

#[test]
fn small_parties_leave_large_doors_in_their_band() {
    let langs = Languages::default();
    let mut q = query(&langs);
    q.party_size = 1;
    // the large door is a little nearer, in the same band
    let large = offer(1, 48.8566, 2.3522, 4);
    let small = offer(2, 48.8566 + 0.004, 2.3522, 1);
    let ranked = best_by_scan([&large, &small], &q);
    let ids: Vec<_> = ranked.iter().map(|r| r.offer.id.as_str()).collect();
    assert_eq!(ids, ["off_2", "off_1"]);
    // a party of three goes to the large door
    q.party_size = 3;
    let ranked = best_by_scan([&large, &small], &q);
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0].offer.id.as_str(), "off_1");
}

#[test]
fn young_large_doors_are_kept_for_large_parties() {
    let langs = Languages::default();
    let mut q = query(&langs);
    let minute = 60_000;
    let reserve = 10 * minute;
    let large = offer(1, 48.8566, 2.3522, 3);
    let small = offer(2, 48.8566, 2.3522, 2);
    for (size, door, large_door) in [(1, &large, true), (2, &large, true), (3, &large, false)]
        .into_iter()
        .chain([(1, &small, false), (2, &small, false)])
    {
        q.party_size = size;
        let r = best_by_scan([door], &q);
        assert_eq!(r[0].large_door(), large_door, "party of {size}");
        let opened = NOW - 5 * minute;
        assert_eq!(
            kept_for_larger(r[0].large_door(), opened, NOW, reserve),
            large_door
        );
        // to the millisecond: kept until the reserve has passed, then free
        let at_edge = NOW - reserve + 1;
        assert_eq!(
            kept_for_larger(r[0].large_door(), at_edge, NOW, reserve),
            large_door
        );
        assert!(!kept_for_larger(
            r[0].large_door(),
            NOW - reserve,
            NOW,
            reserve
        ));
        // a reserve of zero keeps nothing
        assert!(!kept_for_larger(r[0].large_door(), NOW, NOW, 0));
    }
}

#[test]
fn mirror_view_filters_and_orders() {
    let o = offer(1, 48.8566, 2.3522, 4);
    let grid = PrivacyGrid::new(500, b"k");
    let mk = |id: &str, lat: f64, size: i32, at: Millis| RequestSnapshot {
        id: RequestId::from_db(id.into()),
        cell: grid.publish(Coordinates::new(lat, 2.3522).unwrap(), id),
        party_size: size,
        needs: Needs::default(),
        languages: Languages::default(),
        created_at: at,
    };
    let reqs = vec![
        mk("far", 48.95, 1, 0),
        mk("big", 48.8566, 5, 0),
        mk("near", 48.8566, 2, 5),
    ];
    let ranked = rank_requests(&o, 4, reqs, 50_000.0, 10, &Rules::default());
    let ids: Vec<_> = ranked.iter().map(|r| r.request.id.as_str()).collect();
    assert_eq!(ids, ["near", "far"]);
}

proptest! {
    /// Nearest-first with early stop gives exactly the scan's answer.
    #[test]
    fn nearest_first_equals_scan(
        pts in prop::collection::vec((48.80f64..48.92, 2.25f64..2.45, 1i32..6, any::<bool>()), 0..120),
        limit in 1usize..12,
        party in 1i32..4,
        radius in 500.0f64..8000.0,
    ) {
        let offers: Vec<OfferSnapshot> = pts.iter().enumerate().map(|(i, (la, lo, cap, open))| {
            let mut o = offer(i, *la, *lo, *cap);
            o.open = *open;
            o
        }).collect();
        let langs = Languages::default();
        let mut q = query(&langs);
        q.limit = limit;
        q.party_size = party;
        q.radius_m = radius;
        let mut sorted: Vec<&OfferSnapshot> = offers.iter().collect();
        sorted.sort_by(|a, b| metres_between(q.lat, q.lon, a.cell.lat, a.cell.lon)
            .total_cmp(&metres_between(q.lat, q.lon, b.cell.lat, b.cell.lon)));
        let fast = best_nearest_first(sorted.into_iter().map(|o| (metres_between(q.lat, q.lon, o.cell.lat, o.cell.lon), o)), &q);
        let slow = best_by_scan(offers.iter(), &q);
        prop_assert_eq!(fast, slow);
    }
}
