//! The lower layers do not reach up (issue 10): nothing under src/domain or
//! src/service names the HTML views, the web handlers or actix. (Only these
//! two layers so far; mail composition still calls `views::i18n`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The lines of `layer` that name one of `above`.
fn reaching_up(layer: &str, above: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let files = rust_files(&root);
    assert!(files.len() > 5, "{layer}: {} files", files.len());
    let mut out = vec![];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if above.iter().any(|a| line.contains(a)) {
                out.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    out
}

const ABOVE: &[&str] = &[
    "crate::views",
    "crate::web",
    "actix_web",
    "actix_http",
    "maud",
];

#[test]
fn services_and_the_domain_do_not_use_views_web_or_actix() {
    for layer in ["domain", "service"] {
        let found = reaching_up(layer, ABOVE);
        assert!(
            found.is_empty(),
            "{layer} reaches up:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn the_scan_sees_an_import_from_above() {
    // the views do use actix and maud: the same scan finds them
    assert!(!reaching_up("views", ABOVE).is_empty());
}
