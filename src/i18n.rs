//! Every string a person reads — pages, mails, push alerts — comes from a
//! catalogue, assets/i18n/{fr,en}.ftl, in Project Fluent's syntax, read by
//! `fluent-bundle` (plural rules from CLDR through `intl_pluralrules`). No
//! HTTP here: the visitor's language is chosen in `web::lang`. Arguments are Fluent variables
//! (`FluentArgs`), never text replacement: a guest named `{ $time }` is
//! shown as such. Where a number is shown, pass it as a number (`args!`
//! does, for integers and floats) so that `{ $n -> [one] … *[other] … }`
//! picks the plural form.
//!
//! Unicode isolation marks are off: Fluent would wrap every argument in
//! U+2068…U+2069 so that a right-to-left name cannot reorder the sentence
//! around it. Both our languages are left-to-right, and the marks would end
//! up in HTML, mail subjects, push alerts and every text a test compares.
//! When a right-to-left language joins (`Lang::dir`), isolate arguments in
//! the views (`<bdi>`) rather than with invisible characters.
//!
//! A missing message cannot ship: the tests below parse both catalogues with
//! Fluent's own parser, require the same ids in both, and require every
//! message id written in the code (any string literal shaped like one,
//! including those chosen by `match` or `if`) to exist. At run time a
//! missing id is logged once and renders as `⟦id⟧` in debug builds and
//! tests (visibly wrong), or in the other language in release builds.

use crate::domain::locale::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};
use unic_langid::LanguageIdentifier;

/// One argument of a message: text, or a number (for plural selectors).
pub type Arg<'a> = FluentValue<'a>;

/// Builds the arguments of a message: `args!["name" => &req.name, "n" => 3]`.
/// Text stays text whatever it contains; integers and floats are numbers.
macro_rules! args {
    ($($k:literal => $v:expr),* $(,)?) => {
        &[$(($k, $crate::i18n::Arg::from($v))),*]
    };
}
pub(crate) use args;

pub(crate) fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => include_str!("../assets/i18n/fr.ftl"),
        Lang::En => include_str!("../assets/i18n/en.ftl"),
    }
}

struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    /// every message formatted without arguments, for `tr`
    plain: HashMap<String, String>,
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static FR: OnceLock<Catalogue> = OnceLock::new();
    static EN: OnceLock<Catalogue> = OnceLock::new();
    let cell = match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    };
    cell.get_or_init(|| load(lang))
}

fn load(lang: Lang) -> Catalogue {
    let resource = match FluentResource::try_new(source(lang).to_owned()) {
        Ok(r) => r,
        Err((r, errors)) => {
            tracing::error!(
                lang = lang.code(),
                ?errors,
                "the catalogue has syntax errors"
            );
            r
        }
    };
    let ids: Vec<String> = resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect();
    let locale: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            lang = lang.code(),
            ?errors,
            "the catalogue repeats messages"
        );
    }
    let plain = ids
        .into_iter()
        .filter_map(|id| {
            let text = format(&bundle, &id, None)?;
            Some((id, text))
        })
        .collect();
    Catalogue { bundle, plain }
}

/// The message `id` with `args`, or None if there is no such message.
/// Formatting errors (an argument the code did not pass) are logged; Fluent
/// then shows the variable's name in braces, visibly.
fn format(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = vec![];
    let text = bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned();
    if !errors.is_empty() && args.is_some() {
        report(id, &format!("{errors:?}"));
    }
    Some(text)
}

/// Logs a problem with a message once per id and process.
fn report(id: &str, problem: &str) {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    let first = seen
        .lock()
        .map(|mut s| s.insert(id.to_owned()))
        .unwrap_or(true);
    if first {
        tracing::error!(message_id = id, problem, "a catalogue message is wrong");
    }
}

/// What a missing message renders as: the id in brackets where a developer
/// or a test looks, the other language's text in production.
fn missing(lang: Lang, id: &'static str, fill: impl Fn(Lang) -> Option<String>) -> String {
    report(id, "missing");
    if !cfg!(debug_assertions) {
        if let Some(text) = Lang::ALL.into_iter().filter(|l| *l != lang).find_map(fill) {
            return text;
        }
    }
    format!("⟦{id}⟧")
}

/// The message `id`, which takes no arguments.
pub fn tr(lang: Lang, id: &'static str) -> &'static str {
    if let Some(text) = catalogue(lang).plain.get(id) {
        return text;
    }
    static MISSING: OnceLock<Mutex<HashMap<(Lang, &'static str), &'static str>>> = OnceLock::new();
    let text = missing(lang, id, |l| catalogue(l).plain.get(id).cloned());
    let cache = MISSING.get_or_init(Default::default);
    match cache.lock() {
        // leaked once per missing (language, id): a bug a test catches first
        Ok(mut c) => c
            .entry((lang, id))
            .or_insert_with(|| Box::leak(text.into_boxed_str())),
        Err(_) => "⟦?⟧",
    }
}

/// The message `id` with its arguments (`args!`).
pub fn trf(lang: Lang, id: &'static str, args: &[(&str, Arg<'_>)]) -> String {
    let mut fargs = FluentArgs::with_capacity(args.len());
    for (k, v) in args {
        fargs.set(*k, v.clone());
    }
    format(&catalogue(lang).bundle, id, Some(&fargs))
        .unwrap_or_else(|| missing(lang, id, |l| format(&catalogue(l).bundle, id, Some(&fargs))))
}

#[cfg(test)]
#[path = "i18n_tests.rs"]
mod tests;
