//! Opting in and out of Web Push alerts. A subscription belongs to the
//! caller: a host's account (API token or page session) or a guest's request
//! (its private link). Only its owner can remove it.

use crate::db::push::SubscriptionRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, RequestId, Secret};
use crate::domain::locale::Lang;
use crate::error::{AppError, AppResult};
use crate::service::{self, REQUEST_TOKEN_PREFIX};
use crate::state::AppState;
use serde::Serialize;

/// Who an alert goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Account(AccountId),
    Request(RequestId),
}

/// Browsers kept per owner: a new phone replaces the oldest.
pub const MAX_PER_OWNER: usize = 5;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubscriptionView {
    pub id: String,
    pub lang: &'static str,
    pub created_at: String,
}

/// The owner behind a bearer token: a request's link or an account token.
pub fn owner(state: &AppState, c: &mut DbConn, token: Option<&str>) -> AppResult<Owner> {
    match token {
        Some(t) if t.starts_with(REQUEST_TOKEN_PREFIX) => {
            Ok(Owner::Request(service::request_by_token(state, c, t)?.id))
        }
        _ => Ok(Owner::Account(service::account(state, c, token)?.id)),
    }
}

/// The language alerts are written in: the body's `lang`, else `fallback`.
pub fn lang_of(body: &serde_json::Value, fallback: Lang) -> AppResult<Lang> {
    match body.get("lang") {
        None | Some(serde_json::Value::Null) => Ok(fallback),
        Some(v) => v
            .as_str()
            .and_then(Lang::from_code)
            .ok_or_else(|| AppError::invalid("lang", "must be fr or en")),
    }
}

/// Stores the browser's subscription (validated first: nothing is stored
/// otherwise) for `owner`.
pub fn subscribe(
    state: &AppState,
    c: &mut DbConn,
    owner: &Owner,
    body: serde_json::Value,
    lang: Lang,
) -> AppResult<SubscriptionView> {
    let sub = crate::domain::push::parse(body, state.config.push_allow_loopback)?;
    let now = state.now();
    let (account_id, request_id) = match owner {
        Owner::Account(a) => (Some(a.clone()), None),
        Owner::Request(r) => (None, Some(r.clone())),
    };
    let row = SubscriptionRow {
        id: Secret::generate("sub_").expose().chars().take(30).collect(),
        endpoint: sub.endpoint,
        p256dh: sub.p256dh,
        auth: sub.auth,
        account_id,
        request_id,
        lang: lang.code().into(),
        created_at: now,
    };
    state.write_tx(c, |c| {
        db::push::upsert(c, &row)?;
        let mut mine = match owner {
            Owner::Account(a) => db::push::for_account(c, a)?,
            Owner::Request(r) => db::push::for_request(c, r)?,
        };
        mine.sort_by_key(|s| std::cmp::Reverse((s.created_at, s.id == row.id)));
        for old in mine.iter().skip(MAX_PER_OWNER) {
            db::push::delete(c, &old.id)?;
        }
        Ok::<_, AppError>(())
    })?;
    Ok(SubscriptionView {
        id: row.id,
        lang: lang.code(),
        created_at: crate::domain::rfc3339(now),
    })
}

/// Removes the owner's subscription at `endpoint`; anyone else's, or an
/// unknown one, is not found.
pub fn unsubscribe(
    state: &AppState,
    c: &mut DbConn,
    owner: &Owner,
    body: serde_json::Value,
) -> AppResult<()> {
    let mut f = crate::domain::input::Fields::new(body, &["endpoint"])?;
    let endpoint = f.str_req("endpoint");
    f.finish()?;
    let endpoint = endpoint.unwrap_or_default();
    let (a, r) = match owner {
        Owner::Account(a) => (Some(a), None),
        Owner::Request(r) => (None, Some(r)),
    };
    let gone = state.write_tx(c, |c| db::push::delete_owned(c, &endpoint, a, r))?;
    if gone == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
