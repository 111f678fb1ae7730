//! Guests' requests.

use super::DbConn;
use super::models::RequestRow;
use super::schema::requests;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, row: &RequestRow) -> QueryResult<()> {
    diesel::insert_into(requests::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<RequestRow>> {
    requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()
}

/// Locks the request row for the transaction (see `offers::lock`).
pub fn lock(conn: &mut DbConn, id: &str, now: i64) -> QueryResult<Option<RequestRow>> {
    let n = diesel::update(requests::table.find(id))
        .set(requests::updated_at.eq(now))
        .execute(conn)?;
    if n == 0 { Ok(None) } else { get(conn, id) }
}

pub fn set_status(conn: &mut DbConn, id: &str, status: &str, now: i64) -> QueryResult<usize> {
    diesel::update(requests::table.find(id))
        .set((requests::status.eq(status), requests::updated_at.eq(now)))
        .execute(conn)
}

/// Waiting requests whose published cell centre lies in a lat/lon box
/// (indexed on status, cell_lat, cell_lon).
pub fn waiting_in_box(
    conn: &mut DbConn,
    (lat_min, lat_max): (f64, f64),
    (lon_min, lon_max): (f64, f64),
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::status.eq("waiting"))
        .filter(requests::cell_lat.between(lat_min, lat_max))
        .filter(requests::cell_lon.between(lon_min, lon_max))
        .order(requests::created_at.asc())
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)
}

pub fn by_status_oldest(
    conn: &mut DbConn,
    status: &str,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::status.eq(status))
        .order(requests::created_at.asc())
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)
}

pub fn count_status(conn: &mut DbConn, status: &str) -> QueryResult<i64> {
    requests::table
        .filter(requests::status.eq(status))
        .count()
        .get_result(conn)
}

/// A request's mail language and trusted contact (address, when told).
pub fn mail_prefs(
    conn: &mut DbConn,
    id: &str,
) -> QueryResult<(String, Option<String>, Option<i64>)> {
    requests::table
        .find(id)
        .select((
            requests::lang,
            requests::trusted_email,
            requests::trusted_notified_at,
        ))
        .first(conn)
}

pub fn set_mail_prefs(
    conn: &mut DbConn,
    id: &str,
    lang: &str,
    trusted_email: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(requests::table.find(id))
        .set((
            requests::lang.eq(lang),
            requests::trusted_email.eq(trusted_email),
        ))
        .execute(conn)
}

/// Marks the trusted contact told; false if it already was (told once).
pub fn mark_trusted_notified(conn: &mut DbConn, id: &str, now: i64) -> QueryResult<bool> {
    diesel::update(
        requests::table
            .find(id)
            .filter(requests::trusted_notified_at.is_null()),
    )
    .set(requests::trusted_notified_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}
