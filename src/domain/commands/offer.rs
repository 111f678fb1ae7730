//! A host's offer: publishing one (`NewOffer`) and changing one
//! (`OfferPatch`).

use super::{
    FormErrors, email_opt, form_hours, form_languages, form_names_a_place, form_position,
    json_languages, notes_with, phone_opt, text_opt,
};
use crate::domain::Millis;
use crate::domain::input::{Fields, ValidationErrors};
use crate::domain::states::OfferStatus;
use crate::domain::values::{Capacity, Coordinates, Email, Languages, Phone, Text, Window};
use serde_json::Value;

/// The API's fields of an offer (`status` only when changing one).
const FIELDS: &[&str] = &[
    "lat",
    "lon",
    "address",
    "capacity",
    "available_from",
    "available_until",
    "contact_phone",
    "contact_email",
    "notes",
    "accessible",
    "pets_ok",
    "children_ok",
    "women_only",
    "languages",
    "status",
];

/// A new offer of places, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOffer {
    pub point: Coordinates,
    pub address: Text,
    pub capacity: Capacity,
    pub window: Window,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub notes: Option<Text>,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
    pub languages: Languages,
}

impl NewOffer {
    /// From the API's JSON body; `now` is the service's clock.
    pub fn from_json(body: Value, now: Millis) -> Result<Self, ValidationErrors> {
        let mut f = Fields::new(body, &FIELDS[..FIELDS.len() - 1])?;
        let offer = Self::read(&mut f, focus_none(), &mut vec![], now);
        f.finish()?;
        offer.ok_or_else(|| ValidationErrors::single("offer", "is incomplete"))
    }

    /// From the host's form: a place in words or the browser's position,
    /// "available for N hours", languages in words.
    pub fn from_form<'a>(
        form: impl IntoIterator<Item = (&'a String, &'a String)>,
        focus: &[(f64, f64)],
        now: Millis,
    ) -> Result<Self, FormErrors> {
        let mut f = Fields::form(form);
        let mut choices = vec![];
        match Self::read(&mut f, focus, &mut choices, now) {
            Some(o) if f.is_ok() => Ok(o),
            _ => Err(FormErrors::of(f, choices)),
        }
    }

    /// One reader for both sources, field by field in the API's order;
    /// where a form says a thing differently, it is read its own way.
    fn read(
        f: &mut Fields,
        focus: &[(f64, f64)],
        choices: &mut Vec<String>,
        now: Millis,
    ) -> Option<Self> {
        let point = if f.is_form() {
            form_position(f, focus, choices)
        } else {
            f.coordinates()
        };
        let address = f
            .str_req("address")
            .and_then(|s| f.check("address", Text::new(&s, 3, 300, false)));
        let capacity = f
            .int_req("capacity")
            .and_then(|n| f.check("capacity", Capacity::new(n)));
        let window = if f.is_form() {
            form_hours(f, now).and_then(|until| f.check("hours", Window::new(now, until, now)))
        } else {
            let from = f.time_opt("available_from").unwrap_or(now);
            let until = f.time_req("available_until");
            until.and_then(|u| f.check("available_until", Window::new(from, u, now)))
        };
        let phone = phone_opt(f, "contact_phone").flatten();
        // the offer forms have no e-mail field: the account's is used
        let email = if f.is_form() {
            None
        } else {
            email_opt(f, "contact_email").flatten()
        };
        let (notes, form_langs) = notes_first(f);
        let mut flag = |k: &str| f.bool_opt(k).unwrap_or(false);
        let (accessible, pets_ok, children_ok, women_only) = (
            flag("accessible"),
            flag("pets_ok"),
            flag("children_ok"),
            flag("women_only"),
        );
        let languages = form_langs.unwrap_or_else(|| json_languages(f));
        Some(Self {
            point: point?,
            address: address?,
            capacity: capacity?,
            window: window?,
            phone,
            email,
            notes: notes.flatten(),
            accessible,
            pets_ok,
            children_ok,
            women_only,
            languages: languages.unwrap_or_default(),
        })
    }
}

fn focus_none() -> &'static [(f64, f64)] {
    &[]
}

/// The notes. A form's languages are words whose unknown ones go into the
/// notes, so a form's are read with them (`Some`); a JSON body's list of
/// codes is read after the flags, in the API's order (`None`).
#[allow(clippy::type_complexity)]
fn notes_first(f: &mut Fields) -> (Option<Option<Text>>, Option<Option<Languages>>) {
    if f.is_form() {
        let (languages, extra) = form_languages(f);
        (notes_with(f, extra), Some(languages))
    } else {
        (text_opt(f, "notes", 1000, true), None)
    }
}

/// A change to an offer: every field optional; `Some(None)` clears an
/// optional one. The service applies the rules that need the offer as it
/// is (a closed offer stays closed, capacity not below what is taken, the
/// window checked against the other end).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferPatch {
    pub status: Option<OfferStatus>,
    pub capacity: Option<Capacity>,
    pub point: Option<Coordinates>,
    pub address: Option<Text>,
    pub available_from: Option<Millis>,
    pub available_until: Option<Millis>,
    pub contact_phone: Option<Option<Phone>>,
    pub contact_email: Option<Option<Email>>,
    pub notes: Option<Option<Text>>,
    pub accessible: Option<bool>,
    pub pets_ok: Option<bool>,
    pub children_ok: Option<bool>,
    pub women_only: Option<bool>,
    pub languages: Option<Languages>,
}

impl OfferPatch {
    /// Only a change of status (what the dashboard's buttons ask).
    pub fn status(status: OfferStatus) -> Self {
        Self {
            status: Some(status),
            ..Self::default()
        }
    }

    /// Whether this only closes the offer (all a closed offer accepts).
    pub fn only_closes(&self) -> bool {
        *self == Self::status(OfferStatus::Closed)
    }

    /// From the API's JSON body (`PATCH /api/v1/offers/{id}`).
    pub fn from_json(body: Value) -> Result<Self, ValidationErrors> {
        let mut f = Fields::new(body, FIELDS)?;
        let patch = Self::read(&mut f, focus_none(), &mut vec![], 0);
        f.finish()?;
        Ok(patch)
    }

    /// From the host's edit form: it sends every field, so an unticked box
    /// is false and an emptied field clears it; a blank place keeps the
    /// offer where it is; the capacity and the hours are required.
    pub fn from_form<'a>(
        form: impl IntoIterator<Item = (&'a String, &'a String)>,
        focus: &[(f64, f64)],
        now: Millis,
    ) -> Result<Self, FormErrors> {
        let mut f = Fields::form(form);
        let mut choices = vec![];
        let patch = Self::read(&mut f, focus, &mut choices, now);
        if f.is_ok() {
            Ok(patch)
        } else {
            Err(FormErrors::of(f, choices))
        }
    }

    /// One reader for both sources, in the API's order.
    fn read(f: &mut Fields, focus: &[(f64, f64)], choices: &mut Vec<String>, now: Millis) -> Self {
        let form = f.is_form();
        // the edit form has no status (its buttons send `OfferPatch::status`)
        let status = (!form)
            .then(|| f.str_opt("status"))
            .flatten()
            .and_then(|s| {
                let parsed = OfferStatus::parse(&s);
                if parsed.is_none() {
                    f.error("status", "must be one of open, paused, closed");
                }
                parsed
            });
        let capacity = if form {
            f.int_req("capacity")
        } else {
            f.int_opt("capacity")
        }
        .and_then(|n| f.check("capacity", Capacity::new(n)));
        let point = if form {
            form_names_a_place(f)
                .then(|| form_position(f, focus, choices))
                .flatten()
        } else {
            match (f.has("lat"), f.has("lon")) {
                (true, true) => f.coordinates(),
                (false, false) => None,
                (has_lat, _) => {
                    f.error(
                        if has_lat { "lon" } else { "lat" },
                        "lat and lon must be changed together",
                    );
                    None
                }
            }
        };
        let address = f
            .str_opt("address")
            .and_then(|s| f.check("address", Text::new(&s, 3, 300, false)));
        let (available_from, available_until) = if form {
            (None, form_hours(f, now))
        } else {
            (f.time_opt("available_from"), f.time_opt("available_until"))
        };
        let contact_phone = phone_opt(f, "contact_phone");
        // the offer forms have no e-mail field: the account's is used
        let contact_email = if form {
            None
        } else {
            email_opt(f, "contact_email")
        };
        let (notes, form_langs) = notes_first(f);
        // a form sends every box it shows; an unticked one is not sent
        let mut flag = |k: &str| match f.bool_opt(k) {
            None if form => Some(false),
            v => v,
        };
        let (accessible, pets_ok, children_ok, women_only) = (
            flag("accessible"),
            flag("pets_ok"),
            flag("children_ok"),
            flag("women_only"),
        );
        let languages = form_langs.unwrap_or_else(|| json_languages(f));
        Self {
            status,
            capacity,
            point,
            address,
            available_from,
            available_until,
            contact_phone,
            contact_email,
            notes,
            accessible,
            pets_ok,
            children_ok,
            women_only,
            languages,
        }
    }
}
