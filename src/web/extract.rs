//! Small helpers shared by handlers: the bearer token, path IDs, query
//! strings, and running a service on the blocking pool.

use crate::db::DbConn;
use crate::domain::ids::Id;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;
use actix_web::web::{self, Data};
use std::collections::HashMap;

/// The token of `Authorization: Bearer <token>`, if any. A malformed header
/// counts as no token (401), never as an error page that echoes it.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let v = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 256)
        .then(|| token.to_owned())
}

/// An ID from the path or a form field, typed by what the caller asks for;
/// one that cannot exist is simply not found.
pub fn path_id<I: Id>(raw: &str) -> AppResult<I> {
    I::parse(raw).ok_or(AppError::NotFound)
}

/// An ID kept as text: a queued mail's (no ID type of its own), or one whose
/// kind the handler learns later (a coordinator's page for an offer or a
/// request). The same rule as [`path_id`].
pub fn path_key(raw: &str) -> AppResult<String> {
    crate::domain::ids::could_be_an_id(raw)
        .then(|| raw.to_owned())
        .ok_or(AppError::NotFound)
}

pub fn query(req: &HttpRequest) -> AppResult<HashMap<String, String>> {
    web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| AppError::BadRequest(format!("the query string is malformed: {e}")))
}

/// Runs blocking database work off the async executor threads.
pub async fn run<T, F>(state: &Data<AppState>, f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&AppState, &mut DbConn) -> AppResult<T> + Send + 'static,
{
    let s = state.clone().into_inner();
    web::block(move || {
        let mut conn = s.conn()?;
        f(&s, &mut conn)
    })
    .await
    .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
}

/// The language of the person's mails: the body's `lang`, else the one
/// their browser asks for.
pub fn with_lang(mut body: serde_json::Value, req: &HttpRequest) -> serde_json::Value {
    if let Some(o) = body.as_object_mut() {
        if !o.contains_key("lang") {
            o.insert(
                "lang".into(),
                crate::web::lang::negotiate(req).code().into(),
            );
        }
    }
    body
}
