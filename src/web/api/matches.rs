use crate::error::AppResult;
use crate::service::match_access;
use crate::service::matches::{self, Action};
use crate::state::AppState;
use crate::web::extract::{bearer, path_id, run};
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

pub async fn get(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let view = run(&state, move |s, c| {
        let a = match_access(s, c, token.as_deref(), &id)?;
        matches::view(s, c, &a.row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn act(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    action: Action,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let view = run(&state, move |s, c| {
        let a = match_access(s, c, token.as_deref(), &id)?;
        matches::act(s, c, &a.row.id, a.side, a.account, action)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub async fn accept(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    act(state, req, id, Action::Accept).await
}

pub async fn decline(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    act(state, req, id, Action::Decline).await
}

pub async fn cancel(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    act(state, req, id, Action::Cancel).await
}

pub async fn arrived(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    act(state, req, id, Action::Arrive).await
}

/// `POST /matches/{id}/unsafe`: the guest's private token only.
pub async fn unsafe_flag(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let numbers = run(&state, move |s, c| {
        let a = match_access(s, c, token.as_deref(), &id)?;
        matches::flag_unsafe(s, c, &a)?;
        crate::service::incidents::emergency_for_request(s, c, &a.row.request_id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "flagged": true, "emergency_numbers": numbers })))
}
