//! Every page, in French and in English, in each of its states, through the
//! Nu HTML checker (vnu.jar) and axe-core in real headless Chromium.
//!
//! The app runs in this process on a real SQLite file and a real socket,
//! with a hand-moved clock (for holds that run out). The states are made
//! through the JSON API as people would make them; Chromium visits each page
//! (French on a 390×844 phone, English on a 1280×900 desktop, with
//! JavaScript, and French again without), axe-core runs in it, and the HTML the server sent for the same state
//! is saved and given to the Nu checker in one run at the end. Any HTML
//! error fails, as does any axe violation of WCAG 2.0/2.1 A and AA or of
//! axe's best practices, whatever its impact (the few accepted warnings and
//! rules are listed with their reasons in `html_checks/checkers.rs`). Every
//! GET route of the pages' table must be visited (`html_checks/routes.rs`).
//!
//! Without Chromium, Java, vnu.jar or axe-core the test says SKIPPED and
//! passes, unless PO_REQUIRE_BROWSER=1 (as in .ci/run, which installs them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "html_checks/checkers.rs"]
mod checkers;
mod common;
#[path = "html_checks/routes.rs"]
mod routes;
#[path = "html_checks/states.rs"]
mod states;
#[path = "html_checks/visit.rs"]
mod visit;

use common::browser::{Browser, Driver};
use common::{Backend, TestApp};
use serde_json::json;
use std::collections::BTreeSet;
use std::io::Write;
use std::sync::Arc;

/// The app on a real socket, stopped when dropped.
struct Served {
    addr: String,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn serve(state: Arc<porte_ouverte::state::AppState>) -> Served {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    let web = porte_ouverte::web::state::WebState::new(&state.config).unwrap();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix_web::HttpServer::new(move || {
                porte_ouverte::web::app(state.clone(), web.clone())
            })
            .workers(2)
            .listen(listener)
            .unwrap()
            .run();
            tx.send(server.handle()).unwrap();
            let _ = server.await;
        });
    });
    Served {
        addr,
        handle: rx.recv().unwrap(),
        thread: Some(thread),
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(false));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn every_page_passes_the_nu_checker_and_axe() {
    if !common::browser::available() {
        return;
    }
    let tools = match checkers::find() {
        Ok(t) => t,
        Err(why) if common::required("PO_REQUIRE_BROWSER") => {
            panic!("PO_REQUIRE_BROWSER=1 but the checkers are missing: {why}")
        }
        Err(why) => {
            common::skipped(&format!("HTML and accessibility checks ({why})"));
            return;
        }
    };
    // map tiles from a tile server of the test's own, on 127.0.0.1: the
    // console's live map is checked drawn
    let tiles = common::tiles::Tiles::start();
    let template = tiles.template();
    let app = TestApp::with(Backend::Sqlite, |c| c.map_tile_url = template);
    let served = serve(app.state.clone());
    let base = format!("http://{}", served.addr);
    let pages = states::make_states(&app, &states::Api(&served.addr));
    let visited: BTreeSet<&str> = pages
        .now
        .iter()
        .chain(&pages.later)
        .map(|v| v.route)
        .filter(|r| !r.is_empty())
        .collect();
    routes::assert_covered(&visited);

    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-checks");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let driver = Driver::start();
    // (language, the saved files' prefix, session): each session's pages
    // go through axe; the HTML the server sent is the same with or without
    // JavaScript, so the no-JavaScript session's is not checked twice
    let sessions = [
        (
            "fr",
            "fr",
            true,
            Browser::open(&driver, "fr", true, (390, 844)),
        ),
        (
            "en",
            "en",
            true,
            Browser::open(&driver, "en", true, (1280, 900)),
        ),
        (
            "fr",
            "fr-nojs",
            false,
            Browser::open(&driver, "fr", false, (390, 844)),
        ),
    ];
    let mut files = vec![];
    let mut axe_failures = vec![];
    let mut by_rule: std::collections::BTreeMap<String, usize> = Default::default();
    for (phase, visits) in [(0, &pages.now), (1, &pages.later)] {
        if phase == 1 {
            // every hold runs out, and the background sweep notices
            app.clock.advance(app.state.hold_ms() + 60_000);
            porte_ouverte::service::sweeper::sweep(&app.state).unwrap();
        }
        for (lang, prefix, javascript, b) in &sessions {
            let mut who = None;
            for v in visits.iter() {
                if who != Some(v.who) {
                    visit::log_in(b, &base, v.who);
                    who = Some(v.who);
                }
                let sent = visit::run(b, &base, v);
                let name = format!("{prefix}-{}", v.name);
                assert_eq!(sent.status, v.status, "{name}: status");
                let (ext, kind) = if v.svg {
                    ("svg", "image/svg+xml")
                } else {
                    ("html", "text/html")
                };
                assert!(
                    sent.content_type.starts_with(kind),
                    "{name}: {}",
                    sent.content_type
                );
                // a page that reloads itself under someone using it (axe's
                // meta-refresh rule cannot see a header; the no-JS refresh
                // is a meta inside <noscript>, which a browser with
                // JavaScript, as here, never reads)
                assert_eq!(sent.refresh, None, "{name}: a Refresh header");
                if prefix == lang {
                    let file = out.join(format!("{name}.{ext}"));
                    std::fs::write(&file, &sent.html).unwrap();
                    files.push(file);
                }
                if v.svg {
                    continue;
                }
                let lang_attr = b.exec("return document.documentElement.lang");
                assert_eq!(lang_attr, json!(lang), "{name}: the page's language");
                for violation in checkers::axe(&tools, b, *javascript) {
                    *by_rule
                        .entry(violation["id"].as_str().unwrap().to_owned())
                        .or_default() += 1;
                    axe_failures.push(format!("{name}: {violation}"));
                }
            }
        }
    }
    let html_failures = checkers::vnu(&tools, &files);
    let _ = writeln!(
        std::io::stderr(),
        "html checks: {} pages through the Nu checker ({} visits × 2 languages), 3 sessions through axe (French without JavaScript too); axe violations by rule {by_rule:?}; Nu checker: {} messages",
        files.len(),
        pages.now.len() + pages.later.len(),
        html_failures.len()
    );
    assert!(
        axe_failures.is_empty() && html_failures.is_empty(),
        "axe:\n{}\n\nNu checker:\n{}\n(pages saved in {})",
        axe_failures.join("\n"),
        html_failures.join("\n"),
        out.display()
    );
}
