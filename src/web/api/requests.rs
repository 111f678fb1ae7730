use super::accounts::limit;
use super::id_field;
use crate::domain::commands::{NewRequest, RequestDetails};
use crate::domain::ids::MatchId;
use crate::domain::matching::Side;
use crate::error::AppResult;
use crate::service::views::CandidateView;
use crate::service::{self, matches, requests, search_memo};
use crate::state::AppState;
use crate::web::extract::{bearer, path_id, query, run};
use crate::web::ratelimit::Limit;
use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;
use std::collections::HashMap;

pub async fn create(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    limit(&req, Limit::Request)?;
    let new = NewRequest::from_json(crate::web::extract::with_lang(body.into_inner(), &req))?;
    let view = run(&state, move |s, c| requests::create(s, c, new)).await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn get(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let view = run(&state, move |s, c| {
        let r = service::request_access(s, c, token.as_deref(), &id)?;
        requests::get(s, c, &r)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub async fn add_details(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let body = body.into_inner();
    let view = run(&state, move |s, c| {
        let r = service::request_access(s, c, token.as_deref(), &id)?;
        requests::add_details(s, c, &r, RequestDetails::from_json(body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub async fn candidates(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let q = query(&req)?;
    // a guest refreshing their list: answered from memory, on this thread
    let views =
        match search_memo::recalled(&state, token.as_deref(), &id, |k| search(&state, k, &q)) {
            Some(views) => views?,
            None => {
                run(&state, move |s, c| {
                    search_memo::remembering(s, c, token.as_deref(), &id, |k| search(s, k, &q))
                })
                .await?
            }
        };
    // serialised straight from the views (no JSON tree built in between)
    Ok(HttpResponse::Ok().json(Candidates { candidates: &views }))
}

#[derive(serde::Serialize)]
struct Candidates<'a> {
    candidates: &'a [CandidateView],
}

fn search(
    state: &AppState,
    known: &search_memo::Known,
    q: &HashMap<String, String>,
) -> AppResult<Vec<CandidateView>> {
    let (limit, radius) = requests::search_params(
        q.get("limit").map(String::as_str),
        q.get("radius_km").map(String::as_str),
    )?;
    requests::search_known(state, known, limit, radius, CandidateView::of)
}

pub async fn propose(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let offer_id = id_field(body.into_inner(), "offer_id");
    let view = run(&state, move |s, c| {
        let r = service::request_access(s, c, token.as_deref(), &id)?;
        let actor = crate::service::audit::guest(&r.id);
        matches::propose(s, c, &r.id, &offer_id?, Side::Guest, &actor)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn cancel(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let view = run(&state, move |s, c| {
        let r = service::request_access(s, c, token.as_deref(), &id)?;
        requests::cancel(s, c, &r)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `GET /requests/{id}/seen-by`: who has seen this guest's contact details.
pub async fn seen_by(
    state: Data<AppState>,
    req: HttpRequest,
    id: Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_id(&id)?;
    let v = run(&state, move |s, c| {
        let r = service::request_access(s, c, token.as_deref(), &id)?;
        let ids: Vec<MatchId> = crate::db::matches::for_request(c, &r.id)?
            .into_iter()
            .map(|m| m.id)
            .collect();
        crate::service::audit::seen_by(c, &ids, Side::Guest, &r.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "seen_by": v })))
}
