//! Real headless Chromium over WebDriver (chromedriver), shared by the
//! browser tests (`tests/browser/`) and the HTML and accessibility checks
//! (`tests/html_checks.rs`): start the driver, open sessions, act on pages.

use super::http::http;
use base64::Engine;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const DRIVER: &str = "/usr/bin/chromedriver";
pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub fn available() -> bool {
    if std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(DRIVER).exists() {
        return true;
    }
    if super::required("PO_REQUIRE_BROWSER") {
        panic!("PO_REQUIRE_BROWSER=1 but {CHROMIUM} or {DRIVER} is missing");
    }
    super::skipped(&format!(
        "browser tests (no {CHROMIUM} or {DRIVER}; apt-get install chromium chromium-driver)"
    ));
    false
}

pub struct Driver {
    child: Child,
    pub addr: String,
}

impl Driver {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(DRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while http(&addr, "GET", "/status", None, None)
            .map(|(_, v)| v["value"]["ready"] != true)
            .unwrap_or(true)
        {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, addr }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session.
pub struct Browser<'a> {
    driver: &'a Driver,
    pub id: String,
    _profile: tempfile::TempDir,
}

impl<'a> Browser<'a> {
    pub fn open(driver: &'a Driver, lang: &str, javascript: bool, (w, h): (u32, u32)) -> Self {
        let profile = tempfile::tempdir().unwrap();
        let mut prefs = json!({"intl.accept_languages": lang});
        if !javascript {
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--lang={lang}"), format!("--window-size={w},{h}"), format!("--user-data-dir={}", profile.path().display())],
            "prefs": prefs,
        }}}});
        let (status, v) = http(&driver.addr, "POST", "/session", None, Some(&caps)).unwrap();
        assert_eq!(status, 200, "{v}");
        let id = v["value"]["sessionId"].as_str().unwrap().to_owned();
        Self {
            driver,
            id,
            _profile: profile,
        }
    }

    pub fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, v) = http(
            &self.driver.addr,
            method,
            &format!("/session/{}{path}", self.id),
            None,
            Some(&body),
        )
        .unwrap();
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    pub fn go(&self, url: &str) {
        self.cmd("POST", "/url", json!({"url": url}));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", "/url", json!({}))
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn source(&self) -> String {
        self.cmd("GET", "/source", json!({}))
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element for {css}: {v}"))
            .to_owned()
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), json!({}));
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            json!({"text": text}),
        );
    }

    /// Replaces a field's value.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/clear"), json!({}));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            json!({"text": text}),
        );
    }

    /// Types into whatever has the keyboard focus (Tab is U+E004, Enter U+E007).
    pub fn keys(&self, text: &str) {
        let e = self.cmd("GET", "/element/active", json!({}))[ELEMENT]
            .as_str()
            .unwrap()
            .to_owned();
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            json!({"text": text}),
        );
    }

    pub fn active_name(&self) -> String {
        let e = self.cmd("GET", "/element/active", json!({}))[ELEMENT]
            .as_str()
            .unwrap()
            .to_owned();
        self.cmd("GET", &format!("/element/{e}/attribute/name"), json!({}))
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Waits (bounded) until the page contains `text`.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.source();
            if s.contains(text) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "'{text}' never appeared in {}: {s}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs a script in the page and returns its value.
    pub fn exec(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
    }

    /// Runs a script with `args` and waits (up to `timeout`) for it to call
    /// its last argument with the result.
    pub fn exec_async(&self, script: &str, args: Value, timeout: Duration) -> Value {
        self.cmd(
            "POST",
            "/timeouts",
            json!({"script": u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX)}),
        );
        self.cmd(
            "POST",
            "/execute/async",
            json!({"script": script, "args": args}),
        )
    }

    /// Waits (bounded) until a script returns true.
    pub fn wait_until(&self, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.exec(script) != json!(true) {
            assert!(Instant::now() < deadline, "never true: {script}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Text whose contrast with its background is under WCAG AA (4.5:1, or
    /// 3:1 for large text), from the colours the browser computed.
    pub fn contrast_failures(&self) -> Vec<String> {
        let v = self.exec(CONTRAST_AUDIT);
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    }

    /// Whether the page scrolls sideways at the current width.
    pub fn overflows(&self) -> bool {
        self.exec(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
        ) == json!(true)
    }

    pub fn cdp(&self, cmd: &str, params: Value) {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": cmd, "params": params}),
        );
    }

    pub fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("PO_SCREENSHOTS") else {
            return;
        };
        let png = self.cmd("GET", "/screenshot", json!({}));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{name}.png"), bytes).unwrap();
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = http(
            &self.driver.addr,
            "DELETE",
            &format!("/session/{}", self.id),
            None,
            None,
        );
    }
}

const CONTRAST_AUDIT: &str = r#"
const rgba = (s) => { const p = s.match(/[\d.]+/g).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
const bad = [];
let checked = 0;
for (const el of document.querySelectorAll("body *")) {
  const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) || ((el.tagName === "INPUT" || el.tagName === "TEXTAREA") && el.value);
  if (!text || el.getClientRects().length === 0) continue;
  const st = getComputedStyle(el);
  if (st.visibility === "hidden") continue;
  const a = lum(rgba(st.color)), b = lum(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
  const large = size >= 24 || (size >= 18.66 && bold);
  checked += 1;
  if (ratio < (large ? 3 : 4.5)) bad.push(el.tagName + " '" + (el.textContent || el.value).trim().slice(0, 40) + "' " + ratio.toFixed(2));
}
if (checked < 5) bad.push("only " + checked + " text elements checked");
return bad;
"#;

/// Stops the server even when an assertion fails.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
