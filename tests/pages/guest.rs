//! A guest's whole path without JavaScript, and a waiting guest's page updating itself.

use crate::common::*;
use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::json;

#[actix_web::test]
async fn guest_path_without_javascript() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    offer(&svc, &app, &host, 48.8585, 2.3795, 3).await; // Paris 11e

    let (cookie, token, form) = csrf(&svc, "en").await;
    assert!(
        form.text.contains("Use my location") && form.text.contains("Town, district or postcode")
    );
    assert!(
        form.text.contains("<label for=\"f-place\">"),
        "every field has a label"
    );

    // a place name instead of a position
    let res = send(
        &svc,
        form_post(
            "/need",
            &cookie,
            "http://localhost:8080",
            &[
                ("csrf", &token),
                ("place", "75011"),
                ("lat", ""),
                ("lon", ""),
                ("party_size", "2"),
                ("name", "Samira"),
                ("contact_phone", "+33 7 00 00 00 01"),
                ("contact_email", ""),
                ("notes", ""),
                ("pets", ""),
                ("languages", "AR; fr"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let link = res
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(link.starts_with("/r/req_"));
    let mut parts = link.trim_start_matches("/r/").split('/');
    let (rid, rt) = (parts.next().unwrap(), parts.next().unwrap());
    let stored = get(&svc, &format!("/api/v1/requests/{rid}"), Some(rt)).await;
    assert_eq!(
        stored.json["languages"],
        json!(["ar", "fr"]),
        "{}",
        stored.text
    );

    let page = send(
        &svc,
        TestRequest::get()
            .uri(&link)
            .insert_header(("accept-language", "en"))
            .insert_header(("host", HOST))
            .cookie(cookie.clone()),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Keep this link"));
    assert!(
        page.text.contains(&format!("http://localhost:8080{link}")),
        "the full private link is shown"
    );
    assert!(
        page.text.contains("Distance: &lt;1 km") || page.text.contains("Distance: <1 km"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Area: Paris 11e"));
    // the request page is light too: HTML, CSS and script (the map's
    // Leaflet is fetched only when someone asks for the map)
    let mut weight = page.text.len();
    for name in ["app.css", "app.js"] {
        let a = send(
            &svc,
            TestRequest::get().uri(&porte_ouverte::views::assets::url(name)),
        )
        .await;
        weight += a.text.len();
    }
    assert!(weight < 60 * 1024, "request page weighs {weight} bytes");
    assert!(
        !page.text.contains("leaflet.js\""),
        "Leaflet is not loaded with the page"
    );
    // the optional map: OpenStreetMap tiles by default, allowed by the CSP,
    // the guest's own point and the doors' areas (never a host's point)
    let csp = page
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"),
        "{csp}"
    );
    assert!(
        page.text
            .contains("data-tiles=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"")
    );
    assert!(
        page.text.contains("Show the map")
            && page.text.contains("&quot;kind&quot;:&quot;door&quot;")
    );
    for name in ["leaflet.js", "leaflet.css"] {
        let href = porte_ouverte::views::assets::url(name);
        assert!(
            page.text
                .contains(&format!("data-{}=\"{href}\"", name.replace('.', "-"))),
            "{name}"
        );
        let a = send(&svc, TestRequest::get().uri(&href)).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.text.len() > 10_000, "{name} served whole");
    }
    assert!(
        page.text.contains("/events?v=") && !page.text.contains("http-equiv=\"refresh\""),
        "waiting pages update themselves, never with a meta refresh"
    );
    assert_no_secret(&page.text, SECRETS);
    let offer_id = page
        .text
        .split("name=\"offer_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();

    let asked = send(
        &svc,
        form_post(
            &format!("{link}/ask"),
            &cookie,
            "http://localhost:8080",
            &[("csrf", &token), ("offer_id", &offer_id)],
        ),
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&link)
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(page.text.contains("You asked this host"), "{}", page.text);
    assert_no_secret(&page.text, SECRETS);

    // the host accepts (API); the page reveals the address, with a map link
    let rid = link.split('/').nth(2).unwrap();
    let m = get(
        &svc,
        &format!("/api/v1/offers/{offer_id}/matches"),
        Some(&host),
    )
    .await;
    let mid = m.json["matches"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(m.json["matches"][0]["request_id"], rid);
    post(
        &svc,
        &format!("/api/v1/matches/{mid}/accept"),
        Some(&host),
        json!({}),
    )
    .await;
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&link)
            .insert_header(("accept-language", "fr")),
    )
    .await;
    assert!(page.text.contains("12 rue de la Roquette"), "{}", page.text);
    assert!(page.text.contains("openstreetmap.org/?mlat="));
    assert!(page.text.contains("Je suis bien arrivé·e"));
    let arrived = send(
        &svc,
        form_post(
            &format!("{link}/arrived/{mid}"),
            &cookie,
            "http://localhost:8080",
            &[("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(arrived.status, StatusCode::SEE_OTHER);
    let page = send(
        &svc,
        TestRequest::get()
            .uri(&link)
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(page.text.contains("You arrived safely"));
    assert!(
        !page.text.contains("http-equiv=\"refresh\"") && !page.text.contains("data-live-stream")
    );

    // someone else's link, or a wrong token: not found
    let wrong = send(&svc, TestRequest::get().uri(&format!("/r/{rid}/por_wrong"))).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
}

/// Without JavaScript no page reloads by itself; a waiting guest with
/// nothing to type may ask theirs to (and stop it), never a page with a
/// field to type in.
#[actix_web::test]
async fn a_waiting_guest_without_javascript_may_ask_the_page_to_update_itself() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (rid, rt) = guest(&svc, 48.8585, 2.3795, 1).await;
    let page = format!("/r/{rid}/{rt}");
    let get_page = |uri: String| {
        let svc = &svc;
        async move {
            send(
                svc,
                TestRequest::get()
                    .uri(&uri)
                    .insert_header(("accept-language", "en")),
            )
            .await
        }
    };
    // no door nearby: nothing to type; not on by itself, offered to turn on
    let plain = get_page(page.clone()).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(
        plain.headers.get("refresh").is_none(),
        "{:?}",
        plain.headers
    );
    assert!(!plain.text.contains("<textarea"), "{}", plain.text);
    assert!(
        plain.text.contains(&format!("<noscript> · <a href=\"{page}?auto=1\">Update this page by itself every 30 seconds</a></noscript>")),
        "{}",
        plain.text
    );
    // turned on: the header, and the way to stop it
    let on = get_page(format!("{page}?auto=1")).await;
    assert_eq!(on.status, StatusCode::OK);
    assert_eq!(
        on.headers.get("refresh").unwrap().to_str().unwrap(),
        format!("30; url={page}?auto=1")
    );
    assert!(
        on.text.contains(&format!(
            "<a href=\"{page}\">Stop updating this page by itself</a>"
        )),
        "{}",
        on.text
    );
    // a door appears: the page has a report form to type in, so it never
    // updates itself, whatever the address asks
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    offer(&svc, &app, &host, 48.859, 2.38, 2).await;
    let typed = get_page(format!("{page}?auto=1")).await;
    assert!(layout_typeable(&typed.text), "{}", typed.text);
    assert!(typed.headers.get("refresh").is_none());
    assert!(!typed.text.contains("by itself"), "{}", typed.text);
}

fn layout_typeable(html: &str) -> bool {
    porte_ouverte::views::layout::typeable(html)
}
