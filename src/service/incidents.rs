//! Incidents: opened by a coordinator over an area, with their own time
//! zone, emergency numbers and safeguarding rules; offers and requests
//! inside belong to them. Closing one closes its offers and requests, tells
//! the people concerned, and schedules the deletion of their personal data
//! after `RETENTION_DAYS`, which the sweeper carries out.

use super::Account;
use super::audit;
use crate::db::incidents::IncidentRow;
use crate::db::{self, DbConn};
use crate::domain::incident::Area;
use crate::domain::input::Fields;
use crate::domain::matching::Status;
use crate::domain::rfc3339;
use crate::domain::safeguarding::Rules;
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::domain::values::{Coordinates, Text};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: String,
    pub name: String,
    pub status: String,
    pub center: [f64; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
    /// the polygon's vertices as [lat, lon], when the area is a polygon
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polygon: Option<Value>,
    /// the area as a GeoJSON geometry (RFC 7946, positions [lon, lat]): the
    /// Polygon, its ring closed; or, for a circle, its centre as a Point
    /// (the radius is `radius_km`)
    #[schema(value_type = Object)]
    pub area: Value,
    pub starts_at: String,
    pub planned_end_at: String,
    pub time_zone: String,
    pub emergency_numbers: Vec<String>,
    pub rules: Value,
    /// holds here, minutes (null: the deployment's), and automatic matching
    pub holds: Value,
    pub auto_match: bool,
    pub closed_at: Option<String>,
    pub purge_after: Option<String>,
    pub purged_at: Option<String>,
    /// anonymous counts kept after the purge
    pub summary: Option<Value>,
}

impl IncidentView {
    fn of(r: &IncidentRow) -> Self {
        Self {
            id: r.id.clone(),
            name: r.name.clone(),
            status: r.status.clone(),
            center: [r.center_lat, r.center_lon],
            radius_km: r.radius_m.map(|m| m / 1000.0),
            polygon: r
                .polygon
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok()),
            area: serde_json::to_value(area_of(r).to_geojson()).unwrap_or(Value::Null),
            starts_at: rfc3339(r.starts_at),
            planned_end_at: rfc3339(r.planned_end_at),
            time_zone: r.time_zone.clone(),
            emergency_numbers: numbers(&r.emergency_numbers),
            rules: json!({
                "women_only_needs_verified_host": r.women_only_needs_verified_host,
                "children_need_verified_host": r.children_need_verified_host,
                "first_acceptance_review": r.first_acceptance_review,
            }),
            holds: json!({
                "minutes": r.hold_minutes,
                "unseen_minutes": r.hold_unseen_minutes,
                "extend_minutes": r.hold_extend_minutes,
                "cap_minutes": r.hold_cap_minutes,
            }),
            auto_match: r.auto_match,
            closed_at: r.closed_at.map(rfc3339),
            purge_after: r.purge_after.map(rfc3339),
            purged_at: r.purged_at.map(rfc3339),
            summary: r
                .summary
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok()),
        }
    }
}

pub fn numbers(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn area_of(r: &IncidentRow) -> Area {
    match (&r.polygon, r.radius_m) {
        (Some(p), _) => {
            Area::stored_polygon(&serde_json::from_str::<Vec<(f64, f64)>>(p).unwrap_or_default())
        }
        (None, radius) => Area::Circle {
            lat: r.center_lat,
            lon: r.center_lon,
            radius_m: radius.unwrap_or(0.0),
        },
    }
}

/// Where the crisis is: the centres of the open incidents (none in open
/// mode). Places typed in words are read near them.
pub fn centres(conn: &mut DbConn) -> AppResult<Vec<(f64, f64)>> {
    Ok(db::incidents::open(conn)?
        .iter()
        .map(|i| (i.center_lat, i.center_lon))
        .collect())
}

/// The open incident a point belongs to (the oldest, if areas overlap).
pub fn at(conn: &mut DbConn, lat: f64, lon: f64) -> AppResult<Option<IncidentRow>> {
    Ok(db::incidents::open(conn)?
        .into_iter()
        .find(|i| area_of(i).contains(lat, lon)))
}

/// The safeguarding rules for a request: its incident's, else the deployment's.
pub fn rules_for_request(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &str,
) -> AppResult<Rules> {
    Ok(match db::incidents::request_incident(conn, request_id)? {
        Some(id) => match db::incidents::get(conn, &id)? {
            Some(i) => Rules {
                women_only_needs_verified_host: i.women_only_needs_verified_host,
                children_need_verified_host: i.children_need_verified_host,
                first_acceptance_review: i.first_acceptance_review,
            },
            None => state.config.rules(),
        },
        None => state.config.rules(),
    })
}

/// The emergency numbers for a request: its incident's, else the deployment's.
pub fn emergency_for_request(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &str,
) -> AppResult<Vec<String>> {
    Ok(match db::incidents::request_incident(conn, request_id)? {
        Some(id) => db::incidents::get(conn, &id)?
            .map(|i| numbers(&i.emergency_numbers))
            .unwrap_or_else(|| numbers(&state.config.emergency_numbers)),
        None => numbers(&state.config.emergency_numbers),
    })
}

/// The time zone of a request's incident, else the deployment's.
pub fn time_zone_for_request(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &str,
) -> AppResult<chrono_tz::Tz> {
    Ok(match db::incidents::request_incident(conn, request_id)? {
        Some(id) => db::incidents::get(conn, &id)?
            .and_then(|i| i.time_zone.parse().ok())
            .unwrap_or(state.tz),
        None => state.tz,
    })
}

/// Places a new offer or request in the incident around it; refuses it when
/// the platform only runs inside incidents and none covers the point.
pub fn place(
    state: &AppState,
    c: &mut DbConn,
    kind: &str,
    id: &str,
    lat: f64,
    lon: f64,
) -> AppResult<()> {
    match at(c, lat, lon)? {
        Some(i) if kind == "offer" => {
            db::incidents::set_offer_incident(c, id, &i.id)?;
        }
        Some(i) => {
            db::incidents::set_request_incident(c, id, &i.id)?;
        }
        None if state.config.standing_mode == "closed" => {
            return Err(AppError::conflict(
                "no_active_incident",
                "the platform is not active here: no incident is open around this place",
            ));
        }
        None => {}
    }
    Ok(())
}

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
    let holds = super::holds::parse_settings(&mut f);
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
        id: crate::domain::ids::Secret::generate("inc_")
            .expose()
            .chars()
            .take(20)
            .collect(),
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
        status: "open".into(),
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
        let (offers, requests) = db::incidents::unassigned(c)?;
        for (id, lat, lon) in offers {
            if area.contains(lat, lon) {
                db::incidents::set_offer_incident(c, &id, &row.id)?;
            }
        }
        for (id, lat, lon) in requests {
            if area.contains(lat, lon) {
                db::incidents::set_request_incident(c, &id, &row.id)?;
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

pub fn list(conn: &mut DbConn) -> AppResult<Vec<IncidentView>> {
    Ok(db::incidents::all(conn)?
        .iter()
        .map(IncidentView::of)
        .collect())
}

pub fn get(conn: &mut DbConn, id: &str) -> AppResult<IncidentView> {
    let r = db::incidents::get(conn, id)?.ok_or(AppError::NotFound)?;
    Ok(IncidentView::of(&r))
}

/// Closes an incident: its offers close (holds released), its live
/// requests are cancelled, the people concerned are told, and the purge of
/// their personal data is scheduled `RETENTION_DAYS` later.
pub fn close(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &str,
) -> AppResult<IncidentView> {
    let now = state.now();
    let purge_after = now + i64::from(state.config.retention_days) * 86_400_000;
    let offers = state.write_tx(conn, |c| {
        let inc = db::incidents::get(c, id)?.ok_or(AppError::NotFound)?;
        if db::incidents::close(c, id, now, purge_after)? != 1 {
            return Err(AppError::conflict(
                "incident_closed",
                "this incident is already closed",
            ));
        }
        let offers = db::incidents::offer_ids(c, id)?;
        for o in &offers {
            let row = db::offers::get(c, o)?.ok_or(AppError::NotFound)?;
            if row.status != OfferStatus::Closed {
                super::offers::cancel_live_proposals(c, o, now)?;
                db::offers::update(
                    c,
                    o,
                    &crate::db::models::OfferChanges {
                        status: Some(OfferStatus::Closed.into()),
                        ..Default::default()
                    },
                    now,
                )?;
                crate::mail::events::incident_closed(state, c, &inc, Some(&row), None)?;
            }
        }
        for r in db::incidents::request_ids(c, id)? {
            let req = db::requests::get(c, &r)?.ok_or(AppError::NotFound)?;
            if req.status == RequestStatus::Waiting || req.status == RequestStatus::Matched {
                for mut m in db::matches::for_request(c, &r)? {
                    if m.status == Status::Proposed || m.status == Status::Accepted {
                        m.status = Status::Cancelled;
                        m.updated_at = now;
                        db::matches::save(c, &m)?;
                    }
                }
                db::requests::set_status(c, &r, RequestStatus::Cancelled, now)?;
                crate::mail::events::incident_closed(state, c, &inc, None, Some(&req))?;
            }
        }
        audit::record(
            c,
            now,
            coord.id.as_str(),
            "coord.incident_close",
            id,
            Value::Null,
        )?;
        Ok(offers)
    })?;
    state.refresh_offers(conn, &offers)?;
    get(conn, id)
}

/// The sweeper's part: deletes the personal data of incidents closed more
/// than `RETENTION_DAYS` ago, keeping anonymous counts. Returns how many.
pub fn purge_due(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    let now = state.now();
    let due = db::incidents::due_purge(conn, now)?;
    for inc in &due {
        state.write_tx(conn, |c| {
            let offers = db::incidents::offer_ids(c, &inc.id)?;
            let requests = db::incidents::request_ids(c, &inc.id)?;
            let mut places = 0;
            for o in &offers {
                if let Some(r) = db::offers::get(c, o)? {
                    places += r.capacity;
                }
            }
            let mut people = 0;
            let mut sheltered = 0;
            for r in &requests {
                if let Some(row) = db::requests::get(c, r)? {
                    people += row.party_size;
                    if row.status == RequestStatus::Arrived {
                        sheltered += row.party_size;
                    }
                }
            }
            let summary = json!({
                "offers": offers.len(),
                "places": places,
                "requests": requests.len(),
                "people": people,
                "people_arrived": sheltered,
            });
            db::incidents::purge(c, &inc.id, &summary.to_string(), now)?;
            audit::record(c, now, audit::SYSTEM, "incident.purge", &inc.id, summary)
        })?;
    }
    Ok(due.len())
}
