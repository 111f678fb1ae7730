//! Matches (proposals and their outcome), read with what their views need,
//! and the record of reveals.

use super::DbConn;
use super::models::{MatchRow, OfferRow, RequestRow, RevealRow};
use super::schema::{accounts, matches, offers, requests, reveals};
use crate::domain::ids::{AccountId, MatchId, OfferId, RequestId};
use crate::domain::matching::Status;
use diesel::prelude::*;

pub const LIVE: [Status; 3] = [Status::Proposed, Status::Accepted, Status::Arrived];

pub fn insert(conn: &mut DbConn, row: &MatchRow) -> QueryResult<()> {
    diesel::insert_into(matches::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &MatchId) -> QueryResult<Option<MatchRow>> {
    matches::table
        .find(id)
        .select(MatchRow::as_select())
        .first(conn)
        .optional()
}

/// Writes the mutable part of a match back.
pub fn save(conn: &mut DbConn, m: &MatchRow) -> QueryResult<usize> {
    diesel::update(matches::table.find(&m.id))
        .set((
            matches::status.eq(m.status),
            matches::guest_consent_at.eq(m.guest_consent_at),
            matches::host_consent_at.eq(m.host_consent_at),
            matches::updated_at.eq(m.updated_at),
            matches::accepted_at.eq(m.accepted_at),
            matches::arrived_at.eq(m.arrived_at),
            matches::expires_at.eq(m.expires_at),
            matches::opened_at.eq(m.opened_at),
        ))
        .execute(conn)
}

pub fn for_request(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<MatchRow>> {
    matches::table
        .filter(matches::request_id.eq(request_id))
        .order(matches::created_at.desc())
        .select(MatchRow::as_select())
        .load(conn)
}

/// Every match of these requests.
pub fn for_requests(conn: &mut DbConn, ids: &[RequestId]) -> QueryResult<Vec<MatchRow>> {
    matches::table
        .filter(matches::request_id.eq_any(ids))
        .select(MatchRow::as_select())
        .load(conn)
}

pub fn for_offer(conn: &mut DbConn, offer_id: &OfferId) -> QueryResult<Vec<MatchRow>> {
    matches::table
        .filter(matches::offer_id.eq(offer_id))
        .order(matches::created_at.desc())
        .select(MatchRow::as_select())
        .load(conn)
}

/// Proposals still holding places at `now`, for some offers (or all).
pub fn live_holds(
    conn: &mut DbConn,
    offer_ids: Option<&[OfferId]>,
    now: i64,
) -> QueryResult<Vec<MatchRow>> {
    let mut q = matches::table
        .filter(matches::status.eq(Status::Proposed))
        .filter(matches::expires_at.gt(now))
        .select(MatchRow::as_select())
        .into_boxed();
    if let Some(ids) = offer_ids {
        q = q.filter(matches::offer_id.eq_any(ids));
    }
    q.load(conn)
}

/// Marks proposals whose hold has run out as expired; returns them.
pub fn expire_due(conn: &mut DbConn, now: i64) -> QueryResult<Vec<MatchRow>> {
    let due: Vec<MatchRow> = matches::table
        .filter(matches::status.eq(Status::Proposed))
        .filter(matches::expires_at.le(now))
        .order(matches::expires_at.asc())
        .limit(1000)
        .select(MatchRow::as_select())
        .load(conn)?;
    if due.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<&MatchId> = due.iter().map(|m| &m.id).collect();
    diesel::update(
        matches::table
            .filter(matches::id.eq_any(ids))
            .filter(matches::status.eq(Status::Proposed)),
    )
    .set((
        matches::status.eq(Status::Expired),
        matches::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(due)
}

/// Expires a pair's stale proposal so that a new one may take its place in
/// the unique index of live pairs.
pub fn expire_pair(
    conn: &mut DbConn,
    request_id: &RequestId,
    offer_id: &OfferId,
    now: i64,
) -> QueryResult<usize> {
    diesel::update(
        matches::table
            .filter(matches::request_id.eq(request_id))
            .filter(matches::offer_id.eq(offer_id))
            .filter(matches::status.eq(Status::Proposed))
            .filter(matches::expires_at.le(now)),
    )
    .set((
        matches::status.eq(Status::Expired),
        matches::updated_at.eq(now),
    ))
    .execute(conn)
}

/// The latest matches in some statuses, most recently changed first.
pub fn recent(conn: &mut DbConn, statuses: &[Status], limit: i64) -> QueryResult<Vec<MatchRow>> {
    matches::table
        .filter(matches::status.eq_any(statuses))
        .order((matches::updated_at.desc(), matches::id.asc()))
        .limit(limit)
        .select(MatchRow::as_select())
        .load(conn)
}

pub fn count_status(conn: &mut DbConn, status: Status, now: i64) -> QueryResult<i64> {
    let q = matches::table.filter(matches::status.eq(status)).count();
    if status == Status::Proposed {
        q.filter(matches::expires_at.gt(now)).get_result(conn)
    } else {
        q.get_result(conn)
    }
}

/// Records that contacts were revealed (once per match and party: a unique
/// index refuses a second row for the same side).
pub fn record_reveal(conn: &mut DbConn, row: &RevealRow) -> QueryResult<()> {
    diesel::insert_into(reveals::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

pub fn reveals_for(conn: &mut DbConn, match_id: &MatchId) -> QueryResult<Vec<RevealRow>> {
    reveals::table
        .filter(reveals::match_id.eq(match_id))
        .order(reveals::created_at.asc())
        .select(RevealRow::as_select())
        .load(conn)
}

/// The reveals of several matches in one query, each with the display name
/// of its viewer's account (if any), oldest first.
pub fn reveals_for_many(
    conn: &mut DbConn,
    match_ids: &[MatchId],
) -> QueryResult<Vec<(RevealRow, Option<String>)>> {
    if match_ids.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<RevealRow> = reveals::table
        .filter(reveals::match_id.eq_any(match_ids))
        .order((reveals::created_at.asc(), reveals::id.asc()))
        .select(RevealRow::as_select())
        .load(conn)?;
    let mut viewers: Vec<&AccountId> = rows
        .iter()
        .filter_map(|r| r.viewer_account_id.as_ref())
        .collect();
    viewers.sort_unstable();
    viewers.dedup();
    let names: Vec<(AccountId, String)> = if viewers.is_empty() {
        vec![]
    } else {
        accounts::table
            .filter(accounts::id.eq_any(&viewers))
            .select((accounts::id, accounts::display_name))
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = r
                .viewer_account_id
                .as_ref()
                .and_then(|id| names.iter().find(|(a, _)| a == id).map(|(_, n)| n.clone()));
            (r, name)
        })
        .collect())
}

/// Accepted matches with no arrival confirmed since `accepted_before`, not
/// yet escalated.
pub fn due_escalation(conn: &mut DbConn, accepted_before: i64) -> QueryResult<Vec<MatchRow>> {
    matches::table
        .filter(matches::status.eq(Status::Accepted))
        .filter(matches::accepted_at.le(accepted_before))
        .filter(matches::escalated_at.is_null())
        .order(matches::accepted_at.asc())
        .limit(500)
        .select(MatchRow::as_select())
        .load(conn)
}

pub fn set_escalated(conn: &mut DbConn, id: &MatchId, now: i64) -> QueryResult<usize> {
    diesel::update(
        matches::table
            .find(id)
            .filter(matches::escalated_at.is_null()),
    )
    .set(matches::escalated_at.eq(now))
    .execute(conn)
}

/// Raises the "I feel unsafe" flag; false if it was already raised.
pub fn set_unsafe(conn: &mut DbConn, id: &MatchId, now: i64) -> QueryResult<bool> {
    diesel::update(matches::table.find(id).filter(matches::unsafe_at.is_null()))
        .set(matches::unsafe_at.eq(now))
        .execute(conn)
        .map(|n| n == 1)
}

/// A match with when it was flagged unsafe and when it was escalated.
pub type Alert = (MatchRow, Option<i64>, Option<i64>);

/// What coordinators must see first: unsafe flags, then escalations still
/// unresolved.
pub fn alerts(conn: &mut DbConn) -> QueryResult<Vec<Alert>> {
    let rows: Vec<Alert> = matches::table
        .filter(
            matches::unsafe_at.is_not_null().or(matches::escalated_at
                .is_not_null()
                .and(matches::status.eq(Status::Accepted))),
        )
        .order(matches::updated_at.desc())
        .limit(200)
        .select((
            MatchRow::as_select(),
            matches::unsafe_at,
            matches::escalated_at,
        ))
        .load(conn)?;
    let mut rows = rows;
    rows.sort_by_key(|(m, u, e)| (u.is_none(), e.is_none(), m.accepted_at));
    Ok(rows)
}

/// (request created at, accepted at) of every match that was accepted.
pub fn acceptance_times(conn: &mut DbConn) -> QueryResult<Vec<(i64, i64)>> {
    use super::schema::requests;
    matches::table
        .inner_join(requests::table)
        .filter(matches::accepted_at.is_not_null())
        .select((requests::created_at, matches::accepted_at.assume_not_null()))
        .load(conn)
}

/// Accepted matches escalated for want of a confirmed arrival.
pub fn count_unconfirmed(conn: &mut DbConn) -> QueryResult<i64> {
    matches::table
        .filter(matches::status.eq(Status::Accepted))
        .filter(matches::escalated_at.is_not_null())
        .count()
        .get_result(conn)
}

pub fn count_unsafe(conn: &mut DbConn) -> QueryResult<i64> {
    matches::table
        .filter(matches::unsafe_at.is_not_null())
        .count()
        .get_result(conn)
}

/// Live proposals on a host's offers that wait for the host's answer.
pub fn awaiting_host(
    conn: &mut DbConn,
    host_id: &AccountId,
    now: i64,
) -> QueryResult<Vec<MatchRow>> {
    use super::schema::offers;
    matches::table
        .inner_join(offers::table)
        .filter(offers::host_id.eq(host_id))
        .filter(matches::status.eq(Status::Proposed))
        .filter(matches::expires_at.gt(now))
        .filter(matches::host_consent_at.is_null())
        .select(MatchRow::as_select())
        .load(conn)
}

/// A match with everything its view needs, read in one query: its offer,
/// the host's display name, its request, and the state of a coordinator's
/// review of a host's first acceptance.
#[derive(Debug, Clone)]
pub struct MatchContext {
    pub m: MatchRow,
    pub offer: OfferRow,
    pub host_name: String,
    pub req: RequestRow,
    pub review_required_at: Option<i64>,
    pub approved_at: Option<i64>,
}

type ContextTuple = (
    MatchRow,
    OfferRow,
    String,
    RequestRow,
    Option<i64>,
    Option<i64>,
);

fn context_of(t: ContextTuple) -> MatchContext {
    let (m, offer, host_name, req, review_required_at, approved_at) = t;
    MatchContext {
        m,
        offer,
        host_name,
        req,
        review_required_at,
        approved_at,
    }
}

/// matches ⋈ offers ⋈ accounts (the host) ⋈ requests, newest first.
macro_rules! context_query {
    () => {
        matches::table
            .inner_join(offers::table.inner_join(accounts::table))
            .inner_join(requests::table)
            .order((matches::created_at.desc(), matches::id.asc()))
            .select((
                MatchRow::as_select(),
                OfferRow::as_select(),
                accounts::display_name,
                RequestRow::as_select(),
                matches::review_required_at,
                matches::approved_at,
            ))
    };
}

/// One match with its context.
pub fn context(conn: &mut DbConn, id: &MatchId) -> QueryResult<Option<MatchContext>> {
    context_query!()
        .filter(matches::id.eq(id))
        .first::<ContextTuple>(conn)
        .optional()
        .map(|t| t.map(context_of))
}

/// Every match of a request with its context, newest first.
pub fn contexts_for_request(
    conn: &mut DbConn,
    request_id: &RequestId,
) -> QueryResult<Vec<MatchContext>> {
    let rows: Vec<ContextTuple> = context_query!()
        .filter(matches::request_id.eq(request_id))
        .load(conn)?;
    Ok(rows.into_iter().map(context_of).collect())
}

/// Every match of one offer with its context, newest first.
pub fn contexts_for_offer(conn: &mut DbConn, offer_id: &OfferId) -> QueryResult<Vec<MatchContext>> {
    let rows: Vec<ContextTuple> = context_query!()
        .filter(matches::offer_id.eq(offer_id))
        .load(conn)?;
    Ok(rows.into_iter().map(context_of).collect())
}

/// Every match on any offer of a host with its context, newest first: the
/// host's dashboard in one query.
pub fn contexts_for_host(conn: &mut DbConn, host_id: &AccountId) -> QueryResult<Vec<MatchContext>> {
    let rows: Vec<ContextTuple> = context_query!()
        .filter(offers::host_id.eq(host_id))
        .load(conn)?;
    Ok(rows.into_iter().map(context_of).collect())
}
