//! Proposals, consent and holds: the heart of the product's promises.
//!
//! Capacity: every transaction that takes or frees places locks the request
//! first, then the offers involved in id order (`db::*::lock`), so on
//! PostgreSQL two proposals on one offer serialise and no two transactions
//! wait on each other in a cycle; on SQLite `BEGIN IMMEDIATE` serialises
//! writers. Inside the lock the places are recounted from the database.
//!
//! Consent: contacts enter a view only when the match is accepted or
//! arrived, which the state machine allows only with both consents; the
//! reveal is recorded once, in the transaction that accepts (`reveals`).

use super::audit;
pub use super::reveals::{view, views_for_host, views_for_offer, views_for_request};
use super::views::MatchView;
use crate::db::models::{MatchRow, OfferRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, MatchId};
use crate::domain::matching::{Effect, MatchError, MatchState, Side, Status};
use crate::domain::responsiveness::PauseReason;
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::domain::values::Accommodates;
use crate::error::{AppError, AppResult, is_check_violation, is_unique_violation};
use crate::state::AppState;
use serde_json::{Value, json};

/// Live proposals a request may have at once.
pub const MAX_LIVE_PROPOSALS: usize = 3;

pub(crate) fn effective(m: &MatchRow, now: i64) -> Status {
    state_of(m).effective_status(now)
}

fn state_of(m: &MatchRow) -> MatchState {
    MatchState {
        status: m.status,
        guest_consent: m.guest_consent_at.is_some(),
        host_consent: m.host_consent_at.is_some(),
        expires_at: m.expires_at,
    }
}

fn lock_offers(c: &mut DbConn, mut ids: Vec<String>, now: i64) -> AppResult<Vec<OfferRow>> {
    ids.sort();
    ids.dedup();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(db::offers::lock(c, &id, now)?.ok_or(AppError::NotFound)?);
    }
    Ok(out)
}

/// Creates a proposal that holds the party's places until it expires.
pub fn propose(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &str,
    offer_id: &str,
    by: Side,
    actor: &str,
) -> AppResult<MatchView> {
    let row = insert_proposal(state, conn, request_id, offer_id, by, actor, false)?;
    view(state, conn, &row)
}

/// A proposal the platform makes for a guest who allowed it (the matcher
/// after a failed ask, or coordinators' automatic matching): it holds the
/// places like any ask, and needs both the host's and the guest's yes.
pub fn propose_on_behalf(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &str,
    offer_id: &str,
) -> AppResult<MatchRow> {
    insert_proposal(
        state,
        conn,
        request_id,
        offer_id,
        Side::Coordinator,
        audit::SYSTEM,
        true,
    )
}

fn insert_proposal(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &str,
    offer_id: &str,
    by: Side,
    actor: &str,
    on_behalf: bool,
) -> AppResult<MatchRow> {
    let now = state.now();
    let row = state.write_tx(conn, |c| {
        let req = db::requests::lock(c, request_id, now)?.ok_or(AppError::NotFound)?;
        if on_behalf && !req.auto_ask {
            return Err(AppError::conflict(
                "auto_ask_off",
                "this guest did not allow the platform to ask hosts for them",
            ));
        }
        if req.status != RequestStatus::Waiting {
            return Err(AppError::conflict(
                "request_not_waiting",
                format!("the request is {}", req.status),
            ));
        }
        let offer = db::offers::lock(c, offer_id, now)?.ok_or(AppError::NotFound)?;
        if db::safeguarding::blocked_hosts(c, &req.id)?.contains(&offer.host_id) {
            return Err(AppError::NotFound);
        }
        if offer.status != OfferStatus::Open
            || offer.hidden
            || offer.host_suspended
            || !(offer.available_from <= now && now < offer.available_until)
        {
            return Err(AppError::conflict(
                "offer_not_available",
                "this offer is not open now",
            ));
        }
        let offers_needs = Accommodates {
            accessible: offer.accessible,
            pets_ok: offer.pets_ok,
            children_ok: offer.children_ok,
            women_only: offer.women_only,
        };
        if !offers_needs.meets(&super::requests::needs_of(&req)) {
            return Err(AppError::conflict(
                "needs_not_met",
                "this offer does not meet the party's needs",
            ));
        }
        check_safeguarding(state, c, &offer, &req)?;
        db::matches::expire_pair(c, &req.id, &offer.id, now)?;
        let mine = db::matches::for_request(c, &req.id)?;
        if mine.iter().any(|m| {
            m.offer_id == offer.id
                && matches!(
                    effective(m, now),
                    Status::Proposed | Status::Accepted | Status::Arrived
                )
        }) {
            return Err(AppError::conflict(
                "already_proposed",
                "this request and this offer already have a live match",
            ));
        }
        if mine
            .iter()
            .filter(|m| effective(m, now) == Status::Proposed)
            .count()
            >= MAX_LIVE_PROPOSALS
        {
            return Err(AppError::conflict(
                "too_many_proposals",
                format!(
                    "a request can have at most {MAX_LIVE_PROPOSALS} live proposals; cancel one or wait for an answer"
                ),
            ));
        }
        let free = super::offers::remaining(c, &offer, now)?;
        let policy = super::holds::policy_for_request(state, c, &req.id)?;
        let seen = super::holds::host_seen_at(state, &offer);
        if free < req.party_size {
            return Err(AppError::conflict(
                "no_places",
                format!("this offer no longer has {} free places", req.party_size),
            ));
        }
        let m = MatchRow {
            id: MatchId::generate().to_string(),
            request_id: req.id.clone(),
            offer_id: offer.id.clone(),
            party_size: req.party_size,
            status: Status::Proposed,
            proposed_by: by,
            guest_consent_at: (by == Side::Guest).then_some(now),
            host_consent_at: (by == Side::Host).then_some(now),
            expires_at: policy.expires_at(now, seen, by == Side::Host),
            created_at: now,
            updated_at: now,
            accepted_at: None,
            arrived_at: None,
            on_behalf,
            opened_at: None,
        };
        match db::matches::insert(c, &m) {
            Err(e) if is_unique_violation(&e) => Err(AppError::conflict(
                "already_proposed",
                "this request and this offer already have a live match",
            )),
            r => r.map_err(AppError::from),
        }?;
        crate::mail::events::proposed(state, c, &m, &req, &offer, by)?;
        audit::record(
            c,
            now,
            actor,
            "match.propose",
            &m.id,
            json!({ "by": by.as_str(), "on_behalf": on_behalf }),
        )?;
        Ok(m)
    })?;
    state.refresh_offers(conn, std::slice::from_ref(&row.offer_id))?;
    state.live.touch_request(&row.request_id);
    Ok(row)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Decline,
    Cancel,
    Arrive,
}

/// Applies an action by one side, with every consequence in one transaction.
pub fn act(
    state: &AppState,
    conn: &mut DbConn,
    match_id: &str,
    side: Side,
    account: Option<AccountId>,
    action: Action,
) -> AppResult<MatchView> {
    let now = state.now();
    let (m, touched, lost) = state.write_tx(conn, |c| {
        let request_id = db::matches::get(c, match_id)?
            .ok_or(AppError::NotFound)?
            .request_id;
        let req = db::requests::lock(c, &request_id, now)?.ok_or(AppError::NotFound)?;
        // read again under the request's lock: on PostgreSQL a concurrent
        // action may have committed while this one waited, and a duplicate
        // acceptance must see it (idempotent, as on SQLite), not a stale row
        let mut m = db::matches::get(c, match_id)?.ok_or(AppError::NotFound)?;
        let siblings: Vec<MatchRow> = db::matches::for_request(c, &req.id)?
            .into_iter()
            .filter(|s| s.id != m.id && effective(s, now) == Status::Proposed)
            .collect();
        let mut offer_ids: Vec<String> = vec![m.offer_id.clone()];
        if action == Action::Accept {
            offer_ids.extend(siblings.iter().map(|s| s.offer_id.clone()));
        }
        lock_offers(c, offer_ids.clone(), now)?;
        let was_guest_request = m.guest_consent_at.is_some() && m.host_consent_at.is_none();
        let host_answers = side == Side::Host
            && m.host_consent_at.is_none()
            && matches!(action, Action::Accept | Action::Decline);
        let mut st = state_of(&m);
        let effect = match action {
            Action::Accept => st.accept(side, now),
            Action::Decline => st.decline(side, now),
            Action::Cancel => st.cancel(now),
            Action::Arrive => st.arrive(now),
        }
        .map_err(|e| dead_answer(state, e, &m, &req))?;
        let policy = super::holds::policy_for_request(state, c, &req.id)?;
        if effect == Effect::Consented && side == Side::Host && m.guest_consent_at.is_none() {
            // the host said yes to a proposal the guest has not seen yet:
            // keep the places long enough for the guest to answer
            m.expires_at = m.expires_at.max(now + policy.extend.max(5 * 60_000));
        }
        if action == Action::Accept {
            if side == Side::Guest && m.guest_consent_at.is_none() {
                m.guest_consent_at = Some(now);
            }
            if side == Side::Host && m.host_consent_at.is_none() {
                m.host_consent_at = Some(now);
            }
        }
        match effect {
            Effect::Accepted => {
                let offer = db::offers::get(c, &m.offer_id)?.ok_or(AppError::NotFound)?;
                if offer.hidden || offer.host_suspended {
                    return Err(AppError::conflict(
                        "offer_not_available",
                        "this offer is not open now",
                    ));
                }
                check_safeguarding(state, c, &offer, &req)?;
                if req.status != RequestStatus::Waiting {
                    return Err(AppError::conflict(
                        "request_not_waiting",
                        format!("the request is {}", req.status),
                    ));
                }
                match db::offers::add_accepted(c, &m.offer_id, m.party_size) {
                    Err(e) if is_check_violation(&e) => {
                        return Err(AppError::conflict(
                            "no_places",
                            "the offer no longer has the places",
                        ));
                    }
                    r => r?,
                };
                m.accepted_at = Some(now);
                db::requests::set_status(c, &req.id, RequestStatus::Matched, now)?;
                for mut s in siblings {
                    s.status = Status::Cancelled;
                    s.updated_at = now;
                    db::matches::save(c, &s)?;
                }
            }
            Effect::PlacesReleased => {
                db::offers::add_accepted(c, &m.offer_id, -m.party_size)?;
                if req.status == RequestStatus::Matched {
                    db::requests::set_status(c, &req.id, RequestStatus::Waiting, now)?;
                }
            }
            Effect::Arrived => {
                if m.arrived_at.is_none() {
                    m.arrived_at = Some(now);
                }
                db::requests::set_status(c, &req.id, RequestStatus::Arrived, now)?;
            }
            Effect::Consented | Effect::HoldReleased => {}
        }
        m.status = st.status;
        m.updated_at = now;
        db::matches::save(c, &m)?;
        let mut lost = Vec::new();
        if host_answers {
            let o = db::offers::get(c, &m.offer_id)?.ok_or(AppError::NotFound)?;
            let rec =
                crate::index::host_record(&o).answered(action == Action::Accept, m.created_at, now);
            db::offers::record_answer(c, &o.id, &rec, now)?;
            if action == Action::Decline && policy.pauses_after(&rec) {
                lost = super::holds::pause_offer(state, c, &o.id, PauseReason::Declines, now)?;
            }
        }
        if action == Action::Decline {
            lost.push(req.id.clone());
        }
        // the mails, in the same transaction as the change they announce
        let offer = db::offers::get(c, &m.offer_id)?.ok_or(AppError::NotFound)?;
        let req = db::requests::get(c, &req.id)?.ok_or(AppError::NotFound)?;
        let actor = match &account {
            Some(a) => a.to_string(),
            None => audit::guest(&req.id),
        };
        let verb = match action {
            Action::Accept => "match.accept",
            Action::Decline => "match.decline",
            Action::Cancel => "match.cancel",
            Action::Arrive => "match.arrive",
        };
        audit::record(c, now, &actor, verb, &m.id, json!({ "status": m.status }))?;
        let review = effect == Effect::Accepted
            && super::incidents::rules_for_request(state, c, &req.id)?.first_acceptance_review
            && !db::safeguarding::host_has_accepted_before(c, &offer.host_id, &m.id)?;
        if review {
            db::safeguarding::require_review(c, &m.id, now)?;
        } else if effect == Effect::Accepted {
            super::reveals::record(c, now, &m, &offer.host_id, &actor)?;
        }
        match effect {
            Effect::Accepted if review => {
                crate::mail::events::review_needed(state, c, &m, &req, &offer)?
            }
            Effect::Accepted => crate::mail::events::accepted(state, c, &req, &offer)?,
            Effect::Arrived => crate::mail::events::arrived(state, c, &req, &offer)?,
            Effect::HoldReleased
                if action == Action::Decline && side == Side::Host && was_guest_request =>
            {
                crate::mail::events::refused(state, c, &req, false)?
            }
            _ => {}
        }
        Ok((m, offer_ids, lost))
    })?;
    state.refresh_offers(conn, &touched)?;
    state.live.touch_request(&m.request_id);
    super::auto_ask::after_loss(state, conn, &lost);
    view(state, conn, &m)
}

/// A refused answer, said plainly: most often the proposal died while the
/// host was deciding (the guest found a place, cancelled, or the time ran out).
fn dead_answer(state: &AppState, e: MatchError, m: &MatchRow, req: &RequestRow) -> AppError {
    let detail = match e {
        MatchError::WrongState(Status::Cancelled)
            if matches!(req.status, RequestStatus::Matched | RequestStatus::Arrived) =>
        {
            "the guest has already found a place elsewhere: there is nothing more to do".to_owned()
        }
        MatchError::WrongState(Status::Cancelled) if req.status == RequestStatus::Cancelled => {
            "the guest no longer needs a place: there is nothing more to do".to_owned()
        }
        MatchError::WrongState(Status::Cancelled) => {
            "this proposal was withdrawn: there is nothing more to do".to_owned()
        }
        MatchError::Expired => format!(
            "this proposal ran out at {} and the places are free again",
            chrono::DateTime::from_timestamp_millis(m.expires_at)
                .map(|t| t.with_timezone(&state.tz).format("%H:%M").to_string())
                .unwrap_or_default()
        ),
        other => return other.into(),
    };
    AppError::Conflict {
        code: e.code(),
        detail,
    }
}

/// The platform withdraws a pending ask (to make room for a better one, for
/// a guest who allowed it), freeing its hold.
pub fn withdraw(state: &AppState, conn: &mut DbConn, match_id: &str) -> AppResult<()> {
    let now = state.now();
    let offer = state.write_tx(conn, |c| {
        let mut m = db::matches::get(c, match_id)?.ok_or(AppError::NotFound)?;
        db::requests::lock(c, &m.request_id, now)?.ok_or(AppError::NotFound)?;
        lock_offers(c, vec![m.offer_id.clone()], now)?;
        let mut st = state_of(&m);
        if st.effective_status(now) != Status::Proposed || m.host_consent_at.is_some() {
            return Err(AppError::conflict(
                "match_state",
                "only a pending ask the host has not answered can be withdrawn",
            ));
        }
        st.cancel(now)?;
        m.status = st.status;
        m.updated_at = now;
        db::matches::save(c, &m)?;
        audit::record(c, now, audit::SYSTEM, "match.withdraw", &m.id, Value::Null)?;
        Ok::<_, AppError>((m.offer_id, m.request_id))
    })?;
    state.live.touch_request(&offer.1);
    state.refresh_offers(conn, &[offer.0])
}

/// Cancels a request and every live match of it, freeing holds and places.
/// Returns the offers touched.
pub fn release_request(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &str,
) -> AppResult<Vec<String>> {
    let now = state.now();
    state.write_tx(conn, |c| {
        let req = db::requests::lock(c, request_id, now)?.ok_or(AppError::NotFound)?;
        if req.status == RequestStatus::Cancelled {
            return Ok(vec![]);
        }
        if req.status == RequestStatus::Arrived {
            return Err(AppError::conflict(
                "request_arrived",
                "this request has already arrived safely",
            ));
        }
        let live: Vec<MatchRow> = db::matches::for_request(c, &req.id)?
            .into_iter()
            .filter(|m| matches!(effective(m, now), Status::Proposed | Status::Accepted))
            .collect();
        let ids: Vec<String> = live.iter().map(|m| m.offer_id.clone()).collect();
        lock_offers(c, ids.clone(), now)?;
        for mut m in live {
            if effective(&m, now) == Status::Accepted {
                db::offers::add_accepted(c, &m.offer_id, -m.party_size)?;
            }
            m.status = Status::Cancelled;
            m.updated_at = now;
            db::matches::save(c, &m)?;
        }
        db::requests::set_status(c, &req.id, RequestStatus::Cancelled, now)?;
        audit::record(
            c,
            now,
            &audit::guest(&req.id),
            "request.cancel",
            &req.id,
            Value::Null,
        )?;
        Ok(ids)
    })
}

/// The safeguarding rules between an offer and a party: some meet only
/// hosts whose identity a coordinator has seen.
fn check_safeguarding(
    state: &AppState,
    c: &mut DbConn,
    offer: &OfferRow,
    req: &RequestRow,
) -> AppResult<()> {
    let needs = super::requests::needs_of(req);
    if super::incidents::rules_for_request(state, c, &req.id)?.allows(
        offer.women_only,
        offer.host_verified,
        &needs,
    ) {
        Ok(())
    } else {
        Err(AppError::conflict(
            "verified_host_required",
            "this party can only be matched with a host verified by a coordinator",
        ))
    }
}

/// The `status` filter of a list of matches (`proposed` lists the live
/// proposals only).
pub fn status_filter(s: Option<&str>) -> AppResult<Option<Status>> {
    match s {
        None => Ok(None),
        Some(x) => Status::parse(x).map(Some).ok_or_else(|| {
            AppError::invalid(
                "status",
                "must be one of proposed, accepted, declined, expired, cancelled, arrived",
            )
        }),
    }
}

/// "I feel unsafe": only the guest of an accepted (or arrived) match may
/// raise it; coordinators are told at once; the host sees nothing. Raising
/// it twice is harmless (one alert).
pub fn flag_unsafe(
    state: &AppState,
    conn: &mut DbConn,
    access: &super::MatchAccess,
) -> AppResult<()> {
    if access.side != Side::Guest {
        return Err(AppError::NotFound);
    }
    let now = state.now();
    let id = access.row.id.clone();
    let flagged = state.write_tx(conn, |c| {
        let m = db::matches::get(c, &id)?.ok_or(AppError::NotFound)?;
        if !matches!(effective(&m, now), Status::Accepted | Status::Arrived) {
            return Err(AppError::conflict(
                "match_state",
                "only an accepted match can be flagged",
            ));
        }
        if db::matches::set_unsafe(c, &m.id, now)? {
            audit::record(
                c,
                now,
                &audit::guest(&m.request_id),
                "match.unsafe",
                &m.id,
                Value::Null,
            )?;
            let req = db::requests::get(c, &m.request_id)?.ok_or(AppError::NotFound)?;
            let offer = db::offers::get(c, &m.offer_id)?.ok_or(AppError::NotFound)?;
            crate::mail::events::to_coordinators(state, c, &m, &req, &offer, true)?;
        }
        Ok(())
    });
    state.live.touch_coordinators();
    flagged
}
