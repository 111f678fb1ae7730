//! Exports and "is my relative safe?" on both backends: CSV with and
//! without personal data (the latter audited), HXL per area, PFIF 1.4 for
//! consenting guests only, the search that answers only "reported safe, at".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use common::*;
use serde_json::json;

on_both_backends!(exports_and_the_safe_search);

async fn exports_and_the_safe_search(b: Backend) {
    let app = TestApp::with(b, |c| c.pfif_domain = Some("abri.example.org".into()));
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let mut a = request_body(48.8590, 2.3800, 2);
    a["findable_name"] = json!("Samira Haddad");
    let r = post(&svc, "/api/v1/requests", None, a.clone()).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "consent is required"
    );
    assert_eq!(r.error_fields(), vec!["findable_consent"]);
    a["findable_consent"] = json!(true);
    let r = post(&svc, "/api/v1/requests", None, a).await;
    let (aid, at) = (r.s("id"), r.s("access_token"));
    let mut c = request_body(48.8590, 2.3800, 1);
    c["findable_name"] = json!("Omar Zidane");
    c["findable_consent"] = json!(true);
    post(&svc, "/api/v1/requests", None, c).await;
    let m = ask(&svc, &aid, &at, &offer_id).await.s("id");
    act(&svc, &m, "accept", &host).await;

    // before the arrival: no report; after: "reported safe, at", nothing else
    let safe = |name: &str| format!("/api/v1/safe?name={name}");
    assert_eq!(
        get(&svc, &safe("Samira%20Haddad"), None).await.json["reported_safe"],
        false
    );
    act(&svc, &m, "arrived", &at).await;
    let yes = get(&svc, &safe("%20%20samira%20HADDAD"), None).await;
    assert_eq!(yes.json["reported_safe"], true, "{}", yes.text);
    assert!(yes.json["at"].is_string());
    assert_eq!(
        yes.json.as_object().unwrap().len(),
        2,
        "nothing but the answer: {}",
        yes.text
    );
    assert_no_secret(&yes.text, SECRETS);
    assert!(!yes.text.contains("Paris") && !yes.text.contains("11e"));
    assert_eq!(
        get(&svc, &safe("Omar%20Zidane"), None).await.json["reported_safe"],
        false,
        "waiting, not safe yet"
    );
    assert_eq!(
        get(&svc, &safe("Samira"), None).await.json["reported_safe"],
        false,
        "the full name only"
    );
    assert_eq!(
        get(&svc, &safe("x"), None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        get(&svc, "/api/v1/safe", None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let page = send(
        &svc,
        TestRequest::get()
            .uri("/safe?name=Samira+Haddad")
            .insert_header(("accept-language", "en")),
    )
    .await;
    assert!(
        page.text
            .contains("Samira Haddad was reported safe and sheltered at"),
        "{}",
        page.text
    );

    // CSV: no personal data unless asked for, and then audited
    let export = |kind: &str| format!("/api/v1/coordination/exports/{kind}");
    let plain = get(&svc, &export("offers.csv"), Some(&coord)).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(
        plain
            .headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        plain
            .text
            .starts_with("id,status,capacity,accepted,cell,cell_lat,cell_lon,area,")
    );
    assert!(plain.text.contains("Paris 11e"));
    assert_no_secret(&plain.text, SECRETS);
    let requests_plain = get(&svc, &export("requests.csv"), Some(&coord)).await;
    assert!(!requests_plain.text.contains("Samira") && !requests_plain.text.contains("+3370"));
    assert_eq!(
        plain.headers.get("content-disposition").unwrap(),
        "attachment; filename=\"porte-ouverte-offers.csv\""
    );
    assert!(
        !plain.text.starts_with('\u{feff}'),
        "machine CSV has no BOM"
    );
    // phone numbers stay intact for machines; the Excel variant protects them
    let full = get(&svc, &export("offers.csv?personal=true"), Some(&coord)).await;
    assert!(
        full.text.contains("12 rue de la Roquette")
            && full.text.contains(",+33612345678,")
            && !full.text.contains("'+33612345678"),
        "{}",
        full.text
    );
    let excel = get(
        &svc,
        &export("offers.csv?personal=true&excel=true"),
        Some(&coord),
    )
    .await;
    assert!(
        excel.text.starts_with("\u{feff}id,status,"),
        "a BOM for Excel"
    );
    assert!(excel.text.contains(",'+33612345678,"), "{}", excel.text);
    assert_eq!(
        excel.headers.get("content-disposition").unwrap(),
        "attachment; filename=\"porte-ouverte-offers-excel.csv\""
    );
    let full = get(&svc, &export("requests.csv?personal=true"), Some(&coord)).await;
    assert!(full.text.contains("Samira"));
    {
        use diesel::prelude::*;
        use porte_ouverte::db::schema::audit_log::dsl as al;
        let mut c = app.state.conn().unwrap();
        porte_ouverte::service::audit::chain_pending(&app.state, &mut c).unwrap();
        let n: i64 = al::audit_log
            .filter(al::action.eq("export.personal"))
            .count()
            .get_result(&mut *c)
            .unwrap();
        assert_eq!(n, 3, "offers, offers for Excel, requests");
    }
    assert_eq!(
        get(&svc, &export("offers.csv?personal=maybe"), Some(&coord))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        get(&svc, &export("offers.csv?excel=1"), Some(&coord))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        get(&svc, &export("secrets.csv"), Some(&coord)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&svc, &export("offers.csv"), Some(&host)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&svc, &export("offers.csv"), Some(&at)).await.status,
        StatusCode::FORBIDDEN
    );

    // HXL: hashtags under the headers; people sheltered per area
    let hxl = get(&svc, &export("areas-hxl.csv"), Some(&coord)).await;
    let lines: Vec<&str> = hxl.text.lines().collect();
    assert_eq!(
        lines[1],
        "#adm4+name,#adm4+code,#adm2+code,#indicator+offers+num,#capacity+free+num,#inneed+shelter+num,#reached+shelter+num"
    );
    let paris = lines.iter().find(|l| l.starts_with("Paris 11e,")).unwrap();
    // INSEE code of the arrondissement (what partners join on), then its département
    assert!(paris.starts_with("Paris 11e,75111,75,"), "{paris}");
    assert!(paris.ends_with(",1,2"), "{paris}");
    save_for_ci("areas-hxl.csv", &hxl.text);

    // PFIF 1.4: only the consenting guest who arrived, believed alive
    let pfif = get(&svc, &export("pfif.xml"), Some(&coord)).await;
    assert!(
        pfif.text
            .contains("xmlns:pfif=\"http://zesty.ca/pfif/1.4\"")
    );
    assert!(
        pfif.text
            .contains("<pfif:full_name>Samira Haddad</pfif:full_name>")
    );
    assert!(
        pfif.text
            .contains("<pfif:status>believed_alive</pfif:status>")
    );
    assert_eq!(pfif.text.matches("<pfif:person>").count(), 1);
    assert!(!pfif.text.contains("Omar"));
    assert_no_secret(&pfif.text, SECRETS);
    assert!(!pfif.text.contains("Paris 11e"));
    // record IDs under the configured domain; the record's own dates, the
    // same on every download; deleted by partners when we delete it
    assert!(
        pfif.text.contains(&format!(
            "<pfif:person_record_id>abri.example.org/person.{aid}</pfif:person_record_id>"
        )),
        "{}",
        pfif.text
    );
    assert!(pfif.text.contains(&format!("abri.example.org/note.{aid}")));
    app.clock.advance(3_600_000);
    let later = get(&svc, &export("pfif.xml"), Some(&coord)).await;
    assert_eq!(
        later.text, pfif.text,
        "the same record reads the same later"
    );
    let tag = |t: &str, name: &str| {
        let open = format!("<pfif:{name}>");
        let from = t.find(&open).unwrap() + open.len();
        let to = from + t[from..].find('<').unwrap();
        chrono::DateTime::parse_from_rfc3339(&t[from..to]).unwrap()
    };
    let (entry, expiry) = (
        tag(&pfif.text, "entry_date"),
        tag(&pfif.text, "expiry_date"),
    );
    assert_eq!(expiry - entry, chrono::Duration::days(30), "RETENTION_DAYS");
    assert_eq!(pfif_messages(&pfif.text), Vec::<String>::new());
    save_for_ci("pfif.xml", &pfif.text);
}

/// The checks Person Finder's validator (tools/pfif-tools) makes of a PFIF
/// 1.4 document, written from the specification: record IDs are
/// `domain/local` with an RFC 1034 domain name, dates are
/// `yyyy-mm-ddThh:mm:ssZ`, mandatory fields are present and come in the
/// specification's order, IDs are unique, nested notes name their person.
/// Returns the messages; none means a partner accepts the file. A quick
/// check on every `cargo test`; CI also runs Person Finder's validator
/// itself on the export saved here (`.ci/pfif_check.py`).
fn pfif_messages(xml: &str) -> Vec<String> {
    fn label_ok(l: &str) -> bool {
        let b = l.as_bytes();
        (1..=63).contains(&b.len())
            && b[0].is_ascii_alphabetic()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    }
    fn record_id_ok(id: &str) -> bool {
        id.split_once('/').is_some_and(|(domain, local)| {
            !local.is_empty() && domain.trim_end_matches('.').split('.').all(label_ok)
        })
    }
    fn date_ok(d: &str) -> bool {
        let b = d.as_bytes();
        let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b[i].is_ascii_digit());
        b.len() == 20
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && b[10] == b'T'
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
            && b[16] == b':'
            && digits(17..19)
            && b[19] == b'Z'
    }
    // (tag, text) of the direct children of each <pfif:TAG> element
    fn records<'a>(xml: &'a str, tag: &str) -> Vec<Vec<(&'a str, &'a str)>> {
        let (open, close) = (format!("<pfif:{tag}>"), format!("</pfif:{tag}>"));
        let mut out = Vec::new();
        let mut rest = xml;
        while let Some(at) = rest.find(&open) {
            let body = &rest[at + open.len()..];
            let end = body.find(&close).unwrap_or(body.len());
            let mut inner = &body[..end];
            if tag == "person" {
                // notes are records of their own
                inner = &inner[..inner.find("<pfif:note>").unwrap_or(inner.len())];
            }
            let mut fields = Vec::new();
            let mut s = inner;
            while let Some(o) = s.find("<pfif:") {
                let name_end = o + s[o..].find('>').unwrap();
                let name = &s[o + 6..name_end];
                let value_end = name_end + s[name_end..].find("</pfif:").unwrap();
                fields.push((name, &s[name_end + 1..value_end]));
                s = &s[value_end + 1..];
                s = &s[s.find('>').unwrap() + 1..];
            }
            out.push(fields);
            rest = &body[end..];
        }
        out
    }
    const PERSON: &[&str] = &[
        "person_record_id",
        "entry_date",
        "expiry_date",
        "author_name",
        "author_email",
        "author_phone",
        "source_name",
        "source_date",
        "source_url",
        "full_name",
    ];
    const NOTE: &[&str] = &[
        "note_record_id",
        "person_record_id",
        "linked_person_record_id",
        "entry_date",
        "author_name",
        "author_email",
        "author_phone",
        "source_date",
        "author_made_contact",
        "status",
        "email_of_found_person",
        "phone_of_found_person",
        "last_known_location",
        "text",
    ];
    let mut messages = Vec::new();
    if !xml.contains("xmlns:pfif=\"http://zesty.ca/pfif/1.4\"") {
        messages.push("not PFIF 1.4".to_owned());
    }
    let mut ids = std::collections::HashSet::new();
    for (kind, order, mandatory) in [
        (
            "person",
            PERSON,
            &["person_record_id", "source_date", "full_name"][..],
        ),
        (
            "note",
            NOTE,
            &["note_record_id", "author_name", "source_date", "text"][..],
        ),
    ] {
        for fields in records(xml, kind) {
            let mut last = 0;
            for (name, value) in &fields {
                match order.iter().position(|o| o == name) {
                    Some(p) if p >= last => last = p,
                    Some(_) => messages.push(format!("{kind}: {name} out of order")),
                    None => messages.push(format!("{kind}: unknown field {name}")),
                }
                if name.ends_with("record_id") && !record_id_ok(value) {
                    messages.push(format!("{kind}: {name} {value:?} is not domain/id"));
                }
                if name.ends_with("_date") && !date_ok(value) {
                    messages.push(format!("{kind}: {name} {value:?} is not a PFIF date"));
                }
                if (*name == "person_record_id" && kind == "person" || *name == "note_record_id")
                    && !ids.insert(value.to_string())
                {
                    messages.push(format!("{kind}: duplicate id {value}"));
                }
            }
            for m in mandatory {
                if !fields.iter().any(|(n, _)| n == m) {
                    messages.push(format!("{kind}: missing {m}"));
                }
            }
        }
    }
    messages
}

/// With `PO_EXPORT_DIR` set (as in .ci/run), a real export is written there
/// for the partners' own validators (PFIF, HXL).
fn save_for_ci(name: &str, text: &str) {
    if let Ok(dir) = std::env::var("PO_EXPORT_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), text).unwrap();
    }
}

#[actix_web::test]
async fn pfif_needs_a_domain_name() {
    // a default install: no PFIF_DOMAIN, no PUBLIC_URL (127.0.0.1:8080)
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let r = get(&svc, "/api/v1/coordination/exports/pfif.xml", Some(&coord)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("PFIF_DOMAIN"), "{}", r.text);
    // what a default install used to publish, refused by the checker
    let before = "<pfif:pfif xmlns:pfif=\"http://zesty.ca/pfif/1.4\">\n  <pfif:person>\n    <pfif:person_record_id>127.0.0.1:18282/person.req_1</pfif:person_record_id>\n    <pfif:entry_date>2026-11-30T06:00:00Z</pfif:entry_date>\n    <pfif:author_name>Porte Ouverte</pfif:author_name>\n    <pfif:source_name>Porte Ouverte</pfif:source_name>\n    <pfif:source_date>2026-11-30T05:00:00Z</pfif:source_date>\n    <pfif:full_name>A B</pfif:full_name>\n  </pfif:person>\n</pfif:pfif>\n";
    assert_eq!(
        pfif_messages(before),
        vec!["person: person_record_id \"127.0.0.1:18282/person.req_1\" is not domain/id"]
    );
}

#[test]
fn require_flags_are_read_one_way() {
    for off in ["", "0", "false", "no", " 0 "] {
        assert_eq!(parse_required(off), Some(false), "{off:?}");
    }
    for on in ["1", "true", "YES"] {
        assert_eq!(parse_required(on), Some(true), "{on:?}");
    }
    assert_eq!(parse_required("2"), None, "a mistake fails loudly");
}

#[actix_web::test]
async fn the_safe_search_is_rate_limited() {
    let app = TestApp::with(Backend::Sqlite, |c| c.rate_login_per_min = 3);
    let svc = app.service().await;
    let mut last = StatusCode::OK;
    for _ in 0..5 {
        last = send(
            &svc,
            TestRequest::get()
                .uri("/api/v1/safe?name=Samira%20Haddad")
                .peer_addr("203.0.113.9:4000".parse().unwrap()),
        )
        .await
        .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}
