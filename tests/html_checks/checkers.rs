//! The two checkers: the Nu HTML checker (vnu.jar, run once over every
//! saved page) and axe-core (injected into each page Chromium shows).
//! Where they are: `PO_VNU_JAR` and `PO_AXE_JS` (set by .ci/run), else
//! where .ci/run installs them, `target/ci-node/node_modules/`; Java is
//! `PO_JAVA`, else `java` on the PATH.

use crate::common::browser::Browser;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub struct Tools {
    pub java: String,
    pub vnu_jar: PathBuf,
    pub axe_js: String,
}

fn node_module(var: &str, rel: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/ci-node/node_modules")
            .join(rel)
    })
}

/// The checkers, or why they cannot run.
pub fn find() -> Result<Tools, String> {
    let java = std::env::var("PO_JAVA").unwrap_or_else(|_| "java".into());
    let runs = Command::new(&java)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        return Err(format!(
            "no Java ({java}; apt-get install default-jre-headless)"
        ));
    }
    let vnu_jar = node_module("PO_VNU_JAR", "vnu-jar/build/dist/vnu.jar");
    let axe = node_module("PO_AXE_JS", "axe-core/axe.min.js");
    for f in [&vnu_jar, &axe] {
        if !f.is_file() {
            return Err(format!(
                "no {} (.ci/run copies .ci/node/package*.json to target/ci-node and runs npm ci there)",
                f.display()
            ));
        }
    }
    let axe_js = std::fs::read_to_string(&axe).map_err(|e| format!("{}: {e}", axe.display()))?;
    Ok(Tools {
        java,
        vnu_jar,
        axe_js,
    })
}

/// Nu checker warnings we accept, with why. Anything else it says — every
/// error, every other warning — fails the test.
const VNU_ALLOWED_WARNINGS: &[(&str, &str)] = &[];

/// Runs the Nu checker once over all `files` (one JVM start); returns one
/// line per error or unexpected warning.
pub fn vnu(tools: &Tools, files: &[PathBuf]) -> Vec<String> {
    let out = Command::new(&tools.java)
        .arg("-jar")
        .arg(&tools.vnu_jar)
        .args(["--format", "json", "--stdout", "--also-check-svg"])
        .args(files)
        .output()
        .expect("run the Nu checker");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the Nu checker's JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut bad = vec![];
    for m in report["messages"].as_array().expect("messages") {
        let kind = m["type"].as_str().unwrap_or("");
        let sub = m["subType"].as_str().unwrap_or("");
        let text = m["message"].as_str().unwrap_or("");
        let is_warning = kind == "info" && sub == "warning";
        // plain "info" messages are neither errors nor warnings
        if kind == "info" && !is_warning {
            continue;
        }
        if is_warning && VNU_ALLOWED_WARNINGS.iter().any(|(w, _)| text.contains(w)) {
            continue;
        }
        let file = m["url"]
            .as_str()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("");
        bad.push(format!(
            "{file}:{} {kind}{}: {text} [{}]",
            m["lastLine"],
            if sub.is_empty() {
                String::new()
            } else {
                format!("/{sub}")
            },
            m["extract"].as_str().unwrap_or("").trim()
        ));
    }
    bad
}

/// WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// axe rules we accept violations of, with why. Every other violation,
/// whatever its impact (critical, serious, moderate or minor), fails.
const AXE_ALLOWED: &[(&str, &str)] = &[];

const AXE_RUN: &str = r#"
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
  .then((r) => done(r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " ")),
    count: v.nodes.length,
  }))))
  .catch((e) => done({ error: String(e) }));
"#;

/// With the page's scripts off, the browser runs no timer (only promises),
/// and axe waits on `setTimeout` between its steps: this one runs the
/// callback at once, as a promise. Used only where scripts are off.
const TIMERS_AS_PROMISES: &str = "window.setTimeout = (f, ms, ...a) => { Promise.resolve().then(() => f(...a)); return 0; }; \
     window.clearTimeout = () => {}; return null";

/// Runs axe-core on the page the browser shows; returns its violations.
pub fn axe(tools: &Tools, b: &Browser<'_>, javascript: bool) -> Vec<Value> {
    if b.exec("return typeof axe") != json!("object") {
        if !javascript {
            b.exec(TIMERS_AS_PROMISES);
        }
        b.exec(&format!("{}\n;return null", tools.axe_js));
        assert_eq!(b.exec("return typeof axe"), json!("object"), "axe loaded");
    }
    let v = b.exec_async(AXE_RUN, json!([AXE_TAGS]), Duration::from_secs(120));
    assert!(v.get("error").is_none(), "axe failed: {v}");
    v.as_array()
        .expect("violations")
        .iter()
        .filter(|v| !AXE_ALLOWED.iter().any(|(id, _)| v["id"] == *id))
        .cloned()
        .collect()
}
