//! The guest adds details to a request already sent: the optional part of
//! the request form, on a page of its own (`/r/{id}/{token}/details`).

use super::form::{csrf_error, put_errors, render, values_of};
use super::{ctx, not_found, see_other};
use crate::domain::commands::RequestDetails;
use crate::domain::ids::RequestId;
use crate::error::AppError;
use crate::service::{self, requests};
use crate::state::AppState;
use crate::views::guest::{Values, details_form};
use crate::views::layout::Errors;
use crate::web::extract::{path_id, run};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form, Path};
use actix_web::{HttpRequest, HttpResponse};

fn show(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    base: &str,
    values: &Values,
    errors: &Errors,
) -> HttpResponse {
    render(state, req, status, |t| {
        details_form(&ctx(req), base, values, errors, t)
    })
}

/// The form, filled with the request's needs, languages and notes.
pub async fn form(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let Ok(id) = path_id(&id) else {
        return not_found(&req);
    };
    let base = format!("/r/{id}/{token}");
    let loaded = run(&state, move |s, c| {
        let r = service::request_access(s, c, Some(&token), &id)?;
        requests::get(s, c, &r)
    })
    .await;
    let view = match loaded {
        Ok(v) => v,
        Err(e @ (AppError::Unavailable(_) | AppError::Internal(_))) => {
            return super::failure::PageError::response(&req, e);
        }
        Err(_) => return not_found(&req),
    };
    let mut values = Values::new();
    for (k, on) in [
        ("accessible", view.needs.accessible),
        ("pets", view.needs.pets),
        ("children", view.needs.children),
        ("women_only", view.needs.women_only),
    ] {
        if on {
            values.insert(k.into(), "on".into());
        }
    }
    values.insert("languages".into(), view.languages.join(", "));
    if let Some(n) = &view.notes {
        values.insert("notes".into(), n.clone());
    }
    show(&state, &req, StatusCode::OK, &base, &values, &Errors::new())
}

pub async fn submit(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let Ok(id) = path_id::<RequestId>(&id) else {
        return not_found(&req);
    };
    let base = format!("/r/{id}/{token}");
    let mut values = values_of(form);
    if let Some(e) = csrf_error(&state, &req, &values) {
        return show(&state, &req, StatusCode::FORBIDDEN, &base, &values, &e);
    }
    // the link first: a foreign or made-up token learns nothing, not even
    // how its values would be refused
    let wanted = (id.clone(), token.clone());
    let access = run(&state, move |s, c| {
        service::request_access(s, c, Some(&wanted.1), &wanted.0).map(drop)
    })
    .await;
    match access {
        Ok(()) => {}
        Err(e @ (AppError::Unavailable(_) | AppError::Internal(_))) => {
            return super::failure::PageError::response(&req, e);
        }
        Err(_) => return not_found(&req),
    }
    let details = match RequestDetails::from_form(&values) {
        Ok(d) => d,
        Err(refused) => {
            let mut errors = Errors::new();
            put_errors(&refused, &mut values, &mut errors, super::guest::message);
            return show(
                &state,
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                &base,
                &values,
                &errors,
            );
        }
    };
    let result = run(&state, move |s, c| {
        let r = service::request_access(s, c, Some(&token), &id)?;
        requests::add_details(s, c, &r, details)
    })
    .await;
    match result {
        Ok(_) => see_other(&format!("{base}?notice=details_saved")),
        Err(AppError::Conflict { .. }) => see_other(&format!("{base}?notice=request_closed")),
        Err(e @ (AppError::Unavailable(_) | AppError::Internal(_))) => {
            super::failure::PageError::response(&req, e)
        }
        Err(_) => not_found(&req),
    }
}
