//! Password resets without telling who has an account.
//!
//! Asking for a reset does the same work whatever the address: one row on
//! the outbox's `reset` channel, in one write transaction, and nothing
//! else — no lookup, no link, no mail composed while the client waits, so
//! the answer's timing says nothing about the address. The background
//! thread (`send_requested`, about every second) then takes each row, and
//! in one transaction deletes it and, if an account has the address,
//! creates the link and queues its mail. The row of an unknown address
//! leaves no trace.

use super::accounts::{Link, send_link};
use crate::db::models::OutboxRow;
use crate::db::{self, DbConn};
use crate::domain::ids::Secret;
use crate::domain::states::OutboxStatus;
use crate::domain::values::Email;
use crate::error::AppResult;
use crate::state::AppState;

/// The outbox channel of reset requests waiting for the background thread.
pub const CHANNEL: &str = "reset";
const LEASE_MS: i64 = 60_000;

/// Queues a reset for `email`, the same way for any address (an invalid
/// one is ignored before any database work, as it cannot be an account's).
pub fn request(state: &AppState, conn: &mut DbConn, email: &str) -> AppResult<()> {
    let Ok(email) = Email::new(email) else {
        return Ok(());
    };
    let now = state.now();
    let row = OutboxRow {
        id: Secret::generate("rst_").expose().chars().take(30).collect(),
        kind: "reset_request".into(),
        recipient: email.as_str().to_owned(),
        lang: String::new(),
        subject: String::new(),
        body_text: String::new(),
        body_html: String::new(),
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: now,
        claim: None,
        claimed_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
        about: None,
    };
    state.write_tx(conn, |c| db::outbox::insert_on(c, CHANNEL, &row))?;
    Ok(())
}

/// Turns queued reset requests into links and mails; returns how many
/// addresses had an account. Run by the background thread.
pub fn send_requested(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    let now = state.now();
    let claim = Secret::generate("clm_").expose().to_owned();
    let rows = state.write_tx(conn, |c| {
        db::outbox::claim_due(c, CHANNEL, now, 100, &claim, now + LEASE_MS)
    })?;
    let mut sent = 0;
    for row in rows {
        sent += state.write_tx(conn, |c| {
            // deleted with the link made, atomically: once, and no trace
            if db::outbox::delete_claimed(c, &row.id, &claim)? == 0 {
                return Ok(0);
            }
            match db::accounts::by_email(c, &row.recipient)? {
                Some(account) => send_link(state, c, &account, Link::Reset).map(|()| 1),
                None => Ok(0),
            }
        })?;
    }
    Ok(sent)
}
