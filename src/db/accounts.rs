//! Accounts and their API tokens.

use super::DbConn;
use super::models::{AccountRow, TokenRow};
use super::schema::{accounts, api_tokens};
use crate::domain::ids::AccountId;
use crate::domain::states::Role;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, row: &AccountRow) -> QueryResult<()> {
    diesel::insert_into(accounts::table)
        .values(row.clone())
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

pub fn by_id(conn: &mut DbConn, id: &AccountId) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .find(id)
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_token(conn: &mut DbConn, row: &TokenRow) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

/// The account behind a live (unexpired) token hash.
pub fn by_token(conn: &mut DbConn, token_hash: &str, now: i64) -> QueryResult<Option<AccountRow>> {
    api_tokens::table
        .inner_join(accounts::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::expires_at.gt(now))
        .filter(accounts::suspended_at.is_null())
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
        DbConn::Sqlite(c) => diesel::insert_into(accounts::table)
            .values(rows.to_vec())
            .execute(c),
        DbConn::Pg(c) => diesel::insert_into(accounts::table)
            .values(rows.to_vec())
            .execute(c),
    }
}

/// Browser sessions (see the sessions migration).
pub mod sessions {
    use crate::db::DbConn;
    use crate::db::models::AccountRow;
    use crate::db::schema::{accounts, sessions};
    use crate::domain::ids::AccountId;
    use diesel::prelude::*;

    pub fn insert(
        conn: &mut DbConn,
        id_hash: &str,
        account_id: &AccountId,
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
            .filter(accounts::suspended_at.is_null())
            .select(AccountRow::as_select())
            .first(conn)
            .optional()
    }

    pub fn delete(conn: &mut DbConn, id_hash: &str) -> QueryResult<usize> {
        diesel::delete(sessions::table.find(id_hash)).execute(conn)
    }
}

/// The language an account's mails are written in.
pub fn lang(conn: &mut DbConn, id: &AccountId) -> QueryResult<String> {
    accounts::table.find(id).select(accounts::lang).first(conn)
}

pub fn set_lang(conn: &mut DbConn, id: &AccountId, lang: &str) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set(accounts::lang.eq(lang))
        .execute(conn)
}

/// Every coordinator's address and language: who is told of escalations.
pub fn coordinators(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    accounts::table
        .filter(accounts::role.eq(Role::Coordinator))
        .order(accounts::email.asc())
        .select((accounts::email, accounts::lang))
        .load(conn)
}

/// Links mailed to account holders (verification, password reset).
pub mod links {
    use crate::db::DbConn;
    use crate::db::schema::{account_links, accounts, api_tokens, sessions};
    use crate::domain::ids::AccountId;
    use crate::domain::states::Link;
    use diesel::prelude::*;

    pub fn insert(
        conn: &mut DbConn,
        token_hash: &str,
        account_id: &AccountId,
        purpose: Link,
        now: i64,
        expires_at: i64,
    ) -> QueryResult<()> {
        diesel::insert_into(account_links::table)
            .values((
                account_links::token_hash.eq(token_hash),
                account_links::account_id.eq(account_id),
                account_links::purpose.eq(purpose),
                account_links::created_at.eq(now),
                account_links::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Uses a link once: its account, if it is valid, unused and unexpired.
    /// Call inside a write transaction; of two concurrent uses, one wins.
    pub fn consume(
        conn: &mut DbConn,
        token_hash: &str,
        purpose: Link,
        now: i64,
    ) -> QueryResult<Option<AccountId>> {
        let valid = || {
            account_links::table
                .filter(account_links::token_hash.eq(token_hash))
                .filter(account_links::purpose.eq(purpose))
                .filter(account_links::used_at.is_null())
                .filter(account_links::expires_at.gt(now))
        };
        let Some(account) = valid()
            .select(account_links::account_id)
            .first::<AccountId>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        let n = diesel::update(valid())
            .set(account_links::used_at.eq(now))
            .execute(conn)?;
        Ok((n == 1).then_some(account))
    }

    pub fn verified_at(conn: &mut DbConn, account_id: &AccountId) -> QueryResult<Option<i64>> {
        accounts::table
            .find(account_id)
            .select(accounts::email_verified_at)
            .first(conn)
    }

    pub fn set_verified(conn: &mut DbConn, account_id: &AccountId, now: i64) -> QueryResult<usize> {
        diesel::update(
            accounts::table
                .find(account_id)
                .filter(accounts::email_verified_at.is_null()),
        )
        .set(accounts::email_verified_at.eq(now))
        .execute(conn)
    }

    /// A new password: every session and API token of the account ends, and
    /// every other reset link dies.
    pub fn set_password(
        conn: &mut DbConn,
        account_id: &AccountId,
        hash: &str,
        now: i64,
    ) -> QueryResult<()> {
        diesel::update(accounts::table.find(account_id))
            .set(accounts::password_hash.eq(hash))
            .execute(conn)?;
        diesel::delete(sessions::table.filter(sessions::account_id.eq(account_id)))
            .execute(conn)?;
        diesel::delete(api_tokens::table.filter(api_tokens::account_id.eq(account_id)))
            .execute(conn)?;
        diesel::update(
            account_links::table
                .filter(account_links::account_id.eq(account_id))
                .filter(account_links::purpose.eq(Link::Reset))
                .filter(account_links::used_at.is_null()),
        )
        .set(account_links::used_at.eq(now))
        .execute(conn)
        .map(drop)
    }
}

/// Verification levels and suspension (coordinators' decisions).
pub mod safeguarding {
    use crate::db::DbConn;
    use crate::db::schema::{accounts, api_tokens, offers, sessions};
    use crate::domain::ids::AccountId;
    use diesel::prelude::*;

    /// (email verified at, identity verified at, identity verified by, suspended at)
    pub type State = (Option<i64>, Option<i64>, Option<String>, Option<i64>);

    pub fn state(conn: &mut DbConn, id: &AccountId) -> QueryResult<Option<State>> {
        accounts::table
            .find(id)
            .select((
                accounts::email_verified_at,
                accounts::identity_verified_at,
                accounts::identity_verified_by,
                accounts::suspended_at,
            ))
            .first(conn)
            .optional()
    }

    /// Records that `by` saw the host's identity; copies it onto the offers.
    pub fn verify_identity(
        conn: &mut DbConn,
        id: &AccountId,
        by: &AccountId,
        now: i64,
    ) -> QueryResult<()> {
        diesel::update(accounts::table.find(id))
            .set((
                accounts::identity_verified_at.eq(now),
                accounts::identity_verified_by.eq(by),
            ))
            .execute(conn)?;
        diesel::update(offers::table.filter(offers::host_id.eq(id)))
            .set((
                offers::host_verified.eq(true),
                offers::updated_at.eq(crate::db::offers::version_after(now)),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Suspends (or lifts) an account: its sessions and tokens end at once
    /// and its offers leave every search.
    pub fn set_suspended(
        conn: &mut DbConn,
        id: &AccountId,
        suspended: bool,
        now: i64,
    ) -> QueryResult<()> {
        diesel::update(accounts::table.find(id))
            .set(accounts::suspended_at.eq(suspended.then_some(now)))
            .execute(conn)?;
        if suspended {
            diesel::delete(sessions::table.filter(sessions::account_id.eq(id))).execute(conn)?;
            diesel::delete(api_tokens::table.filter(api_tokens::account_id.eq(id)))
                .execute(conn)?;
        }
        diesel::update(offers::table.filter(offers::host_id.eq(id)))
            .set((
                offers::host_suspended.eq(suspended),
                offers::updated_at.eq(crate::db::offers::version_after(now)),
            ))
            .execute(conn)
            .map(drop)
    }

    pub fn is_suspended(conn: &mut DbConn, id: &AccountId) -> QueryResult<bool> {
        accounts::table
            .find(id)
            .select(accounts::suspended_at.is_not_null())
            .first(conn)
    }
}
