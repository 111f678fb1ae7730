//! The pages' side of Web Push: the service worker, and the endpoints the
//! page's script calls to turn alerts on or off. They answer JSON (or
//! problem+json), since only the script calls them, and check CSRF like
//! every form: the token comes in `X-CSRF-Token`.

use super::secure;
use crate::error::{AppError, AppResult};
use crate::service::{self, push};
use crate::state::AppState;
use crate::web::csrf;
use crate::web::extract::{path_id, run};
use crate::web::lang::negotiate;
use crate::web::state::WebState;
use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

/// The service worker, at the root so that its scope is the whole site.
pub async fn service_worker(req: HttpRequest) -> HttpResponse {
    const SW: &[u8] = include_bytes!("../../../assets/sw.js");
    static ETAG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let etag = ETAG.get_or_init(|| crate::web::memory::strong_etag(SW));
    crate::web::memory::answer(
        &req,
        etag,
        "no-cache",
        "text/javascript; charset=utf-8",
        || actix_web::web::Bytes::from_static(SW),
    )
}

fn check_csrf(state: &AppState, req: &HttpRequest) -> AppResult<()> {
    let given = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok());
    if csrf::verify(req, secure(state), &WebState::of(req).origins, given) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "the CSRF check failed; reload the page",
        ))
    }
}

/// Who is asking: the logged-in host, or the request of the page's link.
async fn owner(
    state: &Data<AppState>,
    req: &HttpRequest,
    guest: Option<(String, String)>,
) -> AppResult<push::Owner> {
    check_csrf(state, req)?;
    match guest {
        None => super::session::current(state, req)
            .await
            .map(|a| push::Owner::Account(a.id))
            .ok_or(AppError::Unauthorized("log in first")),
        Some((id, token)) => {
            let id = path_id(&id)?;
            run(state, move |s, c| {
                let r = service::request_access(s, c, Some(&token), &id)?;
                Ok(push::Owner::Request(r.id))
            })
            .await
        }
    }
}

async fn subscribe(
    state: Data<AppState>,
    req: HttpRequest,
    guest: Option<(String, String)>,
    body: Value,
) -> AppResult<HttpResponse> {
    let owner = owner(&state, &req, guest).await?;
    let lang = push::lang_of(&body, negotiate(&req))?;
    let view = run(&state, move |s, c| {
        push::subscribe(s, c, &owner, body, lang)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

async fn unsubscribe(
    state: Data<AppState>,
    req: HttpRequest,
    guest: Option<(String, String)>,
    body: Value,
) -> AppResult<HttpResponse> {
    let owner = owner(&state, &req, guest).await?;
    run(&state, move |s, c| push::unsubscribe(s, c, &owner, body)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn host_on(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    subscribe(state, req, None, body.into_inner()).await
}

pub async fn host_off(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    unsubscribe(state, req, None, body.into_inner()).await
}

pub async fn guest_on(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    subscribe(state, req, Some(path.into_inner()), body.into_inner()).await
}

pub async fn guest_off(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    unsubscribe(state, req, Some(path.into_inner()), body.into_inner()).await
}
