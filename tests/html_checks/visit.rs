//! One page in one state, as a browser reaches it: a GET, or a form filled
//! and posted. Each visit saves the HTML exactly as the server sent it (for
//! the Nu checker) and leaves the page shown in the browser (for axe).

use crate::common::browser::Browser;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Who the browser is logged in as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Visitor,
    /// a host or coordinator account: (e-mail, password)
    Account(&'static str, &'static str),
}

pub enum How {
    Get(String),
    /// open `page`, fill the form `form` with `set` (field, value), post it
    Post {
        page: String,
        form: &'static str,
        set: Vec<(&'static str, String)>,
    },
}

pub struct Visit {
    /// a name for the saved file and the failure messages
    pub name: String,
    /// the route pattern of the pages' table this visit covers ("" for none)
    pub route: &'static str,
    pub who: Who,
    pub how: How,
    /// a CSS selector that proves the page is in the intended state
    pub expect: &'static str,
    pub status: u16,
    /// a standalone SVG image: the Nu checker only
    pub svg: bool,
    /// with JavaScript, then click this and wait for that (the state the
    /// script brings, e.g. the console's live map), before axe runs
    pub then: Option<(&'static str, &'static str)>,
}

impl Visit {
    pub fn get(
        name: &str,
        route: &'static str,
        who: Who,
        path: String,
        expect: &'static str,
    ) -> Self {
        Self {
            name: name.into(),
            route,
            who,
            how: How::Get(path),
            expect,
            status: 200,
            svg: false,
            then: None,
        }
    }

    pub fn post(
        name: &str,
        route: &'static str,
        who: Who,
        (page, form): (String, &'static str),
        set: Vec<(&'static str, String)>,
        expect: &'static str,
        status: u16,
    ) -> Self {
        Self {
            name: name.into(),
            route,
            who,
            how: How::Post { page, form, set },
            expect,
            status,
            svg: false,
            then: None,
        }
    }

    /// a standalone SVG image: the Nu checker only
    pub fn svg(mut self) -> Self {
        self.svg = true;
        self
    }

    /// with JavaScript, click `click` once the page is there and wait for `until`
    pub fn then(mut self, click: &'static str, until: &'static str) -> Self {
        self.then = Some((click, until));
        self
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
}

const FETCH_AGAIN: &str = r#"
const done = arguments[arguments.length - 1];
fetch(location.href, { credentials: "same-origin" })
  .then((r) => r.text().then((text) => done({ status: r.status, type: r.headers.get("content-type"), refresh: r.headers.get("refresh"), text })))
  .catch((e) => done({ error: String(e) }));
"#;

/// Fills a form; with `post`, also posts it with fetch and answers the
/// response (the real submission follows, for the browser to show).
const FILL: &str = r#"
const [sel, set, post] = arguments;
const done = arguments[arguments.length - 1];
const f = document.querySelector(sel);
if (!f) { done({ error: "no form " + sel }); return; }
for (const [k, v] of set) {
  const el = f.elements[k];
  if (!el) { done({ error: "no field " + k }); return; }
  if (el.type === "checkbox") el.checked = v === "on"; else el.value = v;
}
if (!post) { done({}); return; }
fetch(f.action, { method: "POST", body: new URLSearchParams(new FormData(f)), credentials: "same-origin" })
  .then((r) => r.text().then((text) => done({ status: r.status, type: r.headers.get("content-type"), refresh: r.headers.get("refresh"), text })))
  .catch((e) => done({ error: String(e) }));
"#;

const SECOND: Duration = Duration::from_secs(1);

fn has(b: &Browser<'_>, css: &str) -> bool {
    b.exec(&format!(
        "return document.readyState === 'complete' && !!document.querySelector({})",
        json!(css)
    )) == json!(true)
}

fn wait(b: &Browser<'_>, what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "{what}: never");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = b;
}

/// Logs the browser in as `who` (after forgetting every cookie).
pub fn log_in(b: &Browser<'_>, base: &str, who: Who) {
    b.cmd("DELETE", "/cookie", json!({}));
    let Who::Account(email, password) = who else {
        return;
    };
    b.go(&format!("{base}/host/login"));
    let set = json!([["email", email], ["password", password]]);
    let r = b.exec_async(
        FILL,
        json!(["form[action='/host/login']", set, false]),
        10 * SECOND,
    );
    assert!(r.get("error").is_none(), "{r}");
    b.exec("window.__po_before = 1; document.querySelector(\"form[action='/host/login']\").submit(); return null");
    wait(b, "log in", || {
        b.exec("return window.__po_before === undefined && document.readyState === 'complete' && !location.pathname.startsWith('/host/login')")
            == json!(true)
    });
}

/// The page as the server sent it, and its status.
pub struct Sent {
    pub status: u16,
    pub content_type: String,
    /// a `Refresh` header, if any
    pub refresh: Option<String>,
    pub html: String,
}

/// Brings the browser to the visit's page in its state; returns what the
/// server sent for it.
pub fn run(b: &Browser<'_>, base: &str, v: &Visit) -> Sent {
    let sent = match &v.how {
        How::Get(path) => {
            b.go(&format!("{base}{path}"));
            b.exec_async(FETCH_AGAIN, json!([]), 20 * SECOND)
        }
        How::Post { page, form, set } => {
            b.go(&format!("{base}{page}"));
            let set: Vec<Value> = set.iter().map(|(k, v)| json!([k, v])).collect();
            let args = json!([form, set, true]);
            let sent = b.exec_async(FILL, args.clone(), 20 * SECOND);
            // the same form again, submitted for real: the browser shows the answer
            b.exec_async(FILL, json!([form, args[1], false]), 20 * SECOND);
            b.exec(&format!(
                "window.__po_before = 1; document.querySelector({}).submit(); return null",
                json!(form)
            ));
            wait(b, &v.name, || {
                b.exec("return window.__po_before === undefined") == json!(true)
            });
            sent
        }
    };
    assert!(sent.get("error").is_none(), "{}: {sent}", v.name);
    if !v.svg {
        wait(b, &format!("{}: {}", v.name, v.expect), || has(b, v.expect));
        let sent_has = b.cmd(
            "POST",
            "/execute/sync",
            json!({"script": "return !!new DOMParser().parseFromString(arguments[0], 'text/html').querySelector(arguments[1])",
                   "args": [sent["text"], v.expect]}),
        );
        assert_eq!(
            sent_has,
            json!(true),
            "{}: {} not in what was sent",
            v.name,
            v.expect
        );
        let scripted = b.exec("return document.documentElement.classList.contains('js')");
        if let (Some((click, until)), true) = (v.then, scripted == json!(true)) {
            b.exec(&format!(
                "const e = document.querySelector({}); if (e && !e.hidden && !e.disabled) e.click(); return null",
                json!(click)
            ));
            wait(b, &format!("{}: {until}", v.name), || has(b, until));
        }
    }
    Sent {
        status: u16::try_from(sent["status"].as_u64().unwrap_or(0)).unwrap_or(0),
        content_type: sent["type"].as_str().unwrap_or("").to_owned(),
        refresh: sent["refresh"].as_str().map(str::to_owned),
        html: sent["text"].as_str().unwrap_or("").to_owned(),
    }
}
