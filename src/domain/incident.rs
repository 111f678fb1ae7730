//! An incident's area: a circle or a polygon, and whether a point is inside.

use super::distance::metres_between;

#[derive(Debug, Clone, PartialEq)]
pub enum Area {
    Circle {
        lat: f64,
        lon: f64,
        radius_m: f64,
    },
    /// vertices as (lat, lon), in order; closed implicitly
    Polygon(Vec<(f64, f64)>),
}

impl Area {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        match self {
            Area::Circle {
                lat: clat,
                lon: clon,
                radius_m,
            } => metres_between(*clat, *clon, lat, lon) <= *radius_m,
            Area::Polygon(v) => {
                // ray casting on (lon, lat): fine for city-sized areas
                let mut inside = false;
                let mut j = v.len() - 1;
                for i in 0..v.len() {
                    let (yi, xi) = v[i];
                    let (yj, xj) = v[j];
                    if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                        inside = !inside;
                    }
                    j = i;
                }
                inside
            }
        }
    }

    /// The centre shown on maps: the circle's, or the vertices' mean.
    pub fn centre(&self) -> (f64, f64) {
        match self {
            Area::Circle { lat, lon, .. } => (*lat, *lon),
            Area::Polygon(v) => {
                let n = v.len() as f64;
                (
                    v.iter().map(|p| p.0).sum::<f64>() / n,
                    v.iter().map(|p| p.1).sum::<f64>() / n,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circles_and_polygons() {
        let paris = Area::Circle {
            lat: 48.8566,
            lon: 2.3522,
            radius_m: 5_000.0,
        };
        assert!(paris.contains(48.8600, 2.3500));
        assert!(!paris.contains(48.9500, 2.3522), "10 km north");
        // a square around the 11th arrondissement
        let square = Area::Polygon(vec![
            (48.85, 2.36),
            (48.85, 2.40),
            (48.87, 2.40),
            (48.87, 2.36),
        ]);
        assert!(square.contains(48.86, 2.38));
        assert!(!square.contains(48.86, 2.35));
        assert!(!square.contains(48.88, 2.38));
        let (la, lo) = square.centre();
        assert!((la - 48.86).abs() < 1e-9 && (lo - 2.38).abs() < 1e-9);
    }
}
