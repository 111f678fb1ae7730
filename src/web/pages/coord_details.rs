//! A coordinator's view of one offer or one request: the cell and the
//! needs, and a form asking why they need the person's details; sending it
//! shows the details, records the access, and tells the person.

use super::coord::coordinator;
use super::ctx;
use super::form::{csrf_error, render, values_of};
use crate::domain::ids::OfferId;
use crate::error::AppError;
use crate::service::details::{OfferDetailsView, RequestDetailsView};
use crate::service::views::CandidateView;
use crate::service::views::{OfferCoordView, OfferView, QueueEntryView};
use crate::service::{coordination, details, offers};
use crate::state::AppState;
use crate::views::coord_details::{Details, Subject, details_page};
use crate::views::layout::Errors;
use crate::web::extract::{path_id, path_key, run};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

enum Loaded {
    Offer(Box<OfferCoordView>, Option<Box<OfferDetailsView>>),
    /// the party, the details once read, and the doors it could be proposed
    Request(
        Box<QueueEntryView>,
        Option<Box<RequestDetailsView>>,
        Vec<CandidateView>,
    ),
}

fn summary_of_offer(
    s: &AppState,
    c: &mut crate::db::DbConn,
    who: &crate::service::Account,
    id: &OfferId,
) -> Result<OfferCoordView, AppError> {
    let o = crate::db::offers::get(c, id)?.ok_or(AppError::NotFound)?;
    match offers::get(s, c, who, &o.id)? {
        OfferView::Coordinator(v) => Ok(v),
        OfferView::Owner(_) => {
            let rem = offers::remaining(c, &o, s.now())?;
            Ok(OfferCoordView::of(&o, rem))
        }
    }
}

/// Shows the page; with `reason`, reads (and records) the details first.
async fn page(
    state: Data<AppState>,
    req: HttpRequest,
    kind: &'static str,
    id: String,
    reason: Option<String>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let Ok(id) = path_key(&id) else {
        return super::not_found(&req);
    };
    let typed = reason.clone().unwrap_or_default();
    let again_id = id.clone();
    let loaded = run(&state, move |s, c| {
        let body = reason.map(|r| json!({ "reason": r }));
        if kind == "offer" {
            let id = path_id(&id)?;
            let summary = summary_of_offer(s, c, &who, &id)?;
            let d = match body {
                Some(b) => Some(Box::new(details::offer(s, c, &who, &id, b)?)),
                None => None,
            };
            Ok(Loaded::Offer(Box::new(summary), d))
        } else {
            let id = path_id(&id)?;
            let summary = coordination::queue_entry(s, c, &id)?;
            let d = match body {
                Some(b) => Some(Box::new(details::request(s, c, &who, &id, b)?)),
                None => None,
            };
            let doors = coordination::doors_for(s, c, &id)?;
            Ok(Loaded::Request(Box::new(summary), d, doors))
        }
    })
    .await;
    match loaded {
        Ok(l) => show(&state, &req, StatusCode::OK, &l, "", &Errors::new()),
        // the only field left to refuse is the reason
        Err(AppError::Validation(_)) => {
            let mut errors = Errors::new();
            errors.insert("reason".into(), "err-reason");
            again(&state, &req, kind, &again_id, &typed, errors).await
        }
        Err(AppError::NotFound) => super::not_found(&req),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

/// The page again without the details (an invalid reason): 422.
async fn again(
    state: &Data<AppState>,
    req: &HttpRequest,
    kind: &'static str,
    id: &str,
    typed: &str,
    errors: Errors,
) -> HttpResponse {
    let Ok(who) = coordinator(state, req).await else {
        return super::not_found(req);
    };
    let id = id.to_owned();
    let loaded = run(state, move |s, c| {
        Ok(if kind == "offer" {
            let id = path_id(&id)?;
            Loaded::Offer(Box::new(summary_of_offer(s, c, &who, &id)?), None)
        } else {
            let id = path_id(&id)?;
            Loaded::Request(
                Box::new(coordination::queue_entry(s, c, &id)?),
                None,
                coordination::doors_for(s, c, &id)?,
            )
        })
    })
    .await;
    match loaded {
        Ok(l) => show(
            state,
            req,
            StatusCode::UNPROCESSABLE_ENTITY,
            &l,
            typed,
            &errors,
        ),
        Err(AppError::NotFound | AppError::Validation(_)) => super::not_found(req),
        Err(e) => super::failure::PageError::response(req, e),
    }
}

fn show(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    loaded: &Loaded,
    typed: &str,
    errors: &Errors,
) -> HttpResponse {
    let time = super::local_time(state.tz);
    let c = ctx(req);
    let mut res = render(state, req, status, |t| {
        let subject = match loaded {
            Loaded::Offer(o, d) => Subject::Offer(o, d.as_deref()),
            Loaded::Request(r, d, _) => Subject::Request(r, d.as_deref()),
        };
        let doors = match loaded {
            Loaded::Request(_, _, doors) => doors.as_slice(),
            Loaded::Offer(..) => &[],
        };
        details_page(
            &c,
            &Details {
                subject,
                doors,
                csrf: t,
                reason: typed,
                errors,
                time: &time,
            },
        )
    });
    res.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    res
}

pub async fn offer(state: Data<AppState>, req: HttpRequest, id: Path<String>) -> HttpResponse {
    page(state, req, "offer", id.into_inner(), None).await
}

pub async fn request(state: Data<AppState>, req: HttpRequest, id: Path<String>) -> HttpResponse {
    page(state, req, "request", id.into_inner(), None).await
}

async fn read(
    state: Data<AppState>,
    req: HttpRequest,
    kind: &'static str,
    id: String,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let values = values_of(form);
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    let reason = values.get("reason").cloned().unwrap_or_default();
    if reason.trim().is_empty() {
        let mut errors = Errors::new();
        errors.insert("reason".into(), "err-reason");
        return again(&state, &req, kind, &id, &reason, errors).await;
    }
    page(state, req, kind, id, Some(reason)).await
}

pub async fn offer_details(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    read(state, req, "offer", id.into_inner(), form).await
}

pub async fn request_details(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    read(state, req, "request", id.into_inner(), form).await
}
