//! No acknowledged write is lost when the process is killed: the real binary
//! on a SQLite file, several clients writing, SIGKILL mid-load, restart, and
//! every write that was answered 2xx is there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::http::{http, start_server as start_with};
use serde_json::json;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn start(db: &std::path::Path) -> (Child, String) {
    start_with(db, &[])
}

#[derive(Debug, Clone)]
enum Written {
    Request { id: String, token: String },
    Offer { id: String },
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("po.db");
    let (mut child, addr) = start(&db);

    let (st, _) = http(
        &addr,
        "POST",
        "/api/v1/accounts",
        None,
        Some(&json!({"email": "h@example.org", "password": "long enough", "display_name": "H"})),
    )
    .unwrap();
    assert_eq!(st, 201);
    let (st, t) = http(
        &addr,
        "POST",
        "/api/v1/tokens",
        None,
        Some(&json!({"email": "h@example.org", "password": "long enough"})),
    )
    .unwrap();
    assert_eq!(st, 201);
    let host = t["token"].as_str().unwrap().to_owned();
    let until = (chrono::Utc::now() + chrono::Duration::hours(12)).to_rfc3339();

    let written: Arc<Mutex<Vec<Written>>> = Arc::default();
    let acked = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (addr, host, until) = (addr.clone(), host.clone(), until.clone());
            let (written, acked, stop) = (written.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut i = 0u32;
                while !stop.load(Ordering::SeqCst) {
                    i += 1;
                    let lat = 48.8 + f64::from(i % 100) * 0.001;
                    let r = if (c + i) % 2 == 0 {
                        let body = json!({"lat": lat, "lon": 2.35, "party_size": 1, "name": format!("g{c}-{i}"), "contact_phone": "+33600000000"});
                        http(&addr, "POST", "/api/v1/requests", None, Some(&body)).map(|(s, v)| {
                            (s, v.get("id").and_then(|x| x.as_str()).map(|id| Written::Request { id: id.into(), token: v["access_token"].as_str().unwrap_or("").into() }))
                        })
                    } else {
                        let body = json!({"lat": lat, "lon": 2.35, "address": format!("{i} rue Test"), "capacity": 2, "available_until": until});
                        http(&addr, "POST", "/api/v1/offers", Some(&host), Some(&body))
                            .map(|(s, v)| (s, v.get("id").and_then(|x| x.as_str()).map(|id| Written::Offer { id: id.into() })))
                    };
                    match r {
                        Ok((201, Some(w))) => {
                            written.lock().unwrap().push(w);
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        // a cut-off answer is not an acknowledgement
                        Ok((201, None)) | Err(_) => break, // the server is gone
                        Ok((status, _)) => panic!("unexpected status {status} before the kill"),
                    }
                }
            })
        })
        .collect();

    while acked.load(Ordering::SeqCst) < 300 {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL, while the clients are still writing
    child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let written = written.lock().unwrap().clone();
    assert!(written.len() >= 300);

    let (mut child, addr) = start(&db);
    let (st, t) = http(
        &addr,
        "POST",
        "/api/v1/tokens",
        None,
        Some(&json!({"email": "h@example.org", "password": "long enough"})),
    )
    .unwrap();
    assert_eq!(st, 201);
    let host = t["token"].as_str().unwrap().to_owned();
    let mut lost = vec![];
    for w in &written {
        let ok = match w {
            Written::Request { id, token } => {
                http(
                    &addr,
                    "GET",
                    &format!("/api/v1/requests/{id}"),
                    Some(token),
                    None,
                )
                .unwrap()
                .0 == 200
            }
            Written::Offer { id } => {
                http(
                    &addr,
                    "GET",
                    &format!("/api/v1/offers/{id}"),
                    Some(&host),
                    None,
                )
                .unwrap()
                .0 == 200
            }
        };
        if !ok {
            lost.push(w.clone());
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes lost: {:?}",
        lost.len(),
        written.len(),
        &lost[..lost.len().min(5)]
    );
}

/// The command line: migrate, then create a coordinator with the password on
/// stdin, who can then log in with that role.
#[test]
fn cli_creates_a_coordinator() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("po.db");
    let bin = env!("CARGO_BIN_EXE_porte-ouverte");
    let url = format!("sqlite://{}", db.display());
    let out = Command::new(bin)
        .args(["migrate"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let create = |password: &str| {
        let mut child = Command::new(bin)
            .args([
                "admin",
                "create-coordinator",
                "--email",
                "coord@example.org",
            ])
            .env("DATABASE_URL", &url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let short = create("short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password must be at least 8"));
    let ok = create("a strong coordinator password");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let again = create("a strong coordinator password");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let (mut child, addr) = start(&db);
    let (st, t) = http(
        &addr,
        "POST",
        "/api/v1/tokens",
        None,
        Some(&json!({"email": "coord@example.org", "password": "a strong coordinator password"})),
    )
    .unwrap();
    assert_eq!(st, 201);
    assert_eq!(t["account"]["role"], "coordinator");
    let (st, _) = http(
        &addr,
        "GET",
        "/api/v1/coordination/overview",
        t["token"].as_str(),
        None,
    )
    .unwrap();
    assert_eq!(st, 200);
    child.kill().unwrap();
    child.wait().unwrap();
}
