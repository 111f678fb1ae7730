//! Holds that fit the night, and offers that stop wasting guests' time.
//!
//! - How long a proposal holds places depends on whether its host has been
//!   seen lately, and grows (within a cap) once the host is active after it
//!   was made: [`policy_for_request`] reads the incident's settings, else the
//!   deployment's (`domain::responsiveness::HoldPolicy`).
//! - Hosts are "seen" in memory on every authenticated call (no write on a
//!   read); [`flush_seen`] writes them in one batch from the background
//!   thread and extends the holds waiting for them.
//! - A hold that runs out waiting for the host, or several declines in a
//!   row, pause the offer ([`pause_offer`]) until the host says they are
//!   still hosting ([`resume`]); guests who were waiting on it are told and
//!   the matcher asks the next doors for those who allowed it.

use super::{Account, audit, owned_offer};
use crate::db::{self, DbConn};
use crate::domain::ids::{OfferId, RequestId};
use crate::domain::matching::Status;
use crate::domain::responsiveness::{HoldPolicy, PauseReason};
use crate::domain::states::OfferStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;

/// A host's seen time is written at most this often.
pub const SEEN_FLUSH_MS: i64 = 20_000;

/// The holds for a request: its incident's settings, else the deployment's.
pub fn policy_for_request(
    state: &AppState,
    c: &mut DbConn,
    request_id: &RequestId,
) -> AppResult<HoldPolicy> {
    let mut p = state.config.holds();
    let Some(id) = db::incidents::request_incident(c, request_id)? else {
        return Ok(p);
    };
    if let Some(i) = db::incidents::get(c, &id)? {
        let m = |x: i32| i64::from(x) * 60_000;
        if let Some(x) = i.hold_minutes {
            p.base = m(x);
        }
        if let Some(x) = i.hold_unseen_minutes {
            p.unseen = m(x);
        }
        if let Some(x) = i.hold_extend_minutes {
            p.extend = m(x);
        }
        if let Some(x) = i.hold_cap_minutes {
            p.cap = m(x);
        }
        p.unseen = p.unseen.min(p.base);
        p.cap = p.cap.max(p.base);
    }
    Ok(p)
}

/// The optional `holds` object of an incident: `minutes`, `unseen_minutes`,
/// `extend_minutes`, `cap_minutes` (whole minutes; unset keeps the
/// deployment's setting).
pub fn parse_settings(f: &mut crate::domain::input::Fields) -> [Option<i32>; 4] {
    const KEYS: [(&str, i64, i64); 4] = [
        ("minutes", 1, 240),
        ("unseen_minutes", 1, 240),
        ("extend_minutes", 0, 240),
        ("cap_minutes", 1, 480),
    ];
    let mut out = [None; 4];
    let Some(mut h) = f.object_opt("holds", &KEYS.map(|k| k.0)) else {
        return out;
    };
    for (i, (key, lo, hi)) in KEYS.iter().enumerate() {
        if let Some(n) = h.int_opt(key) {
            if (*lo..=*hi).contains(&n) {
                out[i] = i32::try_from(n).ok();
            } else {
                h.error(
                    key,
                    format!("must be a whole number of minutes from {lo} to {hi}"),
                );
            }
        }
    }
    f.absorb(h);
    out
}

/// When the host of an offer was last seen, by this instance or any.
pub fn host_seen_at(state: &AppState, offer: &db::models::OfferRow) -> Option<i64> {
    let here = state.seen.get(&offer.host_id);
    match (offer.host_seen_at, here) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Writes the hosts this instance saw since their last write, and extends
/// the live proposals waiting for them. Returns the offers touched.
pub fn flush_seen(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    let now = state.now();
    let due = state.seen.due(now, SEEN_FLUSH_MS);
    if due.is_empty() {
        return Ok(0);
    }
    let touched = state.write_tx(conn, |c| {
        let mut touched = Vec::new();
        for (host, at) in &due {
            touched.extend(db::offers::mark_seen(c, host, *at, now)?);
            for mut m in db::matches::awaiting_host(c, host, now)? {
                if *at < m.created_at {
                    continue;
                }
                let policy = policy_for_request(state, c, &m.request_id)?;
                if let Some(to) = policy.extended(m.created_at, m.expires_at, *at) {
                    m.expires_at = to;
                }
                m.opened_at = m.opened_at.or(Some(*at));
                m.updated_at = now;
                db::matches::save(c, &m)?;
                touched.push(m.offer_id);
            }
        }
        Ok::<_, AppError>(touched)
    })?;
    state.seen.flushed(&due);
    let n = touched.len();
    state.refresh_offers(conn, &touched)?;
    Ok(n)
}

/// What expiring and pausing did, for the caller to follow up after commit.
#[derive(Debug, Default)]
pub struct Fallout {
    pub expired: usize,
    pub offers: Vec<OfferId>,
    /// requests that lost an ask: the matcher may ask again for them
    pub requests: Vec<RequestId>,
}

/// Marks run-out proposals expired (they stopped counting at their expiry
/// instant already). A hold that ran out waiting for the host pauses the
/// offer. Runs inside the sweeper's transaction.
pub fn expire_due(state: &AppState, c: &mut DbConn, now: i64) -> AppResult<Fallout> {
    let mut out = Fallout::default();
    let expired = db::matches::expire_due(c, now)?;
    out.expired = expired.len();
    for m in &expired {
        audit::record(c, now, audit::SYSTEM, "match.expire", &m.id, json!(null))?;
        out.offers.push(m.offer_id.clone());
        out.requests.push(m.request_id.clone());
        crate::push::events::expired(state, c, m, m.host_consent_at.is_some())?;
        // a guest who asked hears that the host let the hold run out
        if m.guest_consent_at.is_some() && m.host_consent_at.is_none() {
            if let Some(req) = db::requests::get(c, &m.request_id)? {
                let next = super::requests::next_doors(state, c, &req)?;
                crate::mail::events::refused(state, c, &req, true, &next)?;
            }
        }
        if m.host_consent_at.is_none() {
            db::offers::record_expired_hold(c, &m.offer_id, now)?;
            out.requests.extend(pause_offer(
                state,
                c,
                &m.offer_id,
                PauseReason::Unanswered,
                now,
            )?);
        }
    }
    Ok(out)
}

/// Pauses an open offer: out of every search until its host comes back;
/// the asks still waiting for the host end now, and their guests are told.
/// Returns the requests that lost an ask (empty if it was not open).
pub fn pause_offer(
    state: &AppState,
    c: &mut DbConn,
    offer_id: &OfferId,
    reason: PauseReason,
    now: i64,
) -> AppResult<Vec<RequestId>> {
    if !db::offers::pause(c, offer_id, reason.as_str(), now)? {
        return Ok(vec![]);
    }
    audit::record(
        c,
        now,
        audit::SYSTEM,
        "offer.pause",
        offer_id,
        json!({ "reason": reason.as_str() }),
    )?;
    let mut lost = Vec::new();
    for mut m in db::matches::live_holds(c, Some(std::slice::from_ref(offer_id)), now)? {
        if m.host_consent_at.is_some() {
            continue; // the host said yes: only the guest's answer is awaited
        }
        m.status = Status::Cancelled;
        m.updated_at = now;
        db::matches::save(c, &m)?;
        if m.guest_consent_at.is_some() {
            if let Some(req) = db::requests::get(c, &m.request_id)? {
                let next = super::requests::next_doors(state, c, &req)?;
                crate::mail::events::refused(state, c, &req, true, &next)?;
            }
        }
        // their phone hears it too: this host is not answering
        crate::push::events::expired(state, c, &m, false)?;
        lost.push(m.request_id);
    }
    let offer = db::offers::get(c, offer_id)?.ok_or(AppError::NotFound)?;
    crate::mail::events::still_hosting(state, c, &offer, reason)?;
    crate::push::events::paused(state, c, &offer)?;
    Ok(lost)
}

/// An offer the platform paused, as coordinators see it: the cell, never
/// the address.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PausedView {
    pub offer_id: String,
    pub host_id: String,
    pub area: super::views::Area,
    /// "unanswered" or "declines"
    pub reason: String,
    pub paused_at: String,
    pub host_seen_at: Option<String>,
    pub holds_expired: i32,
    pub answers_declined: i32,
    pub answers_accepted: i32,
}

/// Offers paused by the platform, longest paused first.
pub fn paused(conn: &mut DbConn, limit: i64) -> AppResult<Vec<PausedView>> {
    use crate::domain::rfc3339;
    Ok(db::offers::paused(conn, limit)?
        .into_iter()
        .map(|o| PausedView {
            area: super::views::Area::of_offer(&o),
            reason: o.paused_reason.clone().unwrap_or_default(),
            paused_at: o.paused_at.map(rfc3339).unwrap_or_default(),
            host_seen_at: o.host_seen_at.map(rfc3339),
            holds_expired: o.holds_expired,
            answers_declined: o.answers_declined,
            answers_accepted: o.answers_accepted,
            offer_id: o.id.into(),
            host_id: o.host_id.into(),
        })
        .collect())
}

/// "Yes, I am still hosting tonight": a paused offer opens again. Opening
/// an open offer changes nothing.
pub fn resume(
    state: &AppState,
    conn: &mut DbConn,
    host: &Account,
    offer_id: &OfferId,
) -> AppResult<db::models::OfferRow> {
    let now = state.now();
    let row = state.write_tx(conn, |c| {
        let o = owned_offer(c, host, offer_id, true)?;
        if o.status == OfferStatus::Closed {
            return Err(AppError::conflict(
                "offer_closed",
                "this offer is closed; a closed offer stays closed — create a new one",
            ));
        }
        if db::offers::resume(c, &o.id, now)? {
            audit::record(c, now, host.id.as_str(), "offer.resume", &o.id, json!(null))?;
        }
        db::offers::get(c, &o.id)?.ok_or(AppError::NotFound)
    })?;
    state.seen.mark(&host.id, now);
    state.refresh_offers(conn, std::slice::from_ref(&row.id))?;
    Ok(row)
}
