//! The page frame: language, title, header with the language switcher,
//! the stylesheet and the (optional) script, and shared form pieces.

use super::assets;
use crate::domain::locale::Lang;
use crate::domain::matching::Side;
use crate::i18n::{args, tr, trf};
use maud::{DOCTYPE, Markup, html};
use std::collections::HashMap;

/// A live page's addresses.
pub struct Live {
    /// the page itself, fetched again on each change (and the refresh link)
    pub page: String,
    /// its event stream
    pub stream: String,
    /// Without JavaScript, a person may ask this page to update itself every
    /// [`SELF_UPDATE_SECONDS`] (the `Refresh` header) and stop it again:
    /// `Some(on)` where the page offers it (nothing on it can be typed in),
    /// `None` elsewhere. Never on by itself: a timed reload nobody chose
    /// moves a screen reader's place (WCAG 2.2.1).
    pub self_update: Option<bool>,
}

/// How often a page a person asked to update itself reloads, in seconds.
pub const SELF_UPDATE_SECONDS: u32 = 30;

/// The query that asks a live page to update itself.
pub const SELF_UPDATE_QUERY: &str = "auto";

/// What every page needs to know about its request.
pub struct Ctx {
    pub lang: Lang,
    /// the current path and query, for the language switcher to come back to
    pub path: String,
    /// a live page (see `crate::live`): it shows a refresh link, and its
    /// `data-live` regions update themselves
    pub live: Option<Live>,
    /// a one-line message at the top of the page (after an action)
    pub notice: Option<&'static str>,
}

pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let l = ctx.lang;
    let other = if l == Lang::Fr { Lang::En } else { Lang::Fr };
    html! {
        (DOCTYPE)
        html lang=(l.code()) dir=(l.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // "Porte Ouverte", not "Porte Ouverte — Porte Ouverte", on the landing page
                @if title == tr(l, "app-name") {
                    title { (title) }
                } @else {
                    title { (title) " — " (tr(l, "app-name")) }
                }
                link rel="icon" type="image/svg+xml" href=(assets::url("icon.svg"));
                link rel="stylesheet" href=(assets::url("app.css"));
                script src=(assets::url("app.js")) defer {}
            }
            body {
                header {
                    a href="/" { (tr(l, "app-name")) }
                    a class="lang" href=(format!("/lang/{}?next={}", other.code(), urlencode(&ctx.path))) lang=(other.code()) hreflang=(other.code()) {
                        (tr(l, "nav-language"))
                    }
                }
                main id="main" {
                    @if let Some(n) = ctx.notice { p class="notice" role="status" { (tr(l, n)) } }
                    @if let Some(live) = &ctx.live { (live_bar(l, live)) }
                    (body)
                }
                // the open data the place names come from, credited as
                // their licences ask (ODbL: visible to the people using it)
                footer { p class="credits" { (tr(l, "footer-places")) } }
            }
        }
    }
}

/// A live page's bar: a refresh link (it works without JavaScript), the
/// stream `app.js` listens to, and a polite live region where it announces
/// updates to screen readers.
fn live_bar(l: Lang, live: &Live) -> Markup {
    html! {
        p class="live" data-live-stream=(live.stream) data-live-updated=(tr(l, "live-updated")) {
            a href=(live.page) data-live-page { (tr(l, "live-refresh")) }
            @if let Some(on) = live.self_update {
                noscript {
                    " · "
                    @if on {
                        a href=(live.page) { (tr(l, "live-self-update-off")) }
                    } @else {
                        a href=(format!("{}?{SELF_UPDATE_QUERY}=1", live.page)) {
                            (trf(l, "live-self-update-on", args!["seconds" => SELF_UPDATE_SECONDS]))
                        }
                    }
                }
            }
            span class="visually-hidden" aria-live="polite" data-live-announce {}
        }
    }
}

/// Whether a rendered page has a field someone can type into or choose in
/// (anything but hidden or read-only inputs): such a page never updates
/// itself, or it would wipe what is being typed.
pub fn typeable(html: &str) -> bool {
    if html.contains("<textarea") || html.contains("<select") {
        return true;
    }
    html.split("<input").skip(1).any(|rest| {
        let tag = rest.split('>').next().unwrap_or("");
        !tag.contains("type=\"hidden\"") && !tag.contains(" readonly")
    })
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Field errors of a form: field name → id of the catalogue message.
pub type Errors = HashMap<String, &'static str>;

/// A labelled input with its hint and error, wired for screen readers.
pub struct Input<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub autocomplete: &'a str,
    pub required: bool,
}

pub fn input(l: Lang, f: Input<'_>, errors: &Errors) -> Markup {
    let id = format!("f-{}", f.name);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let error = errors.get(f.name);
    let mut described = Vec::new();
    if f.hint.is_some() {
        described.push(hint_id.clone());
    }
    if error.is_some() {
        described.push(err_id.clone());
    }
    html! {
        div class="field" {
            label for=(id) { (f.label) }
            @if let Some(h) = f.hint { p class="hint" id=(hint_id) { (h) } }
            @if let Some(key) = error { p class="error" id=(err_id) { (tr(l, key)) } }
            @if f.kind == "textarea" {
                textarea id=(id) name=(f.name) maxlength="1000" aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then(|| described.join(" "))] { (f.value) }
            } @else {
                input id=(id) name=(f.name) type=(f.kind) value=(f.value) autocomplete=(f.autocomplete)
                    required[f.required] aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then(|| described.join(" "))]
                    inputmode=[(f.kind == "number").then_some("numeric")];
            }
        }
    }
}

pub fn checkbox(name: &str, label: &str, checked: bool) -> Markup {
    html! {
        label class="check" {
            input type="checkbox" name=(name) value="on" checked[checked];
            span { (label) }
        }
    }
}

/// Under a place field that named several places ("Saint-Ouen"), or a
/// place far from the crisis to confirm: the places to choose from
/// (`place_choices`, one label a line, set by the form's handler), as radio
/// buttons, no script needed.
pub fn place_choices(l: Lang, values: &HashMap<String, String>) -> Markup {
    let Some(list) = values.get("place_choices") else {
        return html! {};
    };
    html! {
        fieldset class="choices" {
            legend { (tr(l, "place-choose")) }
            @for label in list.lines().filter(|s| !s.is_empty()) {
                label class="check" {
                    input type="radio" name="place_choice" value=(label);
                    span { (label) }
                }
            }
        }
    }
}

pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// A small POST form with one button (every state change is a POST).
pub fn button_form(
    action: &str,
    csrf: &str,
    label: &str,
    class: &str,
    hidden: &[(&str, &str)],
) -> Markup {
    html! {
        form class="inline" method="post" action=(action) {
            (csrf_field(csrf))
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            button type="submit" class=(class) { (label) }
        }
    }
}

/// Who has seen the reader's contact details (from the audit of reveals).
pub fn seen_by(
    l: Lang,
    seen: &[crate::service::audit::SeenBy],
    time: &dyn Fn(&str) -> String,
) -> Markup {
    html! {
        @if !seen.is_empty() {
            details class="seen" {
                summary { (tr(l, "seen-title")) }
                ul {
                    @for s in seen {
                        li {
                            (time(&s.at)) " — "
                            (tr(l, match s.viewer { Side::Host => "seen-host", Side::Guest => "seen-guest", Side::Coordinator => "seen-coordinator" }))
                            @if let Some(n) = &s.viewer_name { " (" (n) ")" }
                            @if let Some(r) = &s.reason { " — " (tr(l, "seen-reason")) " " q { (r) } }
                        }
                    }
                }
            }
        }
    }
}

/// "Report": a reason to choose and optional details, behind a disclosure.
pub fn report_form(l: Lang, action: &str, csrf: &str, hidden: &[(&str, &str)]) -> Markup {
    html! {
        details class="report" {
            summary { (tr(l, "report-title")) }
            form method="post" action=(action) {
                (csrf_field(csrf))
                @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
                fieldset {
                    legend { (tr(l, "report-reason")) }
                    @for (value, key) in [("asks_money", "report-asks_money"), ("unsafe", "report-unsafe"), ("inappropriate", "report-inappropriate"), ("fake", "report-fake"), ("other", "report-other")] {
                        label class="check" { input type="radio" name="reason" value=(value) required; span { (tr(l, key)) } }
                    }
                }
                @let id = format!("details-{}", hidden.first().map(|(_, v)| *v).unwrap_or("report"));
                div class="field" {
                    label for=(id) { (tr(l, "report-details")) }
                    textarea id=(id) name="details" maxlength="1000" {}
                }
                button type="submit" class="danger" { (tr(l, "report-send")) }
            }
        }
    }
}

/// A form that was refused (its CSRF token or origin did not check out):
/// what happened, and the way back to the page it came from.
pub fn refused(ctx: &Ctx, back: &str) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "page-refused"),
        html! {
            h1 { (tr(l, "page-refused")) }
            p class="error" { (tr(l, "err-csrf")) }
            p { a href=(back) { (tr(l, "page-back_to_page")) } }
        },
    )
}

pub fn not_found(ctx: &Ctx) -> Markup {
    let l = ctx.lang;
    page(
        ctx,
        tr(l, "page-not_found"),
        html! {
            h1 { (tr(l, "page-not_found")) }
            p { a href="/" { (tr(l, "page-back")) } }
        },
    )
}
