//! The same command read from JSON and from a form is the same value, and
//! each source's refusals name its own fields.

use super::*;
use crate::domain::states::OfferStatus;
use serde_json::json;
use std::collections::HashMap;

const NOW: Millis = 1_795_557_600_000;

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn an_offer_reads_the_same_from_json_and_from_a_form() {
    let until = crate::domain::rfc3339(NOW + 5 * 3_600_000);
    let from_json = NewOffer::from_json(
        json!({"lat": 48.8566, "lon": 2.3522, "address": "8 rue Saint-Maur, Paris 11e",
               "capacity": 3, "available_until": until, "pets_ok": true,
               "languages": ["ar", "en"], "contact_phone": "+33 6 12 34 56 78"}),
        NOW,
    )
    .unwrap();
    let from_form = NewOffer::from_form(
        &form(&[
            ("csrf", "x"),
            ("lat", "48.8566"),
            ("lon", "2.3522"),
            ("address", "8 rue Saint-Maur, Paris 11e"),
            ("capacity", "3"),
            ("hours", "5"),
            ("pets_ok", "on"),
            ("languages", "anglais, arabe"),
            ("contact_phone", "+33 6 12 34 56 78"),
            ("notes", ""),
        ]),
        &[],
        NOW,
    )
    .unwrap();
    assert_eq!(from_json, from_form);
    assert_eq!(from_form.window.until, NOW + 5 * 3_600_000);
    assert!(from_form.pets_ok && !from_form.accessible);
}

#[test]
fn a_form_offer_is_placed_by_words_and_keeps_unknown_languages_in_its_notes() {
    let o = NewOffer::from_form(
        &form(&[
            ("place", "Paris 11ème"),
            ("address", "8 rue Saint-Maur"),
            ("capacity", "2"),
            ("hours", "12"),
            ("languages", "arabe, langue des signes"),
            ("notes", "2e étage"),
        ]),
        &[],
        NOW,
    )
    .unwrap();
    assert!((o.point.lat() - 48.86).abs() < 0.02, "{:?}", o.point);
    assert_eq!(o.languages.codes(), ["ar"]);
    assert_eq!(
        o.notes.unwrap().as_str(),
        "2e étage\nLangues / languages : langue des signes"
    );
}

#[test]
fn a_form_offer_collects_every_problem_under_the_forms_names() {
    let e = NewOffer::from_form(
        &form(&[
            ("place", "Nulle-Part-sur-Rien"),
            ("address", "x"),
            ("capacity", "zero"),
            ("hours", "721"),
        ]),
        &[],
        NOW,
    )
    .unwrap_err();
    assert_eq!(fields(&e.fields), ["place", "address", "capacity", "hours"]);
    assert!(e.place_choices.is_empty());
    let json = NewOffer::from_json(json!({"address": "x", "capacity": "zero"}), NOW).unwrap_err();
    assert_eq!(
        fields(&json),
        ["lat", "lon", "address", "capacity", "available_until"]
    );
}

#[test]
fn a_place_far_from_the_crisis_gives_a_list_to_choose_from() {
    // with a crisis in Paris, "Carcassonne" is confirmed, never taken silently
    let e = NewRequest::from_form(
        &form(&[
            ("place", "Carcassonne"),
            ("party_size", "2"),
            ("name", "Samira"),
            ("contact_phone", "+33 7 00 00 00 01"),
        ]),
        &[(48.8566, 2.3522)],
        crate::domain::locale::Lang::En,
    )
    .unwrap_err();
    assert_eq!(fields(&e.fields), ["place"]);
    assert!(
        e.place_choices.iter().any(|c| c.contains("Carcassonne")),
        "{:?}",
        e.place_choices
    );
    // chosen from the list, it is taken
    let r = NewRequest::from_form(
        &form(&[
            ("place_choice", &e.place_choices[0]),
            ("party_size", "2"),
            ("name", "Samira"),
            ("contact_phone", "+33 7 00 00 00 01"),
        ]),
        &[(48.8566, 2.3522)],
        crate::domain::locale::Lang::En,
    )
    .unwrap();
    assert!((r.point.lat() - 43.2).abs() < 0.2, "{:?}", r.point);
}

#[test]
fn every_bad_language_code_is_named() {
    let e = NewRequest::from_json(json!({
        "lat": 48.85, "lon": 2.35, "party_size": 1, "name": "Samira",
        "contact_phone": "+33 7 00 00 00 01", "languages": ["xx", "yy"],
    }))
    .unwrap_err();
    assert_eq!(fields(&e), ["languages", "languages"]);
}

#[test]
fn notes_the_languages_cannot_join_are_refused_not_dropped() {
    // a control character in an unknown language's name: the notes line is
    // refused with the form, never silently left out
    let e = NewOffer::from_form(
        &form(&[
            ("lat", "48.85"),
            ("lon", "2.35"),
            ("address", "8 rue Saint-Maur"),
            ("capacity", "2"),
            ("hours", "4"),
            ("languages", "langue\u{85}des signes"),
        ]),
        &[],
        NOW,
    )
    .unwrap_err();
    assert_eq!(fields(&e.fields), ["notes"]);
}

#[test]
fn the_edit_form_reads_no_status_and_no_email() {
    let p = OfferPatch::from_form(
        &form(&[
            ("capacity", "2"),
            ("hours", "3"),
            ("status", "closed"),
            ("contact_email", "someone@example.org"),
        ]),
        &[],
        NOW,
    )
    .unwrap();
    assert_eq!((p.status, p.contact_email), (None, None));
}

#[test]
fn a_request_reads_the_same_from_json_and_from_a_form() {
    let from_json = NewRequest::from_json(json!({
        "lat": 48.85, "lon": 2.35, "party_size": 2, "name": "Samira",
        "contact_phone": "+33 7 00 00 00 01", "needs": {"children": true, "pets": true},
        "languages": ["fr"], "lang": "en", "auto_ask": true,
        "trusted_contact_email": "sister@example.org", "trusted_contact_consent": true,
    }))
    .unwrap();
    let from_form = NewRequest::from_form(
        &form(&[
            ("lat", "48.85"),
            ("lon", "2.35"),
            ("party_size", "2"),
            ("name", "Samira"),
            ("contact_phone", "+33 7 00 00 00 01"),
            ("contact_email", ""),
            ("children", "on"),
            ("pets", "on"),
            ("languages", "français"),
            ("auto_ask", "on"),
            ("trusted_contact_email", "sister@example.org"),
            ("trusted_contact_consent", "on"),
        ]),
        &[],
        crate::domain::locale::Lang::En,
    )
    .unwrap();
    assert_eq!(from_json, from_form);
}

#[test]
fn a_request_without_consent_or_contact_is_refused_field_by_field() {
    let e = NewRequest::from_form(
        &form(&[
            ("place", "75011"),
            ("party_size", "25"),
            ("name", ""),
            ("findable_name", "Samira Haddad"),
        ]),
        &[],
        crate::domain::locale::Lang::Fr,
    )
    .unwrap_err();
    assert_eq!(
        fields(&e.fields),
        ["party_size", "name", "findable_consent", "contact_phone"]
    );
    // the API says the same of the same request
    let json = NewRequest::from_json(json!({
        "lat": 48.86, "lon": 2.37, "party_size": 25, "findable_name": "Samira Haddad"
    }))
    .unwrap_err();
    assert_eq!(
        fields(&json),
        ["party_size", "name", "findable_consent", "contact_phone"]
    );
}

#[test]
fn an_edit_form_sends_every_box_and_clears_what_was_emptied() {
    let p = OfferPatch::from_form(
        &form(&[
            ("address", "8 rue Saint-Maur"),
            ("capacity", "4"),
            ("hours", "2"),
            ("pets_ok", "on"),
            ("contact_phone", ""),
            ("notes", ""),
            ("languages", ""),
            ("place", ""),
        ]),
        &[],
        NOW,
    )
    .unwrap();
    assert_eq!(p.point, None, "a blank place keeps the offer where it is");
    assert_eq!(p.available_until, Some(NOW + 2 * 3_600_000));
    assert_eq!((p.pets_ok, p.accessible), (Some(true), Some(false)));
    assert_eq!(p.contact_phone, Some(None));
    assert_eq!(p.notes, Some(None));
    assert_eq!(p.languages, Some(Languages::default()));
    assert_eq!(p.contact_email, None, "not on the form: unchanged");
    // JSON: null leaves a field as it is, "" clears it
    let j = OfferPatch::from_json(json!({"notes": null, "contact_phone": ""})).unwrap();
    assert_eq!((j.notes, j.contact_phone), (None, Some(None)));
    assert_eq!(j.accessible, None);
}

#[test]
fn only_closing_is_a_patch_of_the_status_alone() {
    assert!(OfferPatch::status(OfferStatus::Closed).only_closes());
    assert!(!OfferPatch::status(OfferStatus::Open).only_closes());
    let p = OfferPatch::from_json(json!({"status": "closed", "capacity": 2})).unwrap();
    assert!(!p.only_closes());
    let e = OfferPatch::from_json(json!({"status": "gone", "lat": 48.8})).unwrap_err();
    assert_eq!(fields(&e), ["status", "lon"]);
}
