//! What every page form shares: rendering with a fresh CSRF token, reading
//! the posted fields, and the refusals said on the form itself (a CSRF
//! token that does not check out, too many attempts).

use super::{html, secure};
use crate::state::AppState;
use crate::views::host::Values;
use crate::views::layout::Errors;
use crate::web::csrf;
use crate::web::ratelimit::Limit;
use actix_web::http::StatusCode;
use actix_web::web::Form;
use actix_web::{HttpRequest, HttpResponse};

pub(super) fn render(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    f: impl FnOnce(&str) -> maud::Markup,
) -> HttpResponse {
    let (token, cookie) = csrf::token(req, secure(state));
    let mut res = html(HttpResponse::build(status), f(&token));
    if let Some(c) = cookie {
        let _ = res.add_cookie(&c);
    }
    res
}

pub(super) fn values_of(form: Form<Vec<(String, String)>>) -> Values {
    form.into_inner().into_iter().collect()
}

pub(super) fn csrf_error(state: &AppState, req: &HttpRequest, values: &Values) -> Option<Errors> {
    (!csrf::verify(
        req,
        secure(state),
        &state.origins,
        values.get("csrf").map(String::as_str),
    ))
    .then(|| {
        let mut e = Errors::new();
        e.insert("csrf".into(), "err-csrf");
        e
    })
}

pub(super) fn rate_limited(state: &AppState, req: &HttpRequest, limit: Limit) -> Option<Errors> {
    let ip = state.limiter.client_ip(req)?;
    state.limiter.check(limit, ip).err().map(|_| {
        let mut e = Errors::new();
        e.insert("rate_limited".into(), "err-rate_limited");
        e
    })
}
