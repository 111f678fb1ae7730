//! Incident areas on both backends: a polygon given as GeoJSON comes back
//! as the same GeoJSON, places what is inside it, and every malformed
//! polygon — in either format — is a 422 naming its field, with a message
//! that says what is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::{Value, json};

on_both_backends!(
    a_geojson_area_comes_back_as_it_was_given,
    invalid_polygons_are_refused_field_by_field,
);

fn lyon_ring() -> Value {
    // RFC 7946: [lon, lat], the ring closed
    json!([[
        [4.80, 45.70],
        [4.90, 45.70],
        [4.90, 45.80],
        [4.80, 45.80],
        [4.80, 45.70]
    ]])
}

async fn a_geojson_area_comes_back_as_it_was_given(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let before = offer(&svc, &app, &host, 45.75, 4.85, 2).await;
    let area = json!({"type": "Polygon", "coordinates": lyon_ring()});
    let r = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Lyon floods", "area": area, "planned_end_at": app.in_hours(24)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["area"], area, "{}", r.text);
    assert_eq!(
        r.json["polygon"],
        json!([[45.70, 4.80], [45.70, 4.90], [45.80, 4.90], [45.80, 4.80]]),
        "the first format is still given"
    );
    let c = &r.json["center"];
    assert!(
        (c[0].as_f64().unwrap() - 45.75).abs() < 1e-9
            && (c[1].as_f64().unwrap() - 4.85).abs() < 1e-9,
        "the centroid: {c}"
    );
    assert!(r.json.get("radius_km").is_none());
    let id = r.s("id");
    let one = get(
        &svc,
        &format!("/api/v1/coordination/incidents/{id}"),
        Some(&coord),
    )
    .await;
    assert_eq!(one.json["area"], area, "read back equal");
    let list = get(&svc, "/api/v1/coordination/incidents", Some(&coord)).await;
    assert_eq!(list.json["incidents"][0]["area"], area);
    // what is inside belongs to it, before and after
    let after = offer(&svc, &app, &host, 45.72, 4.82, 2).await;
    let outside = offer(&svc, &app, &host, 45.85, 4.85, 2).await;
    let incident_of = |offer: &str| {
        use diesel::prelude::*;
        use porte_ouverte::db::schema::offers;
        let mut c = app.state.conn().unwrap();
        offers::table
            .find(offer)
            .select(offers::incident_id)
            .first::<Option<String>>(&mut *c)
            .unwrap()
    };
    assert_eq!(incident_of(&before), Some(id.clone()));
    assert_eq!(incident_of(&after), Some(id.clone()));
    assert_eq!(incident_of(&outside), None);
    // a circle's area is its centre, as a Point
    let paris = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Paris", "center": [48.8566, 2.3522], "radius_km": 5, "planned_end_at": app.in_hours(24)}),
    )
    .await;
    assert_eq!(paris.status, StatusCode::CREATED, "{}", paris.text);
    assert_eq!(
        paris.json["area"],
        json!({"type": "Point", "coordinates": [2.3522, 48.8566]})
    );
    // a GeoJSON Feature holding the polygon is read too
    let feature = json!({"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [[[5.0, 45.0], [5.1, 45.0], [5.1, 45.1], [5.0, 45.0]]]}});
    let f = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Isère", "area": feature, "planned_end_at": app.in_hours(24)}),
    )
    .await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.text);
    assert_eq!(f.json["area"], feature["geometry"]);
}

async fn invalid_polygons_are_refused_field_by_field(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let polygon = |coordinates: Value| json!({"type": "Polygon", "coordinates": coordinates});
    let bow_tie = json!([[[0, 0], [1, 1], [0, 1], [1, 0], [0, 0]]]);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("polygon", json!([]), "at least 3 distinct points"),
        (
            "polygon",
            json!([[48.8, 2.3], [48.9, 2.4]]),
            "at least 3 distinct points",
        ),
        (
            "polygon",
            json!([[48.8, 2.3], [48.9, "NaN"], [48.9, 2.5]]),
            "[lat, lon] points",
        ),
        (
            "polygon",
            json!([[48.8, 2.3], [95.0, 2.4], [48.9, 2.5]]),
            "lat in -90..90",
        ),
        (
            "polygon",
            json!([[0, 0], [1, 1], [1, 0], [0, 1]]),
            "must not cross",
        ),
        ("area", polygon(json!([])), "at least 3 distinct points"),
        ("area", polygon(json!([[]])), "at least 3 distinct points"),
        (
            "area",
            polygon(json!([[[4.8, 45.7], [4.9, 45.7], [4.8, 45.7]]])),
            "at least 3 distinct points",
        ),
        (
            "area",
            polygon(json!([[
                [4.8, 45.7],
                ["NaN", 45.7],
                [4.9, 45.8],
                [4.8, 45.7]
            ]])),
            "GeoJSON Polygon",
        ),
        (
            "area",
            polygon(json!([[
                [4.8, 45.7],
                [4.9, null],
                [4.9, 45.8],
                [4.8, 45.7]
            ]])),
            "GeoJSON Polygon",
        ),
        (
            "area",
            polygon(json!([[
                [4.8, 45.7],
                [200.0, 45.7],
                [4.9, 45.8],
                [4.8, 45.7]
            ]])),
            "lon in -180..180",
        ),
        (
            "area",
            polygon(json!([[
                [4.8, 45.7],
                [4.9, 45.7],
                [4.9, 45.8],
                [4.8, 45.8]
            ]])),
            "closed",
        ),
        ("area", polygon(bow_tie), "must not cross"),
        (
            "area",
            json!({"type": "Point", "coordinates": [4.8, 45.7]}),
            "GeoJSON Polygon",
        ),
        (
            "area",
            json!([[45.7, 4.8], [45.7, 4.9], [45.8, 4.9]]),
            "GeoJSON Polygon",
        ),
        (
            "area",
            polygon(json!([
                [[0, 0], [0, 3], [3, 3], [3, 0], [0, 0]],
                [[1, 1], [1, 2], [2, 2], [1, 1]]
            ])),
            "holes",
        ),
    ];
    for (field, value, message) in cases {
        let mut body = json!({"name": "Somewhere", "planned_end_at": app.in_hours(24)});
        body[field] = value.clone();
        let r = post(&svc, "/api/v1/coordination/incidents", Some(&coord), body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value}: {}",
            r.text
        );
        let errors = r.json["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{value}: one error: {}", r.text);
        assert_eq!(errors[0]["field"], field, "{value}: {}", r.text);
        assert!(
            errors[0]["message"].as_str().unwrap().contains(message),
            "{value}: wants {message:?}: {}",
            r.text
        );
    }
    // both formats at once: one polygon only
    let square = json!([[45.70, 4.80], [45.70, 4.90], [45.80, 4.90]]);
    let r = post(
        &svc,
        "/api/v1/coordination/incidents",
        Some(&coord),
        json!({"name": "Twice", "polygon": square, "area": {"type": "Polygon", "coordinates": lyon_ring()}, "planned_end_at": app.in_hours(24)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.error_fields(), vec!["area".to_owned()]);
    let list = get(&svc, "/api/v1/coordination/incidents", Some(&coord)).await;
    assert_eq!(list.json["incidents"], json!([]), "nothing opened");
}
