//! "Is my relative safe?" finds a name stored under an earlier folding: at
//! start, `service::findable::refold` folds the stored names again with
//! `domain::fold` (both backends).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use porte_ouverte::db::schema::requests;
use serde_json::json;

on_both_backends!(names_stored_under_an_earlier_folding_are_found_again);

async fn names_stored_under_an_earlier_folding_are_found_again(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let mut body = request_body(48.8590, 2.3800, 1);
    body["findable_name"] = json!("Łucja Nuñez-Stræde");
    body["findable_consent"] = json!(true);
    let r = post(&svc, "/api/v1/requests", None, body).await;
    let (rid, rt) = (r.s("id"), r.s("access_token"));
    let m = ask(&svc, &rid, &rt, &offer_id).await.s("id");
    act(&svc, &m, "accept", &host).await;
    act(&svc, &m, "arrived", &rt).await;
    let safe = |svc, name: &'static str| async move {
        get(svc, &format!("/api/v1/safe?name={name}"), None)
            .await
            .json["reported_safe"]
            .clone()
    };
    assert_eq!(safe(&svc, "lucja%20nunez%20straede").await, true);
    // the key the folding before domain::fold gave this name
    let key = |app: &TestApp| {
        let mut c = app.state.conn().unwrap();
        requests::table
            .find(&rid)
            .select(requests::findable_key)
            .first::<Option<String>>(&mut *c)
            .unwrap()
    };
    {
        let mut c = app.state.conn().unwrap();
        diesel::update(requests::table.find(&rid))
            .set(requests::findable_key.eq("łucja nuñez stræde"))
            .execute(&mut *c)
            .unwrap();
    }
    assert_eq!(safe(&svc, "lucja%20nunez%20straede").await, false, "stale");
    let mut c = app.state.conn().unwrap();
    let refold = |c: &mut _| porte_ouverte::service::findable::refold(&app.state, c).unwrap();
    assert_eq!(refold(&mut c), 1);
    assert_eq!(key(&app).as_deref(), Some("lucja nunez straede"));
    assert_eq!(refold(&mut c), 0, "nothing left to do");
    drop(c);
    assert_eq!(safe(&svc, "%C5%81UCJA%20Nu%C3%B1ez%20Straede").await, true);
}
