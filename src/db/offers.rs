//! Offers. Places are guarded by `lock`: the first statement of any
//! transaction that takes or frees places updates the offer row, which on
//! PostgreSQL holds its row lock until commit and on SQLite happens under
//! the database write lock of `BEGIN IMMEDIATE`.

use super::DbConn;
use super::models::{OfferChanges, OfferRow};
use super::schema::offers;
use crate::domain::ids::{AccountId, OfferId};
use crate::domain::states::OfferStatus;
use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

/// The `updated_at` a write stamps: `now`, or one more than the row's own if
/// that is already later. The candidate index keeps the highest version it
/// read, and `now` is taken before a writer waits for the lock: a write that
/// waited must still carry a newer version than the one that went first.
pub(crate) fn version_after(now: i64) -> SqlLiteral<BigInt> {
    // `now` is an integer we computed, never input: formatting it is safe
    sql::<BigInt>(&format!(
        "CASE WHEN updated_at >= {now} THEN updated_at + 1 ELSE {now} END"
    ))
}

pub fn insert(conn: &mut DbConn, row: &OfferRow) -> QueryResult<()> {
    diesel::insert_into(offers::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &OfferId) -> QueryResult<Option<OfferRow>> {
    offers::table
        .find(id)
        .select(OfferRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_host(conn: &mut DbConn, host_id: &AccountId) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::host_id.eq(host_id))
        .order(offers::created_at.desc())
        .select(OfferRow::as_select())
        .load(conn)
}

/// Locks the offer for the rest of the transaction and marks it changed.
/// Returns the row as it is under the lock, if it exists.
pub fn lock(conn: &mut DbConn, id: &OfferId, now: i64) -> QueryResult<Option<OfferRow>> {
    let n = diesel::update(offers::table.find(id))
        .set(offers::updated_at.eq(version_after(now)))
        .execute(conn)?;
    if n == 0 { Ok(None) } else { get(conn, id) }
}

pub fn update(
    conn: &mut DbConn,
    id: &OfferId,
    changes: &OfferChanges,
    now: i64,
) -> QueryResult<usize> {
    diesel::update(offers::table.find(id))
        .set((changes, offers::updated_at.eq(version_after(now))))
        .execute(conn)
}

/// Moves accepted places by `delta`; the schema's CHECK refuses a result
/// below zero or above capacity, whatever the code above did.
pub fn add_accepted(conn: &mut DbConn, id: &OfferId, delta: i32) -> QueryResult<usize> {
    diesel::update(offers::table.find(id))
        .set(offers::accepted_places.eq(offers::accepted_places + delta))
        .execute(conn)
}

pub fn changed_since(conn: &mut DbConn, since: i64) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::updated_at.ge(since))
        .select(OfferRow::as_select())
        .load(conn)
}

pub fn count_open(conn: &mut DbConn, now: i64) -> QueryResult<i64> {
    offers::table
        .filter(offers::status.eq(OfferStatus::Open))
        .filter(offers::available_from.le(now))
        .filter(offers::available_until.gt(now))
        .count()
        .get_result(conn)
}

/// Multi-row insert (seeding, imports). Diesel's batch insert is written per
/// backend, so dispatch on the connection.
pub fn insert_many(conn: &mut DbConn, rows: &[OfferRow]) -> QueryResult<usize> {
    match conn {
        DbConn::Sqlite(c) => diesel::insert_into(offers::table)
            .values(rows.to_vec())
            .execute(c),
        DbConn::Pg(c) => diesel::insert_into(offers::table)
            .values(rows.to_vec())
            .execute(c),
    }
}

/// One page of offers in ID order (keyset pagination), so that loading a
/// million offers never holds them all as rows at once.
pub struct OfferPage {
    /// the open offers of the page that are still available
    pub open: Vec<OfferRow>,
    /// where the next page starts; `None` once every offer was read
    pub next: Option<String>,
}

/// The page after `after_id` (`""` for the first), of `limit` offers at
/// most, of which only open ones are kept. The status is checked here, not
/// in SQL: with `status = 'open'` in the query both databases chose the
/// index on (status, paused_at) and sorted every open offer for every page,
/// which made loading a million offers quadratic (docs/BENCHMARKS.md,
/// "Start-up"); by ID alone, each page is a range of the primary key.
pub fn searchable_page(
    conn: &mut DbConn,
    now: i64,
    after_id: &str,
    limit: i64,
) -> QueryResult<OfferPage> {
    let mut open: Vec<OfferRow> = offers::table
        .filter(offers::id.gt(after_id))
        .filter(offers::available_until.gt(now))
        .order(offers::id.asc())
        .limit(limit)
        .select(OfferRow::as_select())
        .load(conn)?;
    let next = open.last().map(|r| r.id.to_string());
    open.retain(|r| r.status == OfferStatus::Open);
    Ok(OfferPage { open, next })
}

/// Hides an offer from every search (after reports) or shows it again.
pub fn set_hidden(conn: &mut DbConn, id: &OfferId, hidden: bool, now: i64) -> QueryResult<usize> {
    diesel::update(offers::table.find(id))
        .set((
            offers::hidden.eq(hidden),
            offers::updated_at.eq(version_after(now)),
        ))
        .execute(conn)
}

/// An offer as exported (the last three only in personal exports).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers)]
pub struct ExportRow {
    pub id: String,
    pub status: OfferStatus,
    pub capacity: i32,
    #[diesel(column_name = accepted_places)]
    pub accepted: i32,
    pub cell: String,
    pub cell_lat: f64,
    pub cell_lon: f64,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
    pub created_at: i64,
    pub address: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

pub fn export_rows(conn: &mut DbConn) -> QueryResult<Vec<ExportRow>> {
    offers::table
        .order(offers::created_at.asc())
        .select(ExportRow::as_select())
        .load(conn)
}

/// Records how the host answered (see `domain::responsiveness`).
pub fn record_answer(
    conn: &mut DbConn,
    id: &OfferId,
    r: &crate::domain::responsiveness::HostRecord,
    now: i64,
) -> QueryResult<usize> {
    diesel::update(offers::table.find(id))
        .set((
            offers::answers_accepted.eq(r.accepted),
            offers::answers_declined.eq(r.declined),
            offers::declines_in_row.eq(r.declines_in_row),
            offers::answer_ms_avg.eq(r.answer_ms_avg),
            offers::host_seen_at.eq(r.seen_at),
            offers::updated_at.eq(version_after(now)),
        ))
        .execute(conn)
}

/// Counts a hold that ran out while waiting for the host.
pub fn record_expired_hold(conn: &mut DbConn, id: &OfferId, now: i64) -> QueryResult<usize> {
    diesel::update(offers::table.find(id))
        .set((
            offers::holds_expired.eq(offers::holds_expired + 1),
            offers::updated_at.eq(version_after(now)),
        ))
        .execute(conn)
}

/// Pauses an open offer; returns whether it was open.
pub fn pause(conn: &mut DbConn, id: &OfferId, reason: &str, now: i64) -> QueryResult<bool> {
    diesel::update(
        offers::table
            .find(id)
            .filter(offers::status.eq(OfferStatus::Open)),
    )
    .set((
        offers::status.eq(OfferStatus::Paused),
        offers::paused_at.eq(now),
        offers::paused_reason.eq(reason),
        offers::updated_at.eq(version_after(now)),
    ))
    .execute(conn)
    .map(|n| n > 0)
}

/// Opens a paused offer again: the host said they are still hosting.
/// Their record starts afresh: they are here now.
pub fn resume(conn: &mut DbConn, id: &OfferId, now: i64) -> QueryResult<bool> {
    diesel::update(
        offers::table
            .find(id)
            .filter(offers::status.eq(OfferStatus::Paused)),
    )
    .set((
        offers::status.eq(OfferStatus::Open),
        offers::paused_at.eq(None::<i64>),
        offers::paused_reason.eq(None::<String>),
        offers::declines_in_row.eq(0),
        offers::holds_expired.eq(0),
        offers::answers_declined.eq(0),
        offers::host_seen_at.eq(now),
        offers::updated_at.eq(version_after(now)),
    ))
    .execute(conn)
    .map(|n| n > 0)
}

/// The host was seen at `seen`: stamps their open and paused offers.
/// Returns the offers touched.
pub fn mark_seen(
    conn: &mut DbConn,
    host_id: &AccountId,
    seen: i64,
    now: i64,
) -> QueryResult<Vec<OfferId>> {
    let ids: Vec<OfferId> = offers::table
        .filter(offers::host_id.eq(host_id))
        .filter(offers::status.ne(OfferStatus::Closed))
        .filter(
            offers::host_seen_at
                .is_null()
                .or(offers::host_seen_at.lt(seen)),
        )
        .select(offers::id)
        .load(conn)?;
    if !ids.is_empty() {
        diesel::update(offers::table.filter(offers::id.eq_any(&ids)))
            .set((
                offers::host_seen_at.eq(seen),
                offers::updated_at.eq(version_after(now)),
            ))
            .execute(conn)?;
    }
    Ok(ids)
}

/// Offers the platform paused, longest first (for coordinators).
pub fn paused(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::status.eq(OfferStatus::Paused))
        .filter(offers::paused_at.is_not_null())
        .order(offers::paused_at.asc())
        .limit(limit)
        .select(OfferRow::as_select())
        .load(conn)
}
