//! Exports and "is my relative safe?" on both backends: CSV with and
//! without personal data (the latter audited), HXL per area, PFIF 1.4 for
//! consenting guests only, the search that answers only "reported safe, at".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::*;
use serde_json::json;

on_both_backends!(exports_and_the_safe_search);

async fn exports_and_the_safe_search(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let mut a = request_body(48.8590, 2.3800, 2);
    a["findable_name"] = json!("Samira Haddad");
    let r = post(&svc, "/api/v1/requests", None, a.clone()).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "consent is required"
    );
    assert_eq!(r.error_fields(), vec!["findable_consent"]);
    a["findable_consent"] = json!(true);
    let r = post(&svc, "/api/v1/requests", None, a).await;
    let (aid, at) = (r.s("id"), r.s("access_token"));
    let mut c = request_body(48.8590, 2.3800, 1);
    c["findable_name"] = json!("Omar Zidane");
    c["findable_consent"] = json!(true);
    post(&svc, "/api/v1/requests", None, c).await;
    let m = ask(&svc, &aid, &at, &offer_id).await.s("id");
    act(&svc, &m, "accept", &host).await;

    // before the arrival: no report; after: "reported safe, at", nothing else
    let safe = |name: &str| format!("/api/v1/safe?name={name}");
    assert_eq!(
        get(&svc, &safe("Samira%20Haddad"), None).await.json["reported_safe"],
        false
    );
    act(&svc, &m, "arrived", &at).await;
    let yes = get(&svc, &safe("%20%20samira%20HADDAD"), None).await;
    assert_eq!(yes.json["reported_safe"], true, "{}", yes.text);
    assert!(yes.json["at"].is_string());
    assert_eq!(
        yes.json.as_object().unwrap().len(),
        2,
        "nothing but the answer: {}",
        yes.text
    );
    assert_no_secret(&yes.text, SECRETS);
    assert!(!yes.text.contains("Paris") && !yes.text.contains("11e"));
    assert_eq!(
        get(&svc, &safe("Omar%20Zidane"), None).await.json["reported_safe"],
        false,
        "waiting, not safe yet"
    );
    assert_eq!(
        get(&svc, &safe("Samira"), None).await.json["reported_safe"],
        false,
        "the full name only"
    );
    assert_eq!(
        get(&svc, &safe("x"), None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        get(&svc, "/api/v1/safe", None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let page = send(
        &svc,
        TestRequest::get()
            .uri("/safe?name=Samira+Haddad")
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(
        page.text
            .contains("Samira Haddad was reported safe and sheltered at"),
        "{}",
        page.text
    );

    // CSV: no personal data unless asked for, and then audited
    let export = |kind: &str| format!("/api/v1/coordination/exports/{kind}");
    let plain = get(&svc, &export("offers.csv"), Some(&coord)).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(
        plain
            .headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        plain
            .text
            .starts_with("id,status,capacity,accepted,cell,cell_lat,cell_lon,area,")
    );
    assert!(plain.text.contains("Paris 11e"));
    assert_no_secret(&plain.text, SECRETS);
    let requests_plain = get(&svc, &export("requests.csv"), Some(&coord)).await;
    assert!(!requests_plain.text.contains("Samira") && !requests_plain.text.contains("+3370"));
    let full = get(&svc, &export("offers.csv?personal=true"), Some(&coord)).await;
    assert!(
        full.text.contains("12 rue de la Roquette") && full.text.contains("'+33612345678"),
        "{}",
        full.text
    );
    let full = get(&svc, &export("requests.csv?personal=true"), Some(&coord)).await;
    assert!(full.text.contains("Samira"));
    {
        use diesel::prelude::*;
        use porte_ouverte::db::schema::audit_log::dsl as al;
        let mut c = app.state.conn().unwrap();
        porte_ouverte::service::audit::chain_pending(&app.state, &mut c).unwrap();
        let n: i64 = al::audit_log
            .filter(al::action.eq("export.personal"))
            .count()
            .get_result(&mut *c)
            .unwrap();
        assert_eq!(n, 2);
    }
    assert_eq!(
        get(&svc, &export("offers.csv?personal=maybe"), Some(&coord))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        get(&svc, &export("secrets.csv"), Some(&coord)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&svc, &export("offers.csv"), Some(&host)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&svc, &export("offers.csv"), Some(&at)).await.status,
        StatusCode::FORBIDDEN
    );

    // HXL: hashtags under the headers; people sheltered per area
    let hxl = get(&svc, &export("areas-hxl.csv"), Some(&coord)).await;
    let lines: Vec<&str> = hxl.text.lines().collect();
    assert_eq!(
        lines[1],
        "#adm2+name,#org+hosts+num,#capacity+free+num,#affected+waiting+num,#reached+sheltered+num"
    );
    let paris = lines.iter().find(|l| l.starts_with("Paris 11e,")).unwrap();
    assert!(paris.ends_with(",1,2"), "{paris}");

    // PFIF 1.4: only the consenting guest who arrived, believed alive
    let pfif = get(&svc, &export("pfif.xml"), Some(&coord)).await;
    assert!(
        pfif.text
            .contains("xmlns:pfif=\"http://zesty.ca/pfif/1.4\"")
    );
    assert!(
        pfif.text
            .contains("<pfif:full_name>Samira Haddad</pfif:full_name>")
    );
    assert!(
        pfif.text
            .contains("<pfif:status>believed_alive</pfif:status>")
    );
    assert_eq!(pfif.text.matches("<pfif:person>").count(), 1);
    assert!(!pfif.text.contains("Omar"));
    assert_no_secret(&pfif.text, SECRETS);
    assert!(!pfif.text.contains("Paris 11e"));
}

#[actix_web::test]
async fn the_safe_search_is_rate_limited() {
    let app = TestApp::with(Backend::Sqlite, |c| c.rate_login_per_min = 3);
    let svc = app.service().await;
    let mut last = StatusCode::OK;
    for _ in 0..5 {
        last = send(
            &svc,
            TestRequest::get()
                .uri("/api/v1/safe?name=Samira%20Haddad")
                .peer_addr("203.0.113.9:4000".parse().unwrap()),
        )
        .await
        .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}
