//! Offers. Places are guarded by `lock`: the first statement of any
//! transaction that takes or frees places updates the offer row, which on
//! PostgreSQL holds its row lock until commit and on SQLite happens under
//! the database write lock of `BEGIN IMMEDIATE`.

use super::DbConn;
use super::models::{OfferChanges, OfferRow};
use super::schema::offers;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, row: &OfferRow) -> QueryResult<()> {
    diesel::insert_into(offers::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<OfferRow>> {
    offers::table
        .find(id)
        .select(OfferRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_host(conn: &mut DbConn, host_id: &str) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::host_id.eq(host_id))
        .order(offers::created_at.desc())
        .select(OfferRow::as_select())
        .load(conn)
}

/// Locks the offer for the rest of the transaction and marks it changed.
/// Returns the row as it is under the lock, if it exists.
pub fn lock(conn: &mut DbConn, id: &str, now: i64) -> QueryResult<Option<OfferRow>> {
    let n = diesel::update(offers::table.find(id))
        .set(offers::updated_at.eq(now))
        .execute(conn)?;
    if n == 0 { Ok(None) } else { get(conn, id) }
}

pub fn update(conn: &mut DbConn, id: &str, changes: &OfferChanges) -> QueryResult<usize> {
    diesel::update(offers::table.find(id))
        .set(changes)
        .execute(conn)
}

/// Moves accepted places by `delta`; the schema's CHECK refuses a result
/// below zero or above capacity, whatever the code above did.
pub fn add_accepted(conn: &mut DbConn, id: &str, delta: i32) -> QueryResult<usize> {
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
        .filter(offers::status.eq("open"))
        .filter(offers::available_from.le(now))
        .filter(offers::available_until.gt(now))
        .count()
        .get_result(conn)
}

/// Multi-row insert (seeding, imports). Diesel's batch insert is written per
/// backend, so dispatch on the connection.
pub fn insert_many(conn: &mut DbConn, rows: &[OfferRow]) -> QueryResult<usize> {
    match conn {
        DbConn::Sqlite(c) => diesel::insert_into(offers::table).values(rows).execute(c),
        DbConn::Pg(c) => diesel::insert_into(offers::table).values(rows).execute(c),
    }
}

/// One page of searchable offers in id order (keyset pagination), so that
/// loading a million offers never holds them all as rows at once.
pub fn searchable_page(
    conn: &mut DbConn,
    now: i64,
    after_id: &str,
    limit: i64,
) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::status.eq("open"))
        .filter(offers::available_until.gt(now))
        .filter(offers::id.gt(after_id))
        .order(offers::id.asc())
        .limit(limit)
        .select(OfferRow::as_select())
        .load(conn)
}

/// Hides an offer from every search (after reports) or shows it again.
pub fn set_hidden(conn: &mut DbConn, id: &str, hidden: bool, now: i64) -> QueryResult<usize> {
    diesel::update(offers::table.find(id))
        .set((offers::hidden.eq(hidden), offers::updated_at.eq(now)))
        .execute(conn)
}

/// An offer as exported: id, status, capacity, accepted, cell, cell lat,
/// cell lon, the four attributes, created at, address, phone, e-mail.
pub type ExportRow = (
    String,
    String,
    i32,
    i32,
    String,
    f64,
    f64,
    bool,
    bool,
    bool,
    bool,
    i64,
    String,
    Option<String>,
    Option<String>,
);

pub fn export_rows(conn: &mut DbConn) -> QueryResult<Vec<ExportRow>> {
    offers::table
        .order(offers::created_at.asc())
        .select((
            offers::id,
            offers::status,
            offers::capacity,
            offers::accepted_places,
            offers::cell,
            offers::cell_lat,
            offers::cell_lon,
            offers::accessible,
            offers::pets_ok,
            offers::children_ok,
            offers::women_only,
            offers::created_at,
            offers::address,
            offers::contact_phone,
            offers::contact_email,
        ))
        .load(conn)
}
