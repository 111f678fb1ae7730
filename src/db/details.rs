//! Coordinators' deliberate reads of a person's details, with their reason.

use super::DbConn;
use super::schema::details_accesses;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = details_accesses)]
pub struct DetailsAccessRow {
    pub id: String,
    /// "offer" or "request"
    pub subject_kind: String,
    pub subject_id: String,
    /// the host's account ID, or the request ID
    pub owner: String,
    pub viewer_account_id: String,
    pub reason: String,
    pub created_at: i64,
}

pub fn insert(conn: &mut DbConn, row: &DetailsAccessRow) -> QueryResult<()> {
    diesel::insert_into(details_accesses::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The accesses to a person's details, newest first.
pub fn for_owner(conn: &mut DbConn, owner: &str) -> QueryResult<Vec<DetailsAccessRow>> {
    details_accesses::table
        .filter(details_accesses::owner.eq(owner))
        .order(details_accesses::created_at.desc())
        .limit(1000)
        .select(DetailsAccessRow::as_select())
        .load(conn)
}

/// Deletes the accesses to these offers and requests (the incident purge:
/// reasons are free text about a person).
pub fn delete_for(conn: &mut DbConn, subjects: &[String]) -> QueryResult<usize> {
    diesel::delete(details_accesses::table.filter(details_accesses::subject_id.eq_any(subjects)))
        .execute(conn)
}
