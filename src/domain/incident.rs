//! An incident's area: a circle or a polygon, whether a point is inside,
//! and the area in and out as GeoJSON (RFC 7946). Polygons are `geo`
//! polygons on (lon, lat), validated once when an incident is opened.

use super::distance::metres_between;
use geo::line_intersection::line_intersection;
use geo::{Centroid, Coord, Intersects, Line, LineIntersection, LineString, Point, Polygon};
use serde_json::Value;

/// The most vertices a polygon may have.
pub const MAX_VERTICES: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub enum Area {
    Circle {
        lat: f64,
        lon: f64,
        radius_m: f64,
    },
    /// x is the longitude, y the latitude; the ring is closed
    Polygon(Polygon<f64>),
}

/// Why a polygon is refused; `Display` is the per-field message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolygonError {
    #[error("must be 3 to 500 [lat, lon] points")]
    NotVertices,
    #[error(
        "must be a GeoJSON Polygon: {{\"type\": \"Polygon\", \"coordinates\": [[[lon, lat], …]]}}"
    )]
    NotGeoJson,
    #[error("must be one ring: holes are not supported")]
    Holes,
    #[error("the ring must be closed: its last position repeats the first")]
    NotClosed,
    #[error("must have at least 3 distinct points")]
    TooFewPoints,
    #[error("must have at most 500 points")]
    TooManyPoints,
    #[error("has a point that is not lat in -90..90 and lon in -180..180")]
    OutOfRange,
    #[error("must not cross or touch itself, and must enclose an area")]
    SelfIntersecting,
}

fn in_range(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && lon.abs() <= 180.0
}

/// Whether a closed ring crosses or touches itself: two edges meeting
/// anywhere but the vertex that neighbours share. Every pair is tested
/// with geo's robust segment intersection: at most 500 edges, so at most
/// 125,000 cheap tests, once per incident opened (geo 0.29's sweep,
/// `sweep::Intersections`, can panic on some inputs: georust/geo#1342).
fn self_intersects(ring: &LineString<f64>) -> bool {
    let edges: Vec<Line<f64>> = ring.lines().collect();
    let n = edges.len();
    (0..n).any(|i| {
        (i + 1..n).any(|j| {
            let Some(at) = line_intersection(edges[i], edges[j]) else {
                return false;
            };
            // neighbours share the vertex where the later one starts
            let shared = if j == i + 1 {
                Some(edges[j].start)
            } else if i == 0 && j == n - 1 {
                Some(edges[0].start)
            } else {
                None
            };
            match (shared, at) {
                (Some(v), LineIntersection::SinglePoint { intersection, .. }) => intersection != v,
                _ => true,
            }
        })
    })
}

impl Area {
    /// A polygon from its vertices as (lat, lon), in order, closed
    /// implicitly (a last vertex equal to the first is allowed): at least 3
    /// distinct points, at most `MAX_VERTICES`, each in range, and a simple
    /// ring that encloses an area. Repeated consecutive points count once.
    pub fn polygon(vertices: &[(f64, f64)]) -> Result<Area, PolygonError> {
        if vertices.iter().any(|&(lat, lon)| !in_range(lat, lon)) {
            return Err(PolygonError::OutOfRange);
        }
        if vertices.len() > MAX_VERTICES + 1 {
            return Err(PolygonError::TooManyPoints);
        }
        let mut ring: Vec<Coord<f64>> = Vec::with_capacity(vertices.len() + 1);
        for &(lat, lon) in vertices {
            let c = Coord { x: lon, y: lat };
            if ring.last() != Some(&c) {
                ring.push(c);
            }
        }
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        let mut distinct = ring.clone();
        distinct.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
        distinct.dedup();
        if distinct.len() < 3 {
            return Err(PolygonError::TooFewPoints);
        }
        if ring.len() > MAX_VERTICES {
            return Err(PolygonError::TooManyPoints);
        }
        let polygon = Polygon::new(LineString::new(ring), vec![]);
        if self_intersects(polygon.exterior()) || geo::Area::unsigned_area(&polygon) <= 0.0 {
            return Err(PolygonError::SelfIntersecting);
        }
        Ok(Area::Polygon(polygon))
    }

    /// A polygon from JSON [lat, lon] vertices (the API's first format).
    pub fn from_vertices(value: Value) -> Result<Area, PolygonError> {
        let vertices: Vec<(f64, f64)> =
            serde_json::from_value(value).map_err(|_| PolygonError::NotVertices)?;
        Area::polygon(&vertices)
    }

    /// A polygon as stored by an earlier `polygon` (not checked again).
    pub fn stored_polygon(vertices: &[(f64, f64)]) -> Area {
        let ring = vertices.iter().map(|&(lat, lon)| Coord { x: lon, y: lat });
        Area::Polygon(Polygon::new(ring.collect(), vec![]))
    }

    /// A polygon from a GeoJSON Polygon geometry (positions are [lon, lat];
    /// the ring closed as RFC 7946 asks; no holes), or a Feature holding one.
    pub fn from_geojson(value: Value) -> Result<Area, PolygonError> {
        let geometry = match geojson::GeoJson::from_json_value(value) {
            Ok(geojson::GeoJson::Geometry(g)) => g,
            Ok(geojson::GeoJson::Feature(geojson::Feature {
                geometry: Some(g), ..
            })) => g,
            _ => return Err(PolygonError::NotGeoJson),
        };
        let geojson::Value::Polygon(rings) = geometry.value else {
            return Err(PolygonError::NotGeoJson);
        };
        let [ring] = rings.as_slice() else {
            return Err(if rings.is_empty() {
                PolygonError::TooFewPoints
            } else {
                PolygonError::Holes
            });
        };
        if ring.iter().any(|p| p.len() > 3) {
            return Err(PolygonError::NotGeoJson);
        }
        let vertices: Vec<(f64, f64)> = ring.iter().map(|p| (p[1], p[0])).collect();
        if vertices.len() < 4 {
            return Err(PolygonError::TooFewPoints);
        }
        if vertices.first() != vertices.last() {
            return Err(PolygonError::NotClosed);
        }
        Area::polygon(&vertices)
    }

    /// The area as a GeoJSON geometry: the polygon (its ring closed), or a
    /// circle's centre as a Point (GeoJSON has no circles).
    pub fn to_geojson(&self) -> geojson::Geometry {
        geojson::Geometry::new(match self {
            Area::Circle { lat, lon, .. } => geojson::Value::Point(vec![*lon, *lat]),
            Area::Polygon(p) => geojson::Value::Polygon(vec![
                p.exterior().coords().map(|c| vec![c.x, c.y]).collect(),
            ]),
        })
    }

    /// A polygon's vertices as (lat, lon), without the closing repeat.
    pub fn vertices(&self) -> Vec<(f64, f64)> {
        match self {
            Area::Circle { .. } => vec![],
            Area::Polygon(p) => {
                let ring = &p.exterior().0;
                ring[..ring.len().saturating_sub(1)]
                    .iter()
                    .map(|c| (c.y, c.x))
                    .collect()
            }
        }
    }

    /// Inside, or on the border. Planar on (lon, lat): fine for areas the
    /// size of a city or a region, away from the antimeridian.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        match self {
            Area::Circle {
                lat: clat,
                lon: clon,
                radius_m,
            } => metres_between(*clat, *clon, lat, lon) <= *radius_m,
            Area::Polygon(p) => p.intersects(&Point::new(lon, lat)),
        }
    }

    /// The centre shown on maps and used to read places near the crisis:
    /// the circle's, or the polygon's centroid (an empty stored polygon,
    /// which `polygon` never makes, has none: (0, 0)).
    pub fn centre(&self) -> (f64, f64) {
        match self {
            Area::Circle { lat, lon, .. } => (*lat, *lon),
            Area::Polygon(p) => p.centroid().map_or((0.0, 0.0), |c| (c.y(), c.x())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let square = Area::polygon(&[(48.85, 2.36), (48.85, 2.40), (48.87, 2.40), (48.87, 2.36)])
            .expect("a square");
        assert!(square.contains(48.86, 2.38));
        assert!(!square.contains(48.86, 2.35));
        assert!(!square.contains(48.88, 2.38));
        let (la, lo) = square.centre();
        assert!((la - 48.86).abs() < 1e-9 && (lo - 2.38).abs() < 1e-9);
    }

    #[test]
    fn the_centre_is_the_centroid_not_the_mean_of_vertices() {
        // a square with many vertices crowded on its east side: their mean
        // drifts east, the centroid does not
        let mut v = vec![(0.0, 0.0), (0.0, 1.0)];
        v.extend((1..20).map(|i| (f64::from(i) / 20.0, 1.0)));
        v.extend([(1.0, 1.0), (1.0, 0.0)]);
        let a = Area::polygon(&v).expect("a square");
        let (la, lo) = a.centre();
        assert!(
            (la - 0.5).abs() < 1e-9 && (lo - 0.5).abs() < 1e-9,
            "{la} {lo}"
        );
    }

    #[test]
    fn invalid_polygons_are_refused() {
        use PolygonError::*;
        let p = |v: &[(f64, f64)]| Area::polygon(v).err();
        assert_eq!(p(&[]), Some(TooFewPoints), "empty: no underflow");
        assert_eq!(p(&[(48.8, 2.3), (48.9, 2.4)]), Some(TooFewPoints));
        assert_eq!(
            p(&[(48.8, 2.3), (48.9, 2.4), (48.8, 2.3), (48.9, 2.4)]),
            Some(TooFewPoints),
            "2 distinct points"
        );
        assert_eq!(
            p(&[(48.8, 2.3), (f64::NAN, 2.4), (48.9, 2.5)]),
            Some(OutOfRange)
        );
        assert_eq!(
            p(&[(48.8, 2.3), (48.9, f64::INFINITY), (48.9, 2.5)]),
            Some(OutOfRange)
        );
        assert_eq!(
            p(&[(91.0, 2.3), (48.9, 2.4), (48.9, 2.5)]),
            Some(OutOfRange)
        );
        // a bow tie: (0,0) → (1,1) → (1,0) → (0,1) crosses itself
        assert_eq!(
            p(&[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]),
            Some(SelfIntersecting)
        );
        // three points on a line enclose nothing
        assert_eq!(
            p(&[(0.0, 0.0), (0.0, 1.0), (0.0, 2.0)]),
            Some(SelfIntersecting)
        );
        // a ring that comes back to touch one of its own vertices
        assert_eq!(
            p(&[
                (0.0, 0.0),
                (0.0, 2.0),
                (1.0, 1.0),
                (2.0, 2.0),
                (2.0, 0.0),
                (1.0, 1.0)
            ]),
            Some(SelfIntersecting)
        );
        let many: Vec<(f64, f64)> = (0..=MAX_VERTICES)
            .map(|i| {
                let t = i as f64 / (MAX_VERTICES + 1) as f64 * std::f64::consts::TAU;
                (t.sin(), t.cos())
            })
            .collect();
        assert_eq!(p(&many), Some(TooManyPoints));
        assert!(Area::polygon(&many[..MAX_VERTICES]).is_ok());
        // closing the ring explicitly is the same polygon
        let open = Area::polygon(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]);
        let closed = Area::polygon(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.0, 0.0)]);
        assert_eq!(open, closed);
        assert!(open.is_ok());
    }

    #[test]
    fn geojson_in_and_out() {
        let g = json!({"type": "Polygon", "coordinates": [[[4.8, 45.7], [4.9, 45.7], [4.9, 45.8], [4.8, 45.8], [4.8, 45.7]]]});
        let a = Area::from_geojson(g.clone()).expect("a polygon");
        assert!(a.contains(45.75, 4.85));
        assert_eq!(
            a.vertices(),
            vec![(45.7, 4.8), (45.7, 4.9), (45.8, 4.9), (45.8, 4.8)]
        );
        assert_eq!(serde_json::to_value(a.to_geojson()).ok(), Some(g.clone()));
        let feature = json!({"type": "Feature", "properties": {}, "geometry": g});
        assert_eq!(Area::from_geojson(feature).ok(), Some(a.clone()));
        let stored = Area::stored_polygon(&a.vertices());
        assert_eq!(stored, a);
        use PolygonError::*;
        let e = |v: Value| Area::from_geojson(v).err();
        assert_eq!(
            e(json!({"type": "Point", "coordinates": [4.8, 45.7]})),
            Some(NotGeoJson)
        );
        assert_eq!(
            e(json!([[45.7, 4.8], [45.7, 4.9], [45.8, 4.9]])),
            Some(NotGeoJson)
        );
        assert_eq!(
            e(json!({"type": "Polygon", "coordinates": []})),
            Some(TooFewPoints)
        );
        assert_eq!(
            e(
                json!({"type": "Polygon", "coordinates": [[[4.8, 45.7], [4.9, 45.7], [4.9, 45.8], [4.8, 45.8]]]})
            ),
            Some(NotClosed)
        );
        assert_eq!(
            e(json!({"type": "Polygon", "coordinates": [[[4.8, 45.7], [4.9, 45.7], [4.8, 45.7]]]})),
            Some(TooFewPoints)
        );
        assert_eq!(
            e(json!({"type": "Polygon", "coordinates": [
                [[0, 0], [0, 3], [3, 3], [3, 0], [0, 0]],
                [[1, 1], [1, 2], [2, 2], [1, 1]]]})),
            Some(Holes)
        );
        let circle = Area::Circle {
            lat: 48.85,
            lon: 2.35,
            radius_m: 1000.0,
        };
        assert_eq!(
            serde_json::to_value(circle.to_geojson()).ok(),
            Some(json!({"type": "Point", "coordinates": [2.35, 48.85]}))
        );
    }
}
