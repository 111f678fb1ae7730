//! The audit log's rows and its head (see the audit migration).

use super::DbConn;
use super::schema::{audit_head, audit_log, audit_queue};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Takes the next sequence number, locking the head until the transaction
/// ends; returns it with the previous entry's hash.
pub fn next(conn: &mut DbConn) -> QueryResult<(i64, String)> {
    diesel::update(audit_head::table.find(1))
        .set(audit_head::seq.eq(audit_head::seq + 1))
        .execute(conn)?;
    audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)
}

/// Locks the head until the transaction ends (the chainers' turnstile):
/// taken before reading the queue, so two chainers never chain the same
/// queued action.
pub fn lock_head(conn: &mut DbConn) -> QueryResult<()> {
    diesel::update(audit_head::table.find(1))
        .set(audit_head::seq.eq(audit_head::seq))
        .execute(conn)
        .map(drop)
}

pub fn append(conn: &mut DbConn, row: &AuditRow) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)?;
    diesel::update(audit_head::table.find(1))
        .set(audit_head::hash.eq(&row.hash))
        .execute(conn)
        .map(drop)
}

pub fn head(conn: &mut DbConn) -> QueryResult<(i64, String)> {
    audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)
}

/// Entries after `after`, in order, a page at a time.
pub fn page(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::seq.gt(after))
        .order(audit_log::seq.asc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn about(conn: &mut DbConn, subject: &str, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::subject.eq(subject))
        .order(audit_log::seq.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// An audited action waiting to be chained.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_queue)]
pub struct QueuedRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

pub fn enqueue(
    conn: &mut DbConn,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> QueryResult<()> {
    diesel::insert_into(audit_queue::table)
        .values((
            audit_queue::at.eq(at),
            audit_queue::actor.eq(actor),
            audit_queue::action.eq(action),
            audit_queue::subject.eq(subject),
            audit_queue::detail.eq(detail),
        ))
        .execute(conn)
        .map(drop)
}

/// The oldest queued actions, in the order they were queued.
pub fn queued(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<QueuedRow>> {
    audit_queue::table
        .order(audit_queue::id.asc())
        .limit(limit)
        .select(QueuedRow::as_select())
        .load(conn)
}

pub fn dequeue(conn: &mut DbConn, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(audit_queue::table.filter(audit_queue::id.eq_any(ids))).execute(conn)
}
