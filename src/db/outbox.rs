//! The mail outbox: rows written inside the transaction of the change they
//! announce, then claimed and delivered by workers.
//!
//! Claiming: PostgreSQL selects due rows `FOR UPDATE SKIP LOCKED`, so
//! several workers take disjoint batches without waiting on each other;
//! SQLite's `BEGIN IMMEDIATE` (the caller's `write_tx`) lets one writer at a
//! time claim. A claim is a random token with a lease: a worker that dies
//! mid-delivery leaves rows that another may take once the lease lapses, and
//! only the holder of the current claim may record the outcome. The lease
//! is renewed row by row just before each send (`renew`), so a slow batch
//! never outlives it: a row whose lease lapsed while it waited its turn is
//! another worker's, and is skipped.

use super::DbConn;
use super::models::OutboxRow;
use super::schema::outbox;
use crate::domain::states::OutboxStatus;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, row: &OutboxRow) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

/// A row of another channel than mail (`OutboxRow` leaves `channel` to its
/// default, 'mail'); the body is `body_text`.
pub fn insert_on(conn: &mut DbConn, channel: &str, row: &OutboxRow) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((row.clone(), outbox::channel.eq(channel)))
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Claims up to `limit` due rows for `claim` until `until`; call inside a
/// write transaction.
pub fn claim_due(
    conn: &mut DbConn,
    channel: &str,
    now: i64,
    limit: i64,
    claim: &str,
    until: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let due = outbox::table
        .filter(outbox::channel.eq(channel))
        .filter(
            outbox::status
                .eq(OutboxStatus::Pending)
                .and(outbox::next_attempt_at.le(now))
                .or(outbox::status
                    .eq(OutboxStatus::Sending)
                    .and(outbox::claimed_until.lt(now))),
        )
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit)
        .select(outbox::id);
    let ids: Vec<String> = match conn {
        DbConn::Pg(pg) => due.for_update().skip_locked().load(pg)?,
        DbConn::Sqlite(lite) => due.load(lite)?,
    };
    if ids.is_empty() {
        return Ok(vec![]);
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((
            outbox::status.eq(OutboxStatus::Sending),
            outbox::claim.eq(claim),
            outbox::claimed_until.eq(until),
        ))
        .execute(conn)?;
    outbox::table
        .filter(outbox::id.eq_any(&ids))
        .filter(outbox::claim.eq(claim))
        .order(outbox::next_attempt_at.asc())
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Extends the lease of one claimed row just before it is sent; 0 when the
/// claim no longer holds it (it lapsed and another worker took the row),
/// and then the row must not be sent.
pub fn renew(conn: &mut DbConn, id: &str, claim: &str, until: i64) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claim.eq(claim))
            .filter(outbox::status.eq(OutboxStatus::Sending)),
    )
    .set(outbox::claimed_until.eq(until))
    .execute(conn)
}

/// Deletes a row `claim` still holds; 0 when it does not.
pub fn delete_claimed(conn: &mut DbConn, id: &str, claim: &str) -> QueryResult<usize> {
    diesel::delete(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claim.eq(claim)),
    )
    .execute(conn)
}

/// Records a delivery, if `claim` still holds the row; the bodies are
/// emptied (the mail has left; its personal data need not stay).
pub fn mark_sent(conn: &mut DbConn, id: &str, claim: &str, now: i64) -> QueryResult<usize> {
    mark_done(conn, id, claim, now, None)
}

/// Like `mark_sent`, with a note of why nothing more will be tried (a push
/// subscription the push service says is gone).
pub fn mark_done(
    conn: &mut DbConn,
    id: &str,
    claim: &str,
    now: i64,
    note: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claim.eq(claim)),
    )
    .set((
        outbox::status.eq(OutboxStatus::Sent),
        outbox::sent_at.eq(now),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::body_text.eq(""),
        outbox::body_html.eq(""),
        outbox::claim.eq(None::<String>),
        outbox::claimed_until.eq(None::<i64>),
        outbox::last_error.eq(note),
    ))
    .execute(conn)
}

/// Records a failed attempt: back to `pending` at `next`, or `dead`.
pub fn mark_failed(
    conn: &mut DbConn,
    id: &str,
    claim: &str,
    error: &str,
    next: Option<i64>,
) -> QueryResult<usize> {
    let status = if next.is_some() {
        OutboxStatus::Pending
    } else {
        OutboxStatus::Dead
    };
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claim.eq(claim)),
    )
    .set((
        outbox::status.eq(status),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::next_attempt_at.eq(next.unwrap_or(0)),
        outbox::last_error.eq(error),
        outbox::claim.eq(None::<String>),
        outbox::claimed_until.eq(None::<i64>),
    ))
    .execute(conn)
}

pub fn by_status(
    conn: &mut DbConn,
    status: OutboxStatus,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::status.eq(status))
        .order((outbox::created_at.desc(), outbox::id.asc()))
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

pub fn count_status(conn: &mut DbConn, status: OutboxStatus) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::status.eq(status))
        .count()
        .get_result(conn)
}

/// A coordinator's retry of a dead letter: due now, with fresh attempts.
pub fn retry(conn: &mut DbConn, id: &str, now: i64) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(OutboxStatus::Dead)),
    )
    .set((
        outbox::status.eq(OutboxStatus::Pending),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)
}
