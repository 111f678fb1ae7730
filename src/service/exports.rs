//! Exports for coordinators and partners: offers and requests as CSV
//! (personal data only when asked for explicitly, and that export is
//! audited), supply and demand per area as CSV with HXL hashtags, and
//! PFIF 1.4 notes for guests who consented to be findable.

use super::{Account, audit};
use crate::db::{self, DbConn};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::rfc3339;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;

/// One CSV field: quoted when needed, and never read as a formula by a
/// spreadsheet (a leading = + - @ gets a quote mark).
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
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

fn line(fields: &[String]) -> String {
    let mut l = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    l.push_str("\r\n");
    l
}

fn label(lat: f64, lon: f64) -> String {
    Gazetteer::bundled().label(lat, lon).unwrap_or_default()
}

/// `kind`: offers, requests, areas-hxl or pfif. `personal` adds names,
/// contacts and addresses to offers and requests, and is audited.
pub fn render(
    state: &AppState,
    conn: &mut DbConn,
    who: &Account,
    kind: &str,
    personal: bool,
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
        "areas-hxl.csv" => {
            // HXL: a row of hashtags under the headers, for humanitarian partners
            let rows = super::oversight::areas(state, conn)?;
            let reached = db::requests::cells_in_status(conn, "arrived")?;
            let mut arrived: std::collections::HashMap<String, i64> = Default::default();
            for (lat, lon, n) in reached {
                *arrived.entry(label(lat, lon)).or_default() += i64::from(n);
            }
            let mut out = line(&[
                "Area".into(),
                "Offers open".into(),
                "Places free".into(),
                "People waiting".into(),
                "People sheltered".into(),
            ]);
            out.push_str(&line(&[
                "#adm2+name".into(),
                "#org+hosts+num".into(),
                "#capacity+free+num".into(),
                "#affected+waiting+num".into(),
                "#reached+sheltered+num".into(),
            ]));
            let mut names: Vec<String> = rows.iter().map(|r| r.area.clone()).collect();
            for a in arrived.keys() {
                if !names.contains(a) {
                    names.push(a.clone());
                }
            }
            for name in names {
                let r = rows.iter().find(|r| r.area == name);
                out.push_str(&line(&[
                    name.clone(),
                    r.map(|r| r.offers_open).unwrap_or(0).to_string(),
                    r.map(|r| r.places_free).unwrap_or(0).to_string(),
                    r.map(|r| r.people_waiting).unwrap_or(0).to_string(),
                    arrived.get(&name).copied().unwrap_or(0).to_string(),
                ]));
            }
            (out, csv)
        }
        "pfif.xml" => (
            super::findable::pfif(state, conn)?,
            "application/xml; charset=utf-8",
        ),
        _ => return Err(AppError::NotFound),
    })
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
        assert_eq!(field("+33612345678"), "'+33612345678");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
