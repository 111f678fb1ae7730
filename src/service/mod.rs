//! Services: the operations of the product, called by the JSON API and the
//! HTML pages alike. Each takes the app state and a database connection and
//! runs synchronously (handlers call them on the blocking pool).
//!
//! Authentication lives here too because it is a database question: which
//! account or request a bearer token stands for, and whether that caller may
//! touch a resource (no → 404, so nobody learns what exists).

pub mod accounts;
pub mod assignment;
pub mod audit;
pub mod auto_ask;
pub mod console;
pub mod coordination;
pub mod details;
pub mod exports;
pub mod findable;
pub mod holds;
pub mod incidents;
pub mod matches;
pub mod nearer;
pub mod offers;
pub mod oversight;
pub mod push;
pub mod reports;
pub mod requests;
pub mod reserve;
pub mod resets;
pub mod reveals;
pub mod safeguarding;
pub mod search_memo;
pub mod sweeper;
pub mod views;

use crate::db::models::{AccountRow, MatchRow, OfferRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, MatchId, OfferId, RequestId, hash_token};
use crate::domain::matching::Side;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub const ACCOUNT_TOKEN_PREFIX: &str = "poa_";
pub const REQUEST_TOKEN_PREFIX: &str = "por_";

pub use crate::domain::states::Role;

#[derive(Debug, Clone)]
pub struct Account {
    pub id: AccountId,
    pub role: Role,
    pub email: String,
    pub display_name: String,
}

impl Account {
    pub(crate) fn of(row: AccountRow) -> Self {
        Self {
            id: row.id,
            role: row.role,
            email: row.email,
            display_name: row.display_name,
        }
    }
    /// The account of an authenticated call: a host counts as seen now
    /// (in memory; `holds::flush_seen` writes it later).
    pub(crate) fn seen(state: &AppState, row: AccountRow) -> Self {
        let a = Self::of(row);
        if a.role == Role::Host {
            state.seen.mark(&a.id, state.now());
        }
        a
    }
    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }
}

const NO_TOKEN: &str = "authentication required: send Authorization: Bearer <token>";
const BAD_TOKEN: &str = "the token is invalid or has expired";

/// The account behind an account token.
pub fn account(state: &AppState, conn: &mut DbConn, token: Option<&str>) -> AppResult<Account> {
    let token = token.ok_or(AppError::Unauthorized(NO_TOKEN))?;
    if token.starts_with(REQUEST_TOKEN_PREFIX) {
        // a real request link is refused as the wrong kind; a forged one is just invalid
        request_by_token(state, conn, token)?;
        return Err(AppError::Forbidden(
            "this needs an account token; a request's link gives access to that request only",
        ));
    }
    let row = db::accounts::by_token(conn, &hash_token(token), state.now())?
        .ok_or(AppError::Unauthorized(BAD_TOKEN))?;
    Ok(Account::seen(state, row))
}

pub fn coordinator(state: &AppState, conn: &mut DbConn, token: Option<&str>) -> AppResult<Account> {
    let a = account(state, conn, token)?;
    if a.is_coordinator() {
        Ok(a)
    } else {
        Err(audit::refused(
            state,
            conn,
            a.id.as_str(),
            "coordination",
            AppError::Forbidden("this is for coordinators only"),
        ))
    }
}

/// The request a request token opens, if it is this one. A valid token for
/// another request gets 404; an unknown one 401.
pub fn request_access(
    state: &AppState,
    conn: &mut DbConn,
    token: Option<&str>,
    request_id: &RequestId,
) -> AppResult<RequestRow> {
    let token = token.ok_or(AppError::Unauthorized(NO_TOKEN))?;
    if token.starts_with(ACCOUNT_TOKEN_PREFIX) {
        account(state, conn, Some(token))?;
        return Err(AppError::Forbidden(
            "this needs the request's own access token",
        ));
    }
    let own = request_by_token(state, conn, token)?;
    if own.id == *request_id {
        Ok(own)
    } else {
        Err(audit::refused(
            state,
            conn,
            &audit::guest(&own.id),
            request_id,
            AppError::NotFound,
        ))
    }
}

pub fn request_by_token(state: &AppState, conn: &mut DbConn, token: &str) -> AppResult<RequestRow> {
    use crate::db::schema::requests::dsl as r;
    use diesel::prelude::*;
    let row: Option<RequestRow> = r::requests
        .filter(r::access_token_hash.eq(hash_token(token)))
        .select(RequestRow::as_select())
        .first(conn)
        .optional()?;
    row.filter(|row| row.token_expires_at > state.now())
        .ok_or(AppError::Unauthorized(BAD_TOKEN))
}

/// Who is looking at a match, if they may.
pub struct MatchAccess {
    pub side: Side,
    pub account: Option<AccountId>,
    pub row: MatchRow,
}

pub fn match_access(
    state: &AppState,
    conn: &mut DbConn,
    token: Option<&str>,
    match_id: &MatchId,
) -> AppResult<MatchAccess> {
    let token = token.ok_or(AppError::Unauthorized(NO_TOKEN))?;
    if token.starts_with(REQUEST_TOKEN_PREFIX) {
        let req = request_by_token(state, conn, token)?;
        let Some(m) = db::matches::get(conn, match_id)?.filter(|m| m.request_id == req.id) else {
            return Err(audit::refused(
                state,
                conn,
                &audit::guest(&req.id),
                match_id,
                AppError::NotFound,
            ));
        };
        return Ok(MatchAccess {
            side: Side::Guest,
            account: None,
            row: m,
        });
    }
    let acc = account(state, conn, Some(token))?;
    match_access_for(state, conn, &acc, match_id)
}

/// A match as an account may see it: the host of its offer, or a coordinator.
pub fn match_access_for(
    state: &AppState,
    conn: &mut DbConn,
    acc: &Account,
    match_id: &MatchId,
) -> AppResult<MatchAccess> {
    let m = db::matches::get(conn, match_id)?.ok_or(AppError::NotFound)?;
    let offer = db::offers::get(conn, &m.offer_id)?.ok_or(AppError::NotFound)?;
    let side = if offer.host_id == acc.id.as_str() {
        Side::Host
    } else if acc.is_coordinator() {
        Side::Coordinator
    } else {
        return Err(audit::refused(
            state,
            conn,
            acc.id.as_str(),
            match_id,
            AppError::NotFound,
        ));
    };
    Ok(MatchAccess {
        side,
        account: Some(acc.id.clone()),
        row: m,
    })
}

/// The offer if `account` owns it (coordinators may read any).
pub fn owned_offer(
    conn: &mut DbConn,
    account: &Account,
    offer_id: &OfferId,
    write: bool,
) -> AppResult<OfferRow> {
    let o = db::offers::get(conn, offer_id)?.ok_or(AppError::NotFound)?;
    if o.host_id == account.id.as_str() || (!write && account.is_coordinator()) {
        Ok(o)
    } else {
        Err(AppError::NotFound)
    }
}

pub use crate::domain::commands::mail_lang;
