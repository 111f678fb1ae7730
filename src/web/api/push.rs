//! Web Push: the public key browsers subscribe with, and opting in or out
//! with an account's token or a request's link.

use crate::error::AppResult;
use crate::service::push;
use crate::state::AppState;
use crate::web::extract::{bearer, run};
use crate::web::lang::negotiate;
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

pub async fn key(state: Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "public_key": state.vapid.public_key() }))
}

pub async fn subscribe(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let body = body.into_inner();
    let lang = push::lang_of(&body, negotiate(&req))?;
    let view = run(&state, move |s, c| {
        let owner = push::owner(s, c, token.as_deref())?;
        push::subscribe(s, c, &owner, body, lang)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn unsubscribe(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let body = body.into_inner();
    run(&state, move |s, c| {
        let owner = push::owner(s, c, token.as_deref())?;
        push::unsubscribe(s, c, &owner, body)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
