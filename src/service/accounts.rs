//! Accounts, passwords and API tokens.

use super::{ACCOUNT_TOKEN_PREFIX, Account};
use crate::db::models::{AccountRow, TokenRow};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, Secret, hash_token};
use crate::domain::input::Fields;
use crate::domain::rfc3339;
use crate::domain::states::Role;
use crate::domain::values::{Email, Phone, Text};
use crate::error::{AppError, AppResult, is_unique_violation};
use crate::state::AppState;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHash, Version};
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// argon2id, m = 19 MiB, t = 2, p = 1 (OWASP's baseline).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// Computes the stand-in hash ahead of the first log-in, so that even the
/// first unknown e-mail costs exactly one verification.
pub fn warm_up() {
    dummy_hash();
}

/// Verified against when the e-mail is unknown, so both failures cost the same.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_password("not a real password, only for timing").unwrap_or_default())
}

fn check_password(f: &mut Fields, field: &str, raw: Option<String>) -> Option<String> {
    let p = raw?;
    let n = p.chars().count();
    if n < PASSWORD_MIN {
        f.error(field, format!("must be at least {PASSWORD_MIN} characters"));
        None
    } else if n > PASSWORD_MAX {
        f.error(field, format!("must be at most {PASSWORD_MAX} characters"));
        None
    } else {
        Some(p)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    #[schema(value_type = String)]
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub email_verified: bool,
    pub created_at: String,
}

impl AccountView {
    fn of(r: &AccountRow) -> Self {
        Self {
            id: r.id.clone(),
            email: r.email.clone(),
            display_name: r.display_name.clone(),
            phone: r.phone.clone(),
            role: r.role,
            email_verified: false,
            created_at: rfc3339(r.created_at),
        }
    }
}

/// A validated sign-up.
pub struct NewAccount {
    pub email: Email,
    pub password: String,
    pub display_name: Text,
    pub phone: Option<Phone>,
    /// the language of the account's mails
    pub lang: crate::domain::locale::Lang,
}

pub fn parse_new_account(body: Value) -> AppResult<NewAccount> {
    let mut f = Fields::new(
        body,
        &["email", "password", "display_name", "phone", "lang"],
    )?;
    let email = f
        .str_req("email")
        .and_then(|s| f.check("email", Email::new(&s)));
    let raw = f.str_req("password");
    let password = check_password(&mut f, "password", raw);
    let display_name = f
        .str_req("display_name")
        .and_then(|s| f.check("display_name", Text::new(&s, 1, 80, false)));
    let phone = f
        .str_opt("phone")
        .and_then(|s| f.check("phone", Phone::new(&s)));
    let lang = super::mail_lang(&mut f);
    f.finish()?;
    match (email, password, display_name) {
        (Some(email), Some(password), Some(display_name)) => Ok(NewAccount {
            email,
            password,
            display_name,
            phone,
            lang,
        }),
        _ => Err(AppError::Internal(
            "validated sign-up is missing a field".into(),
        )),
    }
}

pub fn create(
    state: &AppState,
    conn: &mut DbConn,
    new: NewAccount,
    role: Role,
) -> AppResult<AccountView> {
    let row = AccountRow {
        id: AccountId::generate(),
        email: new.email.as_str().to_owned(),
        password_hash: hash_password(&new.password)?,
        display_name: new.display_name.into_inner(),
        phone: new.phone.map(|p| p.as_str().to_owned()),
        role,
        created_at: state.now(),
    };
    let lang = new.lang.code();
    state.write_tx(conn, |c| {
        match db::accounts::insert(c, &row) {
            Err(e) if is_unique_violation(&e) => {
                return Err(AppError::conflict(
                    "email_taken",
                    "an account with this e-mail address already exists",
                ));
            }
            r => r?,
        }
        db::accounts::set_lang(c, &row.id, lang)?;
        super::audit::record(
            c,
            row.created_at,
            &row.id,
            "account.create",
            &row.id,
            serde_json::json!({ "role": role }),
        )?;
        if role == Role::Coordinator {
            // created by an operator on the command line: vouched for
            db::accounts::links::set_verified(c, &row.id, row.created_at)?;
            Ok(())
        } else {
            send_link(state, c, &row, Link::Verify)
        }
    })?;
    Ok(AccountView::of(&row))
}

/// A link mailed to an account holder.
pub use crate::domain::states::Link;

/// Creates a link and mails it; call inside a write transaction.
pub(super) fn send_link(
    state: &AppState,
    c: &mut DbConn,
    row: &AccountRow,
    link: Link,
) -> AppResult<()> {
    let secret = Secret::generate(match link {
        Link::Verify => "pov_",
        Link::Reset => "prs_",
    });
    let now = state.now();
    db::accounts::links::insert(
        c,
        &secret.hash(),
        &row.id,
        link,
        now,
        now + link.lifetime_ms(),
    )?;
    crate::mail::events::account_link(state, c, row, link, secret.expose())
}

/// Whether the account's e-mail address is confirmed.
pub fn email_verified(conn: &mut DbConn, account_id: &AccountId) -> AppResult<bool> {
    Ok(db::accounts::links::verified_at(conn, account_id)?.is_some())
}

/// Mails a new verification link, unless the address is already confirmed.
pub fn resend_verification(state: &AppState, conn: &mut DbConn, who: &Account) -> AppResult<()> {
    state.write_tx(conn, |c| {
        if email_verified(c, &who.id)? {
            return Err(AppError::conflict(
                "already_verified",
                "this e-mail address is already confirmed",
            ));
        }
        let row = db::accounts::by_id(c, &who.id)?.ok_or(AppError::NotFound)?;
        send_link(state, c, &row, Link::Verify)
    })
}

const BAD_LINK: &str = "this link is invalid, was already used, or has expired";

/// Confirms an address from the link mailed at sign-up (once).
pub fn verify_email(state: &AppState, conn: &mut DbConn, token: &str) -> AppResult<()> {
    let now = state.now();
    state.write_tx(conn, |c| {
        let account = db::accounts::links::consume(c, &hash_token(token), Link::Verify, now)?
            .ok_or_else(|| AppError::conflict("link_invalid", BAD_LINK))?;
        db::accounts::links::set_verified(c, &account, now)?;
        super::audit::record(
            c,
            now,
            &account,
            "account.email_verified",
            &account,
            Value::Null,
        )?;
        Ok(())
    })
}

pub fn parse_reset(body: Value) -> AppResult<(String, String)> {
    let mut f = Fields::new(body, &["token", "password"])?;
    let token = f.str_req("token");
    let raw = f.str_req("password");
    let password = check_password(&mut f, "password", raw);
    f.finish()?;
    match (token, password) {
        (Some(t), Some(p)) => Ok((t, p)),
        _ => Err(AppError::Internal(
            "validated reset is missing a field".into(),
        )),
    }
}

/// Sets a new password from a reset link (once, within the hour); every
/// session and API token of the account ends.
pub fn reset_password(
    state: &AppState,
    conn: &mut DbConn,
    token: &str,
    password: &str,
) -> AppResult<()> {
    let hash = hash_password(password)?;
    let now = state.now();
    state.write_tx(conn, |c| {
        let account = db::accounts::links::consume(c, &hash_token(token), Link::Reset, now)?
            .ok_or_else(|| AppError::conflict("link_invalid", BAD_LINK))?;
        db::accounts::links::set_password(c, &account, &hash, now)?;
        super::audit::record(
            c,
            now,
            &account,
            "account.password_reset",
            &account,
            Value::Null,
        )?;
        Ok(())
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub token: String,
    pub expires_at: String,
    pub account: AccountSummary,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountSummary {
    #[schema(value_type = String)]
    pub id: AccountId,
    pub display_name: String,
    pub role: Role,
}

pub struct Credentials {
    pub email: String,
    pub password: String,
}

pub fn parse_credentials(body: Value) -> AppResult<Credentials> {
    let mut f = Fields::new(body, &["email", "password"])?;
    let email = f.str_req("email");
    let password = f.str_req("password");
    if let Some(p) = &password {
        if p.len() > PASSWORD_MAX * 4 {
            f.error(
                "password",
                format!("must be at most {PASSWORD_MAX} characters"),
            );
        }
    }
    f.finish()?;
    Ok(Credentials {
        email: email.unwrap_or_default(),
        password: password.unwrap_or_default(),
    })
}

/// Checks a log-in. Unknown e-mail and wrong password give the same answer
/// after the same work (one argon2 verification).
pub fn authenticate(conn: &mut DbConn, c: &Credentials) -> AppResult<AccountRow> {
    let email = Email::new(&c.email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_default();
    let row = db::accounts::by_email(conn, &email)?;
    let ok = match &row {
        Some(r) => verify_password(&c.password, &r.password_hash),
        None => {
            verify_password(&c.password, dummy_hash());
            false
        }
    };
    // every attempt is logged by account ID (never the e-mail address): a
    // run of refusals on one account, or on unknown ones, is visible
    match row {
        Some(r) if ok => {
            if db::accounts::safeguarding::is_suspended(conn, &r.id)? {
                tracing::warn!(account = %r.id, "log-in refused: suspended");
                return Err(AppError::Forbidden("this account is suspended"));
            }
            tracing::info!(account = %r.id, role = %r.role, "log-in");
            Ok(r)
        }
        Some(r) => {
            tracing::warn!(account = %r.id, "log-in refused: wrong password");
            Err(AppError::Unauthorized("wrong e-mail address or password"))
        }
        None => {
            tracing::warn!("log-in refused: unknown address");
            Err(AppError::Unauthorized("wrong e-mail address or password"))
        }
    }
}

/// Logs in for the API: an account token.
pub fn login(state: &AppState, conn: &mut DbConn, c: Credentials) -> AppResult<TokenView> {
    let row = authenticate(conn, &c)?;
    issue_token(state, conn, &row)
}

/// Hours a browser session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Opens a browser session; returns the secret for the cookie (only its
/// hash is stored).
pub fn open_session(
    state: &AppState,
    conn: &mut DbConn,
    account_id: &AccountId,
) -> AppResult<String> {
    let secret = Secret::generate("pos_");
    let now = state.now();
    db::accounts::sessions::insert(
        conn,
        &secret.hash(),
        account_id,
        now,
        now + SESSION_HOURS * 3_600_000,
    )?;
    Ok(secret.expose().to_owned())
}

/// The account behind a session cookie.
pub fn session_account(state: &AppState, conn: &mut DbConn, secret: &str) -> AppResult<Account> {
    let row = db::accounts::sessions::account(conn, &hash_token(secret), state.now())?
        .ok_or(AppError::Unauthorized("not logged in"))?;
    Ok(super::Account::seen(state, row))
}

pub fn close_session(conn: &mut DbConn, secret: &str) -> AppResult<()> {
    db::accounts::sessions::delete(conn, &hash_token(secret))?;
    Ok(())
}

pub fn issue_token(state: &AppState, conn: &mut DbConn, row: &AccountRow) -> AppResult<TokenView> {
    let secret = Secret::generate(ACCOUNT_TOKEN_PREFIX);
    let now = state.now();
    let expires_at = now + i64::from(state.config.token_ttl_hours) * 3_600_000;
    db::accounts::insert_token(
        conn,
        &TokenRow {
            token_hash: secret.hash(),
            account_id: row.id.clone(),
            created_at: now,
            expires_at,
        },
    )?;
    Ok(TokenView {
        token: secret.expose().to_owned(),
        expires_at: rfc3339(expires_at),
        account: AccountSummary {
            id: row.id.clone(),
            display_name: row.display_name.clone(),
            role: row.role,
        },
    })
}

pub fn logout(conn: &mut DbConn, token: &str) -> AppResult<()> {
    db::accounts::delete_token(conn, &hash_token(token))?;
    Ok(())
}

pub fn me(conn: &mut DbConn, a: &Account) -> AppResult<AccountView> {
    let row = db::accounts::by_id(conn, &a.id)?.ok_or(AppError::NotFound)?;
    let mut view = AccountView::of(&row);
    view.email_verified = email_verified(conn, &row.id)?;
    Ok(view)
}
