//! `SMTP_URL` is read by lettre (`SmtpTransport::from_url`): percent-encoded
//! credentials reach a real SMTP server (aiosmtpd) decoded, and a URL that
//! does not ask for TLS explicitly never sends without STARTTLS.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::smtp::{self, Sink};
use lettre::message::Mailbox;
use porte_ouverte::db::models::OutboxRow;
use porte_ouverte::mail::transport::Transport;

fn row(id: &str) -> OutboxRow {
    OutboxRow {
        id: id.into(),
        kind: "test".into(),
        recipient: "guest@example.org".into(),
        lang: "en".into(),
        subject: "Hello".into(),
        body_text: "text".into(),
        body_html: "<p>html</p>".into(),
        status: porte_ouverte::domain::states::OutboxStatus::Sending,
        attempts: 0,
        next_attempt_at: 0,
        claim: None,
        claimed_until: None,
        last_error: None,
        created_at: 0,
        sent_at: None,
        about: None,
    }
}

fn from() -> Mailbox {
    "Porte Ouverte <noreply@example.org>".parse().unwrap()
}

#[test]
fn percent_encoded_credentials_reach_the_server_decoded() {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let url = format!(
        "smtp://us%3Aer:p%40ss%3Aword%25@127.0.0.1:{}?tls=none",
        sink.port
    );
    let t = Transport::from_config(Some(&url), "unused").unwrap();
    t.send(&from(), "example.org", &row("m1")).unwrap();
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["auth"], serde_json::json!(["us:er", "p@ss:word%"]));
    // without credentials, no AUTH
    let t = Transport::from_config(Some(&sink.url()), "unused").unwrap();
    t.send(&from(), "example.org", &row("m2")).unwrap();
    let plain = sink
        .mails()
        .into_iter()
        .find(|m| m["message_id"] == "<m2@example.org>")
        .unwrap();
    assert!(plain.get("auth").is_none(), "{plain}");
}

#[test]
fn starttls_is_required_by_default() {
    if !smtp::available() {
        return;
    }
    // the sink offers no STARTTLS: a URL without tls= must refuse to send
    let sink = Sink::start();
    for url in [
        format!("smtp://127.0.0.1:{}", sink.port),
        format!("smtp://user:pw@127.0.0.1:{}", sink.port),
        format!("smtp://127.0.0.1:{}?tls=required", sink.port),
    ] {
        let t = Transport::from_config(Some(&url), "unused").unwrap();
        assert!(t.send(&from(), "example.org", &row("m3")).is_err(), "{url}");
    }
    assert!(sink.mails().is_empty(), "nothing sent in clear");
}
