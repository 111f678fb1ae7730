//! A real SMTP server for tests: aiosmtpd (installed by `.ci/run`), started
//! on a free port, each received mail saved as JSON by `tests/smtp_sink.py`.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct Sink {
    pub port: u16,
    pub dir: PathBuf,
    /// how late the server answers each mail (a slow relay)
    pub delay: std::time::Duration,
    child: Option<Child>,
    _tmp: tempfile::TempDir,
}

/// Whether aiosmtpd can run here; with `PO_REQUIRE_SMTP=1` its absence fails.
pub fn available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !super::required("PO_REQUIRE_SMTP"),
            "PO_REQUIRE_SMTP=1 but python3 -m aiosmtpd is unavailable (pip install aiosmtpd)"
        );
        super::skipped("mail tests need python3 with aiosmtpd (pip install aiosmtpd)");
    }
    ok
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Sink {
    /// A sink on a free port, not yet listening (the SMTP server is "down").
    pub fn down() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        Self {
            port: free_port(),
            dir: tmp.path().join("mails"),
            delay: std::time::Duration::ZERO,
            child: None,
            _tmp: tmp,
        }
    }

    pub fn start() -> Self {
        let mut s = Self::down();
        s.up();
        s
    }

    /// A sink that takes `delay` to accept each mail.
    pub fn start_slow(delay: std::time::Duration) -> Self {
        let mut s = Self::down();
        s.delay = delay;
        s.up();
        s
    }

    /// Starts (or restarts) the server on its port.
    pub fn up(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(self.port.to_string())
            .arg(&self.dir)
            .arg(self.delay.as_secs_f64().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink started");
        self.child = Some(child);
    }

    /// Stops the server (the port refuses connections again).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every mail received so far.
    pub fn mails(&self) -> Vec<Value> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return vec![];
        };
        let mut out: Vec<Value> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .map(|e| serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap())
            .collect();
        out.sort_by_key(|m| m["subject"].as_str().unwrap_or("").to_owned());
        out
    }

    /// The mails sent to `to`.
    pub fn to(&self, to: &str) -> Vec<Value> {
        self.mails()
            .into_iter()
            .filter(|m| m["rcpt"].as_array().unwrap().iter().any(|r| r == to))
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}
