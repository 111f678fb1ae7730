//! No acknowledged write is lost when the process is killed: the real binary
//! on a SQLite file, several clients writing, SIGKILL mid-load, restart, and
//! every write that was answered 2xx is there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts the server; returns the child and the address it listens on.
fn start(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_porte-ouverte"))
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("BIND", "127.0.0.1:0")
        .env("SECRET_KEY", "durability-test-secret-0123456789abcdef")
        .env("RATE_LOGIN_PER_MIN", "0")
        .env("RATE_SIGNUP_PER_HOUR", "0")
        .env("RATE_REQUESTS_PER_MIN", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server said where it listens")
            .unwrap();
        if let Some(a) = line.strip_prefix("listening on http://") {
            break a.to_owned();
        }
    };
    (child, addr)
}

/// A deliberately small HTTP/1.1 client: one request per connection.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{auth}Connection: close\r\n\r\n{payload}",
        payload.len()
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let body = text.split_once("\r\n\r\n").map(|x| x.1).unwrap_or("");
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
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
