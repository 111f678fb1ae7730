//! Every CSV export read back by the `csv` crate, on both backends: one
//! record per offer, request or area, each as long as its header, with
//! commas, quote marks and line breaks kept inside their fields, and a
//! formula guarded by a leading quote mark.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use common::*;
use porte_ouverte::service::exports::is_phone;
use serde_json::json;

on_both_backends!(csv_exports_read_back);

/// The header and the records of a CSV text (after the BOM, if any).
fn read(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let records = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, records)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

async fn csv_exports_read_back(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let coord = coordinator_token(&app, "coord@example.org");
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let plain_offer = offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;
    let mut body = offer_body(&app, 45.7640, 4.8357, 2);
    let tricky_address = "=1+2, \"la cour\", bâtiment B";
    body["address"] = json!(tricky_address);
    let r = post(&svc, "/api/v1/offers", Some(&host), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let tricky_offer = r.s("id");
    let mut requests = vec![];
    for (i, (name, notes)) in [
        ("Samira", "with my brother"),
        ("@Omar, \"Zizou\"", "line one\nline two, \"quoted\""),
        ("-Lina", "+33 7 00 00 00 09"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut rb = request_body(48.8590 + i as f64 * 0.01, 2.3800, 1);
        rb["name"] = json!(name);
        rb["notes"] = json!(notes);
        let r = post(&svc, "/api/v1/requests", None, rb).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        requests.push((r.s("id"), name, notes));
    }
    let export = |kind: &str| format!("/api/v1/coordination/exports/{kind}");

    // offers: one record each, as long as the header
    for (query, personal, excel) in [
        ("offers.csv", false, false),
        ("offers.csv?personal=true", true, false),
        ("offers.csv?excel=true", false, true),
        ("offers.csv?personal=true&excel=true", true, true),
    ] {
        let r = get(&svc, &export(query), Some(&coord)).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
        assert_eq!(r.text.starts_with('\u{feff}'), excel, "{query}");
        let (header, rows) = read(&r.text);
        assert_eq!(header.len(), if personal { 16 } else { 13 }, "{query}");
        assert_eq!(header[..4], ["id", "status", "capacity", "accepted"]);
        assert_eq!(rows.len(), 2, "{query}: {}", r.text);
        assert!(rows.iter().all(|f| f.len() == header.len()), "{query}");
        let mut ids: Vec<&str> = rows.iter().map(|f| f[0].as_str()).collect();
        ids.sort_unstable();
        let mut want = vec![plain_offer.as_str(), tricky_offer.as_str()];
        want.sort_unstable();
        assert_eq!(ids, want, "{query}");
        let tricky = rows.iter().find(|f| f[0] == tricky_offer).unwrap();
        assert_eq!(tricky[column(&header, "capacity")], "2");
        assert_eq!(tricky[column(&header, "status")], "open");
        if personal {
            assert_eq!(
                tricky[column(&header, "address")],
                format!("'{tricky_address}"),
                "{query}: the text intact, the formula guarded"
            );
            let phone = &tricky[column(&header, "contact_phone")];
            let want = if excel {
                "'+33612345678"
            } else {
                "+33612345678"
            };
            assert_eq!(phone, want, "{query}");
            assert_eq!(tricky[column(&header, "contact_email")], "host@example.org");
        } else {
            assert_no_secret(&r.text, SECRETS);
        }
    }

    // requests: the same, with names and notes that need quoting
    for (query, personal, excel) in [
        ("requests.csv", false, false),
        ("requests.csv?personal=true", true, false),
        ("requests.csv?excel=true", false, true),
        ("requests.csv?personal=true&excel=true", true, true),
    ] {
        let r = get(&svc, &export(query), Some(&coord)).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
        assert_eq!(r.text.starts_with('\u{feff}'), excel, "{query}");
        let (header, rows) = read(&r.text);
        assert_eq!(header.len(), if personal { 16 } else { 12 }, "{query}");
        assert_eq!(header[..3], ["id", "status", "party_size"]);
        assert_eq!(rows.len(), requests.len(), "{query}: {}", r.text);
        assert!(rows.iter().all(|f| f.len() == header.len()), "{query}");
        for (id, name, notes) in &requests {
            let row = rows.iter().find(|f| &f[0] == id).unwrap();
            assert_eq!(row[column(&header, "party_size")], "1");
            if personal {
                // a phone number stays intact for machines only
                let guarded = |s: &str| {
                    if s.starts_with(['=', '+', '-', '@']) && (excel || !is_phone(s)) {
                        format!("'{s}")
                    } else {
                        s.to_owned()
                    }
                };
                assert_eq!(row[column(&header, "name")], guarded(name), "{query}");
                assert_eq!(row[column(&header, "notes")], guarded(notes), "{query}");
            }
        }
        if !personal {
            assert_no_secret(&r.text, GUEST_SECRETS);
        }
    }

    // areas with HXL hashtags: a header, a row of hashtags, a row per area
    for query in ["areas-hxl.csv", "areas-hxl.csv?excel=true"] {
        let r = get(&svc, &export(query), Some(&coord)).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
        let (header, rows) = read(&r.text);
        assert_eq!(header.len(), 7, "{query}");
        assert_eq!(header[0], "Area");
        assert_eq!(rows[0][0], "#adm4+name");
        assert!(rows.iter().all(|f| f.len() == 7), "{query}");
        let areas: Vec<&str> = rows[1..].iter().map(|f| f[0].as_str()).collect();
        assert!(areas.contains(&"Paris 11e"), "{query}: {areas:?}");
        let places: i64 = rows[1..].iter().map(|f| f[4].parse::<i64>().unwrap()).sum();
        assert_eq!(places, 6, "{query}: every free place counted once");
    }
}
