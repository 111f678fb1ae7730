//! Which GET routes of the pages' table (`src/web/pages/mod.rs`) the checks
//! must visit: all of them, but for those that answer no HTML page. A new
//! page that no visit covers fails the test.

use std::collections::BTreeSet;

/// GET routes that answer no HTML page, with what they answer instead.
pub const NOT_PAGES: &[(&str, &str)] = &[
    ("/sw.js", "the service worker, a script"),
    ("/host/events", "an event stream"),
    ("/coord/events", "an event stream"),
    ("/r/{id}/{token}/events", "an event stream"),
    ("/coord/export/{kind}", "CSV, HXL and PFIF files"),
    ("/lang/{code}", "a redirect that sets the language cookie"),
    ("/assets/{name}", "static files (CSS, scripts, icons)"),
    ("/favicon.ico", "the icon"),
];

/// The GET routes of the pages' route table, read from its source.
pub fn get_routes() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/pages/mod.rs");
    let source: String = std::fs::read_to_string(path)
        .expect("the route table")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut routes = BTreeSet::new();
    for part in source.split(".route(\"").skip(1) {
        if let Some((pattern, rest)) = part.split_once("\",") {
            if rest.starts_with("web::get()") {
                routes.insert(pattern.to_owned());
            }
        }
    }
    assert!(routes.len() > 10, "the route table was read: {routes:?}");
    routes
}

/// Fails unless every GET route is visited or listed as no page, and
/// nothing visited or listed is missing from the table.
pub fn assert_covered(visited: &BTreeSet<&str>) {
    let routes = get_routes();
    let not_pages: BTreeSet<&str> = NOT_PAGES.iter().map(|(r, _)| *r).collect();
    let missing: Vec<&String> = routes
        .iter()
        .filter(|r| !visited.contains(r.as_str()) && !not_pages.contains(r.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "GET routes no visit checks (add a visit to tests/html_checks.rs): {missing:?}"
    );
    let stale: Vec<&&str> = visited
        .iter()
        .chain(not_pages.iter())
        .filter(|r| !routes.contains(**r))
        .collect();
    assert!(stale.is_empty(), "not in the route table: {stale:?}");
}
