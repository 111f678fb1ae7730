//! Cheap fingerprints of what a live page shows, so that a page stream on
//! one instance notices changes made by another (see `crate::live`). Each
//! reads indexed columns only; any change the page shows moves one of them
//! (writers bump `updated_at` when they lock a request or an offer).

use super::DbConn;
use super::schema::{matches, offers, requests};
use crate::domain::ids::{AccountId, RequestId};
use crate::domain::states::RequestStatus;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

/// A request's page: the request row and its matches.
pub fn request(conn: &mut DbConn, id: &RequestId) -> QueryResult<Vec<i64>> {
    let own: Option<i64> = requests::table
        .find(id)
        .select(requests::updated_at)
        .first(conn)
        .optional()?;
    let (last, n): (Option<i64>, i64) = matches::table
        .filter(matches::request_id.eq(id))
        .select((max(matches::updated_at), count_star()))
        .first(conn)?;
    Ok(vec![own.unwrap_or(-1), last.unwrap_or(-1), n])
}

/// A host's dashboard: their offers and the matches on them.
pub fn host(conn: &mut DbConn, account_id: &AccountId) -> QueryResult<Vec<i64>> {
    let (last, n): (Option<i64>, i64) = offers::table
        .filter(offers::host_id.eq(account_id))
        .select((max(offers::updated_at), count_star()))
        .first(conn)?;
    let theirs = offers::table
        .filter(offers::host_id.eq(account_id))
        .select(offers::id);
    let (m_last, m_n): (Option<i64>, i64) = matches::table
        .filter(matches::offer_id.eq_any(theirs))
        .select((max(matches::updated_at), count_star()))
        .first(conn)?;
    Ok(vec![last.unwrap_or(-1), n, m_last.unwrap_or(-1), m_n])
}

/// The coordinators' console: the last offer touched (every match action
/// locks its offers) and the waiting queue.
pub fn coordinators(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    let last: Option<i64> = offers::table.select(max(offers::updated_at)).first(conn)?;
    let (newest, n): (Option<i64>, i64) = requests::table
        .filter(requests::status.eq(RequestStatus::Waiting))
        .select((max(requests::created_at), count_star()))
        .first(conn)?;
    Ok(vec![last.unwrap_or(-1), newest.unwrap_or(-1), n])
}
