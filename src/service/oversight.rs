//! Oversight for coordinators: how fast requests are accepted, supply
//! against demand per area (a table) and per square of about 1 km (an SVG
//! map drawn on the server: no tiles, no script).

use crate::db::{self, DbConn};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::states::RequestStatus;
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
    Ok(db::requests::cells_in_status(conn, RequestStatus::Waiting)?
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

/// The words the map is drawn with, in the reader's language.
pub struct MapText<'a> {
    pub title: &'a str,
    /// the legend's two entries
    pub places: &'a str,
    pub people: &'a str,
}

/// The map as SVG: green discs for places free, red for people waiting,
/// their areas proportional to the numbers; north up; the names of the
/// busiest areas, a legend and a scale bar.
pub fn svg(squares: &[Square], text: &MapText<'_>) -> String {
    let (w, h) = (640.0, 480.0);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" font-family=\"sans-serif\"><title>{}</title><rect width=\"{w}\" height=\"{h}\" fill=\"#f4f4f4\"/>",
        escape(text.title),
        escape(text.title)
    );
    if squares.is_empty() {
        out.push_str(&legend(h, text));
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
    // room for the legend and the scale below what is drawn
    let scale = ((w - 60.0) / span_x).min((h - 140.0) / span_y);
    let max = squares
        .iter()
        .map(|s| s.places.max(s.people))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (clat, clon) = ((la0 + la1) / 2.0, (lo0 + lo1) / 2.0);
    // centred on the middle of what is drawn (above the legend), north up
    let at = |lat: f64, lon: f64| {
        (
            w / 2.0 + (lon - clon) * k * scale,
            (h - 80.0) / 2.0 + 10.0 - (lat - clat) * scale,
        )
    };
    let g = Gazetteer::bundled();
    // area name → (sum of x·n, sum of y·n, sum of n)
    let mut names: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
    for s in squares {
        let (x, y) = at(s.lat, s.lon);
        for (n, colour) in [(s.places, "#1b5e20"), (s.people, "#8a1c1c")] {
            if n > 0 {
                let r = 2.0 + 14.0 * (n as f64 / max).sqrt();
                out.push_str(&format!(
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{colour}\" fill-opacity=\"0.45\"><title>{n}</title></circle>"
                ));
            }
        }
        if let Some(name) = g.label(s.lat, s.lon) {
            let n = (s.places + s.people).max(1) as f64;
            let e = names.entry(name).or_insert((0.0, 0.0, 0.0));
            *e = (e.0 + x * n, e.1 + y * n, e.2 + n);
        }
    }
    // the twelve busiest areas' names, each at the weighted middle of its discs
    let mut named: Vec<(String, (f64, f64, f64))> = names.into_iter().collect();
    named.sort_by(|a, b| b.1.2.total_cmp(&a.1.2).then_with(|| a.0.cmp(&b.0)));
    for (name, (sx, sy, n)) in named.iter().take(12) {
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"15\" text-anchor=\"middle\" fill=\"#111\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            // kept inside the drawing, whole
            (sx / n).clamp(70.0, w - 70.0),
            sy / n - 18.0,
            escape(name)
        ));
    }
    out.push_str(&legend(h, text));
    out.push_str(&scale_bar(w, h, scale / 111.32));
    out.push_str("</svg>");
    out
}

/// The legend, bottom left: what the two colours count.
fn legend(h: f64, text: &MapText<'_>) -> String {
    let y = h - 62.0;
    // wide enough for the longer entry (about 9 px a character at 16 px)
    let chars = text.places.chars().count().max(text.people.chars().count());
    let width = 48.0 + 9.0 * chars as f64;
    format!(
        "<g font-size=\"16\"><rect x=\"10\" y=\"{y}\" width=\"{width:.0}\" height=\"52\" rx=\"4\" fill=\"#fff\" stroke=\"#767676\"/>\
         <circle cx=\"26\" cy=\"{}\" r=\"7\" fill=\"#1b5e20\" fill-opacity=\"0.45\"/><text x=\"40\" y=\"{}\" fill=\"#111\">{}</text>\
         <circle cx=\"26\" cy=\"{}\" r=\"7\" fill=\"#8a1c1c\" fill-opacity=\"0.45\"/><text x=\"40\" y=\"{}\" fill=\"#111\">{}</text></g>",
        y + 16.0,
        y + 21.5,
        escape(text.places),
        y + 36.0,
        y + 41.5,
        escape(text.people)
    )
}

/// A scale bar, bottom right: the longest round distance under 150 px.
fn scale_bar(w: f64, h: f64, px_per_km: f64) -> String {
    let km = [
        0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
    ]
    .into_iter()
    .rev()
    .find(|km| km * px_per_km <= 150.0)
    .unwrap_or(0.1);
    let len = km * px_per_km;
    let (x1, y) = (w - 20.0, h - 22.0);
    let x0 = x1 - len;
    let label = if km < 1.0 {
        format!("{:.0} m", km * 1000.0)
    } else {
        format!("{km:.0} km")
    };
    format!(
        "<g stroke=\"#111\" stroke-width=\"2\"><line x1=\"{x0:.1}\" y1=\"{y}\" x2=\"{x1:.1}\" y2=\"{y}\"/>\
         <line x1=\"{x0:.1}\" y1=\"{}\" x2=\"{x0:.1}\" y2=\"{}\"/><line x1=\"{x1:.1}\" y1=\"{}\" x2=\"{x1:.1}\" y2=\"{}\"/></g>\
         <text x=\"{:.1}\" y=\"{}\" font-size=\"16\" text-anchor=\"middle\" fill=\"#111\">{label}</text>\
         <text x=\"{x1:.1}\" y=\"24\" font-size=\"16\" text-anchor=\"end\" fill=\"#111\">N ↑</text>",
        y - 5.0,
        y + 5.0,
        y - 5.0,
        y + 5.0,
        (x0 + x1) / 2.0,
        y - 9.0
    )
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
            &MapText {
                title: "Supply <and> demand",
                places: "places free",
                people: "people waiting",
            },
        );
        // two discs, and the legend's two
        assert_eq!(map.matches("<circle").count(), 4);
        assert!(map.contains("#1b5e20") && map.contains("#8a1c1c"));
        assert!(map.contains("Supply &lt;and&gt; demand"));
        assert!(map.contains(">places free<") && map.contains(">people waiting<"));
        // 0.02° of longitude (1.46 km here) is 223.6 px apart: 153 px a km,
        // so the longest round bar under 150 px is 500 m (76.4 px)
        assert!(
            map.contains("x1=\"543.6\" y1=\"458\" x2=\"620.0\""),
            "{map}"
        );
        assert!(map.contains(">500 m<"), "{map}");
        // the areas' names, from the gazetteer
        assert!(
            map.contains(">Paris 4e<") && map.contains(">Paris 11e<"),
            "{map}"
        );
        let empty = MapText {
            title: "empty",
            places: "p",
            people: "q",
        };
        assert!(svg(&[], &empty).ends_with("</svg>"));
    }
}
