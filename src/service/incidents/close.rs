//! The end of an incident: closing it (its offers closed, its live
//! requests cancelled, the people told, the purge scheduled) and the
//! sweeper's purge of its personal data `RETENTION_DAYS` later.

use super::{IncidentView, get};
use crate::db::{self, DbConn};
use crate::domain::ids::IncidentId;
use crate::domain::matching::Status;
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::error::{AppError, AppResult};
use crate::service::{Account, audit};
use crate::state::AppState;
use serde_json::{Value, json};

/// Closes an incident: its offers close (holds released), its live
/// requests are cancelled, the people concerned are told, and the purge of
/// their personal data is scheduled `RETENTION_DAYS` later.
pub fn close(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &IncidentId,
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
                crate::service::offers::cancel_live_proposals(c, o, now)?;
                db::offers::update(
                    c,
                    o,
                    &crate::db::models::OfferChanges {
                        status: Some(OfferStatus::Closed),
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
