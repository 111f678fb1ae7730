//! Operations: health, readiness, metrics, a second instance on one database, the demo seed.

use crate::PARIS;
use crate::common::*;
use crate::on_both_backends;
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(
    operations_endpoints,
    second_instance_follows_writes,
    seed_demo_fills_the_index,
);

async fn operations_endpoints(b: Backend) {
    let app = TestApp::with(b, |c| {
        c.rate_requests_per_min = 2;
        c.metrics_token = Some(METRICS_TOKEN.into());
    });
    let svc = app.service().await;
    let h = get(&svc, "/healthz", None).await;
    assert_eq!(h.status, StatusCode::OK);
    let r = get(&svc, "/readyz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json["database"],
        if b == Backend::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    offer(&svc, &app, &host, PARIS.0, PARIS.1, 3).await;
    guest(&svc, 48.85, 2.35, 1).await;
    guest(&svc, 48.85, 2.35, 1).await;
    let limited = post(&svc, "/api/v1/requests", None, request_body(48.85, 2.35, 1)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let m = get(&svc, "/metrics", Some(METRICS_TOKEN)).await;
    assert!(m.text.contains("po_offers_open 1"), "{}", m.text);
    assert!(m.text.contains("po_places_free 3"));
    assert!(m.text.contains("po_requests_waiting 2"));
    assert!(
        m.text
            .contains("po_http_requests_total{method=\"POST\",status=\"2xx\"}")
    );
    assert!(
        m.text
            .contains("po_http_requests_total{method=\"POST\",status=\"4xx\"} 1")
    );
    // security headers on every response, no caching of personal data
    for res in [&h, &r, &limited, &m] {
        assert_eq!(
            res.headers.get("x-content-type-options").unwrap(),
            "nosniff"
        );
        assert_eq!(res.headers.get("x-frame-options").unwrap(), "DENY");
        assert_eq!(res.headers.get("referrer-policy").unwrap(), "same-origin");
        assert_eq!(res.headers.get("cache-control").unwrap(), "no-store");
    }
    let page = get(&svc, "/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Porte Ouverte"));
}

/// Two instances on one database: each one's candidate index follows the
/// other's writes (offers, holds, closing) through the sync.
async fn second_instance_follows_writes(b: Backend) {
    let app = TestApp::new(b);
    let mut config = app.state.config.clone();
    config.database_url = app.db.url.clone();
    let other = porte_ouverte::state::AppState::open(config, app.clock.clone()).unwrap();
    let svc_a = app.service().await;
    let svc_b = actix_web::test::init_service(porte_ouverte::web::app(
        other.clone(),
        porte_ouverte::web::state::WebState::new(&other.config).unwrap(),
    ))
    .await;

    let (_, host) = sign_up_host(&svc_a, "host@example.org").await;
    let offer_id = offer(&svc_a, &app, &host, PARIS.0, PARIS.1, 2).await;
    let (rid, rt) = guest(&svc_b, 48.85, 2.35, 2).await;
    let path = format!("/api/v1/requests/{rid}/candidates");
    assert_eq!(
        get(&svc_b, &path, Some(&rt)).await.json["candidates"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "not synced yet"
    );
    app.clock.advance(1);
    other.sync_index().unwrap();
    let c = get(&svc_b, &path, Some(&rt)).await;
    assert_eq!(c.json["candidates"][0]["offer_id"], offer_id.as_str());

    // a hold taken through A is seen by B after its next sync
    let (r2, t2) = guest(&svc_a, 48.85, 2.35, 1).await;
    post(
        &svc_a,
        &format!("/api/v1/requests/{r2}/matches"),
        Some(&t2),
        json!({"offer_id": offer_id}),
    )
    .await;
    app.clock.advance(1);
    other.sync_index().unwrap();
    assert_eq!(
        get(&svc_b, &path, Some(&rt)).await.json["candidates"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "1 place left, party of 2"
    );
    // and B's refusal comes from the database, even before a sync
    let refused = post(
        &svc_b,
        &format!("/api/v1/requests/{rid}/matches"),
        Some(&rt),
        json!({"offer_id": offer_id}),
    )
    .await;
    assert_eq!(refused.json["code"], "no_places");

    patch(
        &svc_a,
        &format!("/api/v1/offers/{offer_id}"),
        Some(&host),
        json!({"status": "closed"}),
    )
    .await;
    app.clock.advance(1);
    other.sync_index().unwrap();
    assert!(other.index.is_empty(), "a closed offer leaves every index");
}

async fn seed_demo_fills_the_index(b: Backend) {
    let app = TestApp::new(b);
    let mut conn = app.state.conn().unwrap();
    let n = porte_ouverte::seed::insert(&app.state, &mut conn, 1200, "paris", 1).unwrap();
    drop(conn);
    assert_eq!(n, 1200);
    assert_eq!(app.state.index.len(), 1200);
    let svc = app.service().await;
    let (rid, rt) = guest(&svc, 48.8566, 2.3522, 1).await;
    let c = get(
        &svc,
        &format!("/api/v1/requests/{rid}/candidates?limit=10"),
        Some(&rt),
    )
    .await;
    let list = c.json["candidates"].as_array().unwrap();
    assert_eq!(list.len(), 10, "a dense city has ten doors near its centre");
    let bands: Vec<u64> = list
        .iter()
        .map(|c| c["distance"]["max_m"].as_u64().unwrap())
        .collect();
    assert!(
        bands.windows(2).all(|w| w[0] <= w[1]),
        "nearest first: {bands:?}"
    );
}
