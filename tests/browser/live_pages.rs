//! Live pages in Chromium: an ask and an acceptance shown within 2 s, what was typed kept.

use crate::common::browser::{Browser, Driver, KillOnDrop, available};
use crate::common::http::{http, start_server};
use serde_json::{Value, json};
use std::io::Write;
use std::time::{Duration, Instant};

/// Live pages: the host's open dashboard shows a new ask, and the guest's
/// open page shows the host's acceptance, each within 2 s, while what they
/// were typing stays as it was.
#[test]
fn live_pages_in_a_real_browser() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start_server(&dir.path().join("po.db"), &[("MAP_TILE_URL", "off")]);
    let _server = KillOnDrop(server);
    let base = format!("http://{addr}");
    let api = |method: &str, path: &str, token: Option<&str>, body: Value| {
        let (status, v) = http(&addr, method, path, token, Some(&body)).unwrap();
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {v}"
        );
        v
    };
    let until = (chrono::Utc::now() + chrono::Duration::hours(24)).to_rfc3339();
    let mut hosts = vec![];
    for (email, address, lat) in [
        (
            "a@example.org",
            "12 rue de la Roquette, 75011 Paris",
            48.8585,
        ),
        ("b@example.org", "3 rue Keller, 75011 Paris", 48.8560),
    ] {
        api(
            "POST",
            "/api/v1/accounts",
            None,
            json!({"email": email, "password": "long enough", "display_name": "Hélène Dupont"}),
        );
        let token = api(
            "POST",
            "/api/v1/tokens",
            None,
            json!({"email": email, "password": "long enough"}),
        )["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let offer = api(
            "POST",
            "/api/v1/offers",
            Some(&token),
            json!({"lat": lat, "lon": 2.3795, "address": address,
            "capacity": 4, "available_until": until, "contact_phone": "+33 6 12 34 56 78"}),
        )["id"]
            .as_str()
            .unwrap()
            .to_owned();
        hosts.push((token, offer));
    }
    let driver = Driver::start();
    let live = "return document.documentElement.dataset.liveState === 'on'";
    let within_2s = |b: &Browser<'_>, text: &str| -> Duration {
        let start = Instant::now();
        let script = format!("return document.body.innerText.includes({})", json!(text));
        while b.exec(&script) != json!(true) {
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "'{text}' not shown within 2 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        start.elapsed()
    };

    // the host's dashboard is open, a note half-written in the offer form
    let host = Browser::open(&driver, "en", true, (1280, 900));
    host.go(&format!("{base}/host/login"));
    host.wait_for("Log in");
    host.type_into("#f-email", "a@example.org");
    host.type_into("#f-password", "long enough");
    host.click("button[type=submit]");
    host.wait_for("Your offers");
    host.wait_until(live);
    host.type_into("#f-notes", "Second floor, the code is");

    // a guest asks: the dashboard shows it, the note is still there
    let req = api(
        "POST",
        "/api/v1/requests",
        None,
        json!({"lat": 48.859, "lon": 2.38, "party_size": 2, "name": "Zoé", "contact_phone": "+33 7 00 00 00 02"}),
    );
    let (rid, rt) = (
        req["id"].as_str().unwrap(),
        req["access_token"].as_str().unwrap(),
    );
    let guest = Browser::open(&driver, "en", true, (390, 844));
    guest.go(&format!("{base}/r/{rid}/{rt}"));
    guest.wait_for("Keep this link");
    guest.wait_until(live);
    let ask = api(
        "POST",
        &format!("/api/v1/requests/{rid}/matches"),
        Some(rt),
        json!({"offer_id": hosts[0].1}),
    );
    let shown = within_2s(&host, "Zoé");
    assert_eq!(
        host.exec("return document.querySelector('#f-notes').value"),
        json!("Second floor, the code is")
    );
    let _ = writeln!(
        std::io::stderr(),
        "live: the host saw the ask after {shown:?}"
    );
    guest.wait_for("You asked this host");

    // the guest writes half a report about the other door; the host accepts
    let other = &hosts[1].1;
    guest.click("#live-candidates details.report summary");
    guest.type_into(&format!("#details-{other}"), "He asked me for mon");
    let mid = ask["id"].as_str().unwrap();
    api(
        "POST",
        &format!("/api/v1/matches/{mid}/accept"),
        Some(&hosts[0].0),
        json!({}),
    );
    let shown = within_2s(&guest, "12 rue de la Roquette");
    let _ = writeln!(
        std::io::stderr(),
        "live: the guest saw the acceptance after {shown:?}"
    );
    assert_eq!(
        guest.exec(&format!(
            "return document.querySelector('#details-{other}').value"
        )),
        json!("He asked me for mon"),
        "the half-written report survives"
    );
    assert_eq!(
        guest.exec("return document.activeElement.name"),
        json!("details"),
        "and keeps the focus"
    );
    guest.wait_until(
        "return document.querySelector('[data-live-announce]').textContent === 'This page was updated.'",
    );
}
