use super::{ctx, html, see_other};
use crate::state::AppState;
use crate::views::i18n::{LANG_COOKIE, Lang};
use crate::views::{assets, landing};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use std::collections::HashMap;

pub async fn landing(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    html(
        HttpResponse::Ok(),
        landing::landing(&ctx(&req), state.config.privacy_cell_m),
    )
}

/// Remembers the chosen language for a year and goes back where the
/// visitor was (a local path only: no open redirect).
pub async fn switch_language(
    req: HttpRequest,
    code: Path<String>,
    q: Query<HashMap<String, String>>,
) -> HttpResponse {
    let Some(lang) = Lang::from_code(&code) else {
        return super::not_found(&req);
    };
    let next = q
        .get("next")
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .cloned();
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    let mut res = see_other(next.as_deref().unwrap_or("/"));
    let _ = res.add_cookie(&cookie);
    res
}

pub async fn asset(req: HttpRequest, name: Path<String>) -> HttpResponse {
    match assets::by_hashed(&name) {
        Some(a) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, a.content_type))
            .insert_header((CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(a.body),
        None => super::not_found(&req),
    }
}
