//! The guest's "I feel unsafe" alert on an accepted match, sent to the
//! coordinators.

use super::effective;
use crate::db::{self, DbConn};
use crate::domain::matching::{Side, Status};
use crate::error::{AppError, AppResult};
use crate::service::{MatchAccess, audit};
use crate::state::AppState;
use serde_json::Value;

/// "I feel unsafe": only the guest of an accepted (or arrived) match may
/// raise it; coordinators are told at once; the host sees nothing. Raising
/// it twice is harmless (one alert).
pub fn flag_unsafe(state: &AppState, conn: &mut DbConn, access: &MatchAccess) -> AppResult<()> {
    if access.side != Side::Guest {
        return Err(AppError::NotFound);
    }
    let now = state.now();
    let id = access.row.id.clone();
    let flagged = state.write_tx(conn, |c| {
        let m = db::matches::get(c, &id)?.ok_or(AppError::NotFound)?;
        if !matches!(effective(&m, now), Status::Accepted | Status::Arrived) {
            return Err(AppError::conflict(
                "match_state",
                "only an accepted match can be flagged",
            ));
        }
        if db::matches::set_unsafe(c, &m.id, now)? {
            audit::record(
                c,
                now,
                &audit::guest(&m.request_id),
                "match.unsafe",
                &m.id,
                Value::Null,
            )?;
            let req = db::requests::get(c, &m.request_id)?.ok_or(AppError::NotFound)?;
            let offer = db::offers::get(c, &m.offer_id)?.ok_or(AppError::NotFound)?;
            crate::mail::events::to_coordinators(state, c, &m, &req, &offer, true)?;
        }
        Ok(())
    });
    state.live.touch_coordinators();
    flagged
}
