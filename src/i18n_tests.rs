//! The catalogues against Fluent's own parser and against the code.

use super::*;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};

/// Each message's id and the variables it uses, parsed by Fluent's parser;
/// a syntax error (Fluent's "junk") fails.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source(lang))
        .unwrap_or_else(|(_, errors)| panic!("{lang:?} does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                let value = m
                    .value
                    .unwrap_or_else(|| panic!("{} has no value", m.id.name));
                pattern_vars(&value, &mut vars);
                assert!(
                    out.insert(m.id.name.to_owned(), vars).is_none(),
                    "{lang:?}: {} twice",
                    m.id.name
                );
            }
            Entry::Junk { content } => panic!("{lang:?}: junk {content:?}"),
            Entry::Term(t) => panic!("{lang:?}: unexpected term {}", t.id.name),
            _ => {}
        }
    }
    out
}

fn pattern_vars(p: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for e in &p.elements {
        if let PatternElement::Placeable { expression } = e {
            match expression {
                Expression::Inline(i) => inline_vars(i, vars),
                Expression::Select { selector, variants } => {
                    inline_vars(selector, vars);
                    for v in variants {
                        pattern_vars(&v.value, vars);
                    }
                }
            }
        }
    }
}

fn inline_vars(i: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => {
            pattern_vars(
                &Pattern {
                    elements: vec![PatternElement::Placeable {
                        expression: (**expression).clone(),
                    }],
                },
                vars,
            );
        }
        _ => {}
    }
}

#[test]
fn both_catalogues_parse_and_have_the_same_messages() {
    let fr = messages(Lang::Fr);
    let en = messages(Lang::En);
    let only_fr: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
    assert!(
        only_fr.is_empty() && only_en.is_empty(),
        "only in fr: {only_fr:?}; only in en: {only_en:?}"
    );
    assert!(fr.len() > 400, "{}", fr.len());
    for (id, vars) in &fr {
        assert_eq!(Some(vars), en.get(id), "{id}: not the same arguments");
    }
    // and the bundle took every message (no duplicate refused)
    for lang in Lang::ALL {
        assert_eq!(catalogue(lang).plain.len(), fr.len(), "{lang:?}");
    }
}

/// A message id written in the source: a string literal of lower-case
/// words joined by hyphens whose first word is one of the catalogues'.
fn ids_in(text: &str, prefixes: &BTreeSet<String>) -> Vec<String> {
    let mut out = vec![];
    for piece in text.split('"').skip(1).step_by(2) {
        let shaped = piece.contains('-')
            && piece
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        let prefix = piece.split('-').next().unwrap_or("");
        if shaped && prefixes.contains(prefix) {
            out.push(piece.to_owned());
        }
    }
    out
}

/// Literals shaped like message ids that are something else: the live
/// regions' element ids, an SVG's id, a keyed hash's label, a console action.
/// A new literal shaped like an id fails the test below until it is either a
/// message in both catalogues or listed here.
const NOT_MESSAGES: &[&str] = &[
    "live-alerts",
    "live-areas",
    "live-candidates",
    "live-counts",
    "live-map",
    "live-map-svg",
    "live-matches",
    "live-more",
    "live-offers",
    "live-party",
    "live-queue",
    "live-safeguarding",
    "live-status",
    "map-svg",
    "map-title",
    "page-head",
    "report-network",
    "verify-identity",
];

/// Every message id in the code exists in both catalogues — including ids
/// chosen by a `match` or an `if`, since every id the code passes is a
/// `&'static str` literal somewhere in `src/`. An id built at run time
/// (`format!`) would escape this scan, so building one fails too.
#[test]
fn every_message_id_in_the_code_exists() {
    let known = messages(Lang::En);
    let prefixes: BTreeSet<String> = known
        .keys()
        .map(|k| k.split('-').next().unwrap_or("").to_owned())
        .collect();
    let mut used = BTreeSet::new();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in walk(src) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for id in ids_in(&text, &prefixes) {
            used.insert((id, file.display().to_string()));
        }
        for built in text.split("format!(\"").skip(1) {
            let literal = built.split('"').next().unwrap_or("");
            // `{kind}` and the like stand for id-shaped text
            let shape: String = literal
                .split(['{', '}'])
                .enumerate()
                .map(|(i, part)| if i % 2 == 1 { "x" } else { part })
                .collect();
            assert!(
                ids_in(&format!("\"{shape}\""), &prefixes).is_empty(),
                "{}: a message id built at run time (format!(\"{literal}\"))",
                file.display()
            );
        }
    }
    assert!(used.len() > 350, "the scan found the ids ({})", used.len());
    let missing: Vec<_> = used
        .iter()
        .filter(|(id, _)| !known.contains_key(id) && !NOT_MESSAGES.contains(&id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the catalogues (add them, or to NOT_MESSAGES if they are not messages): {missing:?}"
    );
    // and the list holds nothing that is a message
    for id in NOT_MESSAGES {
        assert!(!known.contains_key(*id), "{id} is a message");
    }
    // ids chosen by a match are found too
    let coord = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/views/coord.rs"),
    )
    .unwrap_or_default();
    assert!(ids_in(&coord, &prefixes).contains(&"coord-status-arrived".to_owned()));
}

fn walk(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

#[test]
fn plurals_in_both_languages() {
    let places = |l, n: i64| trf(l, "req-places", args!["n" => n]);
    assert_eq!(places(Lang::En, 1), "1 place free");
    assert_eq!(places(Lang::En, 0), "0 places free");
    assert_eq!(places(Lang::En, 3), "3 places free");
    // French: "one" is 0 and 1
    assert_eq!(places(Lang::Fr, 0), "0 place libre");
    assert_eq!(places(Lang::Fr, 1), "1 place libre");
    assert_eq!(places(Lang::Fr, 2), "2 places libres");
    let item = |l, n: i32| {
        trf(
            l,
            "host-nearby-item",
            args!["n" => n, "band" => "1 km", "area" => "Paris 11e"],
        )
    };
    assert_eq!(item(Lang::En, 1), "1 person, 1 km, Paris 11e");
    assert_eq!(item(Lang::En, 4), "4 people, 1 km, Paris 11e");
    assert_eq!(item(Lang::Fr, 1), "1 personne, 1 km, Paris 11e");
    assert_eq!(item(Lang::Fr, 4), "4 personnes, 1 km, Paris 11e");
    let asks = |l, n: i64| {
        trf(
            l,
            "mail-proposal-body",
            args!["name" => "Zoë", "n" => n, "area" => "x", "time" => "03:55"],
        )
    };
    assert!(
        asks(Lang::Fr, 1).starts_with("Zoë demande 1 place (en attente"),
        "{}",
        asks(Lang::Fr, 1)
    );
    assert!(asks(Lang::Fr, 2).starts_with("Zoë demande 2 places ("));
    assert!(asks(Lang::En, 1).starts_with("Zoë asks for 1 place ("));
    // a number given as text selects nothing: the default form
    assert_eq!(
        trf(Lang::En, "req-places", args!["n" => "1"]),
        "1 places free"
    );
}

#[test]
fn arguments_are_never_read_as_syntax() {
    for name in [
        "{time}",
        "{ $time }",
        "{ $n -> [one] x *[other] y }",
        "<b>&amp;",
        "\u{202e}x",
    ] {
        let hello = trf(Lang::En, "mail-hello", args!["name" => name]);
        assert_eq!(hello, format!("Hello {name},"));
        let asked = trf(Lang::Fr, "req-asked", args!["time" => name]);
        assert!(asked.contains(name), "{asked}");
    }
    // a guest named like a placeholder of the same message: not filled
    let safe = trf(
        Lang::En,
        "safe-yes",
        args!["name" => "{time}", "time" => "03:55"],
    );
    assert_eq!(safe, "{time} was reported safe and sheltered at 03:55.");
    // no Unicode isolation marks around arguments
    assert!(!trf(Lang::Fr, "req-places", args!["n" => 2]).contains(['\u{2068}', '\u{2069}']));
}

#[test]
fn a_missing_message_is_visible_and_never_the_bare_id() {
    assert_eq!(tr(Lang::En, "no-such-message"), "⟦no-such-message⟧");
    assert_eq!(
        tr(Lang::En, "no-such-message"),
        "⟦no-such-message⟧",
        "cached"
    );
    assert_eq!(
        trf(Lang::Fr, "no-such-message", args!["n" => 1]),
        "⟦no-such-message⟧"
    );
    // a forgotten argument shows too
    assert!(trf(Lang::En, "req-places", args![]).contains("$n"));
    assert_eq!(tr(Lang::En, "app-name"), "Porte Ouverte");
}
