//! Proposing: a guest's ask, a host's offer to a request, or the platform's
//! ask on a guest's behalf. A proposal holds the party's places until it
//! expires; a request may have at most `MAX_LIVE_PROPOSALS` at once.

use super::{check_safeguarding, effective, view};
use crate::db::models::MatchRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{MatchId, OfferId, RequestId};
use crate::domain::matching::{Side, Status};
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::domain::values::Accommodates;
use crate::error::{AppError, AppResult, is_unique_violation};
use crate::service::views::MatchView;
use crate::service::{audit, holds, offers, requests};
use crate::state::AppState;
use serde_json::json;

/// Live proposals a request may have at once.
pub const MAX_LIVE_PROPOSALS: usize = 3;

/// Creates a proposal that holds the party's places until it expires.
pub fn propose(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
    offer_id: &OfferId,
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
    request_id: &RequestId,
    offer_id: &OfferId,
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
    request_id: &RequestId,
    offer_id: &OfferId,
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
        if !offers_needs.meets(&requests::needs_of(&req)) {
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
        let free = offers::remaining(c, &offer, now)?;
        let policy = holds::policy_for_request(state, c, &req.id)?;
        let seen = holds::host_seen_at(state, &offer);
        if free < req.party_size {
            return Err(AppError::conflict(
                "no_places",
                format!("this offer no longer has {} free places", req.party_size),
            ));
        }
        let m = MatchRow {
            id: MatchId::generate(),
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
