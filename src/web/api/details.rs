//! Coordinators' deliberate reads of a person's details (`{"reason"}`
//! required; each read is recorded and shown to the person).

use super::as_coordinator;
use crate::error::AppResult;
use crate::service::details;
use crate::state::AppState;
use crate::web::extract::path_id;
use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

/// `POST /coordination/offers/{id}/details {"reason"}`.
pub async fn offer(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |s, c, me| {
        details::offer(s, c, me, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(v))
}

/// `POST /coordination/requests/{id}/details {"reason"}`.
pub async fn request(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |s, c, me| {
        details::request(s, c, me, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(v))
}
