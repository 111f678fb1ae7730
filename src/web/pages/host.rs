//! Hosts' pages: the dashboard to offer places, edit and close offers, and
//! answer the guests who asked.

use super::form::{csrf_error, put_errors, render, values_of};
use super::session::session;
use super::{ctx, see_other};
use crate::domain::commands::{NewOffer, OfferPatch};
use crate::domain::ids::{MatchId, OfferId};
use crate::domain::matching::Side;
use crate::domain::states::OfferStatus;
use crate::error::AppError;
use crate::service::accounts;
use crate::service::matches::{self, Action};
use crate::service::views::OfferOwnerView;
use crate::service::{Account, offers};
use crate::state::AppState;
use crate::views::host::{Dashboard, OfferDetails, OfferForm, Values, dashboard, edit};
use crate::views::layout::Errors;
use crate::web::extract::run;
use crate::web::state::WebState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;
use std::collections::HashMap;

async fn show_dashboard(
    state: &Data<AppState>,
    req: &HttpRequest,
    who: Account,
    status: StatusCode,
    values: &Values,
    errors: &Errors,
) -> HttpResponse {
    let me = who.clone();
    let loaded = run(state, move |s, c| {
        let verified = accounts::email_verified(c, &me.id)?;
        let list = offers::list_mine(s, c, &me)?;
        // every match on every offer in one query, grouped by offer below
        let mut by_offer: HashMap<OfferId, Vec<_>> = HashMap::new();
        for m in matches::views_for_host(s, c, &me.id)? {
            by_offer.entry(m.offer_id.clone()).or_default().push(m);
        }
        let mut details = HashMap::new();
        for o in &list {
            let nearby = if o.status == OfferStatus::Open {
                offers::nearby_requests(s, c, &me, &o.id, 10.0, 5)?
            } else {
                vec![]
            };
            let matches = by_offer.remove(&o.id).unwrap_or_default();
            details.insert(o.id.clone(), OfferDetails { matches, nearby });
        }
        let ids: Vec<MatchId> = details
            .values()
            .flat_map(|d| d.matches.iter().map(|m| m.id.clone()))
            .collect();
        let seen = crate::service::audit::seen_by(c, &ids, Side::Host, me.id.as_str())?;
        let topic = crate::live::Topic::Host(me.id.clone());
        let version = crate::live::page_version(c, &topic)?;
        Ok((list, details, verified, (seen, version)))
    })
    .await;
    let (list, details, verified, (seen, version)) = match loaded {
        Ok(x) => x,
        Err(e) => return super::failure::PageError::response(req, e),
    };
    let time = super::local_time(state.tz);
    let mut c = super::ctx_with_notice(req);
    c.live = Some(crate::views::layout::Live {
        page: "/host".into(),
        stream: format!("/host/events?v={version}"),
        self_update: None,
    });
    render(state, req, status, |t| {
        dashboard(
            &c,
            &Dashboard {
                name: &who.display_name,
                verified,
                seen: &seen,
                offers: &list,
                details: &details,
                values,
                errors,
                csrf: t,
                time: &time,
            },
        )
    })
}

pub async fn home(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    match session(&state, &req).await {
        Err(e) => super::failure::PageError::response(&req, e),
        Ok(Some(who)) => {
            show_dashboard(
                &state,
                &req,
                who,
                StatusCode::OK,
                &Values::new(),
                &Errors::new(),
            )
            .await
        }
        Ok(None) => see_other("/host/login"),
    }
}

/// The offer form's message for each of its fields.
fn offer_message(field: &str) -> (&'static str, &'static str) {
    match field {
        "place" | "lat" | "lon" => ("place", "err-place"),
        "address" => ("address", "err-address"),
        "capacity" => ("capacity", "err-capacity"),
        "hours" | "available_until" | "available_from" => ("hours", "err-hours"),
        "notes" => ("notes", "err-notes"),
        "languages" => ("languages", "err-languages"),
        "contact_phone" => ("contact_phone", "err-phone"),
        // a field the form does not show: said in the summary only
        _ => ("form", "err-summary"),
    }
}

pub async fn create_offer(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match session(&state, &req).await {
        Ok(Some(who)) => who,
        Ok(None) => return see_other("/host/login"),
        Err(e) => return super::failure::PageError::response(&req, e),
    };
    let values = values_of(form);
    if let Some(e) = csrf_error(&state, &req, &values) {
        return show_dashboard(&state, &req, who, StatusCode::FORBIDDEN, &values, &e).await;
    }
    let mut errors = Errors::new();
    let mut values = values;
    // only the form's handler writes the list of places: never a client
    values.remove("place_choices");
    let focus = super::form::incident_centres(&state).await;
    match NewOffer::from_form(&values, &focus, state.now()) {
        Ok(new) => {
            let me = who.clone();
            match run(&state, move |s, c| offers::create(s, c, &me, new)).await {
                Ok(_) => return see_other("/host"),
                Err(AppError::Validation(v)) => {
                    put_errors(&v.into(), &mut values, &mut errors, offer_message)
                }
                Err(e) => return super::failure::PageError::response(&req, e),
            }
        }
        Err(e) => put_errors(&e, &mut values, &mut errors, offer_message),
    }
    show_dashboard(
        &state,
        &req,
        who,
        StatusCode::UNPROCESSABLE_ENTITY,
        &values,
        &errors,
    )
    .await
}

/// The edit form filled from the offer as it is.
fn offer_values(state: &AppState, o: &OfferOwnerView) -> Values {
    let mut v = Values::new();
    let until = chrono::DateTime::parse_from_rfc3339(&o.available_until)
        .map(|t| t.timestamp_millis())
        .unwrap_or_default();
    let hours = ((until - state.now()) as f64 / 3_600_000.0)
        .ceil()
        .clamp(1.0, 720.0) as i64;
    v.insert("address".into(), o.address.clone());
    v.insert("capacity".into(), o.capacity.to_string());
    v.insert("hours".into(), hours.to_string());
    for (k, on) in [
        ("accessible", o.accessible),
        ("pets_ok", o.pets_ok),
        ("children_ok", o.children_ok),
        ("women_only", o.women_only),
    ] {
        if on {
            v.insert(k.into(), "on".into());
        }
    }
    v.insert("languages".into(), o.languages.join(", "));
    if let Some(p) = &o.contact_phone {
        v.insert("contact_phone".into(), p.clone());
    }
    if let Some(n) = &o.notes {
        v.insert("notes".into(), n.clone());
    }
    v
}

fn edit_page(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    id: &str,
    values: &Values,
    errors: &Errors,
) -> HttpResponse {
    let action = format!("/host/offers/{id}/edit");
    render(state, req, status, |t| {
        edit(
            &ctx(req),
            &OfferForm {
                action: &action,
                values,
                errors,
                csrf: t,
                editing: true,
            },
        )
    })
}

pub async fn edit_form(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
) -> HttpResponse {
    let who = match session(&state, &req).await {
        Ok(Some(who)) => who,
        Ok(None) => return see_other("/host/login"),
        Err(e) => return super::failure::PageError::response(&req, e),
    };
    let id = path.into_inner();
    let wanted = id.clone();
    let loaded = run(&state, move |s, c| {
        let id = crate::web::extract::path_id(&wanted)?;
        let row = crate::service::owned_offer(c, &who, &id, true)?;
        let rem = offers::remaining(c, &row, s.now())?;
        Ok(OfferOwnerView::of(&row, rem))
    })
    .await;
    match loaded {
        Ok(o) if o.status != OfferStatus::Closed => {
            let values = offer_values(&state, &o);
            edit_page(&state, &req, StatusCode::OK, &o.id, &values, &Errors::new())
        }
        Ok(_) | Err(AppError::NotFound | AppError::Validation(_)) => super::not_found(&req),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

pub async fn edit_submit(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match session(&state, &req).await {
        Ok(Some(who)) => who,
        Ok(None) => return see_other("/host/login"),
        Err(e) => return super::failure::PageError::response(&req, e),
    };
    let id = path.into_inner();
    let values = values_of(form);
    if let Some(e) = csrf_error(&state, &req, &values) {
        return edit_page(&state, &req, StatusCode::FORBIDDEN, &id, &values, &e);
    }
    let mut errors = Errors::new();
    let mut values = values;
    // only the form's handler writes the list of places: never a client
    values.remove("place_choices");
    let focus = super::form::incident_centres(&state).await;
    match OfferPatch::from_form(&values, &focus, state.now()) {
        Ok(patch) => {
            let wanted = id.clone();
            let result = run(&state, move |s, c| {
                let id = crate::web::extract::path_id(&wanted)?;
                offers::patch(s, c, &who, &id, patch)
            })
            .await;
            match result {
                Ok(_) => return see_other("/host"),
                Err(AppError::Validation(v)) => {
                    put_errors(&v.into(), &mut values, &mut errors, offer_message)
                }
                // a closed offer stays closed (the service's rule): nothing to edit
                Err(AppError::Conflict {
                    code: "offer_closed",
                    ..
                }) => return super::not_found(&req),
                Err(AppError::Conflict { .. }) => {
                    errors.insert("capacity".into(), "err-capacity_taken");
                }
                Err(AppError::NotFound) => return super::not_found(&req),
                Err(e) => return super::failure::PageError::response(&req, e),
            }
        }
        Err(e) => put_errors(&e, &mut values, &mut errors, offer_message),
    }
    edit_page(
        &state,
        &req,
        StatusCode::UNPROCESSABLE_ENTITY,
        &id,
        &values,
        &errors,
    )
}

/// Runs one host action from the dashboard and comes back to it.
async fn host_action<F>(
    state: Data<AppState>,
    req: HttpRequest,
    values: Values,
    f: F,
) -> HttpResponse
where
    F: FnOnce(&AppState, &mut crate::db::DbConn, &Account) -> Result<(), AppError> + Send + 'static,
{
    let who = match session(&state, &req).await {
        Ok(Some(who)) => who,
        Ok(None) => return see_other("/host/login"),
        Err(e) => return super::failure::PageError::response(&req, e),
    };
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    match run(&state, move |s, c| f(s, c, &who)).await {
        Ok(()) => see_other("/host"),
        Err(AppError::Conflict { .. }) => see_other("/host?notice=conflict"),
        Err(AppError::NotFound | AppError::Validation(_) | AppError::Forbidden(_)) => {
            super::not_found(&req)
        }
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

/// A host reports the guest of one of their matches.
pub async fn report_guest(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match session(&state, &req).await {
        Ok(Some(who)) => who,
        Ok(None) => return see_other("/host/login"),
        Err(e) => return super::failure::PageError::response(&req, e),
    };
    let values = values_of(form);
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    let match_id = path.into_inner();
    let ip = WebState::of(&req).limiter.client_ip(&req);
    let result = run(&state, move |s, c| {
        let id = crate::web::extract::path_id(&match_id)?;
        let access = crate::service::match_access_for(s, c, &who, &id)?;
        if access.side != Side::Host {
            return Err(AppError::NotFound);
        }
        let body = json!({
            "target_kind": "guest",
            "target_id": access.row.request_id,
            "reason": values.get("reason").cloned().unwrap_or_default(),
            "details": values.get("details").cloned().unwrap_or_default(),
        });
        let reporter = crate::service::safeguarding::Reporter::Account(who);
        crate::service::safeguarding::report(s, c, &reporter, ip, body).map(drop)
    })
    .await;
    match result {
        Ok(()) | Err(AppError::Conflict { .. }) => see_other("/host?notice=reported"),
        Err(AppError::NotFound) => super::not_found(&req),
        Err(AppError::Validation(_)) => see_other("/host?notice=report_invalid"),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

pub async fn match_action(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (match_id, action) = path.into_inner();
    let action = match action.as_str() {
        "accept" => Action::Accept,
        "decline" => Action::Decline,
        "arrived" => Action::Arrive,
        _ => return super::not_found(&req),
    };
    host_action(state, req, values_of(form), move |s, c, who| {
        let id = crate::web::extract::path_id(&match_id)?;
        let access = crate::service::match_access_for(s, c, who, &id)?;
        if access.side != Side::Host {
            return Err(AppError::NotFound);
        }
        matches::act(
            s,
            c,
            &access.row.id,
            Side::Host,
            Some(who.id.clone()),
            action,
        )
        .map(drop)
    })
    .await
}

pub async fn invite(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let offer_id = path.into_inner();
    let values = values_of(form);
    let request_id = values.get("request_id").cloned().unwrap_or_default();
    host_action(state, req, values, move |s, c, who| {
        let offer_id = crate::web::extract::path_id(&offer_id)?;
        let request_id = crate::web::extract::path_id(&request_id)?;
        crate::service::owned_offer(c, who, &offer_id, true)?;
        matches::propose(s, c, &request_id, &offer_id, Side::Host, who.id.as_str()).map(drop)
    })
    .await
}

pub async fn set_status(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let offer_id = path.into_inner();
    let values = values_of(form);
    let status = values.get("status").and_then(|s| OfferStatus::parse(s));
    host_action(state, req, values, move |s, c, who| {
        let offer_id = crate::web::extract::path_id(&offer_id)?;
        let status =
            status.ok_or_else(|| AppError::invalid("status", "must be open, paused or closed"))?;
        offers::patch(s, c, who, &offer_id, OfferPatch::status(status)).map(drop)
    })
    .await
}
