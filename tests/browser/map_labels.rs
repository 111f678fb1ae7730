//! The optional map in Chromium: markup in people's text stays text in its labels.

use crate::common::browser::{Browser, Driver, KillOnDrop, available};
use crate::common::http::{http, start_server};
use crate::support::assert_submit_in_first_screen;
use serde_json::{Value, json};

/// The optional map labels points with people's own text (the host's
/// address, once revealed): markup in it must stay text, never become HTML
/// (Leaflet renders a string tooltip as HTML).
#[test]
fn map_labels_stay_text_in_a_real_browser() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start_server(
        &dir.path().join("po.db"),
        &[("MAP_TILE_URL", "http://127.0.0.1:9/{z}/{x}/{y}.png")],
    );
    let _server = KillOnDrop(server);
    let api = |method: &str, path: &str, token: Option<&str>, body: Value| {
        let (status, v) = http(&addr, method, path, token, Some(&body)).unwrap();
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {v}"
        );
        v
    };
    let field = |v: &Value, k: &str| v[k].as_str().unwrap().to_owned();
    api(
        "POST",
        "/api/v1/accounts",
        None,
        json!({"email": "h@example.org", "password": "long enough", "display_name": "Hélène"}),
    );
    let host = field(
        &api(
            "POST",
            "/api/v1/tokens",
            None,
            json!({"email": "h@example.org", "password": "long enough"}),
        ),
        "token",
    );
    let address =
        "3 rue Keller <i id=injected>bis</i><img src=x onerror=\"document.title='pwned'\">";
    let until = (chrono::Utc::now() + chrono::Duration::hours(24)).to_rfc3339();
    let offer = field(
        &api(
            "POST",
            "/api/v1/offers",
            Some(&host),
            json!({"lat": 48.8560, "lon": 2.3795, "address": address, "capacity": 2,
                   "available_until": until, "contact_phone": "+33 6 12 34 56 78"}),
        ),
        "id",
    );
    let req = api(
        "POST",
        "/api/v1/requests",
        None,
        json!({"lat": 48.859, "lon": 2.38, "party_size": 1, "name": "Zoé", "contact_phone": "+33 7 00 00 00 02"}),
    );
    let (rid, rt) = (field(&req, "id"), field(&req, "access_token"));
    let ask = api(
        "POST",
        &format!("/api/v1/requests/{rid}/matches"),
        Some(&rt),
        json!({"offer_id": offer}),
    );
    api(
        "POST",
        &format!("/api/v1/matches/{}/accept", field(&ask, "id")),
        Some(&host),
        json!({}),
    );

    let driver = Driver::start();
    // with JavaScript ("Use my location" shows), in French (longer words),
    // the request form's submit button is still in a phone's first screen
    let fr = Browser::open(&driver, "fr", true, (390, 844));
    fr.go(&format!("http://{addr}/need"));
    fr.wait_for("Demander un endroit où dormir");
    assert_submit_in_first_screen(&fr);
    drop(fr);
    let b = Browser::open(&driver, "en", true, (390, 844));
    b.go(&format!("http://{addr}/r/{rid}/{rt}"));
    b.wait_for("3 rue Keller");
    b.click("[data-show-map]");
    let markers = "document.querySelectorAll('.leaflet-container path.leaflet-interactive')";
    b.wait_until(&format!("return {markers}.length >= 2"));
    b.exec(&format!(
        "{markers}.forEach(p => p.dispatchEvent(new MouseEvent('mouseover', {{bubbles: true}}))); return null"
    ));
    b.wait_until("return document.querySelectorAll('.leaflet-tooltip').length >= 2");
    let labels = b.exec(
        "return [...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent).join(' | ')",
    );
    assert!(
        labels.as_str().unwrap().contains(address),
        "the address is shown as typed: {labels}"
    );
    assert_eq!(
        b.exec("return document.querySelectorAll('.leaflet-tooltip i, .leaflet-tooltip img, #injected').length"),
        json!(0),
        "no markup from the address reached the page"
    );
    assert_ne!(b.exec("return document.title"), json!("pwned"));
}
