//! Accounts and their API tokens.

use super::DbConn;
use super::models::{AccountRow, TokenRow};
use super::schema::{accounts, api_tokens};
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, row: &AccountRow) -> QueryResult<()> {
    diesel::insert_into(accounts::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::email.eq(email))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .find(id)
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_token(conn: &mut DbConn, row: &TokenRow) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The account behind a live (unexpired) token hash.
pub fn by_token(conn: &mut DbConn, token_hash: &str, now: i64) -> QueryResult<Option<AccountRow>> {
    api_tokens::table
        .inner_join(accounts::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::expires_at.gt(now))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete_token(conn: &mut DbConn, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(api_tokens::table.find(token_hash)).execute(conn)
}

pub fn delete_expired_tokens(conn: &mut DbConn, now: i64) -> QueryResult<usize> {
    diesel::delete(api_tokens::table.filter(api_tokens::expires_at.le(now))).execute(conn)
}

/// Multi-row insert (seeding), dispatched per backend like `offers::insert_many`.
pub fn insert_many(conn: &mut DbConn, rows: &[AccountRow]) -> QueryResult<usize> {
    match conn {
        DbConn::Sqlite(c) => diesel::insert_into(accounts::table).values(rows).execute(c),
        DbConn::Pg(c) => diesel::insert_into(accounts::table).values(rows).execute(c),
    }
}

/// Browser sessions (see the sessions migration).
pub mod sessions {
    use crate::db::DbConn;
    use crate::db::models::AccountRow;
    use crate::db::schema::{accounts, sessions};
    use diesel::prelude::*;

    pub fn insert(
        conn: &mut DbConn,
        id_hash: &str,
        account_id: &str,
        now: i64,
        expires_at: i64,
    ) -> QueryResult<()> {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id_hash.eq(id_hash),
                sessions::account_id.eq(account_id),
                sessions::created_at.eq(now),
                sessions::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .map(drop)
    }

    pub fn account(conn: &mut DbConn, id_hash: &str, now: i64) -> QueryResult<Option<AccountRow>> {
        sessions::table
            .inner_join(accounts::table)
            .filter(sessions::id_hash.eq(id_hash))
            .filter(sessions::expires_at.gt(now))
            .select(AccountRow::as_select())
            .first(conn)
            .optional()
    }

    pub fn delete(conn: &mut DbConn, id_hash: &str) -> QueryResult<usize> {
        diesel::delete(sessions::table.find(id_hash)).execute(conn)
    }
}

/// The language an account's mails are written in.
pub fn lang(conn: &mut DbConn, id: &str) -> QueryResult<String> {
    accounts::table.find(id).select(accounts::lang).first(conn)
}

pub fn set_lang(conn: &mut DbConn, id: &str, lang: &str) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set(accounts::lang.eq(lang))
        .execute(conn)
}

/// Every coordinator's address and language: who is told of escalations.
pub fn coordinators(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    accounts::table
        .filter(accounts::role.eq("coordinator"))
        .order(accounts::email.asc())
        .select((accounts::email, accounts::lang))
        .load(conn)
}
