//! The end of an incident: closing it (its offers closed, its live
//! requests cancelled and their places freed, the people told, the purge
//! scheduled) and the
//! sweeper's purge of its personal data `RETENTION_DAYS` later.

use super::{IncidentView, get};
use crate::db::models::MatchRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{IncidentId, OfferId, RequestId};
use crate::domain::matching::Status;
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::error::{AppError, AppResult};
use crate::service::{Account, audit};
use crate::state::AppState;
use serde_json::{Value, json};
use std::collections::HashSet;

/// Closes an incident: its offers close (holds released), its live
/// requests are cancelled (an accepted place they had is freed, and its
/// host told if their offer stays open), the people concerned are told, and
/// the purge of their personal data is scheduled `RETENTION_DAYS` later.
///
/// Locks as every transaction that frees places: the live requests first,
/// then the offers in ID order, so on PostgreSQL it never waits in a cycle
/// with a proposal on one of them.
pub fn close(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &IncidentId,
) -> AppResult<IncidentView> {
    let now = state.now();
    let purge_after = now + i64::from(state.config.retention_days) * 86_400_000;
    let (offers, requests) = state.write_tx(conn, |c| {
        let inc = db::incidents::get(c, id)?.ok_or(AppError::NotFound)?;
        if db::incidents::close(c, id, now, purge_after)? != 1 {
            return Err(AppError::conflict(
                "incident_closed",
                "this incident is already closed",
            ));
        }
        let mut requests = db::incidents::request_ids(c, id)?;
        requests.sort();
        // the live ones, locked; an arrived request keeps its arrival time
        let mut live = Vec::new();
        for r in &requests {
            if let Some(req) = db::requests::lock_live(c, r, now)? {
                let ms: Vec<MatchRow> = db::matches::for_request(c, r)?
                    .into_iter()
                    .filter(|m| matches!(m.status, Status::Proposed | Status::Accepted))
                    .collect();
                live.push((req, ms));
            }
        }
        let own: HashSet<OfferId> = db::incidents::offer_ids(c, id)?.into_iter().collect();
        let mut touched: Vec<OfferId> = own.iter().cloned().collect();
        touched.extend(
            live.iter()
                .flat_map(|(_, ms)| ms.iter().map(|m| m.offer_id.clone())),
        );
        touched.sort();
        touched.dedup();
        // offers in ID order; one outside the incident that another
        // incident's purge deleted meanwhile is passed by
        let mut rows = Vec::with_capacity(touched.len());
        for o in &touched {
            match db::offers::lock(c, o, now)? {
                Some(row) => rows.push(row),
                None if own.contains(o) => return Err(AppError::NotFound),
                None => {}
            }
        }
        let mut freed = HashSet::new();
        for (req, ms) in &live {
            for m in ms {
                // a hold that ran out unmarked ends here too: cancelled, not
                // expired, so the host's record and offer are left alone
                if m.status == Status::Accepted {
                    db::offers::add_accepted(c, &m.offer_id, -m.party_size)?;
                    freed.insert(m.offer_id.clone());
                }
                let mut m = m.clone();
                m.status = Status::Cancelled;
                m.updated_at = now;
                db::matches::save(c, &m)?;
            }
            db::requests::set_status(c, &req.id, RequestStatus::Cancelled, now)?;
            crate::mail::events::incident_closed(state, c, &inc, None, Some(req))?;
        }
        for row in &rows {
            if own.contains(&row.id) {
                if row.status != OfferStatus::Closed {
                    crate::service::offers::cancel_live_proposals(c, &row.id, now)?;
                    db::offers::update(
                        c,
                        &row.id,
                        &crate::db::models::OfferChanges {
                            status: Some(OfferStatus::Closed),
                            ..Default::default()
                        },
                        now,
                    )?;
                    crate::mail::events::incident_closed(state, c, &inc, Some(row), None)?;
                }
            } else if freed.contains(&row.id) && row.status != OfferStatus::Closed {
                crate::mail::events::guest_gone_with_incident(state, c, &inc, row)?;
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
        let touched: Vec<OfferId> = rows.into_iter().map(|r| r.id).collect();
        let cancelled: Vec<RequestId> = live.into_iter().map(|(r, _)| r.id).collect();
        Ok((touched, cancelled))
    })?;
    for r in &requests {
        state.live.touch_request(r);
    }
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
