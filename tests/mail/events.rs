//! Each event's mails in the recipient's language; escalation, unsafe flag, trusted contact.

use crate::common::smtp::{self, Sink};
use crate::common::*;
use crate::on_both_backends;
use crate::support::*;
use actix_web::http::StatusCode;
use diesel::prelude::*;
use serde_json::{Value, json};

on_both_backends!(
    each_event_sends_its_mails_in_the_recipients_language,
    escalation_unsafe_flag_and_trusted_contact,
);

async fn each_event_sends_its_mails_in_the_recipients_language(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let t = smtp_transport(&sink);
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (host, offer_id) = french_host(&svc, &app, "helene@example.org").await;

    // the host confirms the address from the mailed link, in French
    assert_eq!(deliver(&app, &t), 1);
    let verify = one(
        &sink.to("helene@example.org"),
        "Confirmez votre adresse e-mail",
    );
    let text = verify["text"].as_str().unwrap();
    assert!(text.starts_with("Bonjour Hélène Dupont,"), "{text}");
    let token = text
        .split("/host/verify/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let me = get(&svc, "/api/v1/accounts/me", Some(&host)).await;
    assert_eq!(me.json["email_verified"], false);
    let r = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let me = get(&svc, "/api/v1/accounts/me", Some(&host)).await;
    assert_eq!(me.json["email_verified"], true);
    let again = post(
        &svc,
        "/api/v1/accounts/verify",
        None,
        json!({"token": token}),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a link works once");

    // a guest who left an e-mail gets the private link, in English
    let (rid, rt) = english_guest(&svc, "sam@example.org", json!({})).await;
    assert_eq!(deliver(&app, &t), 1);
    let link = one(
        &sink.to("sam@example.org"),
        "Your request for a place to stay",
    );
    assert!(
        link["text"]
            .as_str()
            .unwrap()
            .contains(&format!("/r/{rid}/{rt}")),
        "{link}"
    );
    assert!(
        link["html"]
            .as_str()
            .unwrap()
            .contains(&format!("/r/{rid}/{rt}"))
    );
    let mid = link["message_id"].as_str().unwrap();
    assert!(
        mid.starts_with("<msg_") && mid.ends_with("@porte-ouverte.invalid>"),
        "{mid}"
    );
    assert_eq!(
        link["from"],
        "Porte Ouverte <no-reply@porte-ouverte.invalid>"
    );

    // the guest asks: the host hears it in French, without the guest's contact
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(m.status, StatusCode::CREATED);
    deliver(&app, &t);
    let proposal = one(
        &sink.to("helene@example.org"),
        "Demande d'hébergement, 2 pers.",
    );
    let text = proposal["text"].as_str().unwrap();
    assert!(text.contains("Samira demande 2 places"), "{text}");
    assert_no_secret(text, GUEST_SECRETS);
    assert_no_secret(proposal["html"].as_str().unwrap(), GUEST_SECRETS);
    assert!(!text.contains("sam@example.org"));

    // the host accepts: the guest gets the address and contact, in English
    assert_eq!(
        act(&svc, &m.s("id"), "accept", &host).await.status,
        StatusCode::OK
    );
    deliver(&app, &t);
    let accepted = one(&sink.to("sam@example.org"), "A host is waiting for you");
    let text = accepted["text"].as_str().unwrap();
    for line in [
        "Hélène Dupont accepted.",
        "Address: 12 rue de la Roquette, 75011 Paris",
        "Phone: +33612345678",
        "Notes from the host: Digicode 4521B, 3rd floor",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }

    // arrival: both sides hear it
    assert_eq!(
        act(&svc, &m.s("id"), "arrived", &rt).await.status,
        StatusCode::OK
    );
    deliver(&app, &t);
    one(&sink.to("sam@example.org"), "Arrival confirmed");
    let host_arrival = one(&sink.to("helene@example.org"), "Arrivée confirmée");
    assert!(
        host_arrival["text"]
            .as_str()
            .unwrap()
            .contains("L'arrivée de Samira est confirmée.")
    );

    // a host declining a guest who asked: the guest hears it, with other doors
    let (rid2, rt2) = english_guest(&svc, "noor@example.org", json!({})).await;
    let m2 = ask(&svc, &rid2, &rt2, &offer_id).await;
    let (_, other_host) = sign_up_host(&svc, "second@example.org").await;
    offer(&svc, &app, &other_host, 48.8600, 2.3810, 3).await;
    assert_eq!(
        act(&svc, &m2.s("id"), "decline", &host).await.status,
        StatusCode::OK
    );
    deliver(&app, &t);
    let declined = one(&sink.to("noor@example.org"), "This host cannot take you");
    let text = declined["text"].as_str().unwrap();
    assert!(
        text.contains("Open doors near you now:") && text.contains("3 places free"),
        "{text}"
    );

    // a hold that runs out: the guest hears it when the sweeper passes
    let (rid3, rt3) = english_guest(&svc, "ines@example.org", json!({"lang": "fr"})).await;
    ask(&svc, &rid3, &rt3, &offer_id).await;
    app.clock.advance(21 * 60_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    deliver(&app, &t);
    let expired = one(
        &sink.to("ines@example.org"),
        "L'hôte n'a pas répondu à temps",
    );
    assert!(
        expired["text"]
            .as_str()
            .unwrap()
            .contains("Bonjour Samira,")
    );

    // every mail left once; bodies are not kept after delivery
    let all = sink.mails();
    let ids: std::collections::BTreeSet<&str> = all
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), all.len(), "one Message-ID per mail");
    assert!(outbox(&app).iter().all(|(_, s, _)| s == "sent"));
    use porte_ouverte::db::schema::outbox::dsl as o;
    let mut c = app.state.conn().unwrap();
    let kept: i64 = o::outbox
        .filter(o::body_text.ne(""))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(kept, 0);
    assert_eq!(deliver(&app, &t), 0, "nothing sent twice");
}

async fn escalation_unsafe_flag_and_trusted_contact(backend: Backend) {
    if !smtp::available() {
        return;
    }
    let sink = Sink::start();
    let t = smtp_transport(&sink);
    let app = TestApp::new(backend);
    let svc = app.service().await;
    coordinator_token(&app, "coord@example.org");
    let (host, offer_id) = french_host(&svc, &app, "helene@example.org").await;

    // the trusted contact needs the guest's explicit consent
    let mut body = request_body(48.8590, 2.3800, 2);
    body["trusted_contact_email"] = json!("mum@example.org");
    let r = post(&svc, "/api/v1/requests", None, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["trusted_contact_consent"]);
    body["trusted_contact_email"] = json!("not an address");
    body["trusted_contact_consent"] = json!(true);
    let r = post(&svc, "/api/v1/requests", None, body).await;
    assert_eq!(r.error_fields(), vec!["trusted_contact_email"]);

    let (rid, rt) = english_guest(
        &svc,
        "sam@example.org",
        json!({"trusted_contact_email": "mum@example.org", "trusted_contact_consent": true}),
    )
    .await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    let mid = m.s("id");
    act(&svc, &mid, "accept", &host).await;

    // "I feel unsafe": only the guest may raise it; coordinators are told, the host is not
    let r = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&host),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        None,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&rt),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["emergency_numbers"], json!(["112", "17"]));
    post(
        &svc,
        &format!("/api/v1/matches/{mid}/unsafe"),
        Some(&rt),
        json!({}),
    )
    .await;
    deliver(&app, &t);
    let urgent = sink.to("coord@example.org");
    assert_eq!(urgent.len(), 1, "one alert, however often pressed");
    assert_eq!(
        urgent[0]["subject"],
        format!("URGENT : une personne hébergée ne se sent pas en sécurité ({mid})")
    );
    let host_view = get(&svc, &format!("/api/v1/matches/{mid}"), Some(&host)).await;
    assert!(!host_view.text.contains("unsafe"), "{}", host_view.text);
    assert!(
        sink.to("helene@example.org")
            .iter()
            .all(|m| !m["subject"].as_str().unwrap().contains("URGENT"))
    );

    // no arrival within ARRIVAL_WINDOW_MINUTES: escalated once, shown first
    let coord = coordinator_token(&app, "coord2@example.org");
    app.clock.advance(89 * 60_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    deliver(&app, &t);
    assert_eq!(sink.to("coord@example.org").len(), 1, "not yet");
    app.clock.advance(2 * 60_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    deliver(&app, &t);
    for to in ["coord@example.org", "coord2@example.org"] {
        let late: Vec<Value> = sink
            .to(to)
            .into_iter()
            .filter(|m| m["subject"] == format!("Arrivée non confirmée : mise en relation {mid}"))
            .collect();
        assert_eq!(late.len(), 1, "{to}");
    }
    let alerts = get(&svc, "/api/v1/coordination/alerts", Some(&coord)).await;
    assert_eq!(alerts.json["alerts"][0]["kind"], "unsafe");
    assert_eq!(alerts.json["alerts"][0]["match"]["id"], mid.as_str());
    let denied = get(&svc, "/api/v1/coordination/alerts", Some(&host)).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // arrival: the trusted contact is told once, the area at most
    act(&svc, &mid, "arrived", &rt).await;
    deliver(&app, &t);
    let safe = sink.to("mum@example.org");
    assert_eq!(safe.len(), 1);
    assert_eq!(safe[0]["subject"], "Samira is safe");
    let text = safe[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Samira has reached a shelter and is safe (area: Paris 11e)."),
        "{text}"
    );
    assert_no_secret(text, SECRETS);
    assert_no_secret(safe[0]["html"].as_str().unwrap(), SECRETS);
    assert!(!text.contains("Hélène"));
}
