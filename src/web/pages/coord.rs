//! The coordinators' page: for accounts with the coordinator role only
//! (others get 404, as for anything that is not theirs).

use super::form::{csrf_error, render, values_of};
use super::session::session;
use super::{ctx, see_other};
use crate::domain::ids::{MatchId, RequestId};
use crate::domain::matching::Side;
use crate::domain::states::{OutboxStatus, RequestStatus};
use crate::error::AppError;
use crate::service::{console, coordination, matches, safeguarding};
use crate::state::AppState;
use crate::views::coord::{CoordPage, coordination as coord_page};
use crate::views::coord_console::{Party, Tiles};
use crate::views::layout::Errors;
use crate::web::extract::{path_id, path_key, run};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form, Query};
use actix_web::{HttpRequest, HttpResponse};
use std::collections::HashMap;

/// The logged-in coordinator, or the answer for anyone else: the log-in
/// page for a visitor, 404 for a host (as for anything not theirs).
pub(super) async fn coordinator(
    state: &Data<AppState>,
    req: &HttpRequest,
) -> Result<crate::service::Account, HttpResponse> {
    match session(state, req).await {
        Ok(Some(who)) if who.is_coordinator() => Ok(who),
        Ok(Some(_)) => Err(super::not_found(req)),
        Ok(None) => Err(see_other("/host/login")),
        Err(e) => Err(super::failure::PageError::response(req, e)),
    }
}

/// `/coord`, and `/coord?party=…` with that party's doors open: an ID
/// that is no request answers 404, the console with a message.
pub async fn home(
    state: Data<AppState>,
    req: HttpRequest,
    q: Query<HashMap<String, String>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let me = who.clone();
    let wanted = q.get("party").map(|p| p.trim().to_owned());
    let loaded = run(&state, move |s, c| {
        let queue = coordination::queue(s, c, RequestStatus::Waiting, 100)?;
        let alerts = coordination::alerts(s, c)?;
        let map = console::map(s, c, &queue, &alerts)?;
        let party = match wanted {
            None => None,
            Some(id) => match path_id(&id).and_then(|id| console::party(s, c, &id)) {
                Ok(found) => Some(Some(found)),
                Err(AppError::NotFound | AppError::Validation(_)) => Some(None),
                Err(e) => return Err(e),
            },
        };
        Ok((
            coordination::overview(s, c)?,
            (queue, alerts, map, party),
            coordination::recent_matches(s, c, 50)?,
            coordination::mails(c, OutboxStatus::Dead, 50)?,
            (
                safeguarding::reviews(s, c, &me)?,
                safeguarding::open_reports(c)?,
                (safeguarding::risks(c)?, safeguarding::floods(s, c)?),
                crate::service::oversight::areas(s, c)?,
                crate::service::holds::paused(c, 100)?,
            ),
            crate::live::page_version(c, &crate::live::Topic::Coordinators)?,
        ))
    })
    .await;
    let loaded = match loaded {
        Ok(x) => x,
        Err(e) => return super::failure::PageError::response(&req, e),
    };
    let (
        overview,
        (queue, alerts, map, party),
        recent,
        dead,
        (reviews, reports, (risks, floods), areas, paused),
        version,
    ) = loaded;
    let notice = match q.get("notice").map(String::as_str) {
        Some("done") => Some("coord-done"),
        Some("conflict") => Some("notice-no_places"),
        Some("not_found") => Some("page-not_found"),
        Some("retried") => Some("coord-retried"),
        Some("refused") => Some("notice-match_state"),
        Some("sent") => Some("coord-sent"),
        _ => None,
    };
    let (party, status, page) = match &party {
        None => (Party::None, StatusCode::OK, "/coord".to_owned()),
        Some(None) => (Party::Unknown, StatusCode::NOT_FOUND, "/coord".to_owned()),
        Some(Some((entry, doors))) => (
            Party::Shown(entry, doors),
            StatusCode::OK,
            format!("/coord?party={}", entry.request_id),
        ),
    };
    let mut c = ctx(&req);
    c.live = Some(crate::views::layout::Live {
        page,
        stream: format!("/coord/events?v={version}"),
        self_update: None,
    });
    let tiles = crate::web::state::WebState::of(&req)
        .map
        .as_deref()
        .map(|url| Tiles {
            url,
            attribution: &state.config.map_attribution,
        });
    let errors = Errors::new();
    render(&state, &req, status, |t| {
        coord_page(
            &c,
            &CoordPage {
                overview: &overview,
                queue: &queue,
                matches: &recent,
                alerts: &alerts,
                dead: &dead,
                reviews: &reviews,
                reports: &reports,
                risks: &risks,
                floods: &floods,
                areas: &areas,
                paused: &paused,
                csrf: t,
                notice,
                errors: &errors,
                party: &party,
                map: &map,
                tiles: tiles.as_ref(),
                version: &version,
            },
        )
    })
}

pub async fn propose(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let values = values_of(form);
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let (r, o) = (get("request_id"), get("offer_id"));
    // a refused proposal comes back to the party's doors, when it is one
    let back = path_id::<RequestId>(&r)
        .map(|id| format!("/coord?party={id}&"))
        .unwrap_or_else(|_| "/coord?".into());
    let result = run(&state, move |s, c| {
        let (r, o) = (path_id(&r)?, path_id(&o)?);
        matches::propose(s, c, &r, &o, Side::Coordinator, who.id.as_str()).map(drop)
    })
    .await;
    match result {
        Ok(()) => see_other("/coord?notice=done"),
        Err(AppError::Conflict { .. }) => see_other(&format!("{back}notice=conflict#party")),
        Err(AppError::NotFound) => see_other("/coord?notice=not_found"),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

/// `/coord/match?id=…`: the form to open a match by its ID.
pub async fn find_match(
    state: Data<AppState>,
    req: HttpRequest,
    q: Query<HashMap<String, String>>,
) -> HttpResponse {
    if let Err(res) = coordinator(&state, &req).await {
        return res;
    }
    let id = q.get("id").map(|s| s.trim()).unwrap_or_default();
    match path_id::<MatchId>(id) {
        Ok(id) => see_other(&format!("/coord/matches/{id}")),
        Err(_) => see_other("/coord?notice=not_found"),
    }
}

pub async fn show_match(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let id = path.into_inner();
    let loaded = run(&state, move |s, c| {
        let id = path_id(&id)?;
        let access = crate::service::match_access_for(s, c, &who, &id)?;
        let offer = crate::db::offers::get(c, &access.row.offer_id)?.ok_or(AppError::NotFound)?;
        let host = safeguarding::host_status(c, &offer.host_id)?;
        Ok((matches::view(s, c, &access.row)?, host))
    })
    .await;
    match loaded {
        Ok((view, host)) => {
            let time = super::local_time(state.tz);
            render(&state, &req, StatusCode::OK, |t| {
                crate::views::coord::match_page(
                    &ctx(&req),
                    &crate::views::coord::MatchPage {
                        m: &view,
                        host: &host,
                        csrf: t,
                        time: &time,
                    },
                )
            })
        }
        Err(AppError::NotFound | AppError::Validation(_)) => super::not_found(&req),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

/// Sends a dead letter again.
pub async fn retry_mail(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    if csrf_error(&state, &req, &values_of(form)).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    let id = path.into_inner();
    match run(&state, move |s, c| {
        coordination::retry_mail(s, c, &who.id, &path_key(&id)?)
    })
    .await
    {
        Ok(()) => see_other("/coord?notice=retried"),
        Err(_) => see_other("/coord?notice=not_found"),
    }
}

/// The console's safeguarding buttons: `/coord/do/{action}/{id}`, back to
/// the page they came from.
pub async fn act(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let values = values_of(form);
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    let back = values
        .get("back")
        .filter(|b| b.starts_with("/coord") && !b.contains("//") && !b.contains('?'))
        .cloned()
        .unwrap_or_else(|| "/coord".into());
    let (action, id) = path.into_inner();
    let result = run(&state, move |s, c| match action.as_str() {
        "verify-identity" => safeguarding::verify_identity(s, c, &who, &path_id(&id)?).map(drop),
        "suspend" => safeguarding::set_suspended(s, c, &who, &path_id(&id)?, true).map(drop),
        "reinstate" => safeguarding::set_suspended(s, c, &who, &path_id(&id)?, false).map(drop),
        "approve" => safeguarding::approve(s, c, &who, &path_id(&id)?).map(drop),
        "dismiss" | "uphold" => {
            let outcome = if action == "dismiss" {
                "dismissed"
            } else {
                "upheld"
            };
            safeguarding::review_report(
                s,
                c,
                &who,
                &path_id(&id)?,
                serde_json::json!({ "outcome": outcome }),
            )
            .map(drop)
        }
        _ => Err(AppError::NotFound),
    })
    .await;
    match result {
        Ok(()) => see_other(&format!("{back}?notice=done")),
        Err(AppError::NotFound) => super::not_found(&req),
        Err(AppError::Conflict { .. }) => see_other(&format!("{back}?notice=refused")),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

/// "Suggest assignments": the whole waiting queue against the open offers,
/// to review, then send in one action.
pub async fn suggest(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    if let Err(res) = coordinator(&state, &req).await {
        return res;
    }
    match run(&state, |s, c| {
        crate::service::assignment::suggest(s, c, 10.0)
    })
    .await
    {
        Ok(v) => render(&state, &req, StatusCode::OK, |t| {
            crate::views::coord::suggestions(&ctx(&req), &v, t)
        }),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

pub async fn send_suggestions(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let fields = form.into_inner();
    let values: crate::views::host::Values = fields.iter().cloned().collect();
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    let pairs: Vec<(String, String)> = fields
        .into_iter()
        .filter(|(k, _)| k == "pair")
        .filter_map(|(_, v)| v.split_once(':').map(|(r, o)| (r.to_owned(), o.to_owned())))
        .take(2000)
        .collect();
    match run(&state, move |s, c| {
        crate::service::assignment::send(s, c, &who, pairs)
    })
    .await
    {
        Ok(sent) => {
            let n = sent.iter().filter(|x| x.match_id.is_some()).count();
            see_other(&format!("/coord?notice=sent&n={n}"))
        }
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

/// `/coord/map.svg`: supply and demand, drawn on the server.
pub async fn map_svg(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    if let Err(res) = coordinator(&state, &req).await {
        return res;
    }
    let l = ctx(&req).lang;
    let tr = |k| crate::i18n::tr(l, k);
    let text = crate::service::oversight::MapText {
        title: tr("coord-map"),
        places: tr("coord-places_free"),
        people: tr("coord-people_waiting"),
    };
    match run(&state, crate::service::oversight::squares).await {
        Ok(sq) => HttpResponse::Ok()
            .insert_header(("Content-Type", "image/svg+xml; charset=utf-8"))
            .body(crate::service::oversight::svg(&sq, &text)),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

/// Exports from the console (personal data only with `?personal=1`).
pub async fn export(
    state: Data<AppState>,
    req: HttpRequest,
    kind: actix_web::web::Path<String>,
    q: Query<HashMap<String, String>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let personal = q.get("personal").is_some_and(|v| v == "1");
    let excel = q.get("excel").is_some_and(|v| v == "1");
    let kind = kind.into_inner();
    let file = crate::service::exports::file_name(&kind, excel);
    match run(&state, move |s, c| {
        crate::service::exports::render(s, c, &who, &kind, personal, excel)
    })
    .await
    {
        Ok((body, content_type)) => HttpResponse::Ok()
            .insert_header(("Content-Type", content_type))
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{file}\""),
            ))
            .body(body),
        Err(AppError::NotFound) => super::not_found(&req),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}
