//! The mails to coordinators: an alert on a match (a guest feels unsafe,
//! an arrival overdue), and a host's first acceptance waiting for their
//! review.

use super::{guest, lang, offer_area, time};
use crate::db::models::{MatchRow, OfferRow, RequestRow};
use crate::db::{self, DbConn};
use crate::error::AppResult;
use crate::i18n::{args, tr, trf};
use crate::mail::{Mail, enqueue};
use crate::state::AppState;

/// To every coordinator: an arrival not confirmed in time, or a guest who
/// feels unsafe (`urgent`).
pub fn to_coordinators(
    state: &AppState,
    c: &mut DbConn,
    m: &MatchRow,
    req: &RequestRow,
    offer: &OfferRow,
    urgent: bool,
) -> AppResult<()> {
    let now = state.now();
    let area = offer_area(offer);
    let accepted = m.accepted_at.map(|t| time(state, t)).unwrap_or_default();
    for (to, code) in db::accounts::coordinators(c)? {
        let l = lang(&code);
        let (subject, body) = if urgent {
            (
                trf(l, "mail-unsafe-subject", args!["id" => m.id.as_str()]),
                trf(
                    l,
                    "mail-unsafe-body",
                    args!["name" => &req.name, "area" => &area],
                ),
            )
        } else {
            (
                trf(l, "mail-escalated-subject", args!["id" => m.id.as_str()]),
                trf(
                    l,
                    "mail-escalated-body",
                    args!["name" => &req.name, "area" => &area, "time" => &accepted],
                ),
            )
        };
        enqueue(
            c,
            now,
            Mail {
                kind: if urgent { "unsafe" } else { "escalated" },
                to,
                lang: l,
                subject,
                paragraphs: vec![body],
                link: Some((
                    tr(l, "mail-coord-open").into(),
                    format!("{}/coord/matches/{}", state.config.public_url(), m.id),
                )),
                about: Some(req.id.clone().into()),
            },
        )?;
    }
    Ok(())
}

/// A host's first acceptance waits for a coordinator: the parties are told
/// (without contacts), and so are the coordinators.
pub fn review_needed(
    state: &AppState,
    c: &mut DbConn,
    m: &MatchRow,
    req: &RequestRow,
    offer: &OfferRow,
) -> AppResult<()> {
    let now = state.now();
    if let Some((to, l)) = guest(c, req)? {
        enqueue(
            c,
            now,
            Mail {
                kind: "review_pending",
                to,
                lang: l,
                subject: tr(l, "mail-review-subject").into(),
                paragraphs: vec![
                    trf(l, "mail-hello", args!["name" => &req.name]),
                    tr(l, "mail-review-guest").into(),
                ],
                link: None,
                about: Some(req.id.clone().into()),
            },
        )?;
    }
    let area = offer_area(offer);
    for (to, code) in db::accounts::coordinators(c)? {
        let l = lang(&code);
        enqueue(
            c,
            now,
            Mail {
                kind: "review",
                to,
                lang: l,
                subject: trf(l, "mail-review-coord-subject", args!["id" => m.id.as_str()]),
                paragraphs: vec![trf(l, "mail-review-coord-body", args!["area" => &area])],
                link: Some((
                    tr(l, "mail-coord-open").into(),
                    format!("{}/coord/matches/{}", state.config.public_url(), m.id),
                )),
                about: Some(req.id.clone().into()),
            },
        )?;
    }
    Ok(())
}
