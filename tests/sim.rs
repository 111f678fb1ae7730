//! The crisis-night simulator end to end on a tiny night (debug build):
//! the real services on a real SQLite file, a manual clock.
#![allow(clippy::unwrap_used)]

use porte_ouverte::config::Config;
use porte_ouverte::sim::{self, Params, Policy};

#[test]
fn a_tiny_night_keeps_the_invariants() {
    let params = Params {
        seed: 7,
        guests: 40,
        offers: 30,
        minutes: 30,
        hosts_one_by_one: false,
        least_walk: true,
    };
    let config = Config::defaults_for("sqlite://unused.db");
    let (r, ledger) = sim::run(&config, &params, Policy::Baseline).unwrap();
    eprintln!("{}", r.markdown());
    assert_eq!(r.overbookings, 0, "no door is ever overbooked");
    assert_eq!(r.sweeps, 61, "a sweep every 30 s, and one at the end");
    assert!(r.persons_placed <= r.persons_bound, "placed ≤ the bound");
    assert!(r.persons_bound <= r.persons);
    assert!(r.parties_placed > 0, "someone finds a bed in half an hour");
    // the loop's record and the database agree
    assert_eq!(
        ledger.matches, r.asks_by_guests,
        "every ask is a stored proposal"
    );
    assert_eq!(ledger.places_accepted, r.persons_placed);
    assert_eq!(ledger.requests_matched, r.parties_placed);
    assert_eq!(r.acceptances, r.parties_placed);
    let mean = r.asks_per_guest.mean.unwrap();
    assert!((mean * 40.0 - r.asks_by_guests as f64).abs() < 1e-6);
    assert!(r.asks_to_decliners + r.asks_to_silent <= r.asks_by_guests);
    assert!(r.holds_expired >= r.asks_to_silent.min(1));
    // hosts come to their page and answer (a second answer to one ask
    // would have stopped the night with an error); with guests asking by
    // hand, every host answer ends in exactly one of the counted outcomes
    assert!(r.host_visits > 0, "hosts answer");
    assert_eq!(
        r.declines
            + r.acceptances
            + r.dead_answers_placed_elsewhere
            + r.dead_answers_expired
            + r.dead_answers_other,
        r.host_visits + r.answered_on_visit,
        "every host answer is counted once"
    );
    assert!(r.acceptances_skipping_older <= r.acceptances);
    assert!(
        r.acceptances_skipping_free <= r.acceptances_skipping_older,
        "a skip of a party with an ask to spare is a skip"
    );
    let by_size: usize = r.by_size.iter().map(|s| s.parties).sum();
    assert_eq!(by_size, 40);
    let placed: usize = r.by_size.iter().map(|s| s.placed).sum();
    assert_eq!(placed, r.parties_placed);
    assert!(r.by_size.iter().all(|s| s.share <= s.bound_share + 1e-9));
    let t = r.minutes_to_accepted;
    assert!(t.median.unwrap() > 0.0 && t.median <= t.p90 && t.p90.unwrap() <= 30.0);
    // to the door: the same parties' wait, then their walk at WALK_KMH
    let (d, w) = (r.minutes_to_door, r.walking_km);
    assert!(d.median >= t.median && d.p90 >= t.p90);
    let walk_min = w.mean.unwrap() / porte_ouverte::sim::measure::WALK_KMH * 60.0;
    assert!((d.mean.unwrap() - t.mean.unwrap() - walk_min).abs() < 1e-6);
    // nobody walks less than to their nearest compatible door
    let n = r.walking_km_nearest;
    let (nm, np, nmean) = (n.median.unwrap(), n.p90.unwrap(), n.mean.unwrap());
    assert!(nm > 0.0 && nm <= np && nmean > 0.0);
    assert!(nm <= w.median.unwrap() && np <= w.p90.unwrap() && nmean <= w.mean.unwrap());
    // with competition for the places: no placement of as many persons
    // walks less per person, and this night's is one of them
    let (per, least) = (r.walking_km_persons, r.walking_km_least);
    assert!(least.mean.unwrap() > 0.0 && per.mean.unwrap() > 0.0);
    assert!(least.mean.unwrap() <= per.mean.unwrap() + 1e-9);
    let (per, least) = (r.minutes_to_door_persons, r.minutes_to_door_least);
    assert!(least.mean.unwrap() > 0.0 && least.mean.unwrap() <= per.mean.unwrap() + 1e-9);
    // the lower bound on time: no party is placed sooner than it allows
    let b = &r.minutes_bound;
    assert!(b.placeable >= r.parties_placed && b.placeable <= 40);
    let le = |bound: Option<f64>, measured: Option<f64>| bound.unwrap() <= measured.unwrap() + 1e-9;
    assert!(le(b.as_many_as_placed.median, t.median));
    assert!(le(b.as_many_as_placed.p90, t.p90));
    assert!(b.over_placeable.median.unwrap() > 0.0);
    // with competition for places: still below the measure, and no lower
    // than the bound without it, less one grid step
    let c = b.with_competition;
    assert!(c.median.unwrap() < t.median.unwrap() && c.p90.unwrap() < t.p90.unwrap());
    assert!(c.median.unwrap() + 0.1 + 1e-9 >= b.as_many_as_placed.median.unwrap());
    // over every party (None: ∞), the bound stays below the measure
    let le_inf = |bound: Option<f64>, measured: Option<f64>| match (bound, measured) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(x), Some(y)) => x <= y + 1e-9,
    };
    let all = r.minutes_to_accepted_all;
    assert!(le_inf(b.over_all.median, all.median));
    assert!(le_inf(b.over_all.p90, all.p90));
    // the figures are written as a table and as JSON
    let dir = tempfile::tempdir().unwrap();
    let json = sim::write(&r, &dir.path().join("night.md")).unwrap();
    let back: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    assert_eq!(back["parties_placed"], r.parties_placed);
    assert_eq!(back["minutes_bound"]["placeable"], b.placeable);
    let md = std::fs::read_to_string(dir.path().join("night.md")).unwrap();
    assert!(md.contains("| Overbookings (checked at every sweep) | 0 (over 61 sweeps) |"));
}

/// The platform asking for every guest, on both host models: the same
/// invariants, and a host who answers one ask at a time answers nothing in
/// another ask's visit.
#[test]
fn the_platform_asking_keeps_the_invariants_on_both_host_models() {
    for one_by_one in [false, true] {
        let params = Params {
            seed: 11,
            guests: 40,
            offers: 30,
            minutes: 30,
            hosts_one_by_one: one_by_one,
            least_walk: false,
        };
        let config = Config::defaults_for("sqlite://unused.db");
        // a second answer to one ask would stop the night with an error
        let (r, ledger) = sim::run(&config, &params, Policy::Now).unwrap();
        // the walk's bounds with competition only when asked
        assert_eq!(r.walking_km_least.mean, None);
        assert_eq!(r.minutes_to_door_least.mean, None);
        assert!(r.walking_km_persons.mean.is_some());
        eprintln!("{}", r.markdown());
        assert_eq!(r.hosts_one_by_one, one_by_one);
        assert_eq!(r.overbookings, 0, "no door is ever overbooked");
        assert_eq!(r.asks_by_guests, 0, "nobody asks by hand");
        assert!(r.asks_by_others > 0, "the platform asks");
        assert!(r.asks_by_others <= ledger.matches);
        assert_eq!(ledger.places_accepted, r.persons_placed);
        assert_eq!(ledger.requests_matched, r.parties_placed);
        assert!(r.parties_placed > 0, "someone finds a bed in half an hour");
        assert!(r.host_visits > 0, "hosts answer");
        if one_by_one {
            assert_eq!(r.answered_on_visit, 0);
        }
    }
}
