//! Site-wide: CSRF and origin checks, languages, hashed assets, page weight, the map turned off.

use crate::common::*;
use crate::support::*;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

#[actix_web::test]
async fn csrf_and_origin_are_checked() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (cookie, token, _) = csrf(&svc, "en").await;
    let good = [
        ("place", "75011"),
        ("party_size", "1"),
        ("name", "Sam"),
        ("contact_phone", "0600000000"),
    ];
    let mut with_token = vec![("csrf", token.as_str())];
    with_token.extend(good);
    // another site posting with the visitor's cookie
    let r = send(
        &svc,
        form_post("/need", &cookie, "https://evil.example", &with_token),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // no token, or a wrong one
    let r = send(
        &svc,
        form_post("/need", &cookie, "http://localhost:8080", &good),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut wrong = vec![("csrf", "x".repeat(43))];
    wrong.extend(good.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = send(
        &svc,
        form_post("/need", &cookie, "http://localhost:8080", &wrong),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("did not come from this site"));
    assert_eq!(request_count(&app), 0);
    let r = send(
        &svc,
        form_post("/need", &cookie, "http://localhost:8080", &with_token),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(request_count(&app), 1);
}

#[actix_web::test]
async fn languages_assets_and_page_weight() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let fr = send(
        &svc,
        TestRequest::get()
            .uri("/")
            .insert_header(("accept-language", "fr-FR,fr;q=0.9")),
    )
    .await;
    assert!(fr.text.contains("<html lang=\"fr\""));
    assert!(
        fr.text
            .contains("J'ai besoin d'un endroit où dormir ce soir")
            || fr.text.contains("J&#39;ai besoin")
    );
    let en = send(
        &svc,
        TestRequest::get()
            .uri("/")
            .insert_header(("accept-language", "en-GB")),
    )
    .await;
    assert!(en.text.contains("I need a place to stay tonight"));
    assert!(en.text.contains("I can open my door"));
    // the switcher persists the choice and only goes back to local paths
    let sw = send(&svc, TestRequest::get().uri("/lang/en?next=/need")).await;
    assert_eq!(sw.status, StatusCode::SEE_OTHER);
    assert_eq!(sw.headers.get("location").unwrap(), "/need");
    assert!(
        sw.headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("po_lang=en")
    );
    let evil = send(&svc, TestRequest::get().uri("/lang/en?next=//evil.example")).await;
    assert_eq!(evil.headers.get("location").unwrap(), "/");
    let after = send(
        &svc,
        TestRequest::get()
            .uri("/need")
            .insert_header(("accept-language", "fr"))
            .cookie(Cookie::new("po_lang", "en")),
    )
    .await;
    assert!(after.text.contains("Ask for a place to stay"));

    // assets: content-hashed, cached for a year; the guest page is light
    let mut total = 0;
    let (_, _, form) = csrf(&svc, "en").await;
    total += form.text.len();
    for name in ["app.css", "app.js"] {
        let href = porte_ouverte::views::assets::url(name);
        assert_ne!(href, format!("/assets/{name}"), "hashed name");
        assert!(form.text.contains(&href), "{name} linked");
        let a = send(&svc, TestRequest::get().uri(&href)).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(
            a.headers.get("cache-control").unwrap(),
            "public, max-age=31536000, immutable"
        );
        total += a.text.len();
    }
    assert!(total < 60 * 1024, "guest form page weighs {total} bytes");
    assert!(!form.text.contains("<script>"), "no inline script");
    assert!(!form.text.contains("style="), "no inline style");
    let missing = send(&svc, TestRequest::get().uri("/assets/app.css")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let nf = send(
        &svc,
        TestRequest::get()
            .uri("/nowhere")
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert!(nf.text.contains("Page not found"));
}

#[actix_web::test]
async fn the_map_can_be_turned_off() {
    let app = TestApp::with(Backend::Sqlite, |c| c.map_tile_url = "off".into());
    let svc = app.service().await;
    let (rid, rt) = guest(&svc, 48.8585, 2.3795, 1).await;
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&format!("/r/{rid}/{rt}"))
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Keep this link") && !page.text.contains("data-map"));
    let csp = page
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("img-src 'self' data:;"), "{csp}");
}

#[actix_web::test]
async fn a_request_page_with_ten_open_doors_stays_light() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    for i in 0..10 {
        let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
        offer(&svc, &app, &h, 48.8585 + i as f64 * 0.001, 2.3795, 4).await;
    }
    let (rid, rt) = guest(&svc, 48.8590, 2.3800, 1).await;
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&format!("/r/{rid}/{rt}"))
            .insert_header(("accept-language", "fr")),
    )
    .await;
    assert_eq!(page.text.matches("Demander à cet hôte").count(), 10);
    let mut weight = page.text.len();
    for name in ["app.css", "app.js"] {
        let href = porte_ouverte::views::assets::url(name);
        weight += send(&svc, TestRequest::get().uri(&href)).await.text.len();
    }
    assert!(weight < 60 * 1024, "{weight} bytes");
}
