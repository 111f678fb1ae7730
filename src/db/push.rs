//! Web Push subscriptions: the browsers that asked to be alerted, each owned
//! by a host's account or by a guest's request (deleted with it).

use super::DbConn;
use super::schema::push_subscriptions as ps;
use crate::domain::ids::{AccountId, RequestId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ps)]
pub struct SubscriptionRow {
    pub id: String,
    pub endpoint: String,
    /// the browser's P-256 public key, base64url (65 bytes uncompressed)
    pub p256dh: String,
    /// the browser's 16-byte authentication secret, base64url
    pub auth: String,
    pub account_id: Option<AccountId>,
    pub request_id: Option<RequestId>,
    pub lang: String,
    pub created_at: i64,
}

/// Stores a subscription; the same endpoint subscribed again (a browser
/// whose page is reopened, or a phone handed over) replaces the old row.
pub fn upsert(conn: &mut DbConn, row: &SubscriptionRow) -> QueryResult<()> {
    diesel::delete(ps::table.filter(ps::endpoint.eq(&row.endpoint))).execute(conn)?;
    diesel::insert_into(ps::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<SubscriptionRow>> {
    ps::table
        .find(id)
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
}

pub fn for_account(conn: &mut DbConn, account_id: &AccountId) -> QueryResult<Vec<SubscriptionRow>> {
    ps::table
        .filter(ps::account_id.eq(account_id))
        .order(ps::id.asc())
        .select(SubscriptionRow::as_select())
        .load(conn)
}

pub fn for_request(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<SubscriptionRow>> {
    ps::table
        .filter(ps::request_id.eq(request_id))
        .order(ps::id.asc())
        .select(SubscriptionRow::as_select())
        .load(conn)
}

/// Deletes the subscription at `endpoint` if the given owner holds it.
pub fn delete_owned(
    conn: &mut DbConn,
    endpoint: &str,
    account_id: Option<&AccountId>,
    request_id: Option<&RequestId>,
) -> QueryResult<usize> {
    let q = ps::table.filter(ps::endpoint.eq(endpoint));
    match (account_id, request_id) {
        (Some(a), _) => diesel::delete(q.filter(ps::account_id.eq(a))).execute(conn),
        (None, Some(r)) => diesel::delete(q.filter(ps::request_id.eq(r))).execute(conn),
        (None, None) => Ok(0),
    }
}

/// The push service said the subscription is gone (404/410).
pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::delete(ps::table.find(id)).execute(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    ps::table.count().get_result(conn)
}
