//! What the coordinators' console's map shows, per privacy cell: the places
//! free and the people waiting (with the waiting parties, to open one), the
//! open incidents' areas, and the alerts. Only cell centres, never a
//! person's point; the same figures the console lists in its tables.

use super::coordination::{self, AlertView};
use super::views::{Area, QueueEntryView};
use crate::db::DbConn;
use crate::domain::ids::RequestId;
use crate::domain::states::{IncidentStatus, RequestStatus};
use crate::error::AppResult;
use crate::state::AppState;
use serde::Serialize;
use std::collections::BTreeMap;

/// One privacy cell with something in it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapCell {
    pub lat: f64,
    pub lon: f64,
    /// the commune or arrondissement of the cell centre
    pub area: Option<String>,
    pub offers: i64,
    pub places: i64,
    pub people: i64,
    /// the waiting parties of the queue in this cell, longest wait first
    pub parties: Vec<MapParty>,
}

/// A waiting party, as the queue shows it: enough to open it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapParty {
    pub id: String,
    pub name: String,
    pub size: i32,
    pub minutes: i64,
}

/// An open incident's area: a circle (centre and radius) or a polygon.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapIncident {
    pub name: String,
    pub center: [f64; 2],
    pub radius_km: Option<f64>,
    /// [lat, lon] vertices
    pub polygon: Option<Vec<[f64; 2]>>,
}

/// An alert at the door's cell.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapAlert {
    /// "unsafe" or "no_arrival"
    pub kind: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub match_id: String,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct ConsoleMap {
    pub cells: Vec<MapCell>,
    pub incidents: Vec<MapIncident>,
    pub alerts: Vec<MapAlert>,
}

/// The cell key: centres are the same numbers for everything in a cell.
fn key(lat: f64, lon: f64) -> (i64, i64) {
    ((lat * 1e6).round() as i64, (lon * 1e6).round() as i64)
}

/// The map from what the console already loaded (its queue and alerts),
/// the live supply and the waiting demand, and the incidents.
pub fn map(
    state: &AppState,
    conn: &mut DbConn,
    queue: &[QueueEntryView],
    alerts: &[AlertView],
) -> AppResult<ConsoleMap> {
    let supply = state.index.supply_by_cell(state.now());
    let demand = crate::db::requests::cells_in_status(conn, RequestStatus::Waiting)?;
    let incidents = super::incidents::list(conn)?;
    Ok(assemble(&supply, &demand, queue, alerts, &incidents))
}

/// The pure part of [`map`]: everything grouped by cell.
pub fn assemble(
    supply: &[(f64, f64, i64, i64)],
    demand: &[(f64, f64, i32)],
    queue: &[QueueEntryView],
    alerts: &[AlertView],
    incidents: &[super::incidents::IncidentView],
) -> ConsoleMap {
    let mut cells: BTreeMap<(i64, i64), MapCell> = BTreeMap::new();
    fn at(cells: &mut BTreeMap<(i64, i64), MapCell>, lat: f64, lon: f64) -> &mut MapCell {
        cells.entry(key(lat, lon)).or_insert_with(|| MapCell {
            lat,
            lon,
            area: Area::at("", lat, lon).label,
            offers: 0,
            places: 0,
            people: 0,
            parties: vec![],
        })
    }
    for &(lat, lon, n, places) in supply {
        let c = at(&mut cells, lat, lon);
        c.offers += n;
        c.places += places;
    }
    for &(lat, lon, n) in demand {
        at(&mut cells, lat, lon).people += i64::from(n);
    }
    for q in queue.iter().filter(|q| q.status == RequestStatus::Waiting) {
        at(&mut cells, q.area.lat, q.area.lon)
            .parties
            .push(MapParty {
                id: q.request_id.clone().into(),
                name: q.name.clone(),
                size: q.party_size,
                minutes: q.waiting_minutes,
            });
    }
    let incidents = incidents
        .iter()
        .filter(|i| i.status == IncidentStatus::Open)
        .map(|i| MapIncident {
            name: i.name.clone(),
            center: i.center,
            radius_km: i.radius_km,
            polygon: i.polygon.as_ref().and_then(|p| {
                serde_json::from_value::<Vec<[f64; 2]>>(p.clone())
                    .ok()
                    .filter(|v| v.len() >= 3)
            }),
        })
        .collect();
    let alerts = alerts
        .iter()
        .map(|a| MapAlert {
            kind: a.kind,
            lat: a.match_view.offer.area.lat,
            lon: a.match_view.offer.area.lon,
            match_id: a.match_view.id.clone().into(),
        })
        .collect();
    ConsoleMap {
        cells: cells.into_values().collect(),
        incidents,
        alerts,
    }
}

/// The console's selected party: the queue entry, and the doors it could
/// be proposed (none once it is no longer waiting).
pub fn party(
    state: &AppState,
    conn: &mut DbConn,
    id: &RequestId,
) -> AppResult<(QueueEntryView, Vec<super::views::CandidateView>)> {
    let entry = coordination::queue_entry(state, conn, id)?;
    let doors = coordination::doors_for(state, conn, id)?;
    Ok((entry, doors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::views::NeedsView;

    fn waiting(id: &str, lat: f64, lon: f64, size: i32, status: RequestStatus) -> QueueEntryView {
        QueueEntryView {
            request_id: RequestId::from_db(id.into()),
            status,
            name: format!("name of {id}"),
            party_size: size,
            needs: NeedsView {
                accessible: false,
                pets: false,
                children: false,
                women_only: false,
            },
            languages: vec![],
            area: Area::at("c", lat, lon),
            waiting_since: String::new(),
            waiting_minutes: 7,
        }
    }

    #[test]
    fn cells_gather_supply_demand_and_their_parties() {
        let (a, b) = ((48.8585, 2.3795), (48.8641, 2.4432));
        let m = assemble(
            &[(a.0, a.1, 2, 5)],
            &[(a.0, a.1, 2), (b.0, b.1, 3), (b.0, b.1, 1)],
            &[
                waiting("req_a", a.0, a.1, 2, RequestStatus::Waiting),
                waiting("req_b", b.0, b.1, 3, RequestStatus::Waiting),
                // no longer waiting: not a party to open
                waiting("req_c", b.0, b.1, 1, RequestStatus::Cancelled),
            ],
            &[],
            &[],
        );
        assert_eq!(m.cells.len(), 2, "{m:?}");
        let cell = |lon: f64| m.cells.iter().find(|c| c.lon == lon).unwrap();
        let (ca, cb) = (cell(a.1), cell(b.1));
        assert_eq!((ca.offers, ca.places, ca.people), (2, 5, 2));
        assert_eq!((cb.offers, cb.places, cb.people), (0, 0, 4));
        assert_eq!(ca.parties.len(), 1);
        assert_eq!(ca.parties[0].id, "req_a");
        assert_eq!(ca.parties[0].minutes, 7);
        let ids: Vec<&str> = cb.parties.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["req_b"]);
        assert_eq!(ca.area.as_deref(), Some("Paris 11e"));
        assert_eq!(cb.area.as_deref(), Some("Montreuil"));
        assert!(m.incidents.is_empty() && m.alerts.is_empty());
        assert_eq!(assemble(&[], &[], &[], &[], &[]), ConsoleMap::default());
    }
}
