//! The mails of a request's life, to its guest and to the hosts: the
//! request made, a proposal, an offer paused for a silent host, an
//! acceptance, a refusal or a hold run out, an arrival.

use super::{NextDoor, guest, host, lang, offer_area, request_area, time};
use crate::db::models::{MatchRow, OfferRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::matching::Side;
use crate::domain::states::RequestStatus;
use crate::error::AppResult;
use crate::i18n::{args, tr, trf};
use crate::mail::{Mail, enqueue};
use crate::state::AppState;

/// A new request: its private link, to the guest who left an e-mail.
pub fn request_created(
    state: &AppState,
    c: &mut DbConn,
    req: &RequestRow,
    token: &str,
) -> AppResult<()> {
    let Some((to, l)) = guest(c, req)? else {
        return Ok(());
    };
    let url = format!("{}/r/{}/{token}", state.config.public_url(), req.id);
    enqueue(
        c,
        state.now(),
        Mail {
            kind: "request_link",
            to,
            lang: l,
            subject: tr(l, "mail-link-subject").into(),
            paragraphs: vec![
                trf(l, "mail-hello", args!["name" => &req.name]),
                tr(l, "mail-link-body").into(),
            ],
            link: Some((tr(l, "mail-link-open").into(), url)),
            about: Some(req.id.clone().into()),
        },
    )
}

/// A proposal: the host learns of a guest's request (never their contact);
/// a guest learns of a host's invitation.
pub fn proposed(
    state: &AppState,
    c: &mut DbConn,
    m: &MatchRow,
    req: &RequestRow,
    offer: &OfferRow,
    by: Side,
) -> AppResult<()> {
    crate::push::events::proposed(state, c, m, req, offer, by)?;
    let until = time(state, m.expires_at);
    if by == Side::Host {
        let Some((to, l)) = guest(c, req)? else {
            return Ok(());
        };
        let area = offer_area(offer);
        return enqueue(
            c,
            state.now(),
            Mail {
                kind: "invitation",
                to,
                lang: l,
                subject: tr(l, "mail-invited-subject").into(),
                paragraphs: vec![
                    trf(l, "mail-hello", args!["name" => &req.name]),
                    trf(
                        l,
                        "mail-invited-body",
                        args!["area" => &area, "time" => &until],
                    ),
                    tr(l, "mail-use_link").into(),
                ],
                link: None,
                about: Some(req.id.clone().into()),
            },
        );
    }
    let (to, l) = host(c, offer)?;
    let area = request_area(req);
    enqueue(
        c,
        state.now(),
        Mail {
            kind: "proposal",
            to,
            lang: l,
            subject: trf(l, "mail-proposal-subject", args!["n" => m.party_size]),
            paragraphs: vec![trf(
                l,
                "mail-proposal-body",
                args!["name" => &req.name, "n" => m.party_size, "area" => &area, "time" => &until],
            )],
            link: Some((
                tr(l, "mail-proposal-open").into(),
                format!("{}/host", state.config.public_url()),
            )),
            about: Some(req.id.clone().into()),
        },
    )
}

/// The platform paused an offer: "are you still hosting tonight?", with the
/// page where one click opens it again.
pub fn still_hosting(
    state: &AppState,
    c: &mut DbConn,
    offer: &OfferRow,
    reason: crate::domain::responsiveness::PauseReason,
) -> AppResult<()> {
    use crate::domain::responsiveness::PauseReason;
    let (to, l) = host(c, offer)?;
    let why = match reason {
        PauseReason::Unanswered => "mail-paused-unanswered",
        PauseReason::Declines => "mail-paused-declines",
    };
    enqueue(
        c,
        state.now(),
        Mail {
            kind: "paused",
            to,
            lang: l,
            subject: tr(l, "mail-paused-subject").into(),
            paragraphs: vec![tr(l, why).into(), tr(l, "mail-paused-body").into()],
            link: Some((
                tr(l, "mail-paused-open").into(),
                format!("{}/host#offer-{}", state.config.public_url(), offer.id),
            )),
            about: Some(offer.id.clone().into()),
        },
    )
}

/// Both agreed: the guest gets the host's address and contact.
pub fn accepted(
    state: &AppState,
    c: &mut DbConn,
    req: &RequestRow,
    offer: &OfferRow,
) -> AppResult<()> {
    crate::push::events::accepted(state, c, req, offer)?;
    let Some((to, l)) = guest(c, req)? else {
        return Ok(());
    };
    let host = db::accounts::by_id(c, &offer.host_id)?.ok_or(crate::error::AppError::NotFound)?;
    let mut paragraphs = vec![
        trf(l, "mail-hello", args!["name" => &req.name]),
        trf(l, "mail-accepted-body", args!["host" => &host.display_name]),
        trf(
            l,
            "mail-accepted-address",
            args!["address" => &offer.address],
        ),
    ];
    if let Some(p) = &offer.contact_phone {
        paragraphs.push(trf(l, "mail-accepted-phone", args!["phone" => p]));
    }
    if let Some(e) = &offer.contact_email {
        paragraphs.push(trf(l, "mail-accepted-email", args!["email" => e]));
    }
    if let Some(n) = &offer.notes {
        paragraphs.push(trf(l, "mail-accepted-notes", args!["notes" => n]));
    }
    paragraphs.push(tr(l, "mail-accepted-arrival").into());
    enqueue(
        c,
        state.now(),
        Mail {
            kind: "accepted",
            to,
            lang: l,
            subject: tr(l, "mail-accepted-subject").into(),
            paragraphs,
            link: Some((
                tr(l, "mail-map").into(),
                format!(
                    "https://www.openstreetmap.org/?mlat={:.6}&mlon={:.6}#map=18/{:.6}/{:.6}",
                    offer.lat, offer.lon, offer.lat, offer.lon
                ),
            )),
            about: Some(req.id.clone().into()),
        },
    )
}

/// The guest's request was declined by the host, or the host let it expire:
/// the guest hears it, with the next open doors (`next`, found by the
/// service; empty when none, or when the request no longer waits).
pub fn refused(
    state: &AppState,
    c: &mut DbConn,
    req: &RequestRow,
    expired: bool,
    next: &[NextDoor],
) -> AppResult<()> {
    crate::push::events::refused(state, c, req, expired)?;
    let Some((to, l)) = guest(c, req)? else {
        return Ok(());
    };
    let mut paragraphs = vec![
        trf(l, "mail-hello", args!["name" => &req.name]),
        tr(
            l,
            if expired {
                "mail-expired-body"
            } else {
                "mail-declined-body"
            },
        )
        .into(),
    ];
    if req.status == RequestStatus::Waiting {
        if next.is_empty() {
            paragraphs.push(tr(l, "mail-next-none").into());
        } else {
            paragraphs.push(tr(l, "mail-next").into());
            for n in next {
                paragraphs.push(format!(
                    "• {} — {} — {}",
                    n.band,
                    n.area,
                    trf(l, "req-places", args!["n" => n.remaining])
                ));
            }
        }
    }
    paragraphs.push(tr(l, "mail-use_link").into());
    enqueue(
        c,
        state.now(),
        Mail {
            kind: if expired { "expired" } else { "declined" },
            to,
            lang: l,
            subject: tr(
                l,
                if expired {
                    "mail-expired-subject"
                } else {
                    "mail-declined-subject"
                },
            )
            .into(),
            paragraphs,
            link: None,
            about: Some(req.id.clone().into()),
        },
    )
}

/// Arrival confirmed: both sides hear it; the trusted contact, once, if the
/// guest named one — the area at most, never the address.
pub fn arrived(
    state: &AppState,
    c: &mut DbConn,
    req: &RequestRow,
    offer: &OfferRow,
) -> AppResult<()> {
    let now = state.now();
    if let Some((to, l)) = guest(c, req)? {
        enqueue(
            c,
            now,
            Mail {
                kind: "arrived",
                to,
                lang: l,
                subject: tr(l, "mail-arrived-subject").into(),
                paragraphs: vec![
                    trf(l, "mail-hello", args!["name" => &req.name]),
                    tr(l, "mail-arrived-guest").into(),
                ],
                link: None,
                about: Some(req.id.clone().into()),
            },
        )?;
    }
    let (to, l) = host(c, offer)?;
    enqueue(
        c,
        now,
        Mail {
            kind: "arrived",
            to,
            lang: l,
            subject: tr(l, "mail-arrived-subject").into(),
            paragraphs: vec![trf(l, "mail-arrived-host", args!["name" => &req.name])],
            link: None,
            about: Some(req.id.clone().into()),
        },
    )?;
    let (code, trusted, _) = db::requests::mail_prefs(c, &req.id)?;
    if let Some(to) = trusted {
        if db::requests::mark_trusted_notified(c, &req.id, now)? {
            let l = lang(&code);
            let area = offer_area(offer);
            enqueue(
                c,
                now,
                Mail {
                    kind: "trusted_contact",
                    to,
                    lang: l,
                    subject: trf(l, "mail-safe-subject", args!["name" => &req.name]),
                    paragraphs: vec![
                        trf(
                            l,
                            "mail-safe-body",
                            args!["name" => &req.name, "area" => &area],
                        ),
                        tr(l, "mail-safe-why").into(),
                    ],
                    link: None,
                    about: Some(req.id.clone().into()),
                },
            )?;
        }
    }
    Ok(())
}
