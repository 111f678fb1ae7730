//! The password-reset and address-verification links that mails carry.

use crate::common::smtp::{self, Sink};
use crate::common::*;
use crate::on_both_backends;
use crate::support::*;
use actix_web::http::StatusCode;
use serde_json::{Value, json};

on_both_backends!(password_reset_and_verification_links);

/// The link a mail carries after `marker` (e.g. "/host/reset/").
fn link_token(mail: &Value, marker: &str) -> String {
    mail["text"]
        .as_str()
        .unwrap()
        .split(marker)
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

async fn password_reset_and_verification_links(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let t = smtp_transport(&sink);
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (_, old_token) = sign_up_host(&svc, "nadia@example.org").await;
    deliver(&app, &t);
    let verify_mail = one(
        &sink.to("nadia@example.org"),
        "Confirmez votre adresse e-mail",
    );
    let verify_token = link_token(&verify_mail, "/host/verify/");

    // the same answer whether or not the address has an account
    let unknown = post(
        &svc,
        "/api/v1/password-resets",
        None,
        json!({"email": "nobody@example.org"}),
    )
    .await;
    let known = post(
        &svc,
        "/api/v1/password-resets",
        None,
        json!({"email": "NADIA@example.org"}),
    )
    .await;
    assert_eq!(
        (unknown.status, known.status),
        (StatusCode::ACCEPTED, StatusCode::ACCEPTED)
    );
    assert_eq!(unknown.text, known.text);
    for bad in [
        json!({}),
        json!({"email": 5}),
        json!({"email": "x@y.z", "admin": true}),
    ] {
        let r = post(&svc, "/api/v1/password-resets", None, bad.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    send_requested_resets(&app);
    deliver(&app, &t);
    assert!(sink.to("nobody@example.org").is_empty());
    let reset_mail = one(
        &sink.to("nadia@example.org"),
        "Choisissez un nouveau mot de passe",
    );
    let token = link_token(&reset_mail, "/host/reset/");
    assert!(token.starts_with("prs_"), "{token}");

    // a weak password is refused and the link stays usable; a wrong link changes nothing
    let confirm = |token: &str, password: &str| {
        post(
            &svc,
            "/api/v1/password-resets/confirm",
            None,
            json!({"token": token, "password": password}),
        )
    };
    let r = confirm(&token, "short").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["password"]);
    let r = confirm("prs_not_a_real_link", "a brand new password").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = confirm(&verify_token, "a brand new password").await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a verification link resets nothing"
    );
    let r = confirm(&token, "a brand new password").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(
        confirm(&token, "yet another password").await.status,
        StatusCode::CONFLICT,
        "once"
    );
    // the old password and the old sessions are gone
    let me = get(&svc, "/api/v1/accounts/me", Some(&old_token)).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let old = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "nadia@example.org", "password": "correct horse"}),
    )
    .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "nadia@example.org", "password": "a brand new password"}),
    )
    .await;
    assert_eq!(new.status, StatusCode::CREATED);
    let token_now = new.s("token");

    // a reset link lasts one hour
    post(
        &svc,
        "/api/v1/password-resets",
        None,
        json!({"email": "nadia@example.org"}),
    )
    .await;
    send_requested_resets(&app);
    deliver(&app, &t);
    let late: Vec<Value> = sink
        .to("nadia@example.org")
        .into_iter()
        .filter(|m| m["subject"] == "Choisissez un nouveau mot de passe")
        .collect();
    assert_eq!(late.len(), 2);
    let fresh = late
        .iter()
        .map(|m| link_token(m, "/host/reset/"))
        .find(|t| *t != token)
        .unwrap();
    app.clock.advance(61 * 60_000);
    assert_eq!(
        confirm(&fresh, "too late password").await.status,
        StatusCode::CONFLICT
    );

    // verification: resent on demand, once confirmed no more; an old link still works once
    let resend = post(
        &svc,
        "/api/v1/accounts/me/verification",
        Some(&token_now),
        json!({}),
    )
    .await;
    assert_eq!(resend.status, StatusCode::ACCEPTED);
    let anonymous = post(&svc, "/api/v1/accounts/me/verification", None, json!({})).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    deliver(&app, &t);
    let verifies = sink
        .to("nadia@example.org")
        .into_iter()
        .filter(|m| m["subject"] == "Confirmez votre adresse e-mail")
        .count();
    assert_eq!(verifies, 2);
    let r = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": verify_token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let resend = post(
        &svc,
        "/api/v1/accounts/me/verification",
        Some(&token_now),
        json!({}),
    )
    .await;
    assert_eq!(resend.status, StatusCode::CONFLICT);
    let r = post(&svc, "/api/v1/accounts/verify", None, json!({"token": 42})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // a verification link expires after two days
    let (_, other) = sign_up_host(&svc, "omar@example.org").await;
    deliver(&app, &t);
    let expired = link_token(
        &one(
            &sink.to("omar@example.org"),
            "Confirmez votre adresse e-mail",
        ),
        "/host/verify/",
    );
    app.clock.advance(49 * 3_600_000);
    let r = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": expired}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let me = get(&svc, "/api/v1/accounts/me", Some(&other)).await;
    assert_eq!(me.json["email_verified"], false);
}
