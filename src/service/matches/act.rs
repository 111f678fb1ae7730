//! Acting on a match: accept, decline, cancel or arrive, by one side. Each
//! action runs the state machine (`domain::matching`) and carries out its
//! effects — places taken or freed, the request's status, sibling
//! proposals cancelled, the host's answer record, the review or the reveal,
//! the audit entry and the mails — in one transaction.

use super::{check_safeguarding, effective, lock_offers, state_of, view};
use crate::db::models::{MatchRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, MatchId, OfferId};
use crate::domain::matching::{Effect, MatchError, Side, Status};
use crate::domain::responsiveness::PauseReason;
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::error::{AppError, AppResult, is_check_violation};
use crate::service::views::MatchView;
use crate::service::{audit, auto_ask, holds, incidents, reveals};
use crate::state::AppState;
use serde_json::json;

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
    match_id: &MatchId,
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
        let first = db::matches::get(c, match_id)?.ok_or(AppError::NotFound)?;
        let siblings: Vec<MatchRow> = db::matches::for_request(c, &req.id)?
            .into_iter()
            .filter(|s| s.id != first.id && effective(s, now) == Status::Proposed)
            .collect();
        let mut offer_ids: Vec<OfferId> = vec![first.offer_id.clone()];
        if action == Action::Accept {
            offer_ids.extend(siblings.iter().map(|s| s.offer_id.clone()));
        }
        lock_offers(c, offer_ids.clone(), now)?;
        // and again under the offers' lock: pausing or closing an offer
        // cancels its holds under that lock alone, and that must stand
        let mut m = db::matches::get(c, match_id)?.ok_or(AppError::NotFound)?;
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
        let policy = holds::policy_for_request(state, c, &req.id)?;
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
                if offer.hidden || offer.host_suspended || offer.status == OfferStatus::Closed {
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
                lost = holds::pause_offer(state, c, &o.id, PauseReason::Declines, now)?;
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
            && incidents::rules_for_request(state, c, &req.id)?.first_acceptance_review
            && !db::safeguarding::host_has_accepted_before(c, &offer.host_id, &m.id)?;
        if review {
            db::safeguarding::require_review(c, &m.id, now)?;
        } else if effect == Effect::Accepted {
            reveals::record(c, now, &m, &offer.host_id, &actor)?;
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
                let next = crate::service::requests::next_doors(state, c, &req)?;
                crate::mail::events::refused(state, c, &req, false, &next)?
            }
            _ => {}
        }
        Ok((m, offer_ids, lost))
    })?;
    state.refresh_offers(conn, &touched)?;
    state.live.touch_request(&m.request_id);
    auto_ask::after_loss(state, conn, &lost);
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
