//! The mails an incident's closing sends to the hosts and guests in it.

use super::{guest, host};
use crate::db::DbConn;
use crate::db::models::{OfferRow, RequestRow};
use crate::error::AppResult;
use crate::i18n::{args, trf};
use crate::mail::{Mail, enqueue};
use crate::state::AppState;

/// An incident closed: its hosts and its guests (with an e-mail) are told.
pub fn incident_closed(
    state: &AppState,
    c: &mut DbConn,
    inc: &crate::db::incidents::IncidentRow,
    offer: Option<&OfferRow>,
    req: Option<&RequestRow>,
) -> AppResult<()> {
    let about = offer
        .map(|o| o.id.to_string())
        .or_else(|| req.map(|r| r.id.to_string()));
    let (to, l, key) = match (offer, req) {
        (Some(o), _) => {
            let (to, l) = host(c, o)?;
            (to, l, "mail-closed-host")
        }
        (None, Some(r)) => match guest(c, r)? {
            Some((to, l)) => (to, l, "mail-closed-guest"),
            None => return Ok(()),
        },
        (None, None) => return Ok(()),
    };
    enqueue(
        c,
        state.now(),
        Mail {
            kind: "incident_closed",
            to,
            lang: l,
            subject: trf(l, "mail-closed-subject", args!["name" => &inc.name]),
            paragraphs: vec![
                trf(l, key, args!["name" => &inc.name]),
                trf(
                    l,
                    "mail-closed-retention",
                    args!["days" => state.config.retention_days],
                ),
            ],
            link: None,
            about: about.clone(),
        },
    )
}

/// An incident closed while a guest of it held an accepted place at an
/// offer outside it: that offer stays open, its host is told the places are
/// free again.
pub fn guest_gone_with_incident(
    state: &AppState,
    c: &mut DbConn,
    inc: &crate::db::incidents::IncidentRow,
    offer: &OfferRow,
) -> AppResult<()> {
    let (to, l) = host(c, offer)?;
    enqueue(
        c,
        state.now(),
        Mail {
            kind: "incident_closed",
            to,
            lang: l,
            subject: trf(l, "mail-closed-subject", args!["name" => &inc.name]),
            paragraphs: vec![trf(l, "mail-closed-host-guest", args!["name" => &inc.name])],
            link: None,
            about: Some(offer.id.to_string()),
        },
    )
}
