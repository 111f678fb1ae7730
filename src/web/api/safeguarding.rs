//! Reports and blocks (anyone, by their own credentials) and the
//! coordinators' safeguarding decisions.

use super::accounts::limit;
use super::as_coordinator;
use crate::error::AppResult;
use crate::service::safeguarding::{self as sg, Reporter};
use crate::service::{self, REQUEST_TOKEN_PREFIX};
use crate::state::AppState;
use crate::web::extract::{bearer, path_id, run};
use crate::web::ratelimit::Limit;
use crate::web::state::WebState;
use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

/// `POST /reports`: with an account token, a request's token, or none.
pub async fn report(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    limit(&req, Limit::Login)?;
    let token = bearer(&req);
    let ip = WebState::of(&req).limiter.client_ip(&req);
    let view = run(&state, move |s, c| {
        let who = match token.as_deref() {
            None => Reporter::Anonymous,
            Some(t) if t.starts_with(REQUEST_TOKEN_PREFIX) => {
                Reporter::Guest(service::request_by_token(s, c, t)?.id)
            }
            Some(t) => Reporter::Account(service::account(s, c, Some(t))?),
        };
        sg::report(s, c, &who, ip, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// `POST /requests/{id}/blocks {"offer_id"}`: the guest blocks that host.
pub async fn block(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    run(&state, move |s, c| {
        let r = service::request_access(s, c, token.as_deref(), &id)?;
        sg::block(s, c, &r.id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Created().json(json!({"blocked": true})))
}

pub async fn account(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |_, c, _| sg::host_status(c, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

pub async fn verify_identity(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |s, c, me| {
        sg::verify_identity(s, c, me, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

async fn suspension(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    suspended: bool,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |s, c, me| {
        sg::set_suspended(s, c, me, &id, suspended)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

pub async fn suspend(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    suspension(state, req, id, true).await
}

pub async fn reinstate(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    suspension(state, req, id, false).await
}

pub async fn approve(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |s, c, me| sg::approve(s, c, me, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

pub async fn reviews(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let v = as_coordinator(state, req, sg::reviews).await?;
    Ok(HttpResponse::Ok().json(json!({ "matches": v })))
}

pub async fn reports(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let v = as_coordinator(state, req, |_, c, _| sg::open_reports(c)).await?;
    Ok(HttpResponse::Ok().json(json!({ "reports": v })))
}

pub async fn review_report(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |s, c, me| {
        sg::review_report(s, c, me, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

pub async fn risks(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let (hosts, floods) =
        as_coordinator(state, req, |s, c, _| Ok((sg::risks(c)?, sg::floods(s, c)?))).await?;
    Ok(HttpResponse::Ok().json(json!({ "hosts": hosts, "report_floods": floods })))
}
