//! The host's and coordinator's session: a server-side session behind a
//! `__Host-` cookie over HTTPS, and who is logged in. A failure to read it
//! is an error ([`session`]), never "logged out".

use super::{secure, see_other};
use crate::error::AppError;
use crate::service::Account;
use crate::service::accounts;
use crate::state::AppState;
use crate::web::csrf;
use crate::web::extract::run;
use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::web::Data;

pub(super) fn session_name(state: &AppState) -> String {
    csrf::cookie_name("po_session", secure(state))
}

pub(super) fn session_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build(session_name(state), value)
        .path("/")
        .http_only(true)
        .secure(secure(state))
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::hours(
            accounts::SESSION_HOURS,
        ))
        .finish()
}

/// Goes on to `to` with the new session's cookie.
pub(super) fn logged_in(state: &AppState, secret: String, to: &str) -> HttpResponse {
    let mut res = see_other(to);
    let _ = res.add_cookie(&session_cookie(state, secret));
    res
}

/// The logged-in account: `None` without a valid session. A failure on our
/// side is an error, never "logged out".
pub(super) async fn session(
    state: &Data<AppState>,
    req: &HttpRequest,
) -> Result<Option<Account>, AppError> {
    let Some(cookie) = req.cookie(&session_name(state)) else {
        return Ok(None);
    };
    let secret = cookie.value().to_owned();
    match run(state, move |s, c| accounts::session_account(s, c, &secret)).await {
        Ok(a) => Ok(Some(a)),
        Err(AppError::Unauthorized(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The logged-in account, for the live streams and push subscriptions: a
/// failure on our side is logged and counts as no session.
pub(super) async fn current(state: &Data<AppState>, req: &HttpRequest) -> Option<Account> {
    session(state, req).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "reading a session failed");
        None
    })
}
