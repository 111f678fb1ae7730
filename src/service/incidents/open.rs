//! Opening an incident: the coordinator's form read field by field (area,
//! dates, time zone, emergency numbers, rules, holds), the row written, and
//! the offers and requests already inside its area given to it.

use super::IncidentView;
use crate::db::incidents::IncidentRow;
use crate::db::{self, DbConn};
use crate::domain::incident::Area;
use crate::domain::input::Fields;
use crate::domain::states::IncidentStatus;
use crate::domain::values::{Coordinates, Text};
use crate::error::{AppError, AppResult};
use crate::service::{Account, audit, holds};
use crate::state::AppState;
use serde_json::{Value, json};

pub fn create(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    body: Value,
) -> AppResult<IncidentView> {
    let now = state.now();
    let mut f = Fields::new(
        body,
        &[
            "name",
            "center",
            "radius_km",
            "polygon",
            "area",
            "starts_at",
            "planned_end_at",
            "time_zone",
            "emergency_numbers",
            "rules",
            "holds",
            "auto_match",
        ],
    )?;
    let name = f
        .str_req("name")
        .and_then(|s| f.check("name", Text::new(&s, 2, 120, false)));
    // a polygon as [lat, lon] vertices, or as a GeoJSON Polygon
    let mut polygon: Option<Area> = None;
    for (field, read) in [
        ("polygon", Area::from_vertices as fn(_) -> _),
        ("area", Area::from_geojson),
    ] {
        if let Some(v) = f.take_value(field) {
            match read(v) {
                Ok(_) if polygon.is_some() => f.error(field, "give polygon or area, not both"),
                Ok(a) => polygon = Some(a),
                Err(e) => f.error(field, e.to_string()),
            }
        }
    }
    let center: Option<(f64, f64)> = match f.take_value("center") {
        None => None,
        Some(v) => match serde_json::from_value::<[f64; 2]>(v) {
            Ok([a, b]) if Coordinates::new(a, b).is_ok() => Some((a, b)),
            _ => {
                f.error(
                    "center",
                    "must be [lat, lon] with lat in -90..90 and lon in -180..180",
                );
                None
            }
        },
    };
    let radius_km = f.f64_opt("radius_km");
    if let Some(r) = radius_km {
        if !(0.1..=200.0).contains(&r) {
            f.error("radius_km", "must be from 0.1 to 200");
        }
    }
    if polygon.is_none()
        && (center.is_none() || radius_km.is_none())
        && !f.has_error("polygon")
        && !f.has_error("area")
        && !f.has_error("center")
    {
        f.error("center", "give center and radius_km, or a polygon");
    }
    let starts = f.time_opt("starts_at").unwrap_or(now);
    let ends = f.time_req("planned_end_at");
    if let Some(e) = ends {
        if e <= starts {
            f.error("planned_end_at", "must be after starts_at");
        }
    }
    let tz = f
        .str_opt("time_zone")
        .unwrap_or_else(|| state.config.time_zone.clone());
    if tz.parse::<chrono_tz::Tz>().is_err() {
        f.error(
            "time_zone",
            "must be an IANA time zone such as Europe/Paris",
        );
    }
    let numbers_list = f.str_list_opt("emergency_numbers", 5);
    if let Some(list) = &numbers_list {
        if list.is_empty()
            || list
                .iter()
                .any(|n| n.is_empty() || n.len() > 15 || !n.chars().all(|c| c.is_ascii_digit()))
        {
            f.error("emergency_numbers", "must be 1 to 5 numbers of digits");
        }
    }
    let mut rules = state.config.rules();
    if let Some(mut r) = f.object_opt(
        "rules",
        &[
            "women_only_needs_verified_host",
            "children_need_verified_host",
            "first_acceptance_review",
        ],
    ) {
        rules.women_only_needs_verified_host = r
            .bool_opt("women_only_needs_verified_host")
            .unwrap_or(rules.women_only_needs_verified_host);
        rules.children_need_verified_host = r
            .bool_opt("children_need_verified_host")
            .unwrap_or(rules.children_need_verified_host);
        rules.first_acceptance_review = r
            .bool_opt("first_acceptance_review")
            .unwrap_or(rules.first_acceptance_review);
        f.absorb(r);
    }
    let holds = holds::parse_settings(&mut f);
    let auto_match = f.bool_opt("auto_match").unwrap_or(false);
    f.finish()?;
    let area = match (polygon, center, radius_km) {
        (Some(p), _, _) => p,
        (None, Some((lat, lon)), Some(r)) => Area::Circle {
            lat,
            lon,
            radius_m: r * 1000.0,
        },
        _ => return Err(AppError::Internal("validated incident has no area".into())),
    };
    let (clat, clon) = area.centre();
    let row = IncidentRow {
        id: crate::domain::ids::IncidentId::generate(),
        name: name.map(Text::into_inner).unwrap_or_default(),
        center_lat: clat,
        center_lon: clon,
        radius_m: match &area {
            Area::Circle { radius_m, .. } => Some(*radius_m),
            Area::Polygon(_) => None,
        },
        polygon: match &area {
            Area::Polygon(_) => Some(json!(area.vertices()).to_string()),
            Area::Circle { .. } => None,
        },
        starts_at: starts,
        planned_end_at: ends.unwrap_or(starts),
        time_zone: tz,
        emergency_numbers: numbers_list
            .map(|l| l.join(","))
            .unwrap_or_else(|| state.config.emergency_numbers.clone()),
        women_only_needs_verified_host: rules.women_only_needs_verified_host,
        children_need_verified_host: rules.children_need_verified_host,
        first_acceptance_review: rules.first_acceptance_review,
        status: IncidentStatus::Open,
        hold_minutes: holds[0],
        hold_unseen_minutes: holds[1],
        hold_extend_minutes: holds[2],
        hold_cap_minutes: holds[3],
        auto_match,
        created_by: coord.id.to_string(),
        created_at: now,
        closed_at: None,
        purge_after: None,
        purged_at: None,
        summary: None,
    };
    state.write_tx(conn, |c| {
        db::incidents::insert(c, &row)?;
        // what is already there belongs to it
        // (requests first, then offers, each in ID order: the order every
        // transaction that takes or frees places locks them in)
        let (offers, requests) = db::incidents::unassigned(c)?;
        for (id, lat, lon) in requests {
            if area.contains(lat, lon) {
                db::incidents::set_request_incident(c, &id, &row.id)?;
            }
        }
        for (id, lat, lon) in offers {
            if area.contains(lat, lon) {
                db::incidents::set_offer_incident(c, &id, &row.id)?;
            }
        }
        audit::record(
            c,
            now,
            coord.id.as_str(),
            "coord.incident_open",
            &row.id,
            Value::Null,
        )
    })?;
    Ok(IncidentView::of(&row))
}
