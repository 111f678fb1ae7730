//! HTML pages: thin handlers over the same services as the API. Every
//! state change is a POST with a CSRF token; errors re-render the form
//! with messages beside their fields.

mod accounts;
mod coord;
mod coord_details;
mod coord_incidents;
pub(crate) mod failure;
mod form;
mod guest;
mod guest_details;
mod host;
mod live;
mod push;
mod session;
mod site;

use crate::state::AppState;
use crate::views::layout::Ctx;
use crate::web::lang::negotiate;
use actix_web::http::header::{CONTENT_TYPE, LOCATION};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use maud::Markup;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(site::landing))
        .route("/host", web::get().to(host::home))
        .route("/host/login", web::get().to(accounts::login_form))
        .route("/host/login", web::post().to(accounts::login_submit))
        .route("/host/signup", web::get().to(accounts::signup_form))
        .route("/host/signup", web::post().to(accounts::signup_submit))
        .route("/host/logout", web::post().to(accounts::logout))
        .route("/host/push", web::post().to(push::host_on))
        .route("/host/push", web::delete().to(push::host_off))
        .route("/r/{id}/{token}/push", web::post().to(push::guest_on))
        .route("/r/{id}/{token}/push", web::delete().to(push::guest_off))
        .route("/sw.js", web::get().to(push::service_worker))
        .route(
            "/host/verify/resend",
            web::post().to(accounts::resend_verification),
        )
        .route("/host/verify/{token}", web::get().to(accounts::verify_form))
        .route(
            "/host/verify/{token}",
            web::post().to(accounts::verify_submit),
        )
        .route("/host/reset", web::get().to(accounts::reset_request_form))
        .route(
            "/host/reset",
            web::post().to(accounts::reset_request_submit),
        )
        .route("/host/reset/{token}", web::get().to(accounts::reset_form))
        .route(
            "/host/reset/{token}",
            web::post().to(accounts::reset_submit),
        )
        .route("/host/offers", web::post().to(host::create_offer))
        .route("/host/offers/{id}/edit", web::get().to(host::edit_form))
        .route("/host/offers/{id}/edit", web::post().to(host::edit_submit))
        .route("/host/offers/{id}/invite", web::post().to(host::invite))
        .route("/host/offers/{id}/status", web::post().to(host::set_status))
        .route(
            "/host/matches/{id}/report",
            web::post().to(host::report_guest),
        )
        .route(
            "/host/matches/{id}/{action}",
            web::post().to(host::match_action),
        )
        .route("/host/events", web::get().to(live::host))
        .route("/coord/events", web::get().to(live::coordinators))
        .route("/r/{id}/{token}/events", web::get().to(live::guest))
        .route("/coord", web::get().to(coord::home))
        .route("/coord/propose", web::post().to(coord::propose))
        .route("/coord/match", web::get().to(coord::find_match))
        .route("/coord/map.svg", web::get().to(coord::map_svg))
        .route("/coord/export/{kind}", web::get().to(coord::export))
        .route("/safe", web::get().to(site::safe))
        .route(
            "/coord/incidents",
            web::get().to(coord_incidents::incidents),
        )
        .route(
            "/coord/incidents",
            web::post().to(coord_incidents::open_incident),
        )
        .route(
            "/coord/incidents/{id}/close",
            web::post().to(coord_incidents::close_incident),
        )
        .route("/coord/suggest", web::get().to(coord::suggest))
        .route("/coord/suggest", web::post().to(coord::send_suggestions))
        .route("/coord/do/{action}/{id}", web::post().to(coord::act))
        .route(
            "/coord/outbox/{id}/retry",
            web::post().to(coord::retry_mail),
        )
        .route("/coord/matches/{id}", web::get().to(coord::show_match))
        .route("/coord/offers/{id}", web::get().to(coord_details::offer))
        .route(
            "/coord/offers/{id}/details",
            web::post().to(coord_details::offer_details),
        )
        .route(
            "/coord/requests/{id}",
            web::get().to(coord_details::request),
        )
        .route(
            "/coord/requests/{id}/details",
            web::post().to(coord_details::request_details),
        )
        .route("/lang/{code}", web::get().to(site::switch_language))
        .route("/assets/{name}", web::get().to(site::asset))
        .route("/favicon.ico", web::get().to(site::favicon))
        .route("/need", web::get().to(guest::form))
        .route("/need", web::post().to(guest::submit))
        .route("/r/{id}/{token}", web::get().to(guest::page))
        .route("/r/{id}/{token}/ask", web::post().to(guest::ask))
        .route(
            "/r/{id}/{token}/details",
            web::get().to(guest_details::form),
        )
        .route(
            "/r/{id}/{token}/details",
            web::post().to(guest_details::submit),
        )
        .route("/r/{id}/{token}/cancel", web::post().to(guest::cancel))
        .route("/r/{id}/{token}/block", web::post().to(guest::block))
        .route("/r/{id}/{token}/report", web::post().to(guest::report))
        .route(
            "/r/{id}/{token}/unsafe/{match_id}",
            web::post().to(guest::unsafe_flag),
        )
        .route(
            "/r/{id}/{token}/{action}/{match_id}",
            web::post().to(guest::act),
        );
}

fn ctx(req: &HttpRequest) -> Ctx {
    let path = match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    };
    Ctx {
        lang: negotiate(req),
        path,
        live: None,
        notice: None,
    }
}

/// The page's context with the notice named by `?notice=`, if known.
pub(super) fn ctx_with_notice(req: &HttpRequest) -> Ctx {
    let mut c = ctx(req);
    let q = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    c.notice = match q.get("notice").map(String::as_str) {
        Some("verified") => Some("notice-verified"),
        Some("already_verified") => Some("notice-already_verified"),
        Some("sent") => Some("notice-sent"),
        Some("reset") => Some("notice-reset"),
        Some("conflict") => Some("notice-no_places"),
        Some("rate_limited") => Some("err-rate_limited"),
        Some("done") => Some("coord-done_generic"),
        Some("refused") => Some("notice-match_state"),
        Some("reported") => Some("notice-reported"),
        Some("report_invalid") => Some("notice-report_invalid"),
        _ => None,
    };
    c
}

/// Whether cookies get `Secure` (and `__Host-` names): when the public URL is HTTPS.
pub fn secure(state: &AppState) -> bool {
    state.config.public_url().starts_with("https://")
}

/// A page. No page reloads itself, with or without JavaScript: a timed
/// reload (a `Refresh` header, a meta refresh) moves a screen reader's
/// place and the focus back to the top every time, and nobody can turn it
/// off (WCAG 2.2.1, failure F41). Live pages update in place with
/// `app.js`; without it, they have their "Refresh" link.
pub fn html(mut res: HttpResponseBuilder, page: Markup) -> HttpResponse {
    let body = page.into_string();
    res.insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(body)
}

pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, to.to_owned()))
        .finish()
}

pub fn not_found(req: &HttpRequest) -> HttpResponse {
    html(
        HttpResponse::NotFound(),
        crate::views::layout::not_found(&ctx(req)),
    )
}

/// Puts `lat`/`lon` into a form's JSON body for a service that still
/// takes one (the incident form): the browser's position, or the place
/// typed, read as every command reads a form's place
/// (`domain::commands::form_position`); otherwise an error on `place`, with
/// the places to choose from under `place_choices`.
pub(super) fn position(
    values: &mut std::collections::HashMap<String, String>,
    body: &mut serde_json::Map<String, serde_json::Value>,
    errors: &mut crate::views::layout::Errors,
    focus: &[(f64, f64)],
) {
    let mut f = crate::domain::input::Fields::form(values.iter());
    let mut choices = vec![];
    let found = crate::domain::commands::form_position(&mut f, focus, &mut choices);
    values.remove("place_choices");
    match found {
        Some(p) => {
            body.insert("lat".into(), serde_json::json!(p.lat()));
            body.insert("lon".into(), serde_json::json!(p.lon()));
        }
        None if !choices.is_empty() => {
            values.insert("place_choices".into(), choices.join("\n"));
            errors.insert("place".into(), "err-place-several");
        }
        None => {
            errors.insert("place".into(), "err-place");
        }
    }
}

/// Shows an RFC 3339 time as day/month hour:minute in the incident's zone.
pub(super) fn local_time(tz: chrono_tz::Tz) -> impl Fn(&str) -> String {
    move |rfc: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc)
            .map(|t| t.with_timezone(&tz).format("%d/%m %H:%M").to_string())
            .unwrap_or_default()
    }
}
