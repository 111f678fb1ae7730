//! What every page form shares: rendering with a fresh CSRF token, reading
//! the posted fields, and the refusals said on the form itself (a CSRF
//! token that does not check out, too many attempts).

use super::{html, secure};
use crate::domain::commands::FormErrors;
use crate::state::AppState;
use crate::views::host::Values;
use crate::views::layout::Errors;
use crate::web::csrf;
use crate::web::ratelimit::Limit;
use crate::web::state::WebState;
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
        &WebState::of(req).origins,
        values.get("csrf").map(String::as_str),
    ))
    .then(|| {
        let mut e = Errors::new();
        e.insert("csrf".into(), "err-csrf");
        e
    })
}

pub(super) fn rate_limited(req: &HttpRequest, limit: Limit) -> Option<Errors> {
    let ip = WebState::of(req).limiter.client_ip(req)?;
    WebState::of(req).limiter.check(limit, ip).err().map(|_| {
        let mut e = Errors::new();
        e.insert("rate_limited".into(), "err-rate_limited");
        e
    })
}

/// The open incidents' centres, near which a place typed in words is read;
/// without them (the database failing), places are read without knowing
/// where the crisis is.
pub(super) async fn incident_centres(state: &actix_web::web::Data<AppState>) -> Vec<(f64, f64)> {
    crate::web::extract::run(state, |_, c| crate::service::incidents::centres(c))
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "open incidents' centres");
            vec![]
        })
}

/// Puts a command's refusal beside the form's fields: `message` names, for
/// each field the command names, the form field and its message key. When
/// a place typed in words matched several, the form lists them to choose
/// from (`place_choices`, one label a line; only this writes it, never what
/// a client sent).
pub(super) fn put_errors(
    refused: &FormErrors,
    values: &mut Values,
    errors: &mut Errors,
    message: fn(&str) -> (&'static str, &'static str),
) {
    values.remove("place_choices");
    for e in &refused.fields.0 {
        let (field, key) = message(&e.field);
        errors.entry(field.into()).or_insert(key);
    }
    if !refused.place_choices.is_empty() {
        values.insert("place_choices".into(), refused.place_choices.join("\n"));
        errors.insert("place".into(), "err-place-several");
    }
}
