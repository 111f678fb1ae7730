//! The night's figures: what is measured, the percentile rule, and the
//! markdown table and JSON written by `simulate` and the bench.

use serde::Serialize;

mod table;

/// The p-th percentile (0–100) of `values`, linearly interpolated between
/// the closest ranks (the "type 7" rule of R and NumPy); `None` when empty.
/// Values may be infinite (a party never placed): a percentile that falls
/// on or after an infinite value is infinite.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = (p.clamp(0.0, 100.0) / 100.0) * (v.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    if v[hi] == v[lo] {
        return Some(v[lo]); // also ∞ and ∞, whose difference is NaN
    }
    Some(v[lo] + (v[hi] - v[lo]) * (rank - lo as f64))
}

/// Median and 90th percentile of times where a party never placed counts
/// as ∞; in JSON, `null` is ∞.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tail {
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl Tail {
    /// Over `values`, infinite ones included (empty: ∞).
    pub fn of(values: &[f64]) -> Self {
        let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
        Self {
            median: finite(percentile(values, 50.0)),
            p90: finite(percentile(values, 90.0)),
        }
    }
}

/// The lower bound on minutes from request to accepted (`bound.rs`,
/// `earliest_accepted`: each party alone, the best door at the best
/// instant, the host's quickest answer), read three ways.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimeBound {
    /// parties with at least one compatible door (a finite bound)
    pub placeable: usize,
    /// over those parties: taken like `minutes_to_accepted`, over the
    /// parties placed (here, placed by the bound)
    pub over_placeable: Spread,
    /// over every party, one with no compatible door counting as ∞
    pub over_all: Tail,
    /// over the `parties_placed` smallest bounds: no night that places as
    /// many parties as this one can show a lower `minutes_to_accepted`
    pub as_many_as_placed: Spread,
    /// with competition for places (`bound::need_th_time`, on a 0.1-min
    /// grid): no night placing as many parties as this one can show a
    /// median / p90 of `minutes_to_accepted` at or below these (`None`:
    /// not computed, or no bound within the night)
    pub with_competition: Tail,
}

impl TimeBound {
    /// From each party's bound in minutes (∞: no compatible door), and the
    /// number of parties the night placed.
    pub fn of(minutes: &[f64], placed: usize) -> Self {
        let mut finite: Vec<f64> = minutes.iter().copied().filter(|m| m.is_finite()).collect();
        finite.sort_by(f64::total_cmp);
        Self {
            placeable: finite.len(),
            over_placeable: Spread::of(&finite),
            over_all: Tail::of(minutes),
            as_many_as_placed: Spread::of(&finite[..placed.min(finite.len())]),
            with_competition: Tail::default(),
        }
    }
}

/// Median and 90th percentile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub mean: Option<f64>,
}

impl Spread {
    pub fn of(values: &[f64]) -> Self {
        Self {
            median: percentile(values, 50.0),
            p90: percentile(values, 90.0),
            mean: (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64),
        }
    }
}

/// Placement of one party size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct BySize {
    pub size: i32,
    pub parties: usize,
    pub placed: usize,
    /// parties placed / parties of this size
    pub share: f64,
    /// the offline bound for this size alone, as a share of its persons
    pub bound_share: f64,
}

/// Placement of a group of party sizes (1–2, 3–4), against what supply
/// allows that group alone: the fairness figure of the issue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ByGroup {
    /// smallest and largest party size of the group
    pub sizes: (i32, i32),
    pub parties: usize,
    pub placed: usize,
    /// parties placed / parties of the group
    pub share: f64,
    /// the offline bound for this group alone, as a share of its persons
    pub bound_share: f64,
}

impl ByGroup {
    /// The share placed over the share supply allows (1.0: all it allows).
    pub fn against_supply(&self) -> f64 {
        if self.bound_share > 0.0 {
            self.share / self.bound_share
        } else {
            0.0
        }
    }
}

/// Parties by the hour of the night they arrived in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ByHour {
    /// 0 for the first hour of the night
    pub hour: usize,
    pub parties: usize,
    pub placed: usize,
    /// minutes from request to accepted, over this hour's placed parties
    pub minutes: Spread,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub policy: String,
    pub seed: u64,
    pub guests: usize,
    pub offers: usize,
    pub minutes: u32,
    pub hold_minutes: u32,
    /// minutes from request to accepted, over placed parties
    pub minutes_to_accepted: Spread,
    /// the same over every party, one never placed counting as ∞
    pub minutes_to_accepted_all: Tail,
    /// the lower bound on minutes to accepted, on the same scenario
    pub minutes_bound: TimeBound,
    /// asks (proposals) made by each guest, over all parties
    pub asks_per_guest: Spread,
    pub asks_by_guests: usize,
    /// proposals made by anyone else (hosts, the platform); 0 today
    /// asks made for each party by anyone (the guest, the platform)
    pub asks_all_per_guest: Spread,
    /// paused offers their host opened again ("still hosting")
    pub offers_resumed: usize,
    /// the night's host model (`Params::hosts_one_by_one`)
    pub hosts_one_by_one: bool,
    /// hosts coming to answer an ask (a mail or a push), and the other live
    /// asks on their door they answered in the same visit
    pub host_visits: usize,
    pub answered_on_visit: usize,
    pub asks_by_others: usize,
    pub asks_to_decliners: usize,
    pub asks_to_silent: usize,
    pub asks_refused: usize,
    pub declines: usize,
    pub holds_expired: usize,
    pub dead_answers_placed_elsewhere: usize,
    pub dead_answers_expired: usize,
    pub dead_answers_other: usize,
    pub parties_placed: usize,
    pub persons: i64,
    pub persons_placed: i64,
    pub persons_bound: i64,
    pub by_size: Vec<BySize>,
    /// parties of 1–2 and of 3–4
    pub by_group: Vec<ByGroup>,
    pub by_hour: Vec<ByHour>,
    pub acceptances: usize,
    pub acceptances_skipping_older: usize,
    /// … where a skipped older party had an ask to spare
    pub acceptances_skipping_free: usize,
    /// … where it had one already when the accepted ask was made (the
    /// others got their spare ask after it: an answer came in between)
    pub acceptances_skipping_free_at_ask: usize,
    /// km between the party's and the door's exact points, over placed parties
    pub walking_km: Spread,
    /// km from each placed party to the nearest door it was compatible
    /// with, alone (`bound::walk::nearest_door`): no night walks them less
    pub walking_km_nearest: Spread,
    /// the walks again, once per person placed
    pub walking_km_persons: Spread,
    /// per person, the placement of as many persons with the least total
    /// walk (`bound::walk::least_total`): its mean is a lower bound on
    /// `walking_km_persons.mean`
    pub walking_km_least: Spread,
    /// minutes to accepted, then the walk at [`super::measure::WALK_KMH`],
    /// over placed parties
    pub minutes_to_door: Spread,
    /// minutes to the door again, once per person placed
    pub minutes_to_door_persons: Spread,
    /// per person, the placement of as many persons soonest at the door
    /// (`bound::walk::least_total`): its mean is a lower bound on
    /// `minutes_to_door_persons.mean`
    pub minutes_to_door_least: Spread,
    pub overbookings: usize,
    pub sweeps: usize,
    pub searches: usize,
    pub wall_seconds_setup: f64,
    pub wall_seconds_night: f64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn percentiles_interpolate_between_ranks() {
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[7.0], 90.0), Some(7.0));
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), Some(2.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 50.0), Some(2.5));
        // 10 values 1..=10: rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let p90 = percentile(&v, 90.0).unwrap();
        assert!((p90 - 9.1).abs() < 1e-9, "{p90}");
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&v, 100.0), Some(10.0));
    }

    #[test]
    fn spread_and_table() {
        let s = Spread::of(&[1.0, 2.0, 3.0, 10.0]);
        assert_eq!(s.mean, Some(4.0));
        assert_eq!(s.median, Some(2.5));
        let r = Report {
            minutes_to_accepted: s,
            guests: 4,
            parties_placed: 2,
            ..Report::default()
        };
        let md = r.markdown();
        assert!(md.contains("| Minutes from request to accepted, median / p90 | 2.5 / 7.9 |"));
        assert!(md.contains("| Parties placed | 2 of 4 (50.0 %) |"));
    }

    #[test]
    fn infinite_times_count_as_never() {
        let inf = f64::INFINITY;
        assert_eq!(percentile(&[1.0, inf, inf], 50.0), Some(inf));
        assert_eq!(percentile(&[1.0, 3.0, inf], 50.0), Some(3.0));
        // between 3 and ∞: ∞, not NaN
        assert_eq!(percentile(&[1.0, 3.0, inf, inf], 50.0), Some(inf));
        let t = Tail::of(&[1.0, 2.0, 3.0, inf]);
        assert_eq!(t.median, Some(2.5));
        assert_eq!(t.p90, None, "∞");
        assert_eq!(Tail::of(&[]), Tail::default());
    }

    #[test]
    fn the_time_bound_three_ways() {
        let inf = f64::INFINITY;
        // 6 parties, one with no compatible door
        let b = TimeBound::of(&[9.0, 1.0, inf, 3.0, 2.0, 5.0], 3);
        assert_eq!(b.placeable, 5);
        assert_eq!(b.over_placeable.median, Some(3.0));
        // all six, ∞ last: median between 3 and 5; p90 between 9 and ∞
        assert_eq!(b.over_all.median, Some(4.0));
        assert_eq!(b.over_all.p90, None);
        // a night placing 3 parties cannot do better than the 3 fastest
        assert_eq!(b.as_many_as_placed.median, Some(2.0));
        assert_eq!(TimeBound::of(&[inf], 1).as_many_as_placed.median, None);
        let md = Report {
            minutes_bound: b,
            parties_placed: 3,
            ..Report::default()
        }
        .markdown();
        assert!(
            md.contains("parties with a compatible door, median / p90 | 3.0 / 7.4 |"),
            "{md}"
        );
        assert!(
            md.contains("placing 3 parties (their fastest bounds), median / p90 | 2.0 / 2.8 |")
        );
        assert!(md.contains("| ∞ / ∞; 4.0 / ∞ |"));
    }
}
