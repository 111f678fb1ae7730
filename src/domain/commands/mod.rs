//! Typed commands at the service boundary: what a host or a guest asks the
//! platform to do, read and validated once whatever its source. Each command
//! is read from the API's JSON body (`from_json`) or from a page's form
//! (`from_form`) through the same `Fields` reader and the same domain
//! constructors, so the API and the pages cannot disagree on a rule. Every
//! field's problem is collected; a JSON body's errors keep the API's field
//! names (`lat`, `available_until`), a form's errors name the form's fields
//! (`place`, `hours`) so that the page can put each message beside its
//! field.
//!
//! What only a form has is read here too, as a rule of the domain: a place
//! typed in words resolved by the gazetteer near the open incidents, a
//! number of hours of availability, languages named in words (the unknown
//! ones kept in the notes, never refused).

mod details;
mod offer;
mod request;

pub use details::RequestDetails;
pub use offer::{NewOffer, OfferPatch};
pub use request::NewRequest;

use super::gazetteer::{Found, Gazetteer};
use super::input::{Fields, ValidationErrors};
use super::values::{Coordinates, Email, Lang, Languages, Phone, Text};
use super::{Millis, language_names};

/// How far from an open incident a place named in words may be before the
/// person is asked to confirm it (km).
pub const NEAR_CRISIS_KM: f64 = 60.0;

/// The longest availability a form offers, in hours (the window's own
/// limit is 30 days).
pub const MAX_HOURS: i64 = 720;

/// Why a form was refused: each field's problem, and when a place typed in
/// words matched several, the places to choose from (their labels).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormErrors {
    pub fields: ValidationErrors,
    pub place_choices: Vec<String>,
}

impl From<ValidationErrors> for FormErrors {
    fn from(fields: ValidationErrors) -> Self {
        Self {
            fields,
            place_choices: vec![],
        }
    }
}

impl FormErrors {
    fn of(f: Fields, place_choices: Vec<String>) -> Self {
        Self {
            fields: f.finish().err().unwrap_or_default(),
            place_choices,
        }
    }
}

/// Where a form says the person or the door is: the browser's position when
/// the page's script filled `lat`/`lon`, else the place chosen from a list
/// (`place_choice`) or typed (`place`), read by the bundled gazetteer near
/// the open incidents (`focus`). Every problem is reported on `place`.
pub fn form_position(
    f: &mut Fields,
    focus: &[(f64, f64)],
    choices: &mut Vec<String>,
) -> Option<Coordinates> {
    // a position the script could not fill is simply not there: the words count
    let lat = f
        .take_value("lat")
        .and_then(|v| v.as_str()?.replace(',', ".").parse::<f64>().ok());
    let lon = f
        .take_value("lon")
        .and_then(|v| v.as_str()?.replace(',', ".").parse::<f64>().ok());
    let choice = f.str_opt("place_choice");
    let typed = f.str_opt("place");
    if let (Some(lat), Some(lon)) = (lat, lon) {
        return f.check("place", Coordinates::new(lat, lon));
    }
    let Some(words) = choice.or(typed) else {
        f.error("place", "give a place or a postcode");
        return None;
    };
    match Gazetteer::bundled().find_near(&words, focus, NEAR_CRISIS_KM) {
        Found::One(p) => f.check("place", Coordinates::new(p.lat, p.lon)),
        Found::Several(ps) => {
            choices.extend(ps.iter().map(|p| p.display()));
            f.error("place", "several places have this name: choose one");
            None
        }
        Found::Nothing => {
            f.error("place", "give a place or postcode we know");
            None
        }
    }
}

/// Whether a form names a place at all (an edit keeps the offer's own
/// position when it does not).
fn form_names_a_place(f: &Fields) -> bool {
    ["place", "place_choice", "lat", "lon"]
        .iter()
        .any(|k| f.has(k))
}

/// A JSON list of ISO 639-1 codes, each checked: every bad code is
/// named, then the list as a whole.
fn json_languages(f: &mut Fields) -> Option<Languages> {
    let list = f.str_list_opt("languages", Languages::MAX)?;
    let langs: Vec<Option<Lang>> = list
        .iter()
        .map(|s| f.check("languages", Lang::new(s)))
        .collect();
    let langs = langs.into_iter().collect::<Option<Vec<_>>>()?;
    f.check("languages", Languages::new(langs))
}

/// A form's free-text languages: codes or names in French or English
/// ("anglais, arabe") become codes; what is not a language we know
/// ("langue des signes"), or beyond the matcher's limit, is never refused:
/// it is returned as a line for the notes, for the other side to read.
fn form_languages(f: &mut Fields) -> (Option<Languages>, Option<String>) {
    let sent = f.sent("languages");
    let Some(text) = f.str_opt("languages") else {
        // an emptied field clears the languages
        return (sent.then(Languages::default), None);
    };
    let mut typed = language_names::read(&text);
    if typed.known.len() > Languages::MAX {
        let rest = typed.known.split_off(Languages::MAX);
        typed
            .other
            .extend(rest.iter().map(|l| l.as_str().to_owned()));
    }
    let langs = f.check("languages", Languages::new(typed.known));
    let extra = (!typed.other.is_empty())
        .then(|| format!("Langues / languages : {}", typed.other.join(", ")));
    (langs, extra)
}

/// Free-text notes, with the languages' extra line after them; the notes'
/// own limit (1,000 characters) still holds for what the person typed.
fn notes_with(f: &mut Fields, extra: Option<String>) -> Option<Option<Text>> {
    let typed = text_opt(f, "notes", 1000, true);
    let Some(extra) = extra else { return typed };
    let joined = match typed.flatten() {
        Some(n) => format!("{}\n{extra}", n.as_str()),
        None => extra,
    };
    let clipped: String = joined.chars().take(1000).collect();
    f.check("notes", Text::new(&clipped, 1, 1000, true))
        .map(Some)
}

/// Whether an optional field says something: in JSON, present and not
/// null (null leaves it as it is); in a form, sent at all (an emptied field
/// clears it).
fn given(f: &Fields, field: &str) -> bool {
    if f.is_form() {
        f.sent(field)
    } else {
        f.has(field)
    }
}

/// An optional text: absent is `None`; given but blank is `Some(None)`,
/// which clears it on an edit.
fn text_opt(f: &mut Fields, field: &str, max: usize, multiline: bool) -> Option<Option<Text>> {
    if !given(f, field) {
        return None;
    }
    match f.str_opt(field) {
        Some(s) if !s.trim().is_empty() => {
            f.check(field, Text::new(&s, 1, max, multiline)).map(Some)
        }
        Some(_) => Some(None),
        None if f.has_error(field) => None,
        None => Some(None),
    }
}

/// An optional phone number, with the same absent / cleared distinction.
fn phone_opt(f: &mut Fields, field: &str) -> Option<Option<Phone>> {
    if !given(f, field) {
        return None;
    }
    match f.str_opt(field) {
        Some(s) if !s.trim().is_empty() => f.check(field, Phone::new(&s)).map(Some),
        Some(_) => Some(None),
        None if f.has_error(field) => None,
        None => Some(None),
    }
}

/// An optional e-mail address, with the same absent / cleared distinction.
fn email_opt(f: &mut Fields, field: &str) -> Option<Option<Email>> {
    if !given(f, field) {
        return None;
    }
    match f.str_opt(field) {
        Some(s) if !s.trim().is_empty() => f.check(field, Email::new(&s)).map(Some),
        Some(_) => Some(None),
        None if f.has_error(field) => None,
        None => Some(None),
    }
}

/// A form's "available for N hours" as the end of availability.
fn form_hours(f: &mut Fields, now: Millis) -> Option<Millis> {
    match f.int_opt("hours") {
        Some(h) if (1..=MAX_HOURS).contains(&h) => Some(now + h * 3_600_000),
        Some(_) => {
            f.error("hours", format!("must be between 1 and {MAX_HOURS} hours"));
            None
        }
        None if f.has_error("hours") => None,
        None => {
            f.error("hours", "is required");
            None
        }
    }
}

/// The language of a guest's or host's mails: `fr` unless `en` is asked.
pub fn mail_lang(f: &mut Fields) -> super::locale::Lang {
    use super::locale::Lang;
    match f.str_opt("lang") {
        None => Lang::Fr,
        Some(code) => Lang::from_code(&code).unwrap_or_else(|| {
            f.error("lang", "must be fr or en");
            Lang::Fr
        }),
    }
}

#[cfg(test)]
mod tests;
