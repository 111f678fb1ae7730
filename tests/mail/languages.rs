//! Every kind of mail in both languages: exactly these arrive.

use crate::common::smtp::{self, Sink};
use crate::common::*;
use crate::on_both_backends;
use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

on_both_backends!(every_mail_in_both_languages);

/// Every kind of mail, once with hosts and coordinators in French and
/// guests in English, once the other way round: exactly these arrive.
async fn every_mail_in_both_languages(backend: Backend) {
    if !smtp::available() {
        return;
    }
    for (staff, guests) in [("fr", "en"), ("en", "fr")] {
        let sink = Sink::start();
        let t = smtp_transport(&sink);
        let app = TestApp::new(backend);
        let svc = app.service().await;
        let lang = |l: &str| if l == "fr" { "fr-FR" } else { "en-GB" };
        // a coordinator (in the staff's language) and a host
        {
            use porte_ouverte::service::accounts;
            let mut conn = app.state.conn().unwrap();
            let new = accounts::parse_new_account(json!({"email": "coord@example.org", "password": "coordinator pw", "display_name": "Coord", "lang": staff})).unwrap();
            accounts::create(
                &app.state,
                &mut conn,
                new,
                porte_ouverte::domain::states::Role::Coordinator,
            )
            .unwrap();
        }
        let r = send(
            &svc,
            TestRequest::post()
                .uri("/api/v1/accounts")
                .insert_header(("accept-language", lang(staff)))
                .set_json(json!({"email": "host@example.org", "password": "correct horse", "display_name": "Hélène"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let host = post(
            &svc,
            "/api/v1/tokens",
            None,
            json!({"email": "host@example.org", "password": "correct horse"}),
        )
        .await
        .s("token");
        let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 8).await;
        let guest_at = |email: &str, extra: Value| {
            let mut body = request_body(48.8590, 2.3800, 1);
            body["contact_email"] = json!(email);
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            send(
                &svc,
                TestRequest::post()
                    .uri("/api/v1/requests")
                    .insert_header(("accept-language", lang(guests)))
                    .set_json(body),
            )
        };
        // accepted, arrived, trusted contact
        let a = guest_at(
            "a@example.org",
            json!({"trusted_contact_email": "kin@example.org", "trusted_contact_consent": true}),
        )
        .await;
        let m = ask(&svc, &a.s("id"), &a.s("access_token"), &offer_id)
            .await
            .s("id");
        act(&svc, &m, "accept", &host).await;
        post(
            &svc,
            &format!("/api/v1/matches/{m}/unsafe"),
            Some(&a.s("access_token")),
            json!({}),
        )
        .await;
        act(&svc, &m, "arrived", &a.s("access_token")).await;
        // declined
        let b = guest_at("b@example.org", json!({})).await;
        let mb = ask(&svc, &b.s("id"), &b.s("access_token"), &offer_id)
            .await
            .s("id");
        act(&svc, &mb, "decline", &host).await;
        // invited by the host
        let c = guest_at("c@example.org", json!({})).await;
        post(
            &svc,
            &format!("/api/v1/offers/{offer_id}/matches"),
            Some(&host),
            json!({"request_id": c.s("id")}),
        )
        .await;
        // accepted then never confirmed; and a hold that runs out
        let d = guest_at("d@example.org", json!({})).await;
        let md = ask(&svc, &d.s("id"), &d.s("access_token"), &offer_id)
            .await
            .s("id");
        act(&svc, &md, "accept", &host).await;
        let e = guest_at("e@example.org", json!({})).await;
        ask(&svc, &e.s("id"), &e.s("access_token"), &offer_id).await;
        app.clock.advance(91 * 60_000);
        porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
        post(
            &svc,
            "/api/v1/password-resets",
            None,
            json!({"email": "host@example.org"}),
        )
        .await;
        send_requested_resets(&app);
        while deliver(&app, &t) > 0 {}

        let mut got: Vec<(String, String)> = sink
            .mails()
            .iter()
            .map(|m| {
                (
                    m["rcpt"][0].as_str().unwrap().to_owned(),
                    m["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        got.sort();
        let (s, g) = (staff == "fr", guests == "fr");
        let pick = |fr: bool, fr_text: &str, en_text: &str| {
            if fr {
                fr_text.to_owned()
            } else {
                en_text.to_owned()
            }
        };
        let mut want: Vec<(String, String)> = vec![
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Confirmez votre adresse e-mail",
                    "Confirm your e-mail address",
                ),
            ),
            // the hold that ran out unanswered paused the offer
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Accueillez-vous toujours cette nuit ?",
                    "Are you still hosting tonight?",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Choisissez un nouveau mot de passe",
                    "Choose a new password",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(
                    s,
                    "Demande d'hébergement, 1 pers.",
                    "Shelter request, party of 1",
                ),
            ),
            (
                "host@example.org".into(),
                pick(s, "Arrivée confirmée", "Arrival confirmed"),
            ),
            (
                "coord@example.org".into(),
                pick(
                    s,
                    &format!("URGENT : une personne hébergée ne se sent pas en sécurité ({m})"),
                    &format!("URGENT: a guest feels unsafe (match {m})"),
                ),
            ),
            (
                "coord@example.org".into(),
                pick(
                    s,
                    &format!("Arrivée non confirmée : mise en relation {md}"),
                    &format!("No arrival confirmed: match {md}"),
                ),
            ),
            (
                "kin@example.org".into(),
                pick(g, "Samira est en sécurité", "Samira is safe"),
            ),
            (
                "a@example.org".into(),
                pick(g, "Un hôte vous attend", "A host is waiting for you"),
            ),
            (
                "a@example.org".into(),
                pick(g, "Arrivée confirmée", "Arrival confirmed"),
            ),
            (
                "b@example.org".into(),
                pick(
                    g,
                    "Cet hôte ne peut pas vous accueillir",
                    "This host cannot take you",
                ),
            ),
            (
                "c@example.org".into(),
                pick(g, "Un hôte vous invite", "A host invites you"),
            ),
            (
                "d@example.org".into(),
                pick(g, "Un hôte vous attend", "A host is waiting for you"),
            ),
            (
                "e@example.org".into(),
                pick(
                    g,
                    "L'hôte n'a pas répondu à temps",
                    "The host did not answer in time",
                ),
            ),
        ];
        for who in ["a", "b", "c", "d", "e"] {
            want.push((
                format!("{who}@example.org"),
                pick(
                    g,
                    "Votre demande d'hébergement",
                    "Your request for a place to stay",
                ),
            ));
        }
        want.sort();
        assert_eq!(got, want, "staff {staff}, guests {guests}");
    }
}
