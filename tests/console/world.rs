//! The console tests' world: the real binary on a SQLite file, a
//! coordinator made on the command line, and hosts, offers, waiting
//! parties, an incident and an alert made through the API.

use crate::common::browser::{Browser, Driver, KillOnDrop};
use crate::common::http::{http, start_server};
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

pub const COORD_EMAIL: &str = "coord@example.org";
pub const COORD_PW: &str = "a strong coordinator password";
pub const PARIS_11: (f64, f64) = (48.8585, 2.3795);
pub const MONTREUIL: (f64, f64) = (48.8641, 2.4432);
pub const PARIS_10: (f64, f64) = (48.8760, 2.3590);

/// The app with its data: hosts' offers, waiting parties, an incident and
/// an alert, made through the API as people would.
pub struct World {
    _server: KillOnDrop,
    pub addr: String,
    coord: String,
    pub offers: Vec<String>,
}

/// A waiting party: (id, access token).
pub type Party = (String, String);

impl World {
    pub fn start(dir: &Path, tiles: &str) -> Self {
        let db = dir.join("po.db");
        let (server, addr) = start_server(&db, &[("MAP_TILE_URL", tiles)]);
        let server = KillOnDrop(server);
        create_coordinator(&db);
        let coord = token(&addr, COORD_EMAIL, COORD_PW);
        let mut w = Self {
            _server: server,
            addr,
            coord,
            offers: vec![],
        };
        w.api(
            "POST",
            "/api/v1/coordination/incidents",
            Some(&w.coord.clone()),
            json!({"name": "Paris, 13 November", "center": [48.8566, 2.3522], "radius_km": 6,
                   "planned_end_at": in_hours(72)}),
        );
        for (i, at) in [PARIS_11, PARIS_11, PARIS_10].into_iter().enumerate() {
            let email = format!("host{i}@example.org");
            w.api(
                "POST",
                "/api/v1/accounts",
                None,
                json!({"email": email, "password": "long enough", "display_name": "Hélène"}),
            );
            let host = token(&w.addr, &email, "long enough");
            let offer = w.api(
                "POST",
                "/api/v1/offers",
                Some(&host),
                json!({"lat": at.0, "lon": at.1, "address": format!("{i} rue Keller, 75011 Paris"),
                       "capacity": 4, "available_until": in_hours(24), "contact_phone": "+33 6 12 34 56 78"}),
            )["id"]
                .as_str()
                .unwrap()
                .to_owned();
            w.offers.push(offer);
            if i == 2 {
                // a guest feels unsafe at this door: an alert on the console
                let (rid, rt) = w.request("Nadia", PARIS_10, 1);
                let ask = w.api(
                    "POST",
                    &format!("/api/v1/requests/{rid}/matches"),
                    Some(&rt),
                    json!({"offer_id": w.offers[2]}),
                );
                let mid = ask["id"].as_str().unwrap().to_owned();
                w.api(
                    "POST",
                    &format!("/api/v1/matches/{mid}/accept"),
                    Some(&host),
                    json!({}),
                );
                w.api(
                    "POST",
                    &format!("/api/v1/matches/{mid}/unsafe"),
                    Some(&rt),
                    json!({}),
                );
            }
        }
        w
    }

    pub fn api(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Value {
        let (status, v) = http(&self.addr, method, path, token, Some(&body)).unwrap();
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {v}"
        );
        v
    }

    pub fn request(&self, name: &str, at: (f64, f64), n: i64) -> Party {
        let r = self.api(
            "POST",
            "/api/v1/requests",
            None,
            json!({"lat": at.0, "lon": at.1, "party_size": n, "name": name, "contact_phone": "+33 7 00 00 00 02"}),
        );
        (
            r["id"].as_str().unwrap().to_owned(),
            r["access_token"].as_str().unwrap().to_owned(),
        )
    }

    /// The party's matches as its guest reads them through the API.
    pub fn matches(&self, p: &Party) -> Vec<Value> {
        self.api(
            "GET",
            &format!("/api/v1/requests/{}", p.0),
            Some(&p.1),
            json!(null),
        )["matches"]
            .as_array()
            .unwrap()
            .clone()
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }
}

fn in_hours(h: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(h)).to_rfc3339()
}

fn token(addr: &str, email: &str, password: &str) -> String {
    let (status, v) = http(
        addr,
        "POST",
        "/api/v1/tokens",
        None,
        Some(&json!({"email": email, "password": password})),
    )
    .unwrap();
    assert_eq!(status, 201, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

/// A coordinator, created on the command line as an operator would.
fn create_coordinator(db: &Path) {
    let mut cli = Command::new(env!("CARGO_BIN_EXE_porte-ouverte"))
        .args([
            "admin",
            "create-coordinator",
            "--email",
            COORD_EMAIL,
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
        .write_all(format!("{COORD_PW}\n").as_bytes())
        .unwrap();
    assert!(cli.wait().unwrap().success());
}

pub fn log_in<'a>(
    driver: &'a Driver,
    w: &World,
    lang: &str,
    js: bool,
    size: (u32, u32),
) -> Browser<'a> {
    let b = Browser::open(driver, lang, js, size);
    b.go(&format!("{}/host/login", w.base()));
    b.type_into("#f-email", COORD_EMAIL);
    b.type_into("#f-password", COORD_PW);
    b.click("form[action='/host/login'] button[type=submit]");
    b.wait_until("return location.pathname === '/coord'");
    b
}
