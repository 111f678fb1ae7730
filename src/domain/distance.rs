//! Distances and the bands shown to people. Bands are coarse on purpose: with
//! centres of ~500 m cells, finer figures would be false precision.

use serde::Serialize;

/// Mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres, from the chord between unit vectors.
/// The same arithmetic as the spatial index's ordering (squared chords), so
/// a distance computed here never disagrees with the order of a search.
pub fn metres_between(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (a, b) = (unit_vector(lat1, lon1), unit_vector(lat2, lon2));
    metres_from_chord2((0..3).map(|i| (a[i] - b[i]).powi(2)).sum())
}

/// Great-circle distance for a squared chord on the unit sphere.
pub fn metres_from_chord2(chord2: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord2.sqrt() / 2.0).min(1.0).asin()
}

/// A distance band: a label and its upper bound in metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Band {
    pub band: &'static str,
    pub max_m: u32,
}

const BANDS: [Band; 6] = [
    Band {
        band: "<1 km",
        max_m: 1_000,
    },
    Band {
        band: "1–2 km",
        max_m: 2_000,
    },
    Band {
        band: "2–5 km",
        max_m: 5_000,
    },
    Band {
        band: "5–10 km",
        max_m: 10_000,
    },
    Band {
        band: "10–20 km",
        max_m: 20_000,
    },
    Band {
        band: "20–50 km",
        max_m: 50_000,
    },
];

/// The band a distance falls in. Searches are capped at 50 km, so the last
/// band also takes anything beyond (rounding at the edge).
pub fn band_for(metres: f64) -> Band {
    BANDS
        .iter()
        .copied()
        .find(|b| metres < f64::from(b.max_m))
        .unwrap_or(BANDS[BANDS.len() - 1])
}

/// A point on the unit sphere: the chord between two of these grows with the
/// great-circle distance, so a 3-D nearest-neighbour search returns points in
/// exact great-circle order, with no projection distortion anywhere.
pub fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_geo_haversine() {
        use geo::{Distance, Haversine, Point};
        for (a, b) in [
            ((48.8566, 2.3522), (45.764, 4.8357)),
            ((48.85, 2.35), (48.8501, 2.3502)),
            ((0.0, 179.9), (0.0, -179.9)),
        ] {
            let ours = metres_between(a.0, a.1, b.0, b.1);
            let geo = Haversine::distance(Point::new(a.1, a.0), Point::new(b.1, b.0));
            assert!(
                (ours - geo).abs() < 1e-6 * geo.max(1.0) + 1e-3,
                "{ours} vs {geo}"
            );
        }
    }

    #[test]
    fn paris_to_lyon() {
        let d = metres_between(48.8566, 2.3522, 45.764, 4.8357);
        assert!((d - 392_000.0).abs() < 5_000.0, "{d}");
    }

    #[test]
    fn bands() {
        assert_eq!(band_for(0.0).band, "<1 km");
        assert_eq!(band_for(999.9).band, "<1 km");
        assert_eq!(band_for(1000.0).band, "1–2 km");
        assert_eq!(band_for(4999.0).max_m, 5_000);
        assert_eq!(band_for(9_999.0).max_m, 10_000);
        assert_eq!(band_for(19_999.0).max_m, 20_000);
        assert_eq!(band_for(49_000.0).max_m, 50_000);
        assert_eq!(band_for(80_000.0).max_m, 50_000);
    }

    #[test]
    fn chord_order_matches_great_circle_order() {
        let q = unit_vector(48.85, 2.35);
        let pts = [(48.86, 2.36), (48.90, 2.30), (49.5, 2.0), (45.0, 5.0)];
        let chord = |p: (f64, f64)| {
            let v = unit_vector(p.0, p.1);
            (0..3).map(|i| (v[i] - q[i]).powi(2)).sum::<f64>()
        };
        for w in pts.windows(2) {
            assert!(
                metres_between(48.85, 2.35, w[0].0, w[0].1)
                    < metres_between(48.85, 2.35, w[1].0, w[1].1)
            );
            assert!(chord(w[0]) < chord(w[1]));
        }
    }
}
