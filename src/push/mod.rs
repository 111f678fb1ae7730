//! Web Push alerts (RFC 8030), encrypted for the browser (RFC 8291,
//! aes128gcm) and signed with our VAPID key (RFC 8292).
//!
//! A browser that opted in has a row of `push_subscriptions`, owned by a
//! host's account or a guest's request. An event writes one outbox row per
//! subscription (`channel = 'push'`) inside its own transaction, exactly as
//! mails are written, and the same claim/lease/back-off loop
//! (`mail::drain`) delivers them: 2xx sent; 404/410 the subscription is
//! gone (deleted, row done); 429, 5xx or no answer retried with back-off;
//! any other answer is a dead letter.
//!
//! The payload is `{title, body, url}` in the subscription's language: no
//! name, contact, address or place, since a phone's lock screen shows it.

pub mod events;
pub mod vapid;

use crate::config::Config;
use crate::db::models::OutboxRow;
use crate::db::push::SubscriptionRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, RequestId, Secret};
use crate::domain::locale::Lang;
use crate::domain::states::OutboxStatus;
use crate::error::AppResult;
use crate::i18n::{Arg, trf};
use crate::mail::Outcome;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::sync::Arc;
use std::time::Duration;
use vapid::Vapid;

/// How long a push service keeps an alert for a phone that is offline.
pub const TTL_S: u64 = 3600;

/// An alert, before it is put in each recipient's language.
pub struct PushMessage {
    pub kind: &'static str,
    /// catalogue message ids, given `args` (numbers as numbers, for plurals)
    pub title: &'static str,
    pub body: &'static str,
    pub args: Vec<(&'static str, Arg<'static>)>,
    /// a path on this site, opened when the notification is tapped
    pub url: String,
    /// the request the alert is about (deleted with it by the purge)
    pub about: Option<String>,
}

/// Queues `msg` for every browser of a host's account; call inside the
/// transaction of the event. Returns how many were queued.
pub fn enqueue_for_account(
    state: &AppState,
    c: &mut DbConn,
    account_id: &AccountId,
    msg: &PushMessage,
) -> AppResult<usize> {
    let subs = db::push::for_account(c, account_id)?;
    enqueue(state, c, &subs, msg)
}

/// Queues `msg` for every browser that follows a guest's request.
pub fn enqueue_for_request(
    state: &AppState,
    c: &mut DbConn,
    request_id: &RequestId,
    msg: &PushMessage,
) -> AppResult<usize> {
    let subs = db::push::for_request(c, request_id)?;
    enqueue(state, c, &subs, msg)
}

fn enqueue(
    state: &AppState,
    c: &mut DbConn,
    subs: &[SubscriptionRow],
    msg: &PushMessage,
) -> AppResult<usize> {
    let now = state.now();
    for s in subs {
        let l = Lang::from_code(&s.lang).unwrap_or(Lang::Fr);
        let payload = serde_json::json!({
            "title": trf(l, msg.title, &msg.args),
            "body": trf(l, msg.body, &msg.args),
            "url": msg.url,
        });
        let id: String = Secret::generate("psh_").expose().chars().take(30).collect();
        db::outbox::insert_on(
            c,
            "push",
            &OutboxRow {
                id,
                kind: msg.kind.into(),
                recipient: s.id.clone(),
                lang: l.code().into(),
                subject: msg.kind.into(),
                body_text: payload.to_string(),
                body_html: String::new(),
                status: OutboxStatus::Pending,
                attempts: 0,
                next_attempt_at: now,
                claim: None,
                claimed_until: None,
                last_error: None,
                created_at: now,
                sent_at: None,
                about: msg.about.clone(),
            },
        )?;
    }
    Ok(subs.len())
}

/// Our VAPID identity, from the configuration (see `Config::resolve_vapid_key`).
pub fn vapid(config: &Config) -> Result<Vapid, String> {
    let subject = match &config.vapid_subject {
        Some(s) if s.starts_with("mailto:") || s.starts_with("https://") => s.clone(),
        Some(s) => {
            return Err(format!(
                "VAPID_SUBJECT '{s}' must start with mailto: or https://"
            ));
        }
        None => {
            let from: lettre::message::Mailbox = config
                .mail_from
                .parse()
                .map_err(|e| format!("MAIL_FROM '{}' is not a mailbox: {e}", config.mail_from))?;
            format!("mailto:{}", from.email)
        }
    };
    Vapid::new(&config.resolve_vapid_key()?, subject)
}

/// Sends push requests over HTTPS, blocking (the worker is a plain thread).
pub struct Sender {
    agent: ureq::Agent,
}

impl Default for Sender {
    fn default() -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(Duration::from_secs(15)))
            .build();
        Self {
            agent: ureq::Agent::new_with_config(config),
        }
    }
}

impl Sender {
    fn send(&self, state: &AppState, row: &OutboxRow) -> Outcome {
        let sub = match state
            .conn()
            .and_then(|mut c| Ok(db::push::get(&mut c, &row.recipient)?))
        {
            Ok(Some(s)) => s,
            Ok(None) => return Outcome::Done("the subscription was removed".into()),
            Err(e) => return Outcome::Retry(e.to_string()),
        };
        let request = match request(state, &sub, &row.body_text) {
            Ok(r) => r,
            Err(e) => return Outcome::Dead(e),
        };
        match self.agent.run(request) {
            Ok(res) => match res.status().as_u16() {
                200..=299 => Outcome::Sent,
                code @ (404 | 410) => {
                    if let Err(e) = state
                        .conn()
                        .and_then(|mut c| Ok(db::push::delete(&mut c, &sub.id)?))
                    {
                        return Outcome::Retry(e.to_string());
                    }
                    Outcome::Done(format!(
                        "the push service answered {code}: subscription dropped"
                    ))
                }
                code @ (429 | 500..=599) => {
                    Outcome::Retry(format!("the push service answered {code}"))
                }
                code => Outcome::Dead(format!("the push service answered {code}")),
            },
            Err(e) => Outcome::Retry(format!("push service unreachable: {e}")),
        }
    }
}

/// The encrypted, signed POST to the subscription's endpoint.
fn request(
    state: &AppState,
    sub: &SubscriptionRow,
    payload: &str,
) -> Result<http::Request<Vec<u8>>, String> {
    let uri: http::Uri = sub.endpoint.parse().map_err(|_| "bad endpoint")?;
    let key = URL_SAFE_NO_PAD
        .decode(&sub.p256dh)
        .ok()
        .and_then(|k| p256::PublicKey::from_sec1_bytes(&k).ok())
        .ok_or("bad p256dh key")?;
    let auth = URL_SAFE_NO_PAD
        .decode(&sub.auth)
        .ok()
        .filter(|a| a.len() == 16)
        .ok_or("bad auth secret")?;
    let mut req = web_push_native::WebPushBuilder::new(
        uri.clone(),
        key,
        web_push_native::Auth::clone_from_slice(&auth),
    )
    .with_valid_duration(Duration::from_secs(TTL_S))
    .build(payload.as_bytes().to_vec())
    .map_err(|e| format!("cannot encrypt: {e}"))?;
    let authorization = state.vapid.authorization(&uri, state.now())?;
    let h = req.headers_mut();
    // the HTTP client writes the length of the body itself
    h.remove(http::header::CONTENT_LENGTH);
    h.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_str(&authorization).map_err(|e| e.to_string())?,
    );
    // a proposal holds places for minutes: wake the phone (RFC 8030 §5.3)
    h.insert("urgency", http::HeaderValue::from_static("high"));
    Ok(req)
}

/// Delivers the push alerts due now, at most `limit`; returns how many were sent.
pub fn deliver_due(state: &AppState, sender: &Sender, limit: i64) -> AppResult<usize> {
    crate::mail::drain(state, "push", limit, |row| sender.send(state, row))
}

/// The worker: one thread per server process, polling every `MAIL_POLL_MS`.
pub fn spawn_worker(state: Arc<AppState>) {
    let every = Duration::from_millis(state.config.mail_poll_ms.max(50));
    let spawned = std::thread::Builder::new()
        .name("push".into())
        .spawn(move || {
            let sender = Sender::default();
            loop {
                match deliver_due(&state, &sender, 50) {
                    Ok(n) if n > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "push worker"),
                }
                std::thread::sleep(every);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the push worker");
    }
}
