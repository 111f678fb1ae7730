//! Guests' requests.

use super::DbConn;
use super::models::RequestRow;
use super::schema::requests;
use crate::domain::ids::{IncidentId, RequestId};
use crate::domain::states::RequestStatus;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, row: &RequestRow) -> QueryResult<()> {
    diesel::insert_into(requests::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &RequestId) -> QueryResult<Option<RequestRow>> {
    requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()
}

/// Locks the request row for the transaction (see `offers::lock`).
pub fn lock(conn: &mut DbConn, id: &RequestId, now: i64) -> QueryResult<Option<RequestRow>> {
    let n = diesel::update(requests::table.find(id))
        .set(requests::updated_at.eq(now))
        .execute(conn)?;
    if n == 0 { Ok(None) } else { get(conn, id) }
}

/// Locks the request row for the transaction if it is still live (waiting
/// or matched); an arrived or cancelled request is left as it was, its
/// `updated_at` (an arrival's time) untouched.
pub fn lock_live(conn: &mut DbConn, id: &RequestId, now: i64) -> QueryResult<Option<RequestRow>> {
    let n = diesel::update(
        requests::table
            .find(id)
            .filter(requests::status.eq_any([RequestStatus::Waiting, RequestStatus::Matched])),
    )
    .set(requests::updated_at.eq(now))
    .execute(conn)?;
    if n == 0 { Ok(None) } else { get(conn, id) }
}

pub fn set_status(
    conn: &mut DbConn,
    id: &RequestId,
    status: RequestStatus,
    now: i64,
) -> QueryResult<usize> {
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
        .filter(requests::status.eq(RequestStatus::Waiting))
        .filter(requests::cell_lat.between(lat_min, lat_max))
        .filter(requests::cell_lon.between(lon_min, lon_max))
        .order(requests::created_at.asc())
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)
}

pub fn by_status_oldest(
    conn: &mut DbConn,
    status: RequestStatus,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::status.eq(status))
        .order(requests::created_at.asc())
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)
}

pub fn count_status(conn: &mut DbConn, status: RequestStatus) -> QueryResult<i64> {
    requests::table
        .filter(requests::status.eq(status))
        .count()
        .get_result(conn)
}

/// A request's mail language and trusted contact (address, when told).
pub fn mail_prefs(
    conn: &mut DbConn,
    id: &RequestId,
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

/// Waiting requests made after `after` whose guest lets the platform ask
/// for them, oldest first.
pub fn waiting_auto_ask_after(
    conn: &mut DbConn,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::status.eq(RequestStatus::Waiting))
        .filter(requests::auto_ask.eq(true))
        .filter(requests::created_at.gt(after))
        .order(requests::created_at.asc())
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)
}

/// Waiting requests of `sizes` persons whose published cell lies in the box
/// `lat` × `lon`, oldest first.
pub fn waiting_sized_in_box(
    conn: &mut DbConn,
    sizes: (i32, i32),
    lat: (f64, f64),
    lon: (f64, f64),
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::status.eq(RequestStatus::Waiting))
        .filter(requests::party_size.between(sizes.0, sizes.1))
        .filter(requests::cell_lat.between(lat.0, lat.1))
        .filter(requests::cell_lon.between(lon.0, lon.1))
        .order(requests::created_at.asc())
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)
}

pub fn set_mail_prefs(
    conn: &mut DbConn,
    id: &RequestId,
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

/// What a guest added after sending their request: needs, languages and
/// notes (each `None` leaves it), and a trusted contact.
#[derive(Debug, Default)]
pub struct Details<'a> {
    pub needs: Option<(bool, bool, bool, bool)>,
    pub languages: Option<String>,
    pub notes: Option<Option<&'a str>>,
    pub trusted_email: Option<&'a str>,
}

pub fn set_details(
    conn: &mut DbConn,
    id: &RequestId,
    d: &Details<'_>,
    now: i64,
) -> QueryResult<usize> {
    let target = requests::table.find(id);
    let mut n = diesel::update(target)
        .set(requests::updated_at.eq(now))
        .execute(conn)?;
    if let Some((accessible, pets, children, women_only)) = d.needs {
        n += diesel::update(target)
            .set((
                requests::need_accessible.eq(accessible),
                requests::need_pets.eq(pets),
                requests::need_children.eq(children),
                requests::need_women_only.eq(women_only),
            ))
            .execute(conn)?;
    }
    if let Some(l) = &d.languages {
        n += diesel::update(target)
            .set(requests::languages.eq(l))
            .execute(conn)?;
    }
    if let Some(notes) = d.notes {
        n += diesel::update(target)
            .set(requests::notes.eq(notes))
            .execute(conn)?;
    }
    if let Some(t) = d.trusted_email {
        n += diesel::update(target)
            .set(requests::trusted_email.eq(t))
            .execute(conn)?;
    }
    Ok(n)
}

/// Marks the trusted contact told; false if it already was (told once).
pub fn mark_trusted_notified(conn: &mut DbConn, id: &RequestId, now: i64) -> QueryResult<bool> {
    diesel::update(
        requests::table
            .find(id)
            .filter(requests::trusted_notified_at.is_null()),
    )
    .set(requests::trusted_notified_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// Makes a request findable by a full name (and its folded search key).
pub fn set_findable(
    conn: &mut DbConn,
    id: &RequestId,
    name: &str,
    key: &str,
) -> QueryResult<usize> {
    diesel::update(requests::table.find(id))
        .set((
            requests::findable_name.eq(name),
            requests::findable_key.eq(key),
        ))
        .execute(conn)
}

/// Every findable request: (id, full name, search key).
pub fn findable_keys(conn: &mut DbConn) -> QueryResult<Vec<(RequestId, String, Option<String>)>> {
    requests::table
        .filter(requests::findable_name.is_not_null())
        .select((
            requests::id,
            requests::findable_name.assume_not_null(),
            requests::findable_key,
        ))
        .load(conn)
}

pub fn set_findable_key(conn: &mut DbConn, id: &RequestId, key: &str) -> QueryResult<usize> {
    diesel::update(requests::table.find(id))
        .set(requests::findable_key.eq(key))
        .execute(conn)
}

/// When the latest findable request with this key arrived, if one did.
pub fn findable_arrived_at(conn: &mut DbConn, key: &str) -> QueryResult<Option<i64>> {
    requests::table
        .filter(requests::findable_key.eq(key))
        .filter(requests::status.eq(RequestStatus::Arrived))
        .select(requests::updated_at)
        .order(requests::updated_at.desc())
        .first(conn)
        .optional()
}

/// Findable guests who arrived: (id, full name, created, arrived).
/// Findable guests who arrived: id, name, created at, arrived at (the last
/// update of an arrived request), incident.
pub type FindableRow = (RequestId, String, i64, i64, Option<IncidentId>);

pub fn findable_arrivals(conn: &mut DbConn) -> QueryResult<Vec<FindableRow>> {
    requests::table
        .filter(requests::findable_name.is_not_null())
        .filter(requests::status.eq(RequestStatus::Arrived))
        .order(requests::updated_at.asc())
        .select((
            requests::id,
            requests::findable_name.assume_not_null(),
            requests::created_at,
            requests::updated_at,
            requests::incident_id,
        ))
        .load(conn)
}

/// Published cell centres and party sizes of the requests in a status
/// (nothing personal: for counts by area).
pub fn cells_in_status(
    conn: &mut DbConn,
    status: RequestStatus,
) -> QueryResult<Vec<(f64, f64, i32)>> {
    requests::table
        .filter(requests::status.eq(status))
        .select((requests::cell_lat, requests::cell_lon, requests::party_size))
        .load(conn)
}

/// A request as exported (the last four only in personal exports).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = requests)]
pub struct ExportRow {
    pub id: String,
    pub status: RequestStatus,
    pub party_size: i32,
    pub cell: String,
    pub cell_lat: f64,
    pub cell_lon: f64,
    pub need_accessible: bool,
    pub need_pets: bool,
    pub need_children: bool,
    pub need_women_only: bool,
    pub created_at: i64,
    pub name: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
}

pub fn export_rows(conn: &mut DbConn) -> QueryResult<Vec<ExportRow>> {
    requests::table
        .order(requests::created_at.asc())
        .select(ExportRow::as_select())
        .load(conn)
}
