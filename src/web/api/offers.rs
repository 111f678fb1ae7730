use super::id_field;
use crate::domain::commands::{NewOffer, OfferPatch};
use crate::domain::matching::Side;
use crate::error::AppResult;
use crate::service::{self, matches, offers, owned_offer, requests};
use crate::state::AppState;
use crate::web::extract::{bearer, path_id, query, run};
use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

pub async fn create(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let body = body.into_inner();
    let view = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        let new = NewOffer::from_json(body, s.now())?;
        offers::create(s, c, &a, new)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn list(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let views = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        offers::list_mine(s, c, &a)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "offers": views })))
}

pub async fn get(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let view = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        offers::get(s, c, &a, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub async fn patch(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let body = body.into_inner();
    let view = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        offers::patch(s, c, &a, &id, OfferPatch::from_json(body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub async fn matches(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let only = matches::status_filter(query(&req)?.get("status").map(String::as_str))?;
    let views = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        let o = owned_offer(c, &a, &id, false)?;
        let all = matches::views_for_offer(s, c, &o.id)?;
        Ok(all
            .into_iter()
            .filter(|m| only.is_none_or(|st| m.status == st))
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "matches": views })))
}

pub async fn invite(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let request_id = id_field(body.into_inner(), "request_id");
    let view = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        owned_offer(c, &a, &id, true)?;
        matches::propose(s, c, &request_id?, &id, Side::Host, a.id.as_str())
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn nearby(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let q = query(&req)?;
    let views = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        let (limit, radius) = requests::search_params(
            q.get("limit").map(String::as_str),
            q.get("radius_km").map(String::as_str),
        )?;
        offers::nearby_requests(s, c, &a, &id, radius, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "requests": views })))
}

/// "Still hosting tonight": opens an offer the platform paused.
pub async fn resume(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let view = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        let row = service::holds::resume(s, c, &a, &id)?;
        let rem = offers::remaining(c, &row, s.now())?;
        Ok(crate::service::views::OfferOwnerView::of(&row, rem))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
