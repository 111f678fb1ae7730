//! Oversight for coordinators: how fast requests are accepted, supply
//! against demand per area (a table) and per square of about 1 km (an SVG
//! map drawn on the server: no tiles, no script).

use crate::db::{self, DbConn};
use crate::domain::gazetteer::Gazetteer;
use crate::error::AppResult;
use crate::state::AppState;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Timing {
    /// minutes from a request to its accepted match: median and 90th percentile
    pub accept_minutes_median: Option<i64>,
    pub accept_minutes_p90: Option<i64>,
    /// accepted, no arrival confirmed in time
    pub unconfirmed_arrivals: i64,
    /// "I feel unsafe" flags raised
    pub unsafe_flags: i64,
}

fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    Some(sorted[i])
}

pub fn timing(conn: &mut DbConn) -> AppResult<Timing> {
    let pairs = db::matches::acceptance_times(conn)?;
    let mut minutes: Vec<i64> = pairs.iter().map(|(c, a)| (a - c) / 60_000).collect();
    minutes.sort_unstable();
    let unconfirmed = db::matches::count_unconfirmed(conn)?;
    let unsafe_flags = db::matches::count_unsafe(conn)?;
    Ok(Timing {
        accept_minutes_median: percentile(&minutes, 0.5),
        accept_minutes_p90: percentile(&minutes, 0.9),
        unconfirmed_arrivals: unconfirmed,
        unsafe_flags,
    })
}

#[derive(Debug, Serialize, Clone, Default, utoipa::ToSchema)]
pub struct AreaRow {
    pub area: String,
    pub offers_open: i64,
    pub places_free: i64,
    pub requests_waiting: i64,
    pub people_waiting: i64,
}

/// Waiting parties by published cell: (lat, lon, parties, people). Only
/// cell centres and sizes are read: nothing personal.
fn demand(conn: &mut DbConn) -> AppResult<Vec<(f64, f64, i64, i64)>> {
    Ok(db::requests::cells_in_status(conn, "waiting")?
        .into_iter()
        .map(|(lat, lon, n)| (lat, lon, 1, i64::from(n)))
        .collect())
}

/// Supply and demand per named area (commune or arrondissement), the
/// largest shortage first.
pub fn areas(state: &AppState, conn: &mut DbConn) -> AppResult<Vec<AreaRow>> {
    let g = Gazetteer::bundled();
    let mut by: BTreeMap<String, AreaRow> = BTreeMap::new();
    let name = |lat: f64, lon: f64| g.label(lat, lon).unwrap_or_else(|| "—".into());
    for (lat, lon, n, places) in state.index.supply_by_cell(state.now()) {
        let area = name(lat, lon);
        let row = by.entry(area.clone()).or_insert_with(|| AreaRow {
            area,
            ..AreaRow::default()
        });
        row.offers_open += n;
        row.places_free += places;
    }
    for (lat, lon, n, people) in demand(conn)? {
        let area = name(lat, lon);
        let row = by.entry(area.clone()).or_insert_with(|| AreaRow {
            area,
            ..AreaRow::default()
        });
        row.requests_waiting += n;
        row.people_waiting += people;
    }
    let mut rows: Vec<AreaRow> = by.into_values().collect();
    rows.sort_by_key(|r| (-(r.people_waiting - r.places_free), r.area.clone()));
    Ok(rows)
}

/// One square of the map: places free and people waiting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Square {
    pub lat: f64,
    pub lon: f64,
    pub places: i64,
    pub people: i64,
}

/// Supply and demand on squares of 0.01° (about 1 km).
pub fn squares(state: &AppState, conn: &mut DbConn) -> AppResult<Vec<Square>> {
    let key = |lat: f64, lon: f64| ((lat * 100.0).floor() as i64, (lon * 100.0).floor() as i64);
    let mut by: BTreeMap<(i64, i64), Square> = BTreeMap::new();
    let mut add = |lat: f64, lon: f64, places: i64, people: i64| {
        let (a, b) = key(lat, lon);
        let s = by.entry((a, b)).or_insert(Square {
            lat: (a as f64 + 0.5) / 100.0,
            lon: (b as f64 + 0.5) / 100.0,
            places: 0,
            people: 0,
        });
        s.places += places;
        s.people += people;
    };
    for (lat, lon, _, places) in state.index.supply_by_cell(state.now()) {
        add(lat, lon, places, 0);
    }
    for (lat, lon, _, people) in demand(conn)? {
        add(lat, lon, 0, people);
    }
    Ok(by.into_values().collect())
}

/// The map as SVG: green discs for places free, red for people waiting,
/// their areas proportional to the numbers; north up.
pub fn svg(squares: &[Square], title: &str) -> String {
    let (w, h) = (640.0, 480.0);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\"><rect width=\"{w}\" height=\"{h}\" fill=\"#f4f4f4\"/>",
        escape(title)
    );
    if squares.is_empty() {
        out.push_str("</svg>");
        return out;
    }
    let (mut la0, mut la1, mut lo0, mut lo1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for s in squares {
        la0 = la0.min(s.lat);
        la1 = la1.max(s.lat);
        lo0 = lo0.min(s.lon);
        lo1 = lo1.max(s.lon);
    }
    let k = ((la0 + la1) / 2.0).to_radians().cos().max(0.1);
    let span_x = ((lo1 - lo0) * k).max(0.02);
    let span_y = (la1 - la0).max(0.02);
    let scale = ((w - 40.0) / span_x).min((h - 40.0) / span_y);
    let max = squares
        .iter()
        .map(|s| s.places.max(s.people))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (clat, clon) = ((la0 + la1) / 2.0, (lo0 + lo1) / 2.0);
    for s in squares {
        // centred on the middle of what is drawn, north up
        let x = w / 2.0 + (s.lon - clon) * k * scale;
        let y = h / 2.0 - (s.lat - clat) * scale;
        for (n, colour) in [(s.places, "#1b5e20"), (s.people, "#8a1c1c")] {
            if n > 0 {
                let r = 2.0 + 14.0 * (n as f64 / max).sqrt();
                out.push_str(&format!(
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{colour}\" fill-opacity=\"0.45\"><title>{n}</title></circle>"
                ));
            }
        }
    }
    out.push_str("</svg>");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_the_map() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[1, 2, 3, 4, 100], 0.5), Some(3));
        assert_eq!(percentile(&[1, 2, 3, 4, 100], 0.9), Some(100));
        let map = svg(
            &[
                Square {
                    lat: 48.855,
                    lon: 2.355,
                    places: 4,
                    people: 0,
                },
                Square {
                    lat: 48.865,
                    lon: 2.375,
                    places: 0,
                    people: 9,
                },
            ],
            "Supply <and> demand",
        );
        assert_eq!(map.matches("<circle").count(), 2);
        assert!(map.contains("#1b5e20") && map.contains("#8a1c1c"));
        assert!(map.contains("Supply &lt;and&gt; demand"));
        assert!(svg(&[], "empty").ends_with("</svg>"));
    }
}
