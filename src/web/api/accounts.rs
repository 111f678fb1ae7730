use crate::error::{AppError, AppResult};
use crate::service::{self, accounts};
use crate::state::AppState;
use crate::web::extract::{bearer, run};
use crate::web::ratelimit::Limit;
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

pub(crate) fn limit(state: &AppState, req: &HttpRequest, l: Limit) -> AppResult<()> {
    match state.limiter.client_ip(req) {
        Some(ip) => state
            .limiter
            .check(l, ip)
            .map_err(|retry_after| AppError::RateLimited { retry_after }),
        None => Ok(()),
    }
}

pub async fn create(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    limit(&state, &req, Limit::Signup)?;
    let new = accounts::parse_new_account(crate::web::extract::with_lang(body.into_inner(), &req))?;
    let view = run(&state, move |s, c| accounts::create(s, c, new, "host")).await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn me(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let view = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        accounts::me(c, &a)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub async fn login(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    limit(&state, &req, Limit::Login)?;
    let creds = accounts::parse_credentials(body.into_inner())?;
    let view = run(&state, move |s, c| accounts::login(s, c, creds)).await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn logout(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    run(&state, move |s, c| {
        service::account(s, c, token.as_deref())?;
        accounts::logout(c, token.as_deref().unwrap_or_default())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
