//! Reports, blocks, and the coordinator review of a host's first acceptance.

use super::DbConn;
use super::schema::{blocks, matches, offers, reports};
use crate::domain::ids::{AccountId, MatchId, OfferId, ReportId, RequestId};
use crate::domain::matching::Status;
use crate::domain::safeguarding::Standing;
use crate::domain::states::{ReportOutcome, ReportReason, ReportTarget};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: ReportId,
    pub target_kind: ReportTarget,
    pub target_id: String,
    pub reason: ReportReason,
    pub details: Option<String>,
    pub reporter: String,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
    pub reviewed_by: Option<AccountId>,
    /// how a coordinator closed it
    pub outcome: Option<ReportOutcome>,
    /// the reporter's standing towards the target
    pub standing: Standing,
    /// a keyed hash of the reporter's /24 or /48 network, never the address
    pub network: Option<String>,
}

pub fn insert_report(conn: &mut DbConn, row: &ReportRow) -> QueryResult<()> {
    diesel::insert_into(reports::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

pub fn report(conn: &mut DbConn, id: &ReportId) -> QueryResult<Option<ReportRow>> {
    reports::table
        .find(id)
        .select(ReportRow::as_select())
        .first(conn)
        .optional()
}

/// Distinct reporters with an unreviewed report on a target.
pub fn open_reports_on(conn: &mut DbConn, kind: ReportTarget, id: &str) -> QueryResult<i64> {
    reports::table
        .filter(reports::target_kind.eq(kind))
        .filter(reports::target_id.eq(id))
        .filter(reports::reviewed_at.is_null())
        .count()
        .get_result(conn)
}

/// An open report as it weighs: who filed it, their standing, and the
/// keyed hash of their network.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reports)]
pub struct OpenReport {
    pub reporter: String,
    pub standing: Standing,
    pub network: Option<String>,
}

/// The open reports on a target; a standing no variant names is an error.
pub fn open_on(conn: &mut DbConn, kind: ReportTarget, id: &str) -> QueryResult<Vec<OpenReport>> {
    reports::table
        .filter(reports::target_kind.eq(kind))
        .filter(reports::target_id.eq(id))
        .filter(reports::reviewed_at.is_null())
        .select(OpenReport::as_select())
        .load(conn)
}

/// A report as floods are told apart: who, from which network, when.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reports)]
pub struct Filed {
    pub reporter: String,
    pub network: Option<String>,
    pub created_at: i64,
}

/// Every report filed since `since` (at most 100,000).
pub fn filed_since(conn: &mut DbConn, since: i64) -> QueryResult<Vec<Filed>> {
    reports::table
        .filter(reports::created_at.ge(since))
        .order(reports::created_at.asc())
        .limit(100_000)
        .select(Filed::as_select())
        .load(conn)
}

/// A request's ties to some offers: (any match, any match the host accepted).
pub fn ties(
    conn: &mut DbConn,
    request_id: &RequestId,
    offer_ids: &[OfferId],
) -> QueryResult<(bool, bool)> {
    let accepted: Vec<Option<i64>> = matches::table
        .filter(matches::request_id.eq(request_id))
        .filter(matches::offer_id.eq_any(offer_ids))
        .select(matches::accepted_at)
        .load(conn)?;
    Ok((!accepted.is_empty(), accepted.iter().any(Option::is_some)))
}

pub fn open_reports(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<ReportRow>> {
    reports::table
        .filter(reports::reviewed_at.is_null())
        .order((reports::created_at.asc(), reports::id.asc()))
        .limit(limit)
        .select(ReportRow::as_select())
        .load(conn)
}

/// Closes every open report on the report's target with one outcome.
pub fn review(
    conn: &mut DbConn,
    kind: ReportTarget,
    target: &str,
    by: &AccountId,
    outcome: ReportOutcome,
    now: i64,
) -> QueryResult<usize> {
    diesel::update(
        reports::table
            .filter(reports::target_kind.eq(kind))
            .filter(reports::target_id.eq(target))
            .filter(reports::reviewed_at.is_null()),
    )
    .set((
        reports::reviewed_at.eq(now),
        reports::reviewed_by.eq(by),
        reports::outcome.eq(outcome),
    ))
    .execute(conn)
}

pub fn block(
    conn: &mut DbConn,
    request_id: &RequestId,
    host_id: &AccountId,
    now: i64,
) -> QueryResult<()> {
    let exists: i64 = blocks::table
        .filter(blocks::request_id.eq(request_id))
        .filter(blocks::host_id.eq(host_id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(blocks::table)
            .values((
                blocks::request_id.eq(request_id),
                blocks::host_id.eq(host_id),
                blocks::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn blocked_hosts(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<AccountId>> {
    blocks::table
        .filter(blocks::request_id.eq(request_id))
        .select(blocks::host_id)
        .load(conn)
}

/// (review required at, approved at) of a match.
pub fn review_state(
    conn: &mut DbConn,
    match_id: &MatchId,
) -> QueryResult<(Option<i64>, Option<i64>)> {
    matches::table
        .find(match_id)
        .select((matches::review_required_at, matches::approved_at))
        .first(conn)
}

pub fn require_review(conn: &mut DbConn, match_id: &MatchId, now: i64) -> QueryResult<usize> {
    diesel::update(matches::table.find(match_id))
        .set(matches::review_required_at.eq(now))
        .execute(conn)
}

pub fn approve(
    conn: &mut DbConn,
    match_id: &MatchId,
    by: &AccountId,
    now: i64,
) -> QueryResult<usize> {
    diesel::update(
        matches::table
            .find(match_id)
            .filter(matches::review_required_at.is_not_null())
            .filter(matches::approved_at.is_null()),
    )
    .set((matches::approved_at.eq(now), matches::approved_by.eq(by)))
    .execute(conn)
}

/// Matches waiting for a coordinator's approval, oldest first.
pub fn awaiting_review(conn: &mut DbConn) -> QueryResult<Vec<MatchId>> {
    matches::table
        .filter(matches::review_required_at.is_not_null())
        .filter(matches::approved_at.is_null())
        .filter(matches::status.eq_any([Status::Accepted, Status::Arrived]))
        .order(matches::review_required_at.asc())
        .select(matches::id)
        .load(conn)
}

/// Whether the host has ever had a guest accepted (besides `except`).
pub fn host_has_accepted_before(
    conn: &mut DbConn,
    host_id: &AccountId,
    except: &str,
) -> QueryResult<bool> {
    let n: i64 = matches::table
        .inner_join(offers::table)
        .filter(offers::host_id.eq(host_id))
        .filter(matches::accepted_at.is_not_null())
        .filter(matches::id.ne(except))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Risk signals per host: (host, accepted guests never confirmed in time,
/// accepted matches later cancelled).
pub fn risk_signals(conn: &mut DbConn) -> QueryResult<Vec<(String, i64, i64)>> {
    let rows: Vec<(String, Option<i64>, String)> = matches::table
        .inner_join(offers::table)
        .filter(matches::accepted_at.is_not_null())
        .select((offers::host_id, matches::escalated_at, matches::status))
        .load(conn)?;
    let mut by_host: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for (host, escalated, status) in rows {
        let e = by_host.entry(host).or_default();
        if escalated.is_some() {
            e.0 += 1;
        }
        if Status::try_from(status)
            .map_err(|e| diesel::result::Error::DeserializationError(e.into()))?
            == Status::Cancelled
        {
            e.1 += 1;
        }
    }
    Ok(by_host
        .into_iter()
        .filter(|(_, (late, cancelled))| *late >= 2 || *cancelled >= 3)
        .map(|(h, (l, c))| (h, l, c))
        .collect())
}
