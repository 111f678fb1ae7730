//! Guests' requests: no account, a private link (access token) per request.

use super::REQUEST_TOKEN_PREFIX;
use super::matches::{release_request, views_for_request};
use super::views::{CandidateView, RequestView};
use crate::db::models::RequestRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{OfferId, RequestId, Secret};
use crate::domain::matching::Status;
use crate::domain::privacy::GuestKey;
use crate::domain::ranking::Query;
use crate::domain::states::RequestStatus;
use crate::domain::values::{Email, Languages, Needs, Text};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 50;
pub const DEFAULT_RADIUS_KM: f64 = 10.0;
pub const MAX_RADIUS_KM: f64 = 50.0;

pub use crate::domain::commands::{NewRequest, RequestDetails};

pub fn create(state: &AppState, conn: &mut DbConn, new: NewRequest) -> AppResult<RequestView> {
    let now = state.now();
    let id = RequestId::generate();
    let token = Secret::generate(REQUEST_TOKEN_PREFIX);
    let key = match (&new.email, &new.phone) {
        (Some(e), _) => GuestKey::Email(e.as_str()),
        (None, Some(p)) => GuestKey::Phone(p.as_str()),
        (None, None) => GuestKey::Request(id.as_str()),
    };
    let cell = state.grid.publish_guest(new.point, key);
    let row = RequestRow {
        id: id.clone(),
        access_token_hash: token.hash(),
        token_expires_at: now + i64::from(state.config.request_ttl_days) * 86_400_000,
        status: RequestStatus::Waiting,
        lat: new.point.lat(),
        lon: new.point.lon(),
        cell: cell.id,
        cell_lat: cell.lat,
        cell_lon: cell.lon,
        party_size: new.party_size.get(),
        name: new.name.into_inner(),
        contact_phone: new.phone.map(|p| p.as_str().to_owned()),
        contact_email: new.email.map(|e| e.as_str().to_owned()),
        need_accessible: new.needs.accessible,
        need_pets: new.needs.pets,
        need_children: new.needs.children,
        need_women_only: new.needs.women_only,
        languages: new.languages.to_db(),
        notes: new.notes.map(Text::into_inner),
        created_at: now,
        updated_at: now,
        auto_ask: new.auto_ask,
    };
    state.write_tx(conn, |c| {
        db::requests::insert(c, &row)?;
        super::incidents::place(
            state,
            c,
            super::incidents::Placed::Request(&row.id),
            row.lat,
            row.lon,
        )?;
        if let Some(n) = &new.findable_name {
            super::findable::set(c, &row.id, n.as_str())?;
        }
        super::audit::record(
            c,
            now,
            &super::audit::guest(&row.id),
            "request.create",
            &row.id,
            serde_json::Value::Null,
        )?;
        db::requests::set_mail_prefs(
            c,
            &row.id,
            new.lang.code(),
            new.trusted_email.as_ref().map(Email::as_str),
        )?;
        crate::mail::events::request_created(state, c, &row, token.expose())
    })?;
    state.live.touch_coordinators();
    // the request is saved: asking hosts for the guest must not lose it
    let matches = if row.auto_ask
        && super::auto_ask::after_loss(state, conn, std::slice::from_ref(&row.id)) > 0
    {
        views_for_request(state, conn, &row.id).unwrap_or_default()
    } else {
        vec![]
    };
    Ok(RequestView::of(
        &row,
        Some(token.expose().to_owned()),
        matches,
    ))
}

/// Adds what the guest did not give at first (needs, languages, notes, a
/// trusted contact, being findable) to a live request; a request that was
/// cancelled or ended is left as it is (409 `request_closed`).
pub fn add_details(
    state: &AppState,
    conn: &mut DbConn,
    req: &RequestRow,
    d: RequestDetails,
) -> AppResult<RequestView> {
    let now = state.now();
    state.write_tx(conn, |c| {
        let r = db::requests::get(c, &req.id)?.ok_or(AppError::NotFound)?;
        if matches!(r.status, RequestStatus::Cancelled | RequestStatus::Arrived) {
            return Err(AppError::conflict(
                "request_closed",
                "this request has ended; its details can no longer change",
            ));
        }
        let needs = d
            .needs
            .map(|n| (n.accessible, n.pets, n.children, n.women_only));
        db::requests::set_details(
            c,
            &r.id,
            &db::requests::Details {
                needs,
                languages: d.languages.as_ref().map(Languages::to_db),
                notes: d.notes.as_ref().map(|n| n.as_ref().map(Text::as_str)),
                trusted_email: d.trusted_email.as_ref().map(Email::as_str),
            },
            now,
        )?;
        if let Some(n) = &d.findable_name {
            super::findable::set(c, &r.id, n.as_str())?;
        }
        super::audit::record(
            c,
            now,
            &super::audit::guest(&r.id),
            "request.details",
            &r.id,
            serde_json::Value::Null,
        )
    })?;
    state.live.touch_request(&req.id);
    state.live.touch_coordinators();
    // hosts with a live match see the new needs on their dashboard
    for m in db::matches::for_request(conn, &req.id)? {
        if matches!(m.status, Status::Proposed | Status::Accepted) {
            if let Some(o) = db::offers::get(conn, &m.offer_id)? {
                state.live.touch_host(&o.host_id);
            }
        }
    }
    let row = db::requests::get(conn, &req.id)?.ok_or(AppError::NotFound)?;
    get(state, conn, &row)
}

pub fn get(state: &AppState, conn: &mut DbConn, req: &RequestRow) -> AppResult<RequestView> {
    let matches = views_for_request(state, conn, &req.id)?;
    Ok(RequestView::of(req, None, matches))
}

/// Validates `limit` and `radius_km` from a query string.
pub fn search_params(limit: Option<&str>, radius_km: Option<&str>) -> AppResult<(usize, f64)> {
    let mut errors = Vec::new();
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                errors.push((
                    "limit",
                    format!("must be a whole number from 1 to {MAX_LIMIT}"),
                ));
                DEFAULT_LIMIT
            }
        },
    };
    let radius = match radius_km {
        None => DEFAULT_RADIUS_KM,
        Some(s) => match s.parse::<f64>() {
            Ok(r) if r.is_finite() && (0.1..=MAX_RADIUS_KM).contains(&r) => r,
            _ => {
                errors.push((
                    "radius_km",
                    format!("must be a number from 0.1 to {MAX_RADIUS_KM}"),
                ));
                DEFAULT_RADIUS_KM
            }
        },
    };
    if errors.is_empty() {
        Ok((limit, radius))
    } else {
        Err(AppError::Validation(
            crate::domain::input::ValidationErrors(
                errors
                    .into_iter()
                    .map(|(f, m)| crate::domain::input::FieldError {
                        field: f.into(),
                        message: m,
                    })
                    .collect(),
            ),
        ))
    }
}

pub fn needs_of(r: &RequestRow) -> Needs {
    Needs {
        accessible: r.need_accessible,
        pets: r.need_pets,
        children: r.need_children,
        women_only: r.need_women_only,
    }
}

/// Ranked open doors for a waiting request, without the offers it has
/// already asked or that turned it down.
pub fn candidates(
    state: &AppState,
    conn: &mut DbConn,
    req: &RequestRow,
    limit: usize,
    radius_km: f64,
) -> AppResult<Vec<CandidateView>> {
    search_for(state, conn, req, limit, radius_km, CandidateView::of)
}

/// The next open doors a mail lists for a guest whose ask failed: at most
/// three within 10 km, and none unless the request still waits.
pub fn next_doors(
    state: &AppState,
    conn: &mut DbConn,
    req: &RequestRow,
) -> AppResult<Vec<crate::mail::events::NextDoor>> {
    if req.status != RequestStatus::Waiting {
        return Ok(vec![]);
    }
    Ok(candidates(state, conn, req, 3, 10.0)?
        .into_iter()
        .map(|n| crate::mail::events::NextDoor {
            band: n.distance.band.to_owned(),
            area: n.area.label.unwrap_or(n.area.cell),
            remaining: n.remaining,
        })
        .collect())
}

/// The offers a waiting request may ask, best first, mapped by `f`: the
/// ranking's filters (open, places, needs, safeguarding, radius), minus the
/// offers it already has a live match with and the hosts it blocked.
pub fn search_for<T>(
    state: &AppState,
    conn: &mut DbConn,
    req: &RequestRow,
    limit: usize,
    radius_km: f64,
    f: impl Fn(&crate::domain::ranking::Ranked<'_>) -> T,
) -> AppResult<Vec<T>> {
    let known = search_needs(state, conn, req.clone())?;
    search_known(state, &known, limit, radius_km, f)
}

/// What a search reads about its request (nothing more when the request
/// no longer waits: [`search_known`] refuses it).
pub fn search_needs(
    state: &AppState,
    conn: &mut DbConn,
    request: RequestRow,
) -> AppResult<super::search_memo::Known> {
    if request.status != RequestStatus::Waiting {
        return Ok(super::search_memo::Known {
            request,
            seen: vec![],
            blocked: vec![],
            rules: state.config.rules(),
        });
    }
    let blocked = db::safeguarding::blocked_hosts(conn, &request.id)?;
    // offers already asked: live, declined, or left to run out (those do
    // not come back to the top of the same guest's list); a withdrawn ask
    // may be made again
    let seen: Vec<OfferId> = db::matches::for_request(conn, &request.id)?
        .into_iter()
        .filter(|m| m.status != Status::Cancelled)
        .map(|m| m.offer_id)
        .collect();
    let rules = super::incidents::rules_for_request(state, conn, &request.id)?;
    Ok(super::search_memo::Known {
        request,
        seen,
        blocked,
        rules,
    })
}

/// [`search_for`] from what is known of the request (read just now, or
/// remembered: `service::search_memo`).
pub fn search_known<T>(
    state: &AppState,
    known: &super::search_memo::Known,
    limit: usize,
    radius_km: f64,
    f: impl Fn(&crate::domain::ranking::Ranked<'_>) -> T,
) -> AppResult<Vec<T>> {
    let req = &known.request;
    if req.status != RequestStatus::Waiting {
        return Err(AppError::conflict(
            "request_not_waiting",
            format!("this request is {}", req.status),
        ));
    }
    let langs = Languages::from_db(&req.languages);
    let q = Query {
        rules: known.rules,
        request_id: &req.id,
        lat: req.lat,
        lon: req.lon,
        party_size: req.party_size,
        needs: needs_of(req),
        languages: &langs,
        radius_m: radius_km * 1000.0,
        limit,
        now: state.now(),
    };
    // left out before ranking, so the best `limit` of the others come back
    Ok(state.index.search_excluding(
        &q,
        |offer, host| {
            known.seen.iter().any(|s| s == offer) || known.blocked.iter().any(|h| h == host)
        },
        f,
    ))
}

pub fn cancel(state: &AppState, conn: &mut DbConn, req: &RequestRow) -> AppResult<RequestView> {
    let offers = release_request(state, conn, &req.id)?;
    state.refresh_offers(conn, &offers)?;
    state.live.touch_request(&req.id);
    let row = db::requests::get(conn, &req.id)?.ok_or(AppError::NotFound)?;
    get(state, conn, &row)
}
