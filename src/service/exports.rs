//! Exports for coordinators and partners: offers and requests as CSV
//! (personal data only when asked for explicitly, and that export is
//! audited), supply and demand per area as CSV with HXL hashtags, and
//! PFIF 1.4 notes for guests who consented to be findable.

use super::{Account, audit};
use crate::db::{self, DbConn};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::rfc3339;
use crate::domain::states::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;
use std::collections::HashMap;

/// A well-formed international phone number (`+33 6 00 00 00 01`): left
/// intact in machine CSV, since a quote mark would break every import. A
/// spreadsheet reads it as a number (`=+33…`: no formula can hide in
/// digits), dropping the `+`; the Excel variant protects it too.
pub fn is_phone(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    s.starts_with('+')
        && (6..=17).contains(&digits)
        && s[1..].bytes().all(|b| b.is_ascii_digit() || b == b' ')
        && !s.ends_with(' ')
}

/// One CSV field: quoted when needed, and never read as a formula by a
/// spreadsheet (a leading = + - @ gets a quote mark), except a well-formed
/// phone number when `excel` is off (see `is_phone`).
pub fn field_for(s: &str, excel: bool) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && (excel || !is_phone(s)) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A field of machine CSV (see `field_for`).
pub fn field(s: &str) -> String {
    field_for(s, false)
}

fn line_for(fields: &[String], excel: bool) -> String {
    let mut l = fields
        .iter()
        .map(|f| field_for(f, excel))
        .collect::<Vec<_>>()
        .join(",");
    l.push_str("\r\n");
    l
}

fn label(lat: f64, lon: f64) -> String {
    Gazetteer::bundled().label(lat, lon).unwrap_or_default()
}

/// `kind`: offers, requests, areas-hxl or pfif. `personal` adds names,
/// contacts and addresses to offers and requests, and is audited. `excel`
/// makes CSV for spreadsheets: a byte-order mark (else Excel reads UTF-8 as
/// Latin-1) and phone numbers protected like any other leading `+`.
pub fn render(
    state: &AppState,
    conn: &mut DbConn,
    who: &Account,
    kind: &str,
    personal: bool,
    excel: bool,
) -> AppResult<(String, &'static str)> {
    let csv = "text/csv; charset=utf-8";
    let line = |fields: &[String]| line_for(fields, excel);
    let (mut out, content_type) = render_kind(state, conn, who, kind, personal, &line)?;
    if excel && content_type == csv {
        out.insert(0, '\u{feff}');
    }
    Ok((out, content_type))
}

/// The download's file name: only known kinds are echoed, so nothing a
/// client typed reaches the header.
pub fn file_name(kind: &str, excel: bool) -> String {
    match kind {
        "offers.csv" | "requests.csv" | "areas-hxl.csv" if excel => {
            format!("porte-ouverte-{}-excel.csv", kind.trim_end_matches(".csv"))
        }
        "offers.csv" | "requests.csv" | "areas-hxl.csv" | "pfif.xml" => {
            format!("porte-ouverte-{kind}")
        }
        _ => "porte-ouverte-export".into(),
    }
}

fn render_kind(
    state: &AppState,
    conn: &mut DbConn,
    who: &Account,
    kind: &str,
    personal: bool,
    line: &dyn Fn(&[String]) -> String,
) -> AppResult<(String, &'static str)> {
    let csv = "text/csv; charset=utf-8";
    Ok(match kind {
        "offers.csv" => {
            if personal {
                audit::record_now(
                    state,
                    conn,
                    who.id.as_str(),
                    "export.personal",
                    "offers",
                    json!({}),
                )?;
            }
            let rows = db::offers::export_rows(conn)?;
            let mut out = String::from(
                "id,status,capacity,accepted,cell,cell_lat,cell_lon,area,accessible,pets_ok,children_ok,women_only,created_at",
            );
            out.push_str(if personal {
                ",address,contact_phone,contact_email\r\n"
            } else {
                "\r\n"
            });
            for r in rows {
                let mut f = vec![
                    r.0,
                    r.1,
                    r.2.to_string(),
                    r.3.to_string(),
                    r.4,
                    format!("{:.5}", r.5),
                    format!("{:.5}", r.6),
                    label(r.5, r.6),
                    r.7.to_string(),
                    r.8.to_string(),
                    r.9.to_string(),
                    r.10.to_string(),
                    rfc3339(r.11),
                ];
                if personal {
                    f.extend([r.12, r.13.unwrap_or_default(), r.14.unwrap_or_default()]);
                }
                out.push_str(&line(&f));
            }
            (out, csv)
        }
        "requests.csv" => {
            if personal {
                audit::record_now(
                    state,
                    conn,
                    who.id.as_str(),
                    "export.personal",
                    "requests",
                    json!({}),
                )?;
            }
            let rows = db::requests::export_rows(conn)?;
            let mut out = String::from(
                "id,status,party_size,cell,cell_lat,cell_lon,area,need_accessible,need_pets,need_children,need_women_only,created_at",
            );
            out.push_str(if personal {
                ",name,contact_phone,contact_email,notes\r\n"
            } else {
                "\r\n"
            });
            for r in rows {
                let mut f = vec![
                    r.0,
                    r.1,
                    r.2.to_string(),
                    r.3,
                    format!("{:.5}", r.4),
                    format!("{:.5}", r.5),
                    label(r.4, r.5),
                    r.6.to_string(),
                    r.7.to_string(),
                    r.8.to_string(),
                    r.9.to_string(),
                    rfc3339(r.10),
                ];
                if personal {
                    f.extend([
                        r.11,
                        r.12.unwrap_or_default(),
                        r.13.unwrap_or_default(),
                        r.14.unwrap_or_default(),
                    ]);
                }
                out.push_str(&line(&f));
            }
            (out, csv)
        }
        "areas-hxl.csv" => (areas_hxl(state, conn, line)?, csv),
        "pfif.xml" => (
            super::findable::pfif(state, conn)?,
            "application/xml; charset=utf-8",
        ),
        _ => return Err(AppError::NotFound),
    })
}

/// Supply and demand per commune (or Paris, Lyon, Marseille
/// arrondissement) as CSV with HXL hashtags from the core dictionary: the
/// place is `#adm4` (communes are France's fourth level) with its INSEE
/// commune code (`#adm4+code`, what partners join on) and its
/// département's (`#adm2+code`); counts are `+num` attributes
/// of `#indicator`, `#capacity`, `#inneed` and `#reached`.
fn areas_hxl(
    state: &AppState,
    conn: &mut DbConn,
    line: &dyn Fn(&[String]) -> String,
) -> AppResult<String> {
    let g = Gazetteer::bundled();
    let rows = super::oversight::areas(state, conn)?;
    let reached = db::requests::cells_in_status(conn, RequestStatus::Arrived)?;
    // area name → (INSEE commune code, département code)
    let mut codes: HashMap<String, (String, String)> = HashMap::new();
    let mut name_cell = |lat: f64, lon: f64| {
        let place = g.nearest(lat, lon, 8_000.0);
        let name = place.map(|p| p.name.clone()).unwrap_or_default();
        if let Some(p) = place {
            let commune = p.insee.clone().unwrap_or_default();
            codes.insert(name.clone(), (commune, p.departement.clone()));
        }
        name
    };
    for (lat, lon, _, _) in state.index.supply_by_cell(state.now()) {
        name_cell(lat, lon);
    }
    for (lat, lon, _) in db::requests::cells_in_status(conn, RequestStatus::Waiting)? {
        name_cell(lat, lon);
    }
    let mut arrived: HashMap<String, i64> = HashMap::new();
    for (lat, lon, n) in reached {
        *arrived.entry(name_cell(lat, lon)).or_default() += i64::from(n);
    }
    let mut out = line(&[
        "Area".into(),
        "INSEE code".into(),
        "Département code".into(),
        "Offers open".into(),
        "Places free".into(),
        "People waiting".into(),
        "People sheltered".into(),
    ]);
    out.push_str(&line(&[
        "#adm4+name".into(),
        "#adm4+code".into(),
        "#adm2+code".into(),
        "#indicator+offers+num".into(),
        "#capacity+free+num".into(),
        "#inneed+shelter+num".into(),
        "#reached+shelter+num".into(),
    ]));
    let mut names: Vec<String> = rows.iter().map(|r| r.area.clone()).collect();
    let mut extra: Vec<&String> = arrived.keys().filter(|a| !names.contains(a)).collect();
    extra.sort();
    names.extend(extra.into_iter().cloned());
    for name in names {
        let r = rows.iter().find(|r| r.area == name);
        let (commune, departement) = codes.get(&name).cloned().unwrap_or_default();
        out.push_str(&line(&[
            name.clone(),
            commune,
            departement,
            r.map(|r| r.offers_open).unwrap_or(0).to_string(),
            r.map(|r| r.places_free).unwrap_or(0).to_string(),
            r.map(|r| r.people_waiting).unwrap_or(0).to_string(),
            arrived.get(&name).copied().unwrap_or(0).to_string(),
        ]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+33612345678"), "+33612345678", "phone intact");
        assert_eq!(field("+33 6 12 34 56 78"), "+33 6 12 34 56 78");
        assert_eq!(field_for("+33612345678", true), "'+33612345678");
        assert_eq!(field("+1+2"), "'+1+2");
        assert_eq!(field("+33612345678 "), "'+33612345678 ");
        assert_eq!(field("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
