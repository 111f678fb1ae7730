//! Closing an incident, on both backends: its offers close, its live
//! requests are cancelled and the places they held are freed (at its own
//! offers and at offers outside it, whose hosts are told), people are told,
//! and the personal data is purged after the retention delay — checked by
//! querying the tables directly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use diesel::prelude::*;
use serde_json::{Value, json};

on_both_backends!(
    closing_then_purging_deletes_the_personal_data,
    closing_frees_the_places_its_guests_held_elsewhere,
);

fn paris_incident(app: &TestApp) -> Value {
    json!({"name": "Paris, 13 November", "center": [48.8566, 2.3522], "radius_km": 5,
           "planned_end_at": app.in_hours(72)})
}

fn incident_of(app: &TestApp, table: &str, id: &str) -> Option<String> {
    use porte_ouverte::db::schema::{offers, requests};
    let mut c = app.state.conn().unwrap();
    match table {
        "offers" => offers::table
            .find(id)
            .select(offers::incident_id)
            .first(&mut *c)
            .unwrap(),
        _ => requests::table
            .find(id)
            .select(requests::incident_id)
            .first(&mut *c)
            .unwrap(),
    }
}

fn accepted_places(app: &TestApp, offer: &str) -> i32 {
    use porte_ouverte::db::schema::offers;
    let mut c = app.state.conn().unwrap();
    offers::table
        .find(offer)
        .select(offers::accepted_places)
        .first(&mut *c)
        .unwrap()
}

fn updated_at(app: &TestApp, request: &str) -> i64 {
    use porte_ouverte::db::schema::requests;
    let mut c = app.state.conn().unwrap();
    requests::table
        .find(request)
        .select(requests::updated_at)
        .first(&mut *c)
        .unwrap()
}

/// The mails of a kind, as (recipient, body text).
fn mails(app: &TestApp, kind: &str) -> Vec<(String, String)> {
    use porte_ouverte::db::schema::outbox::dsl as ob;
    let mut c = app.state.conn().unwrap();
    ob::outbox
        .filter(ob::kind.eq(kind))
        .select((ob::recipient, ob::body_text))
        .load(&mut *c)
        .unwrap()
}

async fn closing_frees_the_places_its_guests_held_elsewhere(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let inc = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        paris_incident(&app),
    )
    .await
    .s("id");
    // a door 6.4 km east of the incident's centre: outside its 5 km, within
    // the search radius of a guest 3.5 km east of it
    let (_, host) = sign_up_host(&svc, "outside@example.org").await;
    let door = offer(&svc, &app, &host, 48.8566, 2.44, 4).await;
    assert_eq!(incident_of(&app, "offers", &door), None);
    let (a, at) = guest(&svc, 48.8566, 2.40, 2).await;
    assert_eq!(incident_of(&app, "requests", &a), Some(inc.clone()));
    let m = ask(&svc, &a, &at, &door).await.s("id");
    assert_eq!(
        act(&svc, &m, "accept", &host).await.json["status"],
        "accepted"
    );
    // one of its guests is already there: that stays as it was
    let (x, xt) = guest(&svc, 48.8566, 2.40, 1).await;
    let mx = ask(&svc, &x, &xt, &door).await.s("id");
    act(&svc, &mx, "accept", &host).await;
    get(&svc, &format!("/api/v1/matches/{mx}"), Some(&xt)).await;
    assert_eq!(
        act(&svc, &mx, "arrived", &xt).await.json["status"],
        "arrived"
    );
    let arrived_at = updated_at(&app, &x);
    // another waits on a hold that ran out, not yet marked by the sweeper
    let (w, wt) = guest(&svc, 48.8566, 2.40, 1).await;
    let held = ask(&svc, &w, &wt, &door).await.s("id");
    assert_eq!(accepted_places(&app, &door), 3);
    app.clock.advance(25 * 60_000);
    // a party outside the incident finds no room for three
    let (o, ot) = guest(&svc, 48.8566, 2.46, 3).await;
    assert_eq!(incident_of(&app, "requests", &o), None);
    assert_eq!(ask(&svc, &o, &ot, &door).await.status, StatusCode::CONFLICT);

    let closed = post(
        &svc,
        &format!("/api/v1/coordination/incidents/{inc}/close"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    // the door stays open (not paused for the hold that ran out), its
    // places free again but the arrived guest's, both live matches ended
    let d = get(&svc, &format!("/api/v1/offers/{door}"), Some(&host)).await;
    assert_eq!(d.json["status"], "open", "{}", d.text);
    assert_eq!(d.json["remaining"], 3, "{}", d.text);
    assert_eq!(accepted_places(&app, &door), 1);
    for (mid, token) in [(&m, &at), (&held, &wt)] {
        let r = get(&svc, &format!("/api/v1/matches/{mid}"), Some(token)).await;
        assert_eq!(r.json["status"], "cancelled", "{}", r.text);
    }
    let r = get(&svc, &format!("/api/v1/matches/{mx}"), Some(&xt)).await;
    assert_eq!(r.json["status"], "arrived", "{}", r.text);
    assert_eq!(
        updated_at(&app, &x),
        arrived_at,
        "the arrival's time is kept"
    );
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    assert!(
        mails(&app, "expired").is_empty(),
        "a closed request's hold does not run out"
    );
    assert!(mails(&app, "paused").is_empty());
    let d = get(&svc, &format!("/api/v1/offers/{door}"), Some(&host)).await;
    assert_eq!(d.json["status"], "open", "not paused by the sweeper either");
    // its host is told why, once; the guests as before
    let told = mails(&app, "incident_closed");
    let to_host: Vec<&(String, String)> = told
        .iter()
        .filter(|(to, _)| to == "outside@example.org")
        .collect();
    assert_eq!(to_host.len(), 1, "{told:?}");
    // in the host's language (French by default)
    assert!(
        to_host[0].1.contains("de nouveau libres"),
        "{}",
        to_host[0].1
    );
    assert_eq!(
        told.iter()
            .filter(|(to, _)| to == "guest@example.org")
            .count(),
        2
    );
    // the freed places are in the search and can be taken
    assert!(candidate_ids(&svc, &o, &ot).await.contains(&door));
    assert_eq!(ask(&svc, &o, &ot, &door).await.status, StatusCode::CREATED);
    // closing again changes nothing
    let twice = post(
        &svc,
        &format!("/api/v1/coordination/incidents/{inc}/close"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(mails(&app, "incident_closed").len(), told.len());
    assert_eq!(accepted_places(&app, &door), 1);
}

/// Every text column of the tables that hold personal data, as one string.
fn dump(app: &TestApp) -> String {
    use diesel::sql_types::Text;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        t: String,
    }
    let mut c = app.state.conn().unwrap();
    let mut out = String::new();
    for q in [
        "SELECT COALESCE(name,'') || ' ' || COALESCE(contact_phone,'') || ' ' || COALESCE(contact_email,'') || ' ' || COALESCE(notes,'') || ' ' || COALESCE(trusted_email,'') || ' ' || CAST(lat AS TEXT) AS t FROM requests",
        "SELECT address || ' ' || COALESCE(contact_phone,'') || ' ' || COALESCE(contact_email,'') || ' ' || COALESCE(notes,'') || ' ' || CAST(lat AS TEXT) AS t FROM offers",
        "SELECT recipient || ' ' || subject || ' ' || body_text || ' ' || body_html AS t FROM outbox",
        "SELECT actor || ' ' || action || ' ' || subject || ' ' || detail AS t FROM audit_log",
        "SELECT actor || ' ' || action || ' ' || subject || ' ' || detail AS t FROM audit_queue",
    ] {
        for r in diesel::sql_query(q).load::<Row>(&mut *c).unwrap() {
            out.push_str(&r.t);
            out.push('\n');
        }
    }
    out
}

async fn closing_then_purging_deletes_the_personal_data(b: Backend) {
    let app = TestApp::with(b, |c| c.retention_days = 30);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let inc = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        paris_incident(&app),
    )
    .await
    .s("id");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let mut body = offer_body(&app, 48.8585, 2.3795, 4);
    body["address"] = json!("3 rue Oberkampf, 75011 Paris");
    body["notes"] = json!("code 1234, second floor");
    body["contact_phone"] = json!("+33 6 99 99 99 99");
    let inside = post(&svc, "/api/v1/offers", Some(&host), body)
        .await
        .s("id");
    let outside = offer(&svc, &app, &host, 45.7640, 4.8357, 3).await;
    // one guest arrives, one waits with a proposal, one with a trusted contact
    let (a, at) = guest(&svc, 48.8590, 2.3800, 2).await;
    let m = ask(&svc, &a, &at, &inside).await.s("id");
    act(&svc, &m, "accept", &host).await;
    get(&svc, &format!("/api/v1/matches/{m}"), Some(&at)).await;
    act(&svc, &m, "arrived", &at).await;
    let mut body = request_body(48.8590, 2.3800, 1);
    body["trusted_contact_email"] = json!("kin@example.org");
    body["trusted_contact_consent"] = json!(true);
    let w = post(&svc, "/api/v1/requests", None, body).await;
    let (wid, wt) = (w.s("id"), w.s("access_token"));
    ask(&svc, &wid, &wt, &inside).await;
    let rep = json!({"target_kind": "offer", "target_id": inside, "reason": "other", "details": "the stairs are dark"});
    assert_eq!(
        post(&svc, "/api/v1/reports", Some(&wt), rep).await.status,
        StatusCode::CREATED
    );
    assert!(dump(&app).contains("Samira") && dump(&app).contains("rue Oberkampf"));

    let closed = post(
        &svc,
        &format!("/api/v1/coordination/incidents/{inc}/close"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    assert_eq!(closed.json["status"], "closed");
    let twice = post(
        &svc,
        &format!("/api/v1/coordination/incidents/{inc}/close"),
        Some(&coord),
        json!({}),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    // its offers close, its live requests are cancelled, people are told
    let o = get(&svc, &format!("/api/v1/offers/{inside}"), Some(&host)).await;
    assert_eq!(o.json["status"], "closed");
    assert_eq!(
        get(&svc, &format!("/api/v1/offers/{outside}"), Some(&host))
            .await
            .json["status"],
        "open"
    );
    assert_eq!(
        get(&svc, &format!("/api/v1/requests/{wid}"), Some(&wt))
            .await
            .json["status"],
        "cancelled"
    );
    {
        use porte_ouverte::db::schema::outbox::dsl as ob;
        let mut c = app.state.conn().unwrap();
        let told: Vec<String> = ob::outbox
            .filter(ob::kind.eq("incident_closed"))
            .select(ob::recipient)
            .load(&mut *c)
            .unwrap();
        assert!(
            told.contains(&"host@example.org".to_owned())
                && told.contains(&"guest@example.org".to_owned()),
            "{told:?}"
        );
    }

    // not before the retention delay...
    app.clock.advance(29 * 86_400_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    assert!(dump(&app).contains("Samira"));
    // ...then really deleted, only counts remain
    app.clock.advance(2 * 86_400_000);
    porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
    let left = dump(&app);
    for gone in [
        "Samira",
        "+33700000001",
        "guest@example.org",
        "kin@example.org",
        "with my brother",
        "rue Oberkampf",
        "code 1234",
        "+33699999999",
        "48.859",
    ] {
        assert!(!left.contains(gone), "'{gone}' survived the purge: {left}");
    }
    {
        use porte_ouverte::db::schema::{matches, offers, requests, reveals};
        let mut c = app.state.conn().unwrap();
        let n: i64 = requests::table
            .filter(requests::id.eq_any([&a, &wid]))
            .count()
            .get_result(&mut *c)
            .unwrap();
        assert_eq!(n, 0);
        let n: i64 = offers::table
            .filter(offers::id.eq(&inside))
            .count()
            .get_result(&mut *c)
            .unwrap();
        assert_eq!(n, 0);
        let n: i64 = matches::table.count().get_result(&mut *c).unwrap();
        assert_eq!(n, 0);
        let n: i64 = reveals::table.count().get_result(&mut *c).unwrap();
        assert_eq!(n, 0);
        let n: i64 = offers::table
            .filter(offers::id.eq(&outside))
            .count()
            .get_result(&mut *c)
            .unwrap();
        assert_eq!(n, 1, "outside the incident: kept");
        use porte_ouverte::db::schema::reports;
        let n: i64 = reports::table.count().get_result(&mut *c).unwrap();
        assert_eq!(n, 0, "reports about it carried free text");
    }
    // (a month later the coordinator's token has expired: log in again)
    let coord = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "coord@example.org", "password": "coordinator pw"}),
    )
    .await
    .s("token");
    let after = get(
        &svc,
        &format!("/api/v1/coordination/incidents/{inc}"),
        Some(&coord),
    )
    .await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text);
    assert_eq!(after.json["summary"]["people"], 3);
    assert_eq!(after.json["summary"]["people_arrived"], 2);
    assert_eq!(after.json["summary"]["offers"], 1);
    assert!(after.json["purged_at"].is_string());
    // the audit chain still holds; the guests' links lead nowhere
    let mut c = app.state.conn().unwrap();
    porte_ouverte::service::audit::chain_pending(&app.state, &mut c).unwrap();
    assert!(
        porte_ouverte::service::audit::verify(&mut c)
            .unwrap()
            .is_ok()
    );
    drop(c);
    assert_eq!(
        get(&svc, &format!("/api/v1/requests/{wid}"), Some(&wt))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
