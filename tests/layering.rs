//! The lower layers do not reach up (issue 10): nothing under src/domain or
//! src/service names the HTML views, the web handlers, actix or maud; mail,
//! push alerts and the catalogues (`src/i18n.rs`), which services call, name
//! no views, web handlers or actix (mail renders its HTML with maud), and
//! no service; the database layer names nothing above it; the domain names
//! no other layer at all.
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
    let files = if root.is_dir() {
        rust_files(&root)
    } else {
        vec![root]
    };
    assert!(!files.is_empty(), "{layer}: no files");
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
fn mail_push_and_the_catalogues_do_not_use_views_web_or_actix() {
    // mail renders its HTML with maud: everything above but maud
    let above: Vec<&str> = ABOVE.iter().copied().filter(|a| *a != "maud").collect();
    for layer in ["mail", "push", "i18n.rs", "i18n_tests.rs"] {
        let found = reaching_up(layer, &above);
        assert!(
            found.is_empty(),
            "{layer} reaches up:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn mail_and_push_take_data_from_the_services_and_never_call_them() {
    for layer in ["mail", "push"] {
        let found = reaching_up(layer, &["crate::service", "crate::sim"]);
        assert!(
            found.is_empty(),
            "{layer} calls a service:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn the_database_layer_names_nothing_above_it() {
    let above = [
        "crate::service",
        "crate::state",
        "crate::mail",
        "crate::push",
        "crate::index",
        "crate::sim",
    ];
    let mut all: Vec<&str> = ABOVE.to_vec();
    all.extend(above);
    let found = reaching_up("db", &all);
    assert!(found.is_empty(), "db reaches up:\n{}", found.join("\n"));
}

#[test]
fn the_domain_names_no_other_layer() {
    let others = [
        "crate::db",
        "crate::service",
        "crate::state",
        "crate::mail",
        "crate::push",
        "crate::index",
        "crate::sim",
        "crate::config",
        "diesel",
    ];
    let found = reaching_up("domain", &others);
    assert!(
        found.is_empty(),
        "domain reaches out:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_shared_state_and_the_configuration_name_no_service_and_no_web() {
    // `AppState` is what the services take: it must not hold or call what
    // is above them (the web layer keeps its own `web::state::WebState`)
    let mut above: Vec<&str> = ABOVE.to_vec();
    above.extend(["crate::service", "crate::sim", "crate::db"]);
    for config in ["config.rs", "config"] {
        let found = reaching_up(config, &above);
        assert!(found.is_empty(), "config reaches up:\n{}", found.join("\n"));
    }
    let found = reaching_up("state.rs", &above[..above.len() - 1]);
    assert!(found.is_empty(), "state reaches up:\n{}", found.join("\n"));
}

#[test]
fn the_scan_sees_an_import_from_above() {
    // the views do use actix and maud: the same scan finds them
    assert!(!reaching_up("views", ABOVE).is_empty());
}
