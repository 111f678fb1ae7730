//! The sweeper: housekeeping the server's background thread runs every
//! few seconds (`server.rs`), and the simulator at each simulated sweep.

use crate::db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Housekeeping: marks run-out proposals expired (they already stopped
/// counting at their expiry instant), pausing offers whose host let a
/// hold run out; escalates arrivals; drops dead tokens; then asks the
/// next doors for guests who allowed it (at once for those whose asks ran
/// out, by the automatic matching where it is on, then topping up every
/// waiting guest's asks), and purges closed incidents that are due.
pub fn sweep(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let mut conn = state.conn()?;
    let window = i64::from(state.config.arrival_window_minutes) * 60_000;
    let (done, fallout) = state.write_tx(&mut conn, |c| {
        let fallout = super::holds::expire_due(state, c, now)?;
        let late = db::matches::due_escalation(c, now - window)?;
        for m in &late {
            db::matches::set_escalated(c, &m.id, now)?;
            super::audit::record(
                c,
                now,
                super::audit::SYSTEM,
                "match.escalate",
                &m.id,
                serde_json::Value::Null,
            )?;
            let req = db::requests::get(c, &m.request_id)?.ok_or(AppError::NotFound)?;
            let offer = db::offers::get(c, &m.offer_id)?.ok_or(AppError::NotFound)?;
            crate::mail::events::to_coordinators(state, c, m, &req, &offer, false)?;
        }
        db::accounts::delete_expired_tokens(c, now)?;
        Ok::<_, AppError>((fallout.expired + late.len(), fallout))
    })?;
    state.refresh_offers(&mut conn, &fallout.offers)?;
    for r in &fallout.requests {
        state.live.touch_request(r);
    }
    if done > 0 {
        state.live.touch_coordinators();
    }
    super::auto_ask::after_loss(state, &mut conn, &fallout.requests);
    super::assignment::run_auto(state, &mut conn)?;
    super::auto_ask::keep_asking(state, &mut conn)?;
    let purged = super::incidents::purge_due(state, &mut conn)?;
    Ok(done + purged)
}
