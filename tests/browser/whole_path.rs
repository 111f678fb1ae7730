//! One run through the site in Chromium: hosts, guests, keyboard, forged form, zoom, console.

use crate::common;
use crate::common::browser::{Browser, Driver, KillOnDrop, available};
use crate::common::http::{raw, start_server};
use crate::support::assert_submit_in_first_screen;
use serde_json::{Value, json};
use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Stdio};

#[test]
fn hosts_and_guests_in_a_real_browser() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // tiles from a port nobody listens on: the map must cope
    let (server, addr) = start_server(
        &dir.path().join("po.db"),
        &[("MAP_TILE_URL", "http://127.0.0.1:9/{z}/{x}/{y}.png")],
    );
    let _server = KillOnDrop(server);
    let base = format!("http://{addr}");
    let driver = Driver::start();

    // 0. A host signs up and offers places, in French, with JavaScript
    let host = Browser::open(&driver, "fr", true, (1280, 900));
    host.go(&format!("{base}/host"));
    host.wait_for("Se connecter");
    host.click("a[href='/host/signup']");
    host.wait_for("Créer un compte d'hôte");
    host.type_into("#f-display_name", "Hélène Dupont");
    host.type_into("#f-email", "helene@example.org");
    host.type_into("#f-password", "long enough");
    host.click("button[type=submit]");
    host.wait_for("Bonjour, Hélène Dupont");
    host.type_into("#f-address", "12 rue de la Roquette, 75011 Paris");
    host.type_into("#f-place", "75011");
    host.fill("#f-capacity", "4");
    host.type_into("#f-contact_phone", "+33 6 12 34 56 78");
    host.type_into("#f-notes", "Digicode 4521B");
    host.click("form[action='/host/offers'] button[type=submit]");
    host.wait_for("4 places libres sur 4");
    // Web Push is there: the opt-in shows, and its service worker covers the site
    host.wait_until("return !document.querySelector('[data-push]').hidden");
    assert_eq!(
        host.exec("return document.querySelector('[data-push-toggle]').textContent"),
        json!("M'alerter sur ce téléphone")
    );
    host.wait_until(
        "return navigator.serviceWorker.getRegistration('/').then(r => !!r && r.scope === location.origin + '/')",
    );
    host.screenshot("host-dashboard-desktop-fr");

    // 1. English, phone width, JavaScript off: a postcode instead of a position
    {
        let b = Browser::open(&driver, "en", false, (390, 844));
        b.go(&format!("{base}/"));
        b.wait_for("I need a place to stay tonight");
        b.screenshot("landing-phone-en");
        b.click("a.big");
        b.wait_for("Ask for a place to stay");
        assert_submit_in_first_screen(&b);
        let form = b.source();
        assert!(!form.contains("class=\"js\""), "no script ran");
        // submitting empty: messages beside the fields, nothing lost
        b.type_into("#f-name", "Samira");
        b.click("button[type=submit]");
        let errors = b.wait_for("Please correct the fields");
        assert!(errors.contains("Give a place or postcode we know"));
        assert!(errors.contains("value=\"Samira\""), "typed values survive");
        b.screenshot("need-errors-phone-en");
        b.type_into("#f-place", "75011");
        b.type_into("#f-contact_phone", "+33 7 00 00 00 01");
        b.fill("#f-party_size", "2");
        b.click("button[type=submit]");
        let page = b.wait_for("Keep this link");
        assert!(b.url().contains("/r/req_"));
        assert!(page.contains("Area: Paris 11e"));
        assert!(
            !page.contains("Roquette") && !page.contains("Digicode") && !page.contains("Dupont"),
            "nothing before consent"
        );
        b.screenshot("request-waiting-phone-en");
        // "let us ask hosts for you" was ticked by default: the platform asked
        // the one open door already; the guest says yes to it ahead
        assert!(page.contains("We asked this host for you"), "{page}");
        b.click("form[action*='/accept/'] button");
        b.wait_for("You asked this host");
        // the host sees the proposal, without the guest's contact, and accepts
        host.go(&format!("{base}/host"));
        let proposal = host.wait_for("Samira, 2 personnes");
        assert!(!proposal.contains("+33700000001"));
        host.click("form[action$='/accept'] button");
        host.wait_for("+33700000001");
        host.screenshot("host-accepted-desktop-fr");
        b.go(&b.url());
        let revealed = b.wait_for("12 rue de la Roquette");
        assert!(revealed.contains("Hélène Dupont") && revealed.contains("+33612345678"));
        b.screenshot("request-accepted-phone-en");
        b.click("form[action*='/arrived/'] button");
        b.wait_for("You arrived safely");
        host.go(&format!("{base}/host"));
        host.wait_for("Bien arrivé.");
    }

    // 2. French, desktop, JavaScript on, geolocation emulated in Paris 11e
    {
        let b = Browser::open(&driver, "fr", true, (1280, 900));
        b.cdp(
            "Browser.grantPermissions",
            json!({"origin": base, "permissions": ["geolocation"]}),
        );
        b.cdp(
            "Emulation.setGeolocationOverride",
            json!({"latitude": 48.8590, "longitude": 2.3800, "accuracy": 50}),
        );
        b.go(&format!("{base}/need"));
        b.wait_for("Demander un endroit où dormir");
        b.screenshot("need-desktop-fr");
        b.click("[data-locate]");
        b.wait_for("Position trouvée");
        b.type_into("#f-name", "Louis");
        b.type_into("#f-contact_email", "louis@example.org");
        // Louis prefers to choose his doors himself: it is in the folded part
        b.click("details.more summary");
        b.click("input[name=auto_ask]");
        b.click("button[type=submit]");
        let page = b.wait_for("Gardez ce lien");
        assert!(page.contains("Secteur : Paris 11e"), "{page}");
        b.screenshot("request-waiting-desktop-fr");
        b.click("[data-copy]");
        b.wait_for("Lien copié.");
        // the optional map, its tile server unreachable here: Leaflet loads on
        // demand and draws the guest and the doors' areas; the page stays whole
        assert_eq!(
            b.exec("return typeof L"),
            json!("undefined"),
            "Leaflet not loaded up front"
        );
        b.click("[data-show-map]");
        b.wait_until(
            "return document.querySelectorAll('.leaflet-container path.leaflet-interactive').length >= 2",
        );
        let with_map = b.source();
        assert!(
            with_map.contains("Secteur : Paris 11e") && with_map.contains("Demander à cet hôte")
        );
        assert_eq!(
            b.exec("return document.querySelector('[data-show-map]').offsetParent === null"),
            json!(true),
            "the button goes once the map is drawn"
        );
        b.exec("document.querySelector('.map-canvas').scrollIntoView(); return null");
        b.screenshot("request-map-desktop-fr");
    }

    // 3. Keyboard only, JavaScript off: Tab through the form and submit with Enter
    {
        let b = Browser::open(&driver, "en", false, (390, 844));
        b.go(&format!("{base}/need"));
        b.wait_for("Ask for a place to stay");
        let mut seen = vec![];
        for _ in 0..8 {
            b.cdp(
                "Input.dispatchKeyEvent",
                json!({"type": "keyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}),
            );
            b.cdp(
                "Input.dispatchKeyEvent",
                json!({"type": "keyUp", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}),
            );
            let name = b.active_name();
            match name.as_str() {
                "place" => b.keys("Montreuil"),
                "party_size" => b.keys("\u{E003}3"),
                "name" => b.keys("Inès"),
                "contact_phone" => b.keys("0611223344"),
                _ => {}
            }
            seen.push(name);
            if seen.last().is_some_and(|n| n == "contact_phone") {
                break;
            }
        }
        assert!(
            seen.contains(&"place".to_owned()) && seen.contains(&"contact_phone".to_owned()),
            "{seen:?}"
        );
        b.keys("\u{E007}");
        let page = b.wait_for("Keep this link");
        assert!(
            page.contains("&quot;lat&quot;:48.86415,&quot;lon&quot;:2.44322"),
            "placed in Montreuil (93), not its namesake in Pas-de-Calais: {page}"
        );
    }

    // 4. A form on another site posting to ours is refused, and stores nothing
    {
        let before = count_requests(&addr);
        let evil = TcpListener::bind("127.0.0.1:0").unwrap();
        let evil_addr = evil.local_addr().unwrap();
        let page = format!(
            "<!doctype html><form id=f method=post action=\"{base}/need\"><input name=csrf value=guess><input name=place value=75011>\
             <input name=party_size value=1><input name=name value=Mallory><input name=contact_phone value=0600000000></form>\
             <button id=go form=f>go</button>"
        );
        let server = std::thread::spawn(move || {
            if let Ok((mut s, _)) = evil.accept() {
                let mut buf = [0u8; 2048];
                let _ = std::io::Read::read(&mut s, &mut buf);
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                );
            }
        });
        let b = Browser::open(&driver, "en", true, (1280, 900));
        b.go(&format!("{base}/need")); // the victim has our CSRF cookie
        b.wait_for("Ask for a place to stay");
        b.go(&format!("http://{evil_addr}/"));
        b.click("#go");
        b.wait_for("did not come from this site");
        server.join().unwrap();
        assert_eq!(count_requests(&addr), before);
    }

    // 5. Zoom and contrast: at 360 px (a small phone), 640 px (a laptop at
    // 200 %) and 320 px (WCAG's reflow width, 1280 px at 400 %) no page
    // scrolls sideways; every text meets AA contrast as the browser draws it
    {
        let b = Browser::open(&driver, "en", true, (1280, 900));
        // the form with its error messages, at the narrowest width
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": true}),
        );
        b.go(&format!("{base}/need"));
        b.wait_for("Ask for a place to stay");
        b.type_into("#f-place", "Montreuil");
        b.click("button[type=submit]");
        b.wait_for("Please correct the fields");
        assert!(!b.overflows(), "the form with errors scrolls sideways");
        let bad = b.contrast_failures();
        assert!(bad.is_empty(), "form with errors: {bad:?}");
        b.go(&format!("{base}/need"));
        b.type_into("#f-place", "Montreuil");
        b.type_into("#f-name", "Yasmine");
        b.type_into("#f-contact_phone", "0611223344");
        b.click("button[type=submit]");
        b.wait_for("Keep this link");
        let request_url = b.url();
        let pages = [
            (format!("{base}/"), "I need a place to stay tonight"),
            (format!("{base}/need"), "Ask for a place to stay"),
            (request_url, "Keep this link"),
            (format!("{base}/host/signup"), "Create a host account"),
        ];
        for width in [360, 640, 320] {
            b.cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 400}),
            );
            for (url, text) in &pages {
                b.go(url);
                b.wait_for(text);
                assert!(!b.overflows(), "{url} scrolls sideways at {width} px");
            }
        }
        for (url, text) in &pages {
            b.go(url);
            b.wait_for(text);
            let bad = b.contrast_failures();
            assert!(bad.is_empty(), "{url}: {bad:?}");
        }
        host.go(&format!("{base}/host"));
        host.wait_for("Vos offres");
        let bad = host.contrast_failures();
        assert!(bad.is_empty(), "host dashboard: {bad:?}");
    }

    // 6. The coordinators' console: created on the command line, logged in
    //    through the same page, in English on a desktop
    {
        let db = dir.path().join("po.db");
        let mut cli = Command::new(env!("CARGO_BIN_EXE_porte-ouverte"))
            .args([
                "admin",
                "create-coordinator",
                "--email",
                "coord@example.org",
                "--name",
                "Claire",
            ])
            .env("DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("SECRET_KEY", "real-socket-test-secret-0123456789abcdef")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        cli.stdin
            .take()
            .unwrap()
            .write_all(b"a strong coordinator password\n")
            .unwrap();
        assert!(cli.wait().unwrap().success());
        let b = Browser::open(&driver, "en", true, (1280, 900));
        b.go(&format!("{base}/host/login"));
        b.wait_for("Log in");
        b.type_into("#f-email", "coord@example.org");
        b.type_into("#f-password", "a strong coordinator password");
        b.click("button[type=submit]");
        let console = b.wait_for("Waiting, longest first");
        assert!(console.contains("Supply and demand") && console.contains("Exports"));
        b.wait_until("const i = document.querySelector('img.map-svg'); return i.complete && i.naturalWidth > 0");
        let bad = b.contrast_failures();
        assert!(bad.is_empty(), "console: {bad:?}");
        // on a desktop the console takes the width: the overview (counts,
        // map, areas) beside the work; on a phone, one column
        let layout = "const w = document.querySelector('.console-work').getBoundingClientRect(), \
             o = document.querySelector('.console-overview').getBoundingClientRect(); \
             return [w.right, o.left, w.bottom, o.top, document.querySelector('main').getBoundingClientRect().width]";
        let wide = b.exec(layout);
        let px = |v: &Value, i: usize| v[i].as_f64().unwrap();
        assert!(
            px(&wide, 1) > px(&wide, 0) && px(&wide, 4) > 1000.0,
            "two columns at 1280 px: {wide}"
        );
        // (the console's screenshots are taken by tests/console.rs)
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        );
        b.go(&format!("{base}/coord"));
        b.wait_for("Waiting, longest first");
        let narrow = b.exec(layout);
        assert!(
            px(&narrow, 3) >= px(&narrow, 2) && !b.overflows(),
            "one column at 390 px: {narrow}"
        );
        b.cdp("Emulation.clearDeviceMetricsOverride", json!({}));
        b.go(&format!("{base}/coord/incidents"));
        b.wait_for("Open an incident");
        b.type_into("#f-name", "Paris, 13 November");
        b.type_into("#f-place", "75011");
        b.click("form[action='/coord/incidents'] button[type=submit]");
        b.wait_for("Planned to end");
        b.screenshot("coord-incidents-desktop-en");
        b.go(&format!("{base}/coord/suggest"));
        b.wait_for("Suggest assignments for everyone waiting");
        let bad = b.contrast_failures();
        assert!(bad.is_empty(), "suggestions: {bad:?}");
    }
}

/// Waiting requests as a coordinator sees them (counts the forged one if it got in).
fn count_requests(addr: &str) -> usize {
    let (_, body) = raw(addr, "GET", "/metrics", Some(common::METRICS_TOKEN), None).unwrap();
    body.lines()
        .find_map(|l| l.strip_prefix("po_requests_waiting "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}
