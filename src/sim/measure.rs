//! After the night: the figures, read from the database where it is the
//! authority (request status, acceptance times, expired holds, places
//! taken) and from the loop's own record for what only it saw (who asked
//! whom, dead answers, skips), plus the offline bound on the same scenario.

use super::bound::walk::{least_total, nearest_door};
use super::bound::{Instance, door_timing, earliest_accepted, need_th_time, waits};
use super::night::Night;
use super::report::{ByGroup, ByHour, BySize, Report, Spread, Tail, TimeBound};
use super::scenario::PARTY_SIZES;
use crate::db;
use crate::domain::distance::metres_between;
use crate::domain::matching::Status;
use crate::domain::states::RequestStatus;
use crate::error::AppError;

/// What the database says, for the consistency checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// proposals stored
    pub matches: usize,
    /// sum of `accepted_places` over every door
    pub places_accepted: i64,
    /// requests in status `matched`
    pub requests_matched: usize,
}

/// A steady walking pace, for minutes to the door (an assumption: people
/// at night, some with children or bags, on a straight line that real
/// streets make longer).
pub const WALK_KMH: f64 = 4.0;

pub fn measure(night: &Night<'_>) -> Result<(Report, Ledger), AppError> {
    let state = &night.state;
    let s = night.scenario;
    let mut conn = state.conn()?;
    let mut ledger = Ledger::default();
    let mut minutes = Vec::new();
    let mut walking = Vec::new();
    let mut walking_nearest = Vec::new();
    // the same walks and minutes to the door, once per person
    let mut walking_persons = Vec::new();
    let mut to_door_persons = Vec::new();
    let bound = instance(night);
    let nearest = nearest_door(s.parties.len(), &bound.edges, |i, j| {
        let (p, d) = (&s.parties[i], &s.doors[j]);
        metres_between(p.lat, p.lon, d.lat, d.lon) / 1000.0
    });
    let mut to_door = Vec::new();
    let mut holds_expired = 0;
    let mut placed = vec![false; s.parties.len()];
    // every party's minutes to accepted, ∞ when never placed
    let mut minutes_all = vec![f64::INFINITY; s.parties.len()];
    for (i, g) in night.guests.iter().enumerate() {
        let Some(rid) = &g.request_id else {
            continue;
        };
        let req = db::requests::get(&mut conn, rid)?.ok_or(AppError::NotFound)?;
        let ms = db::matches::for_request(&mut conn, rid)?;
        ledger.matches += ms.len();
        holds_expired += ms.iter().filter(|m| m.status == Status::Expired).count();
        if req.status != RequestStatus::Matched {
            continue;
        }
        ledger.requests_matched += 1;
        let Some(m) = ms.iter().find(|m| m.status == Status::Accepted) else {
            continue;
        };
        placed[i] = true;
        let at = m.accepted_at.unwrap_or(m.updated_at);
        minutes.push((at - req.created_at) as f64 / 60_000.0);
        minutes_all[i] = (at - req.created_at) as f64 / 60_000.0;
        let door = night
            .hosts
            .iter()
            .position(|h| h.offer_id.as_deref() == Some(m.offer_id.as_str()))
            .ok_or(AppError::NotFound)?;
        let (p, d) = (&s.parties[i], &s.doors[door]);
        let km = metres_between(p.lat, p.lon, d.lat, d.lon) / 1000.0;
        walking.push(km);
        walking_persons.extend(std::iter::repeat_n(km, p.size as usize));
        walking_nearest.extend(nearest[i]);
        to_door.push(minutes_all[i] + km / WALK_KMH * 60.0);
        to_door_persons.extend(std::iter::repeat_n(
            minutes_all[i] + km / WALK_KMH * 60.0,
            p.size as usize,
        ));
    }
    for h in &night.hosts {
        if let Some(id) = &h.offer_id {
            let o = db::offers::get(&mut conn, id)?.ok_or(AppError::NotFound)?;
            ledger.places_accepted += i64::from(o.accepted_places);
        }
    }
    let parties_placed = placed.iter().filter(|&&x| x).count();
    let persons_placed: i64 = s
        .parties
        .iter()
        .zip(&placed)
        .filter(|x| *x.1)
        .map(|x| i64::from(x.0.size))
        .sum();
    let started = std::time::Instant::now();
    let (walking_least, to_door_least) = if s.params.least_walk {
        let least = least_per_person(night, &bound, persons_placed);
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "the walk's bounds"
        );
        least
    } else {
        (Spread::default(), Spread::default())
    };
    let mut minutes_bound = TimeBound::of(&earliest_minutes(night, &bound), parties_placed);
    minutes_bound.with_competition = with_competition(night, &bound, parties_placed);
    let asks_by_guests: usize = night.guests.iter().map(|g| g.asks).sum();
    let per_guest: Vec<f64> = night
        .guests
        .iter()
        .filter(|g| g.request_id.is_some())
        .map(|g| g.asks as f64)
        .collect();
    let mut all_asks = vec![0usize; s.parties.len()];
    for a in &night.asks {
        all_asks[a.party] += 1;
    }
    let all_per_guest: Vec<f64> = night
        .guests
        .iter()
        .zip(&all_asks)
        .filter(|(g, _)| g.request_id.is_some())
        .map(|(_, n)| *n as f64)
        .collect();
    let profile_count = |f: fn(&super::scenario::HostProfile) -> bool| {
        night
            .asks
            .iter()
            .filter(|a| f(&s.doors[a.door].profile))
            .count()
    };
    let by_size = PARTY_SIZES
        .iter()
        .map(|&(size, _)| {
            let of: Vec<usize> = (0..s.parties.len())
                .filter(|&i| s.parties[i].size == size)
                .collect();
            let n = of.len();
            let done = of.iter().filter(|&&i| placed[i]).count();
            let persons = (n as i64) * i64::from(size);
            let allowed = bound.max_persons_where(|i| s.parties[i].size == size);
            BySize {
                size,
                parties: n,
                placed: done,
                share: if n == 0 { 0.0 } else { done as f64 / n as f64 },
                bound_share: if persons == 0 {
                    0.0
                } else {
                    allowed as f64 / persons as f64
                },
            }
        })
        .collect();
    let by_group = [(1, 2), (3, 4)]
        .into_iter()
        .map(|(lo, hi)| {
            let within = |i: usize| (lo..=hi).contains(&s.parties[i].size);
            let of: Vec<usize> = (0..s.parties.len()).filter(|&i| within(i)).collect();
            let done = of.iter().filter(|&&i| placed[i]).count();
            let persons: i64 = of.iter().map(|&i| i64::from(s.parties[i].size)).sum();
            let allowed = bound.max_persons_where(within);
            ByGroup {
                sizes: (lo, hi),
                parties: of.len(),
                placed: done,
                share: ratio(done as f64, of.len() as f64),
                bound_share: ratio(allowed as f64, persons as f64),
            }
        })
        .collect();
    let by_hour = by_hour(s, &minutes_all);
    let c = &night.counters;
    let report = Report {
        seed: s.params.seed,
        hosts_one_by_one: s.params.hosts_one_by_one,
        guests: s.parties.len(),
        offers: s.doors.len(),
        minutes: s.params.minutes,
        hold_minutes: state.config.hold_minutes,
        minutes_to_accepted: Spread::of(&minutes),
        minutes_to_accepted_all: Tail::of(&minutes_all),
        minutes_bound,
        asks_per_guest: Spread::of(&per_guest),
        asks_all_per_guest: Spread::of(&all_per_guest),
        asks_by_guests,
        // every stored proposal the guests did not make: hosts' invitations, the platform's
        asks_by_others: ledger.matches.saturating_sub(asks_by_guests),
        offers_resumed: c.resumed,
        host_visits: c.host_visits,
        answered_on_visit: c.answered_on_visit,
        asks_to_decliners: profile_count(|p| {
            matches!(p, super::scenario::HostProfile::Decliner { .. })
        }),
        asks_to_silent: profile_count(|p| *p == super::scenario::HostProfile::Silent),
        asks_refused: c.asks_refused,
        declines: c.declines,
        holds_expired,
        dead_answers_placed_elsewhere: c.dead_placed_elsewhere,
        dead_answers_expired: c.dead_expired,
        dead_answers_other: c.dead_other,
        parties_placed,
        persons: s.parties.iter().map(|p| i64::from(p.size)).sum(),
        persons_placed,
        persons_bound: bound.max_persons(),
        by_size,
        by_group,
        by_hour,
        acceptances: c.acceptances,
        acceptances_skipping_older: c.skipping_older,
        acceptances_skipping_free: c.skipping_older_free,
        acceptances_skipping_free_at_ask: c.skipping_older_free_at_ask,
        walking_km: Spread::of(&walking),
        walking_km_nearest: Spread::of(&walking_nearest),
        walking_km_persons: Spread::of(&walking_persons),
        walking_km_least: walking_least,
        minutes_to_door: Spread::of(&to_door),
        minutes_to_door_persons: Spread::of(&to_door_persons),
        minutes_to_door_least: to_door_least,
        overbookings: c.overbookings,
        sweeps: c.sweeps,
        searches: c.searches,
        ..Report::default()
    };
    Ok((report, ledger))
}

/// Per person, the placements of `persons` persons with the least total
/// walk (km) and the least total minutes to the door
/// (`bound::walk::least_total`): each mean is a lower bound on the same
/// mean per person of any night placing at least as many; the medians and
/// p90s describe those placements only. Minutes to the door count, as
/// [`earliest_minutes`] does, the wait for the door to open and its host's
/// quickest answer, then the walk at [`WALK_KMH`].
fn least_per_person(night: &Night<'_>, bound: &Instance, persons: i64) -> (Spread, Spread) {
    let s = night.scenario;
    let metres = |i: usize, j: usize| {
        let (p, d) = (&s.parties[i], &s.doors[j]);
        metres_between(p.lat, p.lon, d.lat, d.lon)
    };
    let (arrivals, doors) = timing(night);
    // the time bound's rule; every pair's host accepts (the bound's pairs)
    let wait_ms = |i: usize, j: usize| {
        let (from, answer) = doors[j];
        arrivals[i].max(from) + answer.unwrap_or(0) - arrivals[i]
    };
    let walk_ms = |i: usize, j: usize| metres(i, j) / (WALK_KMH * 1000.0) * 3_600_000.0;
    // in hundreds of metres and in whole minutes, rounded down: each bound
    // stays below the exact figure (by less than a unit per person), and
    // few distinct costs keep the flow quick
    let walk = least_total(bound, persons, |i, j| (metres(i, j) / 100.0).floor() as i64);
    let door = least_total(bound, persons, |i, j| {
        ((wait_ms(i, j) as f64 + walk_ms(i, j)) / 60_000.0).floor() as i64
    });
    // the mean is the bound (the rounded total); median and p90 are those
    // of the same placement's exact figures
    let per_person = |least: Option<super::bound::walk::Least>,
                      unit: f64,
                      exact: &dyn Fn(usize, usize) -> f64| {
        let Some(least) = least else {
            // cannot happen: the night's placement is one on these pairs
            tracing::warn!(
                persons,
                "no placement of as many persons on the bound's pairs"
            );
            return Spread::default();
        };
        let mut values = Vec::new();
        for &(i, j, n) in &least.flows {
            values.extend(std::iter::repeat_n(exact(i, j), n as usize));
        }
        Spread {
            mean: (persons > 0).then(|| least.total as f64 * unit / persons as f64),
            ..Spread::of(&values)
        }
    };
    (
        per_person(walk, 0.1, &|i, j| metres(i, j) / 1000.0),
        per_person(door, 1.0, &|i, j| {
            (wait_ms(i, j) as f64 + walk_ms(i, j)) / 60_000.0
        }),
    )
}

/// Placement and time to accepted by the hour each party arrived in.
fn by_hour(s: &super::scenario::Scenario, minutes_all: &[f64]) -> Vec<ByHour> {
    let hours = (s.params.minutes as usize).div_ceil(60).max(1);
    (0..hours)
        .map(|hour| {
            let of: Vec<f64> = s
                .parties
                .iter()
                .zip(minutes_all)
                .filter(|(p, _)| usize::try_from(p.at_ms / 3_600_000).unwrap_or(0) == hour)
                .map(|(_, m)| *m)
                .collect();
            let done: Vec<f64> = of.iter().copied().filter(|m| m.is_finite()).collect();
            ByHour {
                hour,
                parties: of.len(),
                placed: done.len(),
                minutes: Spread::of(&done),
            }
        })
        .collect()
}

/// The bound's instance: parties against the doors of hosts who accept at
/// all, joined where the door meets the needs, has the places, and its
/// published cell centre is within the search radius.
pub fn instance(night: &Night<'_>) -> Instance {
    let s = night.scenario;
    let radius = night.radius_m();
    let mut edges = Vec::new();
    for (i, p) in s.parties.iter().enumerate() {
        for (j, d) in s.doors.iter().enumerate() {
            let cell = night.hosts[j].cell;
            if d.profile.accepts()
                && night.hosts[j].offer_id.is_some()
                && p.size <= d.capacity
                && (!p.accessible || d.accessible)
                && (!p.pets || d.pets_ok)
                && metres_between(p.lat, p.lon, cell.0, cell.1) <= radius
            {
                edges.push((i, j));
            }
        }
    }
    Instance {
        parties: s.parties.iter().map(|p| i64::from(p.size)).collect(),
        doors: s.doors.iter().map(|d| i64::from(d.capacity)).collect(),
        edges,
    }
}

/// Each party's lower bound on minutes to accepted (∞: no compatible
/// door), on the persons bound's pairs: doors open at their scenario time,
/// hosts answer at their quickest (`HostModel::fastest`).
pub fn earliest_minutes(night: &Night<'_>, bound: &Instance) -> Vec<f64> {
    let (arrivals, doors) = timing(night);
    earliest_accepted(&arrivals, &doors, &bound.edges)
        .into_iter()
        .map(|b| b.map_or(f64::INFINITY, |ms| ms as f64 / 60_000.0))
        .collect()
}

/// Arrivals, and when each door's host can accept an ask at the soonest
/// (`bound::door_timing`, for the night's host model; `None`: never).
fn timing(night: &Night<'_>) -> (Vec<i64>, Vec<(i64, Option<i64>)>) {
    let s = night.scenario;
    let model = night.host_model();
    let arrivals = s.parties.iter().map(|p| p.at_ms).collect();
    let doors = s
        .doors
        .iter()
        .map(|d| {
            let quickest = model.fastest(d.profile).filter(|_| d.profile.accepts());
            door_timing(d.at_ms, quickest, model.whole_page)
        })
        .collect();
    (arrivals, doors)
}

/// The lower bound with competition for places on the median and p90 of
/// minutes to accepted of any night placing `placed` parties: the type-7
/// median of k values is at least the (⌊(k − 1)/2⌋ + 1)-th smallest, the
/// p90 at least the (⌊0.9 (k − 1)⌋ + 1)-th.
pub fn with_competition(night: &Night<'_>, bound: &Instance, placed: usize) -> Tail {
    if placed == 0 {
        return Tail::default();
    }
    let (arrivals, doors) = timing(night);
    let w = waits(&arrivals, &doors, &bound.edges);
    let k = (placed - 1) as f64;
    let step = 6_000; // 0.1 min
    let max = i64::from(night.scenario.params.minutes) * 60_000;
    let at = |q: f64| {
        let need = (q * k).floor() as i64 + 1;
        need_th_time(arrivals.len(), &bound.doors, &w, need, step, max)
            .map(|ms| ms as f64 / 60_000.0)
    };
    Tail {
        median: at(0.5),
        p90: at(0.9),
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::Policy;
    use super::super::bound::{door_timing, earliest_accepted, need_th_time, waits};
    use super::super::scenario::{Params, generate};
    use crate::domain::distance::metres_between;

    /// The time bounds of the default night from its script alone, with the
    /// doors' exact points instead of their published cells (which only a
    /// played night knows): `cargo test --lib sim -- --ignored --nocapture`.
    #[test]
    #[ignore = "a figure for docs/BENCHMARKS.md, not a check"]
    fn the_default_nights_time_bounds_from_the_script() {
        let s = generate(&Params::default());
        let model = Policy::Now.hosts();
        let radius = Policy::Now.guests().radius_km * 1000.0;
        let mut edges = Vec::new();
        for (i, p) in s.parties.iter().enumerate() {
            for (j, d) in s.doors.iter().enumerate() {
                if d.profile.accepts()
                    && p.size <= d.capacity
                    && (!p.accessible || d.accessible)
                    && (!p.pets || d.pets_ok)
                    && metres_between(p.lat, p.lon, d.lat, d.lon) <= radius
                {
                    edges.push((i, j));
                }
            }
        }
        let arrivals: Vec<i64> = s.parties.iter().map(|p| p.at_ms).collect();
        let doors: Vec<(i64, Option<i64>)> = s
            .doors
            .iter()
            .map(|d| door_timing(d.at_ms, model.fastest(d.profile), model.whole_page))
            .collect();
        let places: Vec<i64> = s.doors.iter().map(|d| i64::from(d.capacity)).collect();
        let alone = earliest_accepted(&arrivals, &doors, &edges);
        let w = waits(&arrivals, &doors, &edges);
        let n = s.parties.len();
        eprintln!(
            "edges {}, parties with a door {}",
            edges.len(),
            alone.iter().flatten().count()
        );
        for t in [1, 2, 3, 5, 10, 15, 30, 60, 180] {
            let f = super::super::bound::parties_within(n, &places, &w, t * 60_000);
            eprintln!("parties placeable within {t} min, at most: {f}");
        }
        for placed in [1360, 1385, 1426, 1500, 2000] {
            let k = (placed - 1) as f64;
            let at = |q: f64| {
                let need = (q * k).floor() as i64 + 1;
                need_th_time(n, &places, &w, need, 6_000, 180 * 60_000)
                    .map(|ms| ms as f64 / 60_000.0)
            };
            eprintln!(
                "a night placing {placed} parties: median > {:?}, p90 > {:?} min",
                at(0.5),
                at(0.9)
            );
        }
    }
}
