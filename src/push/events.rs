//! The alert each event sends, beside its mail (`mail::events` calls these
//! first, since a guest may follow their page without having left an
//! e-mail). Texts name no one and no place: they only say that something
//! happened and open the page where the rest is shown.

use super::{PushMessage, enqueue_for_account, enqueue_for_request};
use crate::db::models::{MatchRow, OfferRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::matching::Side;
use crate::error::AppResult;
use crate::i18n::Arg;
use crate::state::AppState;

fn time(state: &AppState, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&state.tz).format("%H:%M").to_string())
        .unwrap_or_default()
}

/// The guest's page: the service worker on the phone completes it with the
/// private link the page left there; the link itself is never sent.
fn guest_url(req_id: &str) -> String {
    format!("/r/{req_id}")
}

fn msg(
    kind: &'static str,
    key: &'static str,
    args: Vec<(&'static str, Arg<'static>)>,
    url: String,
    about: &str,
) -> PushMessage {
    let (title, body) = match key {
        "proposal" => ("push-proposal-title", "push-proposal-body"),
        "invited" => ("push-invited-title", "push-invited-body"),
        "accepted" => ("push-accepted-title", "push-accepted-body"),
        "revealed" => ("push-revealed-title", "push-revealed-body"),
        "declined" => ("push-declined-title", "push-declined-body"),
        "expired_guest" => ("push-expired-guest-title", "push-expired-guest-body"),
        "paused" => ("push-paused-title", "push-paused-body"),
        _ => ("push-expired-host-title", "push-expired-host-body"),
    };
    PushMessage {
        kind,
        title,
        body,
        args,
        url,
        about: Some(about.to_owned()),
    }
}

/// A proposal: the host hears of a guest's request, a guest of a host's invitation.
pub fn proposed(
    state: &AppState,
    c: &mut DbConn,
    m: &MatchRow,
    req: &RequestRow,
    offer: &OfferRow,
    by: Side,
) -> AppResult<()> {
    let args = vec![
        ("n", Arg::from(m.party_size)),
        ("time", Arg::from(time(state, m.expires_at))),
    ];
    if by == Side::Host {
        let to_guest = msg(
            "push_invitation",
            "invited",
            args,
            guest_url(&req.id),
            &req.id,
        );
        enqueue_for_request(state, c, &req.id, &to_guest)?;
    } else {
        let to_host = msg("push_proposal", "proposal", args, "/host".into(), &req.id);
        enqueue_for_account(state, c, &offer.host_id, &to_host)?;
    }
    Ok(())
}

/// Both consented: contacts are now revealed to each side, on their page.
pub fn accepted(
    state: &AppState,
    c: &mut DbConn,
    req: &RequestRow,
    offer: &OfferRow,
) -> AppResult<()> {
    let to_guest = msg(
        "push_accepted",
        "accepted",
        vec![],
        guest_url(&req.id),
        &req.id,
    );
    enqueue_for_request(state, c, &req.id, &to_guest)?;
    let to_host = msg("push_revealed", "revealed", vec![], "/host".into(), &req.id);
    enqueue_for_account(state, c, &offer.host_id, &to_host)?;
    Ok(())
}

/// The host declined the guest's request (expiry is `expired`).
pub fn refused(state: &AppState, c: &mut DbConn, req: &RequestRow, expired: bool) -> AppResult<()> {
    if expired {
        return Ok(());
    }
    let to_guest = msg(
        "push_declined",
        "declined",
        vec![],
        guest_url(&req.id),
        &req.id,
    );
    enqueue_for_request(state, c, &req.id, &to_guest).map(drop)
}

/// The platform paused an offer: "are you still hosting tonight?".
pub fn paused(state: &AppState, c: &mut DbConn, offer: &OfferRow) -> AppResult<()> {
    let to_host = msg(
        "push_paused",
        "paused",
        vec![],
        format!("/host#offer-{}", offer.id),
        &offer.id,
    );
    enqueue_for_account(state, c, &offer.host_id, &to_host).map(drop)
}

/// A hold ran out with no answer: both sides hear that the places are free
/// (the host only when `tell_host`: a host whose offer paused hears that).
pub fn expired(state: &AppState, c: &mut DbConn, m: &MatchRow, tell_host: bool) -> AppResult<()> {
    let to_guest = msg(
        "push_expired",
        "expired_guest",
        vec![],
        guest_url(&m.request_id),
        &m.request_id,
    );
    enqueue_for_request(state, c, &m.request_id, &to_guest)?;
    if !tell_host {
        return Ok(());
    }
    if let Some(offer) = db::offers::get(c, &m.offer_id)? {
        let to_host = msg(
            "push_expired",
            "expired_host",
            vec![],
            "/host".into(),
            &m.request_id,
        );
        enqueue_for_account(state, c, &offer.host_id, &to_host)?;
    }
    Ok(())
}
