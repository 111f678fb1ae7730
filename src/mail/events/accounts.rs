//! The mails to account holders: a link to verify an address or to reset
//! a password.

use super::lang;
use crate::db::{self, DbConn};
use crate::domain::states::Link;
use crate::error::AppResult;
use crate::i18n::{args, tr, trf};
use crate::mail::{Mail, enqueue};
use crate::state::AppState;

/// A verification or password-reset link, to the account holder.
pub fn account_link(
    state: &AppState,
    c: &mut DbConn,
    row: &crate::db::models::AccountRow,
    link: Link,
    token: &str,
) -> AppResult<()> {
    let l = lang(&db::accounts::lang(c, &row.id)?);
    let (kind, subject, body, label, path) = match link {
        Link::Verify => (
            "verify",
            tr(l, "mail-verify-subject"),
            tr(l, "mail-verify-body"),
            tr(l, "mail-verify-open"),
            "verify",
        ),
        Link::Reset => (
            "reset",
            tr(l, "mail-reset-subject"),
            tr(l, "mail-reset-body"),
            tr(l, "mail-reset-open"),
            "reset",
        ),
    };
    enqueue(
        c,
        state.now(),
        Mail {
            kind,
            to: row.email.clone(),
            lang: l,
            subject: subject.into(),
            paragraphs: vec![
                trf(l, "mail-hello", args!["name" => &row.display_name]),
                body.into(),
            ],
            link: Some((
                label.into(),
                format!("{}/host/{path}/{token}", state.config.public_url()),
            )),
            about: None,
        },
    )
}
