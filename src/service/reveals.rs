//! Matches as each side may see them, and the one record of their reveal.
//!
//! Reading a match writes nothing: contacts enter a view when the match is
//! accepted (or arrived) and, after a host's first acceptance, approved by a
//! coordinator. That moment is recorded once, inside the write transaction
//! that reaches it (`record`): a `reveals` row for each party, whose contacts
//! were then shown to the other, and one audit entry.

use super::audit;
use super::views::MatchView;
use crate::db::matches::MatchContext;
use crate::db::models::{MatchRow, RevealRow};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, MatchId, OfferId, RequestId};
use crate::domain::matching::Side;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;

/// Records, inside the caller's write transaction, that the contacts of `m`
/// are now revealed to both parties: one `reveals` row per party (a side
/// already recorded is left alone) and one `contact.reveal` audit entry by
/// `actor` (the party whose yes completed the match, or the approving
/// coordinator). Returns whether anything was recorded.
pub fn record(
    c: &mut DbConn,
    now: i64,
    m: &MatchRow,
    host_id: &AccountId,
    actor: &str,
) -> AppResult<bool> {
    let done: Vec<Side> = db::matches::reveals_for(c, &m.id)?
        .into_iter()
        .map(|r| r.viewer_side)
        .collect();
    let mut sides = Vec::new();
    for (side, account) in [(Side::Guest, None), (Side::Host, Some(host_id.to_owned()))] {
        if done.contains(&side) {
            continue;
        }
        db::matches::record_reveal(
            c,
            &RevealRow {
                id: MatchId::generate().to_string().replacen("mat_", "rev_", 1),
                match_id: m.id.clone(),
                viewer_side: side,
                viewer_account_id: account,
                created_at: now,
            },
        )?;
        sides.push(side.as_str());
    }
    if sides.is_empty() {
        return Ok(false);
    }
    audit::record(
        c,
        now,
        actor,
        "contact.reveal",
        &m.id,
        json!({ "to": sides }),
    )?;
    Ok(true)
}

/// The view of a match read with its context; contacts only once accepted
/// and, where a coordinator reviews a host's first acceptance, approved.
pub fn build(ctx: &MatchContext, now: i64) -> MatchView {
    let status = super::matches::effective(&ctx.m, now);
    let awaiting_review = ctx.review_required_at.is_some() && ctx.approved_at.is_none();
    let reveal = status.is_accepted() && !awaiting_review;
    let mut v = MatchView::build(&ctx.m, status, &ctx.offer, &ctx.host_name, &ctx.req, reveal);
    v.awaiting_review = awaiting_review && status.is_accepted();
    v
}

/// The match as its parties and coordinators may see it (a pure read).
pub fn view(state: &AppState, conn: &mut DbConn, m: &MatchRow) -> AppResult<MatchView> {
    let ctx = db::matches::context(conn, &m.id)?.ok_or(AppError::NotFound)?;
    Ok(build(&ctx, state.now()))
}

/// Every match of a request, newest first, in one query.
pub fn views_for_request(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
) -> AppResult<Vec<MatchView>> {
    let now = state.now();
    Ok(db::matches::contexts_for_request(conn, request_id)?
        .iter()
        .map(|x| build(x, now))
        .collect())
}

/// Every match of an offer, newest first, in one query.
pub fn views_for_offer(
    state: &AppState,
    conn: &mut DbConn,
    offer_id: &OfferId,
) -> AppResult<Vec<MatchView>> {
    let now = state.now();
    Ok(db::matches::contexts_for_offer(conn, offer_id)?
        .iter()
        .map(|x| build(x, now))
        .collect())
}

/// Every match on a host's offers, newest first, in one query (the
/// dashboard groups them by `offer_id`).
pub fn views_for_host(
    state: &AppState,
    conn: &mut DbConn,
    host_id: &AccountId,
) -> AppResult<Vec<MatchView>> {
    let now = state.now();
    Ok(db::matches::contexts_for_host(conn, host_id)?
        .iter()
        .map(|x| build(x, now))
        .collect())
}
