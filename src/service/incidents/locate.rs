//! Where a point belongs: the open incidents' centres, the incident around
//! a point, and placing a new offer or request in it (or refusing it when
//! the platform runs only inside incidents).

use super::area_of;
use crate::db::incidents::IncidentRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{OfferId, RequestId};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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

/// Places a new offer or request in the incident around it; refuses it when
/// the platform only runs inside incidents and none covers the point.
pub fn place(
    state: &AppState,
    c: &mut DbConn,
    what: Placed<'_>,
    lat: f64,
    lon: f64,
) -> AppResult<()> {
    match (at(c, lat, lon)?, what) {
        (Some(i), Placed::Offer(id)) => {
            db::incidents::set_offer_incident(c, id, &i.id)?;
        }
        (Some(i), Placed::Request(id)) => {
            db::incidents::set_request_incident(c, id, &i.id)?;
        }
        (None, _) if state.config.standing_mode == "closed" => {
            return Err(AppError::conflict(
                "no_active_incident",
                "the platform is not active here: no incident is open around this place",
            ));
        }
        (None, _) => {}
    }
    Ok(())
}

/// What is being placed in an incident.
#[derive(Debug, Clone, Copy)]
pub enum Placed<'a> {
    Offer(&'a OfferId),
    Request(&'a RequestId),
}
