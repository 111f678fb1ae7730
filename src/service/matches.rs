//! Proposals, consent and holds: the heart of the product's promises.
//!
//! Capacity: every transaction that takes places, or frees them for a
//! request (here, and an incident's closing), locks the requests first,
//! then the offers involved in id order (`db::*::lock`), so on PostgreSQL
//! two proposals on one offer serialise and no two such transactions wait
//! on each other in a cycle; on SQLite `BEGIN IMMEDIATE` serialises writers.
//! Inside the lock the places are recounted from the database. (Pausing or
//! closing an offer locks the offer alone and only cancels holds.)
//!
//! Consent: contacts enter a view only when the match is accepted or
//! arrived, which the state machine allows only with both consents; the
//! reveal is recorded once, in the transaction that accepts (`reveals`).
//!
//! The operations, one job a file: proposing (`propose.rs`), acting on a
//! match (`act.rs`), withdrawing an ask and cancelling a request
//! (`release.rs`), and the guest's alert (`alert.rs`); this file holds
//! what they share — the effective status, the offers' lock, the
//! safeguarding check — and the status filter of lists.

mod act;
mod alert;
mod propose;
mod release;

pub use super::reveals::{view, views_for_host, views_for_offer, views_for_request};
use crate::db::models::{MatchRow, OfferRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::ids::OfferId;
use crate::domain::matching::{MatchState, Status};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
pub use act::{Action, act};
pub use alert::flag_unsafe;
pub use propose::{MAX_LIVE_PROPOSALS, propose, propose_on_behalf};
pub use release::{release_request, withdraw};

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

pub(crate) fn lock_offers(
    c: &mut DbConn,
    mut ids: Vec<OfferId>,
    now: i64,
) -> AppResult<Vec<OfferRow>> {
    ids.sort();
    ids.dedup();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(db::offers::lock(c, &id, now)?.ok_or(AppError::NotFound)?);
    }
    Ok(out)
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
