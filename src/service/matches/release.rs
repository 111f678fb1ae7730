//! Releasing places outside the state machine's two-sided actions: the
//! platform withdrawing a pending ask it made, and a guest cancelling a
//! whole request with every live match of it.

use super::{effective, lock_offers, state_of};
use crate::db::models::MatchRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{MatchId, OfferId, RequestId};
use crate::domain::matching::Status;
use crate::domain::states::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::service::audit;
use crate::state::AppState;
use serde_json::Value;

/// The platform withdraws a pending ask (to make room for a better one, for
/// a guest who allowed it), freeing its hold.
pub fn withdraw(state: &AppState, conn: &mut DbConn, match_id: &MatchId) -> AppResult<()> {
    let now = state.now();
    let offer = state.write_tx(conn, |c| {
        let mut m = db::matches::get(c, match_id)?.ok_or(AppError::NotFound)?;
        db::requests::lock(c, &m.request_id, now)?.ok_or(AppError::NotFound)?;
        lock_offers(c, vec![m.offer_id.clone()], now)?;
        let mut st = state_of(&m);
        if st.effective_status(now) != Status::Proposed || m.host_consent_at.is_some() {
            return Err(AppError::conflict(
                "match_state",
                "only a pending ask the host has not answered can be withdrawn",
            ));
        }
        st.cancel(now)?;
        m.status = st.status;
        m.updated_at = now;
        db::matches::save(c, &m)?;
        audit::record(c, now, audit::SYSTEM, "match.withdraw", &m.id, Value::Null)?;
        Ok::<_, AppError>((m.offer_id, m.request_id))
    })?;
    state.live.touch_request(&offer.1);
    state.refresh_offers(conn, &[offer.0])
}

/// Cancels a request and every live match of it, freeing holds and places.
/// Returns the offers touched.
pub fn release_request(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
) -> AppResult<Vec<OfferId>> {
    let now = state.now();
    state.write_tx(conn, |c| {
        let req = db::requests::lock(c, request_id, now)?.ok_or(AppError::NotFound)?;
        if req.status == RequestStatus::Cancelled {
            return Ok(vec![]);
        }
        if req.status == RequestStatus::Arrived {
            return Err(AppError::conflict(
                "request_arrived",
                "this request has already arrived safely",
            ));
        }
        let live: Vec<MatchRow> = db::matches::for_request(c, &req.id)?
            .into_iter()
            .filter(|m| matches!(effective(m, now), Status::Proposed | Status::Accepted))
            .collect();
        let ids: Vec<OfferId> = live.iter().map(|m| m.offer_id.clone()).collect();
        lock_offers(c, ids.clone(), now)?;
        for mut m in live {
            if effective(&m, now) == Status::Accepted {
                db::offers::add_accepted(c, &m.offer_id, -m.party_size)?;
            }
            m.status = Status::Cancelled;
            m.updated_at = now;
            db::matches::save(c, &m)?;
        }
        db::requests::set_status(c, &req.id, RequestStatus::Cancelled, now)?;
        audit::record(
            c,
            now,
            &audit::guest(&req.id),
            "request.cancel",
            &req.id,
            Value::Null,
        )?;
        Ok(ids)
    })
}
