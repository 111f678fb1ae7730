use crate::domain::matching::Side;
use crate::domain::states::Role;
use crate::error::{AppError, AppResult};
use crate::service::{self, accounts};
use crate::state::AppState;
use crate::web::extract::{bearer, run};
use crate::web::ratelimit::Limit;
use crate::web::state::WebState;
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

pub(crate) fn limit(req: &HttpRequest, l: Limit) -> AppResult<()> {
    match WebState::of(req).limiter.client_ip(req) {
        Some(ip) => WebState::of(req)
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
    limit(&req, Limit::Signup)?;
    let new = accounts::parse_new_account(crate::web::extract::with_lang(body.into_inner(), &req))?;
    let view = run(&state, move |s, c| accounts::create(s, c, new, Role::Host)).await?;
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
    limit(&req, Limit::Login)?;
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

/// `POST /accounts/verify {"token"}`: confirms the address (the mailed link).
pub async fn verify(state: Data<AppState>, body: Json<Value>) -> AppResult<HttpResponse> {
    let mut f = crate::domain::input::Fields::new(body.into_inner(), &["token"])?;
    let token = f.str_req("token");
    f.finish()?;
    let token = token.unwrap_or_default();
    run(&state, move |s, c| accounts::verify_email(s, c, &token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /accounts/me/verification`: mails a new verification link.
pub async fn resend_verification(
    state: Data<AppState>,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    limit(&req, Limit::Signup)?;
    let token = bearer(&req);
    run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        accounts::resend_verification(s, c, &a)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(json!({"status": "sent"})))
}

/// `POST /password-resets {"email"}`: the same answer whether or not an
/// account has this address.
pub async fn request_reset(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    limit(&req, Limit::Login)?;
    let mut f = crate::domain::input::Fields::new(body.into_inner(), &["email"])?;
    let email = f.str_req("email");
    f.finish()?;
    let email = email.unwrap_or_default();
    run(&state, move |s, c| {
        crate::service::resets::request(s, c, &email)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(json!({
        "status": "if an account has this address, a link was sent; it works once, for one hour"
    })))
}

/// `POST /password-resets/confirm {"token","password"}`.
pub async fn confirm_reset(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    limit(&req, Limit::Login)?;
    let (token, password) = accounts::parse_reset(body.into_inner())?;
    run(&state, move |s, c| {
        accounts::reset_password(s, c, &token, &password)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /accounts/me/seen-by`: who has seen this host's contact details.
pub async fn seen_by(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let v = run(&state, move |s, c| {
        let a = service::account(s, c, token.as_deref())?;
        let mut ids = Vec::new();
        for o in crate::db::offers::by_host(c, &a.id)? {
            ids.extend(
                crate::db::matches::for_offer(c, &o.id)?
                    .into_iter()
                    .map(|m| m.id),
            );
        }
        crate::service::audit::seen_by(c, &ids, Side::Host, a.id.as_str())
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "seen_by": v })))
}
