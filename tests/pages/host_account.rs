//! A host's account: sign-up, login and its rate limit, address confirmation, password reset.

use crate::common::*;
use crate::support::*;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

#[actix_web::test]
async fn host_signs_up_offers_and_logs_out() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    let r = send(&svc, TestRequest::get().uri("/host")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get("location").unwrap(), "/host/login");
    let (cookie, token, _) = csrf(&svc, "en").await;

    // sign-up errors: shown beside fields, typed values kept (never the password), nothing stored
    let bad = send(
        &svc,
        form_post(
            "/host/signup",
            &cookie,
            origin,
            &[
                ("csrf", &token),
                ("display_name", "Nadia"),
                ("email", "nadia@"),
                ("password", "short"),
                ("phone", "call me"),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    for f in ["email", "password", "phone"] {
        assert!(bad.text.contains(&format!("id=\"f-{f}-error\"")), "{f}");
    }
    assert!(bad.text.contains("value=\"Nadia\"") && bad.text.contains("value=\"nadia@\""));
    assert!(
        !bad.text.contains("value=\"short\""),
        "passwords are never echoed"
    );
    let no_csrf = send(
        &svc,
        form_post(
            "/host/signup",
            &cookie,
            origin,
            &[
                ("display_name", "N"),
                ("email", "n@example.org"),
                ("password", "long enough"),
            ],
        ),
    )
    .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);

    let ok = send(
        &svc,
        form_post(
            "/host/signup",
            &cookie,
            origin,
            &[
                ("csrf", &token),
                ("display_name", "Nadia"),
                ("email", "nadia@example.org"),
                ("password", "long enough"),
                ("phone", ""),
            ],
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let session = session_of(&ok);
    let taken = send(
        &svc,
        form_post(
            "/host/signup",
            &cookie,
            origin,
            &[
                ("csrf", &token),
                ("display_name", "Other"),
                ("email", "nadia@example.org"),
                ("password", "long enough"),
            ],
        ),
    )
    .await;
    assert!(taken.text.contains("already exists"));

    let dash = send(
        &svc,
        with_session(
            TestRequest::get()
                .uri("/host")
                .insert_header(("accept-language", "en")),
            &cookie,
            &session,
        ),
    )
    .await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.text.contains("Hello, Nadia") && dash.text.contains("You have no offer yet."));

    // offer form: errors, then a real offer that guests can find
    let post_offer = |fields: Vec<(&'static str, String)>| {
        let mut all = vec![("csrf".to_owned(), token.clone())];
        all.extend(fields.into_iter().map(|(k, v)| (k.to_owned(), v)));
        with_session(
            TestRequest::post()
                .uri("/host/offers")
                .insert_header(("host", HOST))
                .insert_header(("origin", origin))
                .insert_header(("accept-language", "en"))
                .set_form(all),
            &cookie,
            &session,
        )
    };
    let bad = send(
        &svc,
        post_offer(vec![
            ("place", "Atlantis".into()),
            ("address", "x".into()),
            ("capacity", "0".into()),
            ("hours", "999".into()),
        ]),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["place", "hours"] {
        assert!(
            bad.text.contains(&format!("id=\"f-{f}-error\"")),
            "{f}: {}",
            bad.text
        );
    }
    let bad2 = send(
        &svc,
        post_offer(vec![
            ("place", "75011".into()),
            ("address", "x".into()),
            ("capacity", "0".into()),
            ("hours", "24".into()),
        ]),
    )
    .await;
    for f in ["address", "capacity"] {
        assert!(
            bad2.text.contains(&format!("id=\"f-{f}-error\"")),
            "{f}: {}",
            bad2.text
        );
    }
    assert!(
        get(&svc, "/api/v1/coordination/overview", None)
            .await
            .status
            == StatusCode::UNAUTHORIZED
    );
    let created = send(
        &svc,
        post_offer(vec![
            ("place", "75011".into()),
            ("address", "3 rue Oberkampf".into()),
            ("capacity", "3".into()),
            ("hours", "24".into()),
            ("children_ok", "on".into()),
            ("contact_phone", "+33 6 00 00 00 09".into()),
            ("notes", "Code 1234".into()),
        ]),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let dash = send(
        &svc,
        with_session(
            TestRequest::get()
                .uri("/host")
                .insert_header(("accept-language", "en")),
            &cookie,
            &session,
        ),
    )
    .await;
    assert!(
        dash.text.contains("3 rue Oberkampf") && dash.text.contains("3 of 3 places free"),
        "{}",
        dash.text
    );
    let (rid, rt) = guest(&svc, 48.8585, 2.3795, 2).await;
    let c = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates"),
        Some(&rt),
    )
    .await;
    assert_eq!(
        c.json["candidates"].as_array().unwrap().len(),
        1,
        "the guest finds the new door"
    );
    assert!(!c.text.contains("Oberkampf"));

    // logging out revokes the session on the server, not only in the browser
    let out = send(
        &svc,
        with_session(
            form_post("/host/logout", &cookie, origin, &[("csrf", &token)]),
            &cookie,
            &session,
        ),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let again = send(
        &svc,
        with_session(TestRequest::get().uri("/host"), &cookie, &session),
    )
    .await;
    assert_eq!(again.headers.get("location").unwrap(), "/host/login");

    // log in: a wrong password and an unknown e-mail get the same answer
    let wrong = send(
        &svc,
        form_post(
            "/host/login",
            &cookie,
            origin,
            &[
                ("csrf", &token),
                ("email", "nadia@example.org"),
                ("password", "not it at all"),
            ],
        ),
    )
    .await;
    let unknown = send(
        &svc,
        form_post(
            "/host/login",
            &cookie,
            origin,
            &[
                ("csrf", &token),
                ("email", "who@example.org"),
                ("password", "not it at all"),
            ],
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.text.contains("Wrong e-mail address or password.")
            && unknown.text.contains("Wrong e-mail address or password.")
    );
    let back = send(
        &svc,
        form_post(
            "/host/login",
            &cookie,
            origin,
            &[
                ("csrf", &token),
                ("email", "Nadia@Example.org"),
                ("password", "long enough"),
            ],
        ),
    )
    .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_ne!(
        session_of(&back).value(),
        session.value(),
        "a fresh session id at log-in"
    );
}

#[actix_web::test]
async fn host_login_is_rate_limited() {
    let app = TestApp::with(Backend::Sqlite, |c| c.rate_login_per_min = 2);
    let svc = app.service().await;
    let (cookie, token, _) = csrf(&svc, "en").await;
    let mut last = StatusCode::OK;
    for _ in 0..3 {
        last = send(
            &svc,
            form_post(
                "/host/login",
                &cookie,
                "http://localhost:8080",
                &[
                    ("csrf", &token),
                    ("email", "a@b.fr"),
                    ("password", "whatever1"),
                ],
            ),
        )
        .await
        .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// The link in the newest outbox mail of `kind` (read before delivery).
fn mailed_link(app: &TestApp, kind: &str, marker: &str) -> String {
    use diesel::prelude::*;
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    let text: String = o::outbox
        .filter(o::kind.eq(kind))
        .order(o::created_at.desc())
        .select(o::body_text)
        .first(&mut *c)
        .unwrap();
    let token = text
        .split(marker)
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    format!("{marker}{token}")
}

#[actix_web::test]
async fn hosts_confirm_their_address_and_reset_a_forgotten_password() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let origin = "http://localhost:8080";
    let (cookie, token, session) = host_session(&svc, "nadia@example.org").await;
    let page = |uri: String, session: Option<&Cookie<'static>>| {
        let mut r = TestRequest::get()
            .uri(&uri)
            .insert_header(("accept-language", "en"))
            .cookie(cookie.clone());
        if let Some(s) = session {
            r = r.cookie(s.clone());
        }
        r
    };
    let d = send(&svc, page("/host".into(), Some(&session))).await;
    assert!(
        d.text
            .contains("Confirm your e-mail address: we sent you a link.")
    );
    let resend = send(
        &svc,
        with_session(
            form_post("/host/verify/resend", &cookie, origin, &[("csrf", &token)]),
            &cookie,
            &session,
        ),
    )
    .await;
    assert_eq!(resend.headers.get("location").unwrap(), "/host?notice=sent");
    let d = send(&svc, page("/host?notice=sent".into(), Some(&session))).await;
    assert!(d.text.contains("We sent you a new link."));

    // the link opens a page with one button: a mail scanner following it changes nothing
    let link = mailed_link(&app, "verify", "/host/verify/");
    let opened = send(&svc, page(link.clone(), None)).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.text.contains("Confirm my address"));
    let forged = send(
        &svc,
        form_post(&link, &cookie, origin, &[("csrf", "guess")]),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let ok = send(
        &svc,
        with_session(
            form_post(&link, &cookie, origin, &[("csrf", &token)]),
            &cookie,
            &session,
        ),
    )
    .await;
    assert_eq!(ok.headers.get("location").unwrap(), "/host?notice=verified");
    let d = send(&svc, page("/host?notice=verified".into(), Some(&session))).await;
    assert!(d.text.contains("Your e-mail address is confirmed."));
    assert!(!d.text.contains("we sent you a link"));
    let reused = send(&svc, form_post(&link, &cookie, origin, &[("csrf", &token)])).await;
    assert_eq!(reused.status, StatusCode::CONFLICT);
    assert!(
        reused
            .text
            .contains("This link is invalid, was already used, or has expired.")
    );

    // forgotten password: the same answer for every address; mistakes beside the field
    let login = send(&svc, page("/host/login".into(), None)).await;
    assert!(login.text.contains("href=\"/host/reset\""));
    let bad = send(
        &svc,
        form_post(
            "/host/reset",
            &cookie,
            origin,
            &[("csrf", &token), ("email", "not-an-address")],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("id=\"f-email-error\"") && bad.text.contains("value=\"not-an-address\"")
    );
    let mut answers = vec![];
    for email in ["nobody@example.org", "nadia@example.org"] {
        let r = send(
            &svc,
            form_post(
                "/host/reset",
                &cookie,
                origin,
                &[("csrf", &token), ("email", email)],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        answers.push(
            r.text
                .contains("If an account has this address, we sent it a link."),
        );
    }
    assert_eq!(answers, vec![true, true]);
    send_requested_resets(&app);
    let link = mailed_link(&app, "reset", "/host/reset/");
    let form = send(&svc, page(link.clone(), None)).await;
    assert!(form.text.contains("New password"));
    let weak = send(
        &svc,
        form_post(
            &link,
            &cookie,
            origin,
            &[("csrf", &token), ("password", "short")],
        ),
    )
    .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        weak.text.contains("id=\"f-password-error\"") && !weak.text.contains("value=\"short\"")
    );
    let done = send(
        &svc,
        form_post(
            &link,
            &cookie,
            origin,
            &[("csrf", &token), ("password", "a brand new password")],
        ),
    )
    .await;
    assert_eq!(
        done.headers.get("location").unwrap(),
        "/host/login?notice=reset"
    );
    // the old session is over; the notice says why
    let d = send(&svc, page("/host".into(), Some(&session))).await;
    assert_eq!(d.headers.get("location").unwrap(), "/host/login");
    let notice = send(&svc, page("/host/login?notice=reset".into(), None)).await;
    assert!(notice.text.contains("Your password is changed"));
    let again = send(
        &svc,
        form_post(
            &link,
            &cookie,
            origin,
            &[("csrf", &token), ("password", "another new password")],
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text.contains("Ask for a new link"));
}
