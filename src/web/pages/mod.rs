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

use crate::domain::gazetteer::{Found, Gazetteer};

/// How far from an open incident a place named in words may be before we
/// ask the person to confirm it (km).
pub(super) const NEAR_CRISIS_KM: f64 = 60.0;

/// Puts `lat`/`lon` into a form's JSON body: the browser's position when the
/// page's script filled it, else the place or postcode typed, resolved by the
/// bundled gazetteer near the open incidents (`focus`); otherwise an error on
/// the `place` field. Places to choose from go into `values` under
/// `place_choices` (one label a line) for the form to show as a list.
pub(super) fn position(
    values: &mut std::collections::HashMap<String, String>,
    body: &mut serde_json::Map<String, serde_json::Value>,
    errors: &mut crate::views::layout::Errors,
    focus: &[(f64, f64)],
) {
    // only this function writes the list: never what a client sent
    values.remove("place_choices");
    let get = |k: &str| values.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let given = match (
        get("lat").and_then(|s| s.parse::<f64>().ok()),
        get("lon").and_then(|s| s.parse::<f64>().ok()),
    ) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        // a choice from the list wins over the text
        _ => match get("place_choice").or(get("place")) {
            Some(typed) => match Gazetteer::bundled().find_near(typed, focus, NEAR_CRISIS_KM) {
                Found::One(p) => Some((p.lat, p.lon)),
                Found::Several(ps) => {
                    let labels: Vec<String> = ps.iter().map(|p| p.display()).collect();
                    values.insert("place_choices".into(), labels.join("\n"));
                    errors.insert("place".into(), "err-place-several");
                    return;
                }
                Found::Nothing => None,
            },
            None => None,
        },
    };
    match given {
        Some((lat, lon)) => {
            body.insert("lat".into(), serde_json::json!(lat));
            body.insert("lon".into(), serde_json::json!(lon));
        }
        None => {
            errors.insert("place".into(), "err-place");
        }
    }
}

/// Puts the optional `languages` text field into a form's JSON body: codes
/// or names in French or English ("anglais, arabe") become codes; what is not
/// a language we know ("langue des signes") is never refused but kept, added
/// to the form's free-text notes for the other side to read.
pub(super) fn languages(
    values: &std::collections::HashMap<String, String>,
    body: &mut serde_json::Map<String, serde_json::Value>,
) {
    let Some(text) = values.get("languages") else {
        return;
    };
    let mut typed = crate::domain::language_names::read(text);
    // beyond what the matcher compares, languages are kept as text too
    let max = crate::domain::values::Languages::MAX;
    if typed.known.len() > max {
        let rest = typed.known.split_off(max);
        typed
            .other
            .extend(rest.iter().map(|l| l.as_str().to_owned()));
    }
    let codes: Vec<&str> = typed.known.iter().map(|l| l.as_str()).collect();
    body.insert("languages".into(), serde_json::json!(codes));
    if typed.other.is_empty() {
        return;
    }
    let extra = format!("Langues / languages : {}", typed.other.join(", "));
    let notes = match body.get("notes").and_then(|n| n.as_str()) {
        Some(n) if !n.trim().is_empty() => format!("{n}\n{extra}"),
        _ => extra,
    };
    // the notes' own limit (1,000 characters) still holds
    let notes: String = notes.chars().take(1000).collect();
    body.insert("notes".into(), serde_json::json!(notes));
}

/// Shows an RFC 3339 time as day/month hour:minute in the incident's zone.
pub(super) fn local_time(tz: chrono_tz::Tz) -> impl Fn(&str) -> String {
    move |rfc: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc)
            .map(|t| t.with_timezone(&tz).format("%d/%m %H:%M").to_string())
            .unwrap_or_default()
    }
}
