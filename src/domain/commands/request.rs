//! A stranded person's request for shelter (`NewRequest`).

use super::{FormErrors, email_opt, form_languages, form_position, json_languages, mail_lang};
use super::{notes_with, phone_opt, text_opt};
use crate::domain::input::{Fields, ValidationErrors};
use crate::domain::locale;
use crate::domain::values::{Coordinates, Email, Languages, Needs, PartySize, Phone, Text};
use serde_json::Value;

const FIELDS: &[&str] = &[
    "lat",
    "lon",
    "party_size",
    "name",
    "contact_phone",
    "contact_email",
    "needs",
    "languages",
    "notes",
    "lang",
    "trusted_contact_email",
    "trusted_contact_consent",
    "findable_name",
    "findable_consent",
    "auto_ask",
];

/// A validated shelter request.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    pub point: Coordinates,
    pub party_size: PartySize,
    pub name: Text,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub needs: Needs,
    pub languages: Languages,
    pub notes: Option<Text>,
    /// the language of the guest's mails
    pub lang: locale::Lang,
    /// told once of a safe arrival, with the guest's explicit consent
    pub trusted_email: Option<Email>,
    /// findable by this full name ("is my relative safe?"), with consent
    pub findable_name: Option<Text>,
    /// the platform may ask hosts for the guest (see `service::auto_ask`)
    pub auto_ask: bool,
}

impl NewRequest {
    /// From the API's JSON body. `auto_ask` is explicit there: a client
    /// that never showed the guest the sentence cannot consent for them.
    pub fn from_json(body: Value) -> Result<Self, ValidationErrors> {
        let mut f = Fields::new(body, FIELDS)?;
        let request = Self::read(&mut f, &[], &mut vec![], None);
        f.finish()?;
        request.ok_or_else(|| ValidationErrors::single("request", "is incomplete"))
    }

    /// From the request form: a place in words or the browser's position,
    /// needs as ticked boxes, languages in words, in the page's language
    /// (`lang`). The form's "ask for me" box is ticked by default, in view.
    pub fn from_form<'a>(
        form: impl IntoIterator<Item = (&'a String, &'a String)>,
        focus: &[(f64, f64)],
        lang: locale::Lang,
    ) -> Result<Self, FormErrors> {
        let mut f = Fields::form(form);
        let mut choices = vec![];
        match Self::read(&mut f, focus, &mut choices, Some(lang)) {
            Some(r) if f.is_ok() => Ok(r),
            _ => Err(FormErrors::of(f, choices)),
        }
    }

    /// One reader for both sources, in the API's order.
    fn read(
        f: &mut Fields,
        focus: &[(f64, f64)],
        choices: &mut Vec<String>,
        lang: Option<locale::Lang>,
    ) -> Option<Self> {
        let form = f.is_form();
        let point = if form {
            form_position(f, focus, choices)
        } else {
            f.coordinates()
        };
        let party_size = f
            .int_req("party_size")
            .and_then(|n| f.check("party_size", PartySize::new(n)));
        let name = f
            .str_req("name")
            .and_then(|s| f.check("name", Text::new(&s, 1, 80, false)));
        let phone = phone_opt(f, "contact_phone").flatten();
        let email = email_opt(f, "contact_email").flatten();
        let needs = if form {
            let mut on = |k: &str| f.bool_opt(k).unwrap_or(false);
            Needs {
                accessible: on("accessible"),
                pets: on("pets"),
                children: on("children"),
                women_only: on("women_only"),
            }
        } else {
            json_needs(f)
        };
        let (languages, notes) = if form {
            let (languages, extra) = form_languages(f);
            (languages, notes_with(f, extra))
        } else {
            let languages = json_languages(f);
            (languages, text_opt(f, "notes", 1000, true))
        };
        let lang = lang.unwrap_or_else(|| mail_lang(f));
        let trusted_email = email_opt(f, "trusted_contact_email").flatten();
        let consent = f.bool_opt("trusted_contact_consent").unwrap_or(false);
        if trusted_email.is_some() && !consent {
            f.error(
                "trusted_contact_consent",
                "must be true: we tell the trusted contact only with your explicit consent",
            );
        }
        let findable_name = f
            .str_opt("findable_name")
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| f.check("findable_name", Text::new(&s, 2, 120, false)));
        let findable_consent = f.bool_opt("findable_consent").unwrap_or(false);
        if findable_name.is_some() && !findable_consent {
            f.error(
                "findable_consent",
                "must be true: we answer searches for your name only with your explicit consent",
            );
        }
        let auto_ask = f.bool_opt("auto_ask").unwrap_or(false);
        if phone.is_none() && email.is_none() {
            f.error(
                "contact_phone",
                "give a phone number or an e-mail address so the host can reach you",
            );
        }
        Some(Self {
            point: point?,
            party_size: party_size?,
            name: name?,
            phone,
            email,
            needs,
            languages: languages.unwrap_or_default(),
            notes: notes.flatten(),
            lang,
            trusted_email,
            findable_name,
            auto_ask,
        })
    }
}

/// The API's `needs` object.
fn json_needs(f: &mut Fields) -> Needs {
    let Some(mut n) = f.object_opt("needs", &["accessible", "pets", "children", "women_only"])
    else {
        return Needs::default();
    };
    let needs = Needs {
        accessible: n.bool_opt("accessible").unwrap_or(false),
        pets: n.bool_opt("pets").unwrap_or(false),
        children: n.bool_opt("children").unwrap_or(false),
        women_only: n.bool_opt("women_only").unwrap_or(false),
    };
    f.absorb(n);
    needs
}
