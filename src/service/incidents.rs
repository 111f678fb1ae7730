//! Incidents: opened by a coordinator over an area, with their own time
//! zone, emergency numbers and safeguarding rules; offers and requests
//! inside belong to them. Closing one closes its offers and requests, tells
//! the people concerned, and schedules the deletion of their personal data
//! after `RETENTION_DAYS`, which the sweeper carries out.
//!
//! This file holds the incident's JSON view and its reads; the rest is one
//! job a file: where a point belongs (`locate.rs`), what an incident
//! decides for its requests (`rules.rs`), opening one (`open.rs`), closing
//! one and the purge (`close.rs`).

mod close;
mod locate;
mod open;
mod rules;

use crate::db::incidents::IncidentRow;
use crate::db::{self, DbConn};
use crate::domain::ids::IncidentId;
use crate::domain::incident::Area;
use crate::domain::rfc3339;
use crate::domain::states::IncidentStatus;
use crate::error::{AppError, AppResult};
pub use close::{close, purge_due};
pub use locate::{Placed, at, centres, place};
pub use open::create;
pub use rules::{emergency_for_request, rules_for_request, time_zone_for_request};
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    #[schema(value_type = String)]
    pub id: IncidentId,
    pub name: String,
    pub status: IncidentStatus,
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
            status: r.status,
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

pub fn list(conn: &mut DbConn) -> AppResult<Vec<IncidentView>> {
    Ok(db::incidents::all(conn)?
        .iter()
        .map(IncidentView::of)
        .collect())
}

pub fn get(conn: &mut DbConn, id: &IncidentId) -> AppResult<IncidentView> {
    let r = db::incidents::get(conn, id)?.ok_or(AppError::NotFound)?;
    Ok(IncidentView::of(&r))
}
