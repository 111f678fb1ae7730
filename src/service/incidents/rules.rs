//! What a request's incident decides for it — safeguarding rules,
//! emergency numbers, time zone — else the deployment's.

use super::numbers;
use crate::db::{self, DbConn};
use crate::domain::ids::RequestId;
use crate::domain::safeguarding::Rules;
use crate::error::AppResult;
use crate::state::AppState;

/// The safeguarding rules for a request: its incident's, else the deployment's.
pub fn rules_for_request(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
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
    request_id: &RequestId,
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
    request_id: &RequestId,
) -> AppResult<chrono_tz::Tz> {
    Ok(match db::incidents::request_incident(conn, request_id)? {
        Some(id) => db::incidents::get(conn, &id)?
            .and_then(|i| i.time_zone.parse().ok())
            .unwrap_or(state.tz),
        None => state.tz,
    })
}
