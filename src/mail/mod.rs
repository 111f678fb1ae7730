//! Notifications by e-mail, through a transactional outbox.
//!
//! Every mail is composed and written to `outbox` inside the transaction of
//! the change it announces (`enqueue`), so a rolled-back change sends
//! nothing and a committed one is never forgotten. A worker in each server
//! process claims due rows and delivers them (`deliver_due`), retrying with
//! exponential back-off; after `MAIL_MAX_ATTEMPTS` a mail becomes a dead
//! letter that coordinators see and can retry.

pub mod events;
pub mod transport;

use crate::db::models::OutboxRow;
use crate::db::{self, DbConn};
use crate::domain::ids::Secret;
use crate::domain::locale::Lang;
use crate::domain::states::OutboxStatus;
use crate::error::AppResult;
use crate::i18n::tr;
use crate::state::AppState;
use lettre::message::Mailbox;
use maud::html;
use std::sync::Arc;
use transport::Transport;

/// A mail to write to the outbox: paragraphs and an optional link.
pub struct Mail {
    pub kind: &'static str,
    pub to: String,
    pub lang: Lang,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
    /// the request or offer the mail is about, deleted with it
    pub about: Option<String>,
}

impl Mail {
    fn text(&self) -> String {
        let mut out = self.paragraphs.join("\n\n");
        if let Some((label, url)) = &self.link {
            out.push_str(&format!("\n\n{label}:\n{url}"));
        }
        out.push_str("\n\n-- \n");
        out.push_str(tr(self.lang, "mail-footer"));
        out.push('\n');
        out
    }

    fn html(&self) -> String {
        html! {
            (maud::DOCTYPE)
            html lang=(self.lang.code()) {
                head { meta charset="utf-8"; title { (self.subject) } }
                body style="font-family: sans-serif; line-height: 1.5; max-width: 36rem" {
                    @for p in &self.paragraphs { p { (p) } }
                    @if let Some((label, url)) = &self.link { p { a href=(url) { (label) } } }
                    hr;
                    p style="color: #4a4a4a; font-size: .9em" { (tr(self.lang, "mail-footer")) }
                }
            }
        }
        .into_string()
    }
}

/// Writes a mail to the outbox; call inside the transaction of its cause.
pub fn enqueue(c: &mut DbConn, now: i64, mail: Mail) -> AppResult<()> {
    let id = Secret::generate("msg_")
        .expose()
        .chars()
        .take(30)
        .collect::<String>();
    db::outbox::insert(
        c,
        &OutboxRow {
            id,
            kind: mail.kind.into(),
            recipient: mail.to.clone(),
            lang: mail.lang.code().into(),
            subject: transport::one_line(&mail.subject),
            body_text: mail.text(),
            body_html: mail.html(),
            status: OutboxStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            claim: None,
            claimed_until: None,
            last_error: None,
            created_at: now,
            sent_at: None,
            about: mail.about.clone(),
        },
    )?;
    Ok(())
}

/// How long a claim lasts before another worker may take the row. Renewed
/// before each row is sent, so it must only outlast one send: far longer
/// than the SMTP timeout (`transport::SEND_TIMEOUT`) or a push POST's.
const LEASE_MS: i64 = 5 * 60_000;
const _: () = assert!(LEASE_MS > 4 * transport::SEND_TIMEOUT.as_millis() as i64);

/// The sender and the domain of Message-IDs, from `MAIL_FROM`.
pub fn sender(state: &AppState) -> Result<(Mailbox, String), String> {
    let from: Mailbox = state.config.mail_from.parse().map_err(|e| {
        format!(
            "MAIL_FROM '{}' is not a mailbox: {e}",
            state.config.mail_from
        )
    })?;
    let domain = from.email.domain().to_owned();
    Ok((from, domain))
}

/// Delivers the mails due now, at most `limit`; returns how many were sent.
pub fn deliver_due(state: &AppState, transport: &Transport, limit: i64) -> AppResult<usize> {
    let (from, domain) = sender(state).map_err(crate::error::AppError::Internal)?;
    drain(state, "mail", limit, |row| {
        match transport.send(&from, &domain, row) {
            Ok(()) => Outcome::Sent,
            Err(e) => Outcome::Retry(e),
        }
    })
}

/// What became of one outbox row's delivery attempt.
pub enum Outcome {
    Sent,
    /// Nothing more to do, though nothing was delivered (the note says why).
    Done(String),
    /// Try again later, with back-off, until the attempts run out.
    Retry(String),
    /// Never worth retrying.
    Dead(String),
}

/// The outbox's delivery loop, shared by every channel ("mail", "push"):
/// claims due rows of `channel` in a short write transaction, then for each
/// renews its lease, calls `send` outside any transaction, and records the
/// outcome only if the claim still holds. Returns how many were sent.
pub fn drain(
    state: &AppState,
    channel: &str,
    limit: i64,
    mut send: impl FnMut(&OutboxRow) -> Outcome,
) -> AppResult<usize> {
    let now = state.now();
    let claim = Secret::generate("clm_").expose().to_owned();
    let mut conn = state.conn()?;
    let rows = state.write_tx(&mut conn, |c| {
        db::outbox::claim_due(c, channel, now, limit, &claim, now + LEASE_MS)
    })?;
    let mut sent = 0;
    for row in rows {
        // the batch may be long (a slow relay): this row's lease starts now,
        // unless it lapsed while it waited and another worker has it
        if db::outbox::renew(&mut conn, &row.id, &claim, state.now() + LEASE_MS)? == 0 {
            continue;
        }
        let (error, next) = match send(&row) {
            Outcome::Sent => {
                sent += db::outbox::mark_sent(&mut conn, &row.id, &claim, state.now())?;
                continue;
            }
            Outcome::Done(note) => {
                db::outbox::mark_done(&mut conn, &row.id, &claim, state.now(), Some(&note))?;
                continue;
            }
            Outcome::Dead(e) => (e, None),
            Outcome::Retry(e) => {
                let attempt = row.attempts + 1;
                let next = (attempt < state.config.mail_max_attempts as i32).then(|| {
                    let base = i64::from(state.config.mail_retry_seconds) * 1000;
                    state.now() + (base << (attempt - 1).min(20)).min(3_600_000)
                });
                (e, next)
            }
        };
        tracing::warn!(row = %row.id, channel, kind = %row.kind, attempt = row.attempts + 1, error = %error, dead = next.is_none(), "not delivered");
        db::outbox::mark_failed(&mut conn, &row.id, &claim, &error, next)?;
    }
    Ok(sent)
}

/// The worker: one thread per server process, polling every `MAIL_POLL_MS`.
pub fn spawn_worker(state: Arc<AppState>, transport: Transport) {
    let every = std::time::Duration::from_millis(state.config.mail_poll_ms.max(50));
    let spawned = std::thread::Builder::new()
        .name("mail".into())
        .spawn(move || {
            loop {
                match deliver_due(&state, &transport, 50) {
                    Ok(n) if n > 0 => continue, // more may be waiting
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "mail worker"),
                }
                std::thread::sleep(every);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the mail worker");
    }
}
