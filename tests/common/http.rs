//! The real binary over a real socket: start it, and a deliberately small
//! HTTP/1.1 client (one request per connection) to talk to it.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Starts the server on a SQLite file and a free port; returns the child
/// and the address it says it listens on.
pub fn start_server(db: &Path, env: &[(&str, &str)]) -> (Child, String) {
    start_server_logging(db, env, Stdio::inherit())
}

/// `start_server` with the server's log (stderr) sent to `log`.
pub fn start_server_logging(db: &Path, env: &[(&str, &str)], log: Stdio) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_porte-ouverte"));
    cmd.env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("BIND", "127.0.0.1:0")
        .env("SECRET_KEY", "real-socket-test-secret-0123456789abcdef")
        .env("RATE_LOGIN_PER_MIN", "0")
        .env("RATE_SIGNUP_PER_HOUR", "0")
        .env("RATE_REQUESTS_PER_MIN", "0")
        .env("RUST_LOG", "warn")
        // a debug build on a busy CI machine runs late often: tests that
        // flood on purpose set their own bound
        .env("ADMIT_MAX_LAG_MS", "0")
        .env("METRICS_TOKEN", super::METRICS_TOKEN)
        .stdout(Stdio::piped())
        .stderr(log);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start the server");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server said where it listens")
            .expect("a line");
        if let Some(a) = line.strip_prefix("listening on http://") {
            break a.to_owned();
        }
    };
    (child, addr)
}

/// One request; returns the status and the body parsed as JSON (or Null).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let (status, text) = raw(
        addr,
        method,
        path,
        token,
        body.map(|b| b.to_string()).as_deref(),
    )?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// One request with a JSON body; returns the status and the body text.
pub fn raw(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    payload: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let payload = payload.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{auth}Connection: close\r\n\r\n{payload}",
        payload.len()
    )?;
    // read the head, then exactly Content-Length bytes: some servers
    // (chromedriver) keep the connection open whatever the request says
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let n = s.read(&mut buf)?;
        if n == 0 {
            break raw
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|p| p + 4)
                .unwrap_or(raw.len());
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let length = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())
            .flatten()
    });
    match length {
        Some(len) => {
            while raw.len() < head_end + len {
                let n = s.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                raw.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            s.read_to_end(&mut raw)?;
        }
    }
    let status = head
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let body = String::from_utf8_lossy(&raw[head_end.min(raw.len())..]).into_owned();
    Ok((status, body))
}
