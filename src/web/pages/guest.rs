//! The guest's pages: ask for shelter, then follow the request through its
//! private link `/r/{id}/{token}`.

use super::form::put_errors;
use super::{ctx, html, not_found, secure, see_other};
use crate::domain::commands::NewRequest;
use crate::domain::ids::{MatchId, OfferId, RequestId};
use crate::domain::matching::Side;
use crate::domain::states::RequestStatus;
use crate::error::AppError;
use crate::service::matches::Action;
use crate::service::{self, matches, requests};
use crate::state::AppState;
use crate::views::guest::{RequestPage, Values, need_form, request_page};
use crate::views::layout::{self, Errors};
use crate::web::csrf;
use crate::web::extract::{path_id, run};
use crate::web::ratelimit::Limit;
use crate::web::state::WebState;
use actix_web::web::{Data, Form, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;
use std::collections::HashMap;

const RADIUS_KM: f64 = 10.0;

fn with_cookie(
    mut res: HttpResponse,
    cookie: Option<actix_web::cookie::Cookie<'static>>,
) -> HttpResponse {
    if let Some(c) = cookie {
        let _ = res.add_cookie(&c);
    }
    res
}

fn form_page(
    state: &AppState,
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    values: &Values,
    errors: &Errors,
) -> HttpResponse {
    let (token, cookie) = csrf::token(req, secure(state));
    let page = need_form(&ctx(req), values, errors, &token);
    with_cookie(html(HttpResponse::build(status), page), cookie)
}

/// The empty form: from memory (`web::memory`), or rendered when the
/// address has a query string.
pub async fn form(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    if req.query_string().is_empty() {
        let lang = crate::web::lang::negotiate(&req);
        return WebState::of(&req).memory.form(&req, lang, secure(&state));
    }
    form_page(
        &state,
        &req,
        actix_web::http::StatusCode::OK,
        &Values::new(),
        &Errors::new(),
    )
}

/// The request form's message for each of its fields.
pub(super) fn message(field: &str) -> (&'static str, &'static str) {
    match field {
        "lat" | "lon" | "place" => ("place", "err-place"),
        "party_size" => ("party_size", "err-party_size"),
        "name" => ("name", "err-name"),
        "contact_email" => ("contact_email", "err-contact_email"),
        "notes" => ("notes", "err-notes"),
        "languages" => ("languages", "err-languages"),
        "trusted_contact_email" => ("trusted_contact_email", "err-contact_email"),
        "trusted_contact_consent" => ("trusted_contact_consent", "err-trusted_consent"),
        "findable_name" => ("findable_name", "err-findable_name"),
        "findable_consent" => ("findable_consent", "err-findable_consent"),
        "contact_phone" => ("contact_phone", "err-contact_phone"),
        // a field the form does not show: said in the summary only
        _ => ("form", "err-summary"),
    }
}

pub async fn submit(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let values: Values = form.into_inner().into_iter().collect();
    if !csrf::verify(
        &req,
        secure(&state),
        &WebState::of(&req).origins,
        values.get("csrf").map(String::as_str),
    ) {
        let mut errors = Errors::new();
        errors.insert("csrf".into(), "err-csrf");
        return form_page(
            &state,
            &req,
            actix_web::http::StatusCode::FORBIDDEN,
            &values,
            &errors,
        );
    }
    if let Some(ip) = WebState::of(&req).limiter.client_ip(&req) {
        if let Err(retry) = WebState::of(&req).limiter.check(Limit::Request, ip) {
            return HttpResponse::TooManyRequests()
                .insert_header(("Retry-After", retry.to_string()))
                .finish();
        }
    }
    let mut values = values;
    // only the form's handler writes the list of places: never a client
    values.remove("place_choices");
    let focus = super::form::incident_centres(&state).await;
    let new = match NewRequest::from_form(&values, &focus, ctx(&req).lang) {
        Ok(new) => new,
        Err(refused) => {
            let mut errors = Errors::new();
            put_errors(&refused, &mut values, &mut errors, message);
            return form_page(
                &state,
                &req,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &values,
                &errors,
            );
        }
    };
    match run(&state, move |s, c| requests::create(s, c, new)).await {
        Ok(view) => see_other(&format!(
            "/r/{}/{}",
            view.id,
            view.access_token.unwrap_or_default()
        )),
        Err(e) => {
            tracing::error!(error = %e, "request form");
            form_page(
                &state,
                &req,
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                &values,
                &Errors::new(),
            )
        }
    }
}

fn notice_key(code: &str) -> Option<&'static str> {
    Some(match code {
        "no_places" => "notice-no_places",
        "too_many_proposals" => "notice-too_many_proposals",
        "already_proposed" => "notice-already_proposed",
        "offer_not_available" => "notice-offer_not_available",
        "needs_not_met" => "notice-needs_not_met",
        "request_not_waiting" => "notice-request_not_waiting",
        "match_expired" => "notice-match_expired",
        "match_state" => "notice-match_state",
        "error" => "notice-error",
        "unsafe" => "notice-unsafe",
        "reported" => "notice-reported",
        "report_invalid" => "notice-report_invalid",
        "already_reported" => "notice-already_reported",
        "details_saved" => "notice-details_saved",
        "request_closed" => "notice-request_closed",
        _ => return None,
    })
}

/// Where people reach this site: PUBLIC_URL when set, else what the browser asked for.
fn public_origin(state: &AppState, req: &HttpRequest) -> String {
    match &state.config.public_url {
        Some(_) => state.config.public_url(),
        None => WebState::of(req).origins.requested_origin(req),
    }
}

pub async fn page(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    q: Query<HashMap<String, String>>,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let Ok(id) = path_id(&id) else {
        return not_found(&req);
    };
    let loaded = run(&state, move |s, c| {
        let r = service::request_access(s, c, Some(&token), &id)?;
        let view = requests::get(s, c, &r)?;
        let cands = if r.status == RequestStatus::Waiting {
            requests::candidates(s, c, &r, 10, RADIUS_KM)?
        } else {
            vec![]
        };
        let ids: Vec<MatchId> = view.matches.iter().map(|m| m.id.clone()).collect();
        let seen = service::audit::seen_by(c, &ids, Side::Guest, &r.id)?;
        let emergency = service::incidents::emergency_for_request(s, c, &r.id)?.join(", ");
        let tz = service::incidents::time_zone_for_request(s, c, &r.id)?;
        let version = crate::live::page_version(c, &topic(&r))?;
        Ok((view, cands, token, (seen, version), emergency, tz))
    })
    .await;
    let (view, cands, token, (seen, version), emergency, tz) = match loaded {
        Ok(x) => x,
        Err(e @ (AppError::Unavailable(_) | AppError::Internal(_))) => {
            return super::failure::PageError::response(&req, e);
        }
        Err(_) => return not_found(&req),
    };
    let (csrf_token, cookie) = csrf::token(&req, secure(&state));
    let base = format!("/r/{}/{}", view.id, token);
    // times in the incident's zone (else the deployment's)
    let time = move |rfc: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc)
            .map(|t| t.with_timezone(&tz).format("%H:%M").to_string())
            .unwrap_or_default()
    };
    let mut c = ctx(&req);
    if view.status == RequestStatus::Waiting || view.status == RequestStatus::Matched {
        c.live = Some(crate::views::layout::Live {
            page: base.clone(),
            stream: format!("{base}/events?v={version}"),
            self_update: None,
        });
    }
    let data = RequestPage {
        request: &view,
        candidates: &cands,
        link: format!("{}{base}", public_origin(&state, &req)),
        base: base.clone(),
        csrf: &csrf_token,
        notice: q.get("notice").and_then(|n| notice_key(n)),
        radius_km: RADIUS_KM,
        time: &time,
        map: WebState::of(&req).map.as_deref(),
        seen: &seen,
        emergency: &emergency,
        attribution: &state.config.map_attribution,
    };
    let mut page = request_page(&c, &data);
    let mut res = HttpResponse::Ok();
    // a waiting guest without JavaScript may ask the page to update itself,
    // where nothing on it can be typed in (see `layout::Live::self_update`)
    if view.status == RequestStatus::Waiting && !layout::typeable(&page.0) {
        let on = q.contains_key(layout::SELF_UPDATE_QUERY);
        if let Some(live) = c.live.as_mut() {
            live.self_update = Some(on);
        }
        page = request_page(&c, &data);
        if on {
            res.insert_header((
                "Refresh",
                format!(
                    "{}; url={base}?{}=1",
                    layout::SELF_UPDATE_SECONDS,
                    layout::SELF_UPDATE_QUERY
                ),
            ));
        }
    }
    with_cookie(html(res, page), cookie)
}

/// The live topic of a request's page.
fn topic(r: &crate::db::models::RequestRow) -> crate::live::Topic {
    crate::live::Topic::Request {
        id: r.id.clone(),
        lat: r.cell_lat,
        lon: r.cell_lon,
    }
}

/// Runs one guest action and comes back to the page, with a notice if it
/// was refused.
async fn guest_action<F>(
    state: Data<AppState>,
    req: HttpRequest,
    id: String,
    token: String,
    form: Values,
    f: F,
) -> HttpResponse
where
    F: FnOnce(&AppState, &mut crate::db::DbConn, &RequestId, &str, &Values) -> Result<(), AppError>
        + Send
        + 'static,
{
    let Ok(id) = path_id(&id) else {
        return not_found(&req);
    };
    let base = format!("/r/{id}/{token}");
    if !csrf::verify(
        &req,
        secure(&state),
        &WebState::of(&req).origins,
        form.get("csrf").map(String::as_str),
    ) {
        return html(
            HttpResponse::Forbidden(),
            crate::views::layout::refused(&ctx(&req), &base),
        );
    }
    let result = run(&state, move |s, c| {
        let r = service::request_access(s, c, Some(&token), &id)?;
        f(s, c, &r.id, &token, &form)
    })
    .await;
    match result {
        Ok(()) => see_other(&base),
        Err(AppError::Conflict { code, .. }) => see_other(&format!("{base}?notice={code}")),
        Err(
            AppError::NotFound
            | AppError::Unauthorized(_)
            | AppError::Forbidden(_)
            | AppError::Validation(_),
        ) => not_found(&req),
        Err(e) => {
            tracing::error!(error = %e, "guest action");
            see_other(&format!("{base}?notice=error"))
        }
    }
}

pub async fn ask(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let values: Values = form.into_inner().into_iter().collect();
    guest_action(state, req, id, token, values, |s, c, rid, _, v| {
        let offer = path_id(v.get("offer_id").map(String::as_str).unwrap_or(""))?;
        let actor = crate::service::audit::guest(rid);
        matches::propose(s, c, rid, &offer, Side::Guest, &actor).map(drop)
    })
    .await
}

pub async fn cancel(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let values: Values = form.into_inner().into_iter().collect();
    guest_action(state, req, id, token, values, |s, c, rid, _, _| {
        let r = crate::db::requests::get(c, rid)?.ok_or(AppError::NotFound)?;
        requests::cancel(s, c, &r).map(drop)
    })
    .await
}

pub async fn act(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String, String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (id, token, action, match_id) = path.into_inner();
    let action = match action.as_str() {
        "accept" => Action::Accept,
        "decline" => Action::Decline,
        "arrived" => Action::Arrive,
        _ => return not_found(&req),
    };
    let values: Values = form.into_inner().into_iter().collect();
    guest_action(state, req, id, token, values, move |s, c, _, token, _| {
        let m = path_id(&match_id)?;
        let access = service::match_access(s, c, Some(token), &m)?;
        matches::act(s, c, &access.row.id, Side::Guest, None, action).map(drop)
    })
    .await
}

/// "I feel unsafe" from the guest's page: coordinators are alerted and the
/// page shows the emergency numbers.
pub async fn unsafe_flag(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (id, token, match_id) = path.into_inner();
    let values: Values = form.into_inner().into_iter().collect();
    let back = format!("/r/{id}/{token}?notice=unsafe");
    let res = guest_action(state, req, id, token, values, move |s, c, _, token, _| {
        let m = path_id(&match_id)?;
        let access = service::match_access(s, c, Some(token), &m)?;
        matches::flag_unsafe(s, c, &access)
    })
    .await;
    with_notice(res, &back)
}

/// "Don't show me this host again".
pub async fn block(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let values: Values = form.into_inner().into_iter().collect();
    guest_action(state, req, id, token, values, |s, c, rid, _, v| {
        let offer: OfferId = path_id(v.get("offer_id").map(String::as_str).unwrap_or(""))?;
        crate::service::safeguarding::block(s, c, rid, json!({ "offer_id": offer }))
    })
    .await
}

/// Reports an offer seen on the request's page.
pub async fn report(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (id, token) = path.into_inner();
    let values: Values = form.into_inner().into_iter().collect();
    let back = format!("/r/{id}/{token}?notice=reported");
    let reason = values.get("reason").map(String::as_str).unwrap_or("");
    let details_len = values
        .get("details")
        .map_or(0, |d| d.trim().chars().count());
    if crate::domain::states::ReportReason::parse(reason).is_none() || details_len > 1000 {
        return see_other(&format!("/r/{id}/{token}?notice=report_invalid"));
    }
    let ip = WebState::of(&req).limiter.client_ip(&req);
    let res = guest_action(state, req, id, token, values, move |s, c, rid, _, v| {
        let body = json!({
            "target_kind": "offer",
            "target_id": v.get("offer_id").cloned().unwrap_or_default(),
            "reason": v.get("reason").cloned().unwrap_or_default(),
            "details": v.get("details").cloned().unwrap_or_default(),
        });
        let who = crate::service::safeguarding::Reporter::Guest(rid.clone());
        crate::service::safeguarding::report(s, c, &who, ip, body).map(drop)
    })
    .await;
    with_notice(res, &back)
}

/// A guest action that went through (a redirect without a notice) goes to
/// `back`, which carries its own notice; anything else is answered as is.
fn with_notice(res: HttpResponse, back: &str) -> HttpResponse {
    let plain_redirect = res.status() == actix_web::http::StatusCode::SEE_OTHER
        && res
            .headers()
            .get("location")
            .is_some_and(|l| !l.to_str().unwrap_or("").contains("notice="));
    if plain_redirect { see_other(back) } else { res }
}
