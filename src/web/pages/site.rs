use super::{ctx, html, see_other};
use crate::domain::locale::Lang;
use crate::domain::redirect::LocalPath;
use crate::state::AppState;
use crate::views::{assets, landing};
use crate::web::lang::LANG_COOKIE;
use crate::web::memory;
use crate::web::state::WebState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::web::Bytes;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use std::collections::HashMap;

/// The landing page: from memory (`web::memory`), or rendered when the
/// address has a query string (the language switcher comes back to it).
pub async fn landing(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    if req.query_string().is_empty() {
        return WebState::of(&req)
            .memory
            .landing(&req, crate::web::lang::negotiate(&req));
    }
    html(
        HttpResponse::Ok(),
        landing::landing(&ctx(&req), state.config.privacy_cell_m),
    )
}

/// Remembers the chosen language for a year and goes back where the
/// visitor was: a path on this site only (`LocalPath`), else the home page.
pub async fn switch_language(
    req: HttpRequest,
    code: Path<String>,
    q: Query<HashMap<String, String>>,
) -> HttpResponse {
    let Some(lang) = Lang::from_code(&code) else {
        return super::not_found(&req);
    };
    let next = LocalPath::or_root(q.get("next").map(String::as_str));
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    let mut res = see_other(next.as_str());
    let _ = res.add_cookie(&cookie);
    res
}

pub async fn asset(req: HttpRequest, name: Path<String>) -> HttpResponse {
    match assets::by_hashed(&name) {
        Some(a) => memory::answer(
            &req,
            &a.etag,
            "public, max-age=31536000, immutable",
            a.content_type,
            || Bytes::from_static(a.body),
        ),
        None => super::not_found(&req),
    }
}

/// `/favicon.ico`, asked for by browsers and monitors whatever the pages
/// say: the site's SVG icon (browsers read it whatever the name), cached a day.
pub async fn favicon(req: HttpRequest) -> HttpResponse {
    match assets::all().iter().find(|a| a.name == "icon.svg") {
        Some(a) => memory::answer(
            &req,
            &a.etag,
            "public, max-age=86400",
            a.content_type,
            || Bytes::from_static(a.body),
        ),
        None => super::not_found(&req),
    }
}

/// "Is my relative safe?": a form, and the only answer we give.
pub async fn safe(
    state: Data<AppState>,
    req: HttpRequest,
    q: Query<HashMap<String, String>>,
) -> HttpResponse {
    use crate::i18n::{args, tr, trf};
    use crate::views::layout::{Errors, Input, input, page};
    let c = ctx(&req);
    let l = c.lang;
    let name = q.get("name").map(|n| n.trim().to_owned());
    let mut errors = Errors::new();
    let mut status = actix_web::http::StatusCode::OK;
    let mut answer: Option<String> = None;
    if let Some(n) = &name {
        if !(2..=120).contains(&n.chars().count()) {
            errors.insert("name".into(), "err-safe_name");
            status = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        } else if let Some(ip) = WebState::of(&req).limiter.client_ip(&req) {
            if WebState::of(&req)
                .limiter
                .check(crate::web::ratelimit::Limit::Login, ip)
                .is_err()
            {
                errors.insert("name".into(), "err-rate_limited");
                status = actix_web::http::StatusCode::TOO_MANY_REQUESTS;
            }
        }
        if errors.is_empty() {
            let wanted = n.clone();
            let found = crate::web::extract::run(&state, move |_, conn| {
                crate::service::findable::search(conn, &wanted)
            })
            .await;
            let time = super::local_time(state.tz);
            answer = Some(match found {
                Ok(a) if a.reported_safe => trf(
                    l,
                    "safe-yes",
                    args!["name" => n, "time" => &time(a.at.as_deref().unwrap_or(""))],
                ),
                Ok(_) => trf(l, "safe-no", args!["name" => n]),
                Err(e) => return super::failure::PageError::response(&req, e),
            });
        }
    }
    let body = maud::html! {
        h1 { (tr(l, "safe-title")) }
        p { (tr(l, "safe-intro")) }
        form method="get" action="/safe" {
            (input(l, Input { name: "name", label: tr(l, "safe-name"), kind: "text", value: name.as_deref().unwrap_or(""), hint: None, autocomplete: "off", required: true }, &errors))
            button type="submit" { (tr(l, "safe-search")) }
        }
        @if let Some(a) = &answer { p class="notice" role="status" { (a) } }
    };
    html(
        HttpResponse::build(status),
        page(&c, tr(l, "safe-title"), body),
    )
}
