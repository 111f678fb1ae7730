//! What a guest adds to their request after sending it (`RequestDetails`):
//! the optional part of the request form, which the first screen leaves
//! folded so that a person can ask for shelter in under a minute.

use super::{FormErrors, email_opt, form_languages, json_languages, notes_with, text_opt};
use crate::domain::input::{Fields, ValidationErrors};
use crate::domain::values::{Email, Languages, Needs, Text};
use serde_json::Value;

const FIELDS: &[&str] = &[
    "needs",
    "languages",
    "notes",
    "trusted_contact_email",
    "trusted_contact_consent",
    "findable_name",
    "findable_consent",
];

/// Details added to a request: each `None` leaves what is there. The
/// trusted contact and the findable name can be given or replaced, not
/// read back (the page never shows them again).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestDetails {
    pub needs: Option<Needs>,
    pub languages: Option<Languages>,
    /// `Some(None)` clears the notes
    pub notes: Option<Option<Text>>,
    pub trusted_email: Option<Email>,
    pub findable_name: Option<Text>,
}

impl RequestDetails {
    /// From the API's JSON body (`PATCH /api/v1/requests/{id}`).
    pub fn from_json(body: Value) -> Result<Self, ValidationErrors> {
        let mut f = Fields::new(body, FIELDS)?;
        let d = Self::read(&mut f);
        f.finish()?;
        Ok(d)
    }

    /// From the details form: it shows the needs, the languages and the
    /// notes as they are, so what it sends replaces them; a blank trusted
    /// contact or findable name leaves the one given before.
    pub fn from_form<'a>(
        form: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Result<Self, FormErrors> {
        let mut f = Fields::form(form);
        let d = Self::read(&mut f);
        if f.is_ok() {
            Ok(d)
        } else {
            Err(FormErrors::of(f, vec![]))
        }
    }

    fn read(f: &mut Fields) -> Self {
        let form = f.is_form();
        let needs = if form {
            let mut on = |k: &str| f.bool_opt(k).unwrap_or(false);
            Some(Needs {
                accessible: on("accessible"),
                pets: on("pets"),
                children: on("children"),
                women_only: on("women_only"),
            })
        } else {
            f.object_opt("needs", &["accessible", "pets", "children", "women_only"])
                .map(|mut n| {
                    let needs = Needs {
                        accessible: n.bool_opt("accessible").unwrap_or(false),
                        pets: n.bool_opt("pets").unwrap_or(false),
                        children: n.bool_opt("children").unwrap_or(false),
                        women_only: n.bool_opt("women_only").unwrap_or(false),
                    };
                    f.absorb(n);
                    needs
                })
        };
        let (languages, notes) = if form {
            // what the form sends replaces; a key it did not send stays
            let (languages, extra) = form_languages(f);
            (languages, notes_with(f, extra))
        } else {
            let languages = json_languages(f);
            (languages, text_opt(f, "notes", 1000, true))
        };
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
        Self {
            needs,
            languages,
            notes,
            trusted_email,
            findable_name,
        }
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
