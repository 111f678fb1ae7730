//! The night's script, drawn from a seed before anything runs: where and
//! when each stranded party arrives, where and when each door opens, and how
//! each host answers. Pure and deterministic: one seed, one scenario.
//!
//! Every party and every host gets its own random stream (derived from the
//! seed and its index), so the draws made while the night runs (reaction
//! times, answer delays) do not shift when the order of events changes.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Where the night happens: incident sites in Paris (name, lat, lon, share
/// of the stranded parties).
pub const SITES: &[(&str, f64, f64, f64)] = &[
    ("Canal Saint-Martin (10e)", 48.8718, 2.3640, 0.35),
    ("Oberkampf-Voltaire (11e)", 48.8600, 2.3790, 0.35),
    ("Stade de France (Saint-Denis)", 48.9245, 2.3602, 0.30),
];

/// Party sizes 1..=4 and their shares.
pub const PARTY_SIZES: [(i32, f64); 4] = [(1, 0.45), (2, 0.30), (3, 0.15), (4, 0.10)];
/// Door capacities 1..=4 and their shares.
pub const CAPACITIES: [(i32, f64); 4] = [(1, 0.30), (2, 0.35), (3, 0.20), (4, 0.15)];
/// Host profiles: never answer, decline everything; the rest answer.
pub const SILENT_SHARE: f64 = 0.20;
pub const DECLINER_SHARE: f64 = 0.10;
/// An answering host's own typical delay is drawn once in this range (minutes).
pub const ANSWER_MINUTES: (f64, f64) = (1.0, 20.0);
/// Share of the doors that appear in the first hour.
pub const FIRST_HOUR_SHARE: f64 = 0.75;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub seed: u64,
    pub guests: usize,
    pub offers: usize,
    pub minutes: u32,
    /// Hosts answer only the ask they came for, not every live ask their
    /// page lists (the simulator's model before 2026-12-01, kept to compare).
    /// How people behave, not what happens: the script is the same.
    pub hosts_one_by_one: bool,
    /// Also compute the walk's bounds with competition for places
    /// (`bound::walk::least_total`): two min-cost flows, about two minutes
    /// on the default night, so only when asked. Changes nothing else.
    pub least_walk: bool,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            seed: 2015,
            guests: 2000,
            offers: 1500,
            minutes: 180,
            hosts_one_by_one: false,
            least_walk: false,
        }
    }
}

/// How a host answers the proposals it receives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HostProfile {
    /// never answers: every hold runs out
    Silent,
    /// declines every proposal, after its usual delay
    Decliner { typical_ms: i64 },
    /// accepts when the service still allows it, after its usual delay
    Answers { typical_ms: i64 },
}

impl HostProfile {
    /// Whether this host ever accepts anyone (the offline bound's doors).
    pub fn accepts(&self) -> bool {
        matches!(self, HostProfile::Answers { .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// milliseconds after the start of the night
    pub at_ms: i64,
    pub site: usize,
    pub lat: f64,
    pub lon: f64,
    pub size: i32,
    pub accessible: bool,
    pub pets: bool,
    pub english: bool,
    /// the seed of this party's own random stream
    pub stream: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Door {
    pub at_ms: i64,
    pub lat: f64,
    pub lon: f64,
    pub capacity: i32,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub english: bool,
    pub profile: HostProfile,
    /// the seed of this host's own random stream
    pub stream: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub params: Params,
    /// in arrival order
    pub parties: Vec<Party>,
    /// in appearance order
    pub doors: Vec<Door>,
}

/// A random stream for one entity, independent of every other entity's.
pub fn stream(seed: u64, kind: u64, idx: u64) -> StdRng {
    StdRng::seed_from_u64(mix(seed
        ^ mix(kind.wrapping_add(1))
        ^ mix(idx.wrapping_add(0x5151))))
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn weighted<T: Copy>(rng: &mut StdRng, table: &[(T, f64)]) -> T {
    let total: f64 = table.iter().map(|t| t.1).sum();
    let mut x = rng.gen_range(0.0..total);
    for (v, w) in table {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    table[table.len() - 1].0
}

/// A point `metres` from (lat, lon) in a uniformly random direction.
fn offset(lat: f64, lon: f64, metres: f64, angle: f64) -> (f64, f64) {
    let dlat = metres * angle.cos() / 111_320.0;
    let dlon = metres * angle.sin() / (111_320.0 * lat.to_radians().cos());
    (lat + dlat, lon + dlon)
}

/// Front-loaded arrival: density falls linearly from twice the mean at the
/// start to zero at the end.
fn front_loaded(rng: &mut StdRng, span_ms: i64) -> i64 {
    let u: f64 = rng.gen_range(0.0..1.0);
    ((1.0 - (1.0 - u).sqrt()) * span_ms as f64) as i64
}

pub fn generate(params: &Params) -> Scenario {
    let span = i64::from(params.minutes) * 60_000;
    let mut parties: Vec<Party> = (0..params.guests)
        .map(|i| {
            let stream_seed = mix(params.seed ^ mix(i as u64) ^ 0xA11CE);
            let mut rng = stream(params.seed, 1, i as u64);
            let sites: Vec<(usize, f64)> =
                SITES.iter().enumerate().map(|(k, s)| (k, s.3)).collect();
            let site = weighted(&mut rng, &sites);
            // uniform over the ring from 200 m to 3 km around the site
            let r = rng.gen_range(0.2f64.powi(2)..3.0f64.powi(2)).sqrt() * 1000.0;
            let angle = rng.gen_range(0.0..std::f64::consts::TAU);
            let (lat, lon) = offset(SITES[site].1, SITES[site].2, r, angle);
            Party {
                at_ms: front_loaded(&mut rng, span),
                site,
                lat,
                lon,
                size: weighted(&mut rng, &PARTY_SIZES),
                accessible: rng.gen_bool(0.05),
                pets: rng.gen_bool(0.08),
                english: rng.gen_bool(0.2),
                stream: stream_seed,
            }
        })
        .collect();
    parties.sort_by_key(|p| p.at_ms);
    let mut doors: Vec<Door> = (0..params.offers)
        .map(|i| {
            let stream_seed = mix(params.seed ^ mix(i as u64) ^ 0xD00B);
            let mut rng = stream(params.seed, 2, i as u64);
            let hour = span.min(3_600_000);
            let at_ms = if rng.gen_bool(FIRST_HOUR_SHARE) || span <= hour {
                front_loaded(&mut rng, hour)
            } else {
                rng.gen_range(hour..span)
            };
            let (lat, lon) = crate::seed::point(&mut rng, "paris");
            let typical_ms = (rng.gen_range(ANSWER_MINUTES.0..ANSWER_MINUTES.1) * 60_000.0) as i64;
            let x: f64 = rng.gen_range(0.0..1.0);
            let profile = if x < SILENT_SHARE {
                HostProfile::Silent
            } else if x < SILENT_SHARE + DECLINER_SHARE {
                HostProfile::Decliner { typical_ms }
            } else {
                HostProfile::Answers { typical_ms }
            };
            Door {
                at_ms,
                lat,
                lon,
                capacity: weighted(&mut rng, &CAPACITIES),
                accessible: rng.gen_bool(0.15),
                pets_ok: rng.gen_bool(0.3),
                children_ok: rng.gen_bool(0.6),
                english: rng.gen_bool(0.5),
                profile,
                stream: stream_seed,
            }
        })
        .collect();
    doors.sort_by_key(|d| d.at_ms);
    Scenario {
        params: *params,
        parties,
        doors,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::domain::distance::metres_between;

    fn small(seed: u64) -> Params {
        Params {
            seed,
            guests: 400,
            offers: 300,
            minutes: 180,
            hosts_one_by_one: false,
            least_walk: false,
        }
    }

    #[test]
    fn one_seed_one_scenario() {
        assert_eq!(generate(&small(7)), generate(&small(7)));
        assert_ne!(generate(&small(7)), generate(&small(8)));
    }

    #[test]
    fn the_night_has_the_stated_shape() {
        let s = generate(&small(11));
        let span = 180 * 60_000;
        assert!(s.parties.iter().all(|p| (0..span).contains(&p.at_ms)));
        assert!(s.doors.iter().all(|d| (0..span).contains(&d.at_ms)));
        assert!(s.parties.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
        // front-loaded: more arrive in the first hour than in the last
        let first = s.parties.iter().filter(|p| p.at_ms < 3_600_000).count();
        let last = s
            .parties
            .iter()
            .filter(|p| p.at_ms >= 2 * 3_600_000)
            .count();
        assert!(first > 2 * last, "{first} vs {last}");
        let early = s.doors.iter().filter(|d| d.at_ms < 3_600_000).count();
        assert!(early * 10 > s.doors.len() * 6, "{early}");
        for p in &s.parties {
            let site = SITES[p.site];
            let d = metres_between(p.lat, p.lon, site.1, site.2);
            assert!((150.0..3050.0).contains(&d), "{d}");
            assert!((1..=4).contains(&p.size));
        }
        assert!(s.doors.iter().all(|d| (1..=4).contains(&d.capacity)));
        let silent = s
            .doors
            .iter()
            .filter(|d| d.profile == HostProfile::Silent)
            .count();
        assert!((30..90).contains(&silent), "{silent}");
    }
}
