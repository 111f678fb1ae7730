//! Exports for coordinators and partners: offers and requests as CSV
//! (personal data only when asked for explicitly, and that export is
//! audited), supply and demand per area as CSV with HXL hashtags, and
//! PFIF 1.4 notes for guests who consented to be findable. CSV is written
//! by the `csv` crate; what this file adds is the guard against formulas.

use super::{Account, audit};
use crate::db::{self, DbConn};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::rfc3339;
use crate::domain::states::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;
use std::borrow::Cow;
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

/// What a spreadsheet must not read as a formula: a leading = + - @ (or a
/// tab or CR) gets a quote mark, except a well-formed phone number when
/// `excel` is off (see `is_phone`).
fn guarded(s: &str, excel: bool) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && (excel || !is_phone(s)) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new())
}

fn written(w: csv::Writer<Vec<u8>>) -> AppResult<String> {
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("csv: {e}")))
}

/// One CSV field as the `csv` crate writes it (quoted when it holds a
/// comma, a quote mark or a line break), never read as a formula (see
/// `guarded`).
pub fn field_for(s: &str, excel: bool) -> String {
    if s.is_empty() {
        return String::new(); // a record of one empty field is `""`
    }
    let mut w = writer();
    let record = w
        .write_record([guarded(s, excel).as_bytes()])
        .ok()
        .and_then(|()| written(w).ok())
        .unwrap_or_default();
    record.trim_end_matches("\r\n").to_owned()
}

/// A field of machine CSV (see `field_for`).
pub fn field(s: &str) -> String {
    field_for(s, false)
}

/// A CSV document written record by record with the `csv` crate: CRLF
/// line ends, quotes only where needed, every field guarded.
struct Sheet {
    w: csv::Writer<Vec<u8>>,
    excel: bool,
}

impl Sheet {
    fn new(excel: bool) -> Self {
        Self { w: writer(), excel }
    }

    fn row<S: AsRef<str>>(&mut self, fields: &[S]) -> AppResult<()> {
        let excel = self.excel;
        self.w
            .write_record(
                fields
                    .iter()
                    .map(|f| guarded(f.as_ref(), excel).into_owned()),
            )
            .map_err(|e| AppError::Internal(format!("csv: {e}")))
    }

    /// The text; for spreadsheets, after a byte-order mark (else Excel
    /// reads UTF-8 as Latin-1).
    fn finish(self) -> AppResult<String> {
        let mut out = written(self.w)?;
        if self.excel {
            out.insert(0, '\u{feff}');
        }
        Ok(out)
    }
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
    let mut sheet = Sheet::new(excel);
    match kind {
        "offers.csv" => offers(state, conn, who, personal, &mut sheet)?,
        "requests.csv" => requests(state, conn, who, personal, &mut sheet)?,
        "areas-hxl.csv" => areas_hxl(state, conn, &mut sheet)?,
        "pfif.xml" => {
            return Ok((
                super::findable::pfif(state, conn)?,
                "application/xml; charset=utf-8",
            ));
        }
        _ => return Err(AppError::NotFound),
    }
    Ok((sheet.finish()?, csv))
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

fn offers(
    state: &AppState,
    conn: &mut DbConn,
    who: &Account,
    personal: bool,
    sheet: &mut Sheet,
) -> AppResult<()> {
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
    let mut header = vec![
        "id",
        "status",
        "capacity",
        "accepted",
        "cell",
        "cell_lat",
        "cell_lon",
        "area",
        "accessible",
        "pets_ok",
        "children_ok",
        "women_only",
        "created_at",
    ];
    if personal {
        header.extend(["address", "contact_phone", "contact_email"]);
    }
    sheet.row(&header)?;
    for r in rows {
        let mut f = vec![
            r.id,
            r.status.to_string(),
            r.capacity.to_string(),
            r.accepted.to_string(),
            r.cell,
            format!("{:.5}", r.cell_lat),
            format!("{:.5}", r.cell_lon),
            label(r.cell_lat, r.cell_lon),
            r.accessible.to_string(),
            r.pets_ok.to_string(),
            r.children_ok.to_string(),
            r.women_only.to_string(),
            rfc3339(r.created_at),
        ];
        if personal {
            f.extend([
                r.address,
                r.contact_phone.unwrap_or_default(),
                r.contact_email.unwrap_or_default(),
            ]);
        }
        sheet.row(&f)?;
    }
    Ok(())
}

fn requests(
    state: &AppState,
    conn: &mut DbConn,
    who: &Account,
    personal: bool,
    sheet: &mut Sheet,
) -> AppResult<()> {
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
    let mut header = vec![
        "id",
        "status",
        "party_size",
        "cell",
        "cell_lat",
        "cell_lon",
        "area",
        "need_accessible",
        "need_pets",
        "need_children",
        "need_women_only",
        "created_at",
    ];
    if personal {
        header.extend(["name", "contact_phone", "contact_email", "notes"]);
    }
    sheet.row(&header)?;
    for r in rows {
        let mut f = vec![
            r.id,
            r.status.to_string(),
            r.party_size.to_string(),
            r.cell,
            format!("{:.5}", r.cell_lat),
            format!("{:.5}", r.cell_lon),
            label(r.cell_lat, r.cell_lon),
            r.need_accessible.to_string(),
            r.need_pets.to_string(),
            r.need_children.to_string(),
            r.need_women_only.to_string(),
            rfc3339(r.created_at),
        ];
        if personal {
            f.extend([
                r.name,
                r.contact_phone.unwrap_or_default(),
                r.contact_email.unwrap_or_default(),
                r.notes.unwrap_or_default(),
            ]);
        }
        sheet.row(&f)?;
    }
    Ok(())
}

/// Supply and demand per commune (or Paris, Lyon, Marseille
/// arrondissement) as CSV with HXL hashtags from the core dictionary: the
/// place is `#adm4` (communes are France's fourth level) with its INSEE
/// commune code (`#adm4+code`, what partners join on) and its
/// département's (`#adm2+code`); counts are `+num` attributes
/// of `#indicator`, `#capacity`, `#inneed` and `#reached`.
fn areas_hxl(state: &AppState, conn: &mut DbConn, sheet: &mut Sheet) -> AppResult<()> {
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
    sheet.row(&[
        "Area",
        "INSEE code",
        "Département code",
        "Offers open",
        "Places free",
        "People waiting",
        "People sheltered",
    ])?;
    sheet.row(&[
        "#adm4+name",
        "#adm4+code",
        "#adm2+code",
        "#indicator+offers+num",
        "#capacity+free+num",
        "#inneed+shelter+num",
        "#reached+shelter+num",
    ])?;
    let mut names: Vec<String> = rows.iter().map(|r| r.area.clone()).collect();
    let mut extra: Vec<&String> = arrived.keys().filter(|a| !names.contains(a)).collect();
    extra.sort();
    names.extend(extra.into_iter().cloned());
    for name in names {
        let r = rows.iter().find(|r| r.area == name);
        let (commune, departement) = codes.get(&name).cloned().unwrap_or_default();
        sheet.row(&[
            name.clone(),
            commune,
            departement,
            r.map(|r| r.offers_open).unwrap_or(0).to_string(),
            r.map(|r| r.places_free).unwrap_or(0).to_string(),
            r.map(|r| r.people_waiting).unwrap_or(0).to_string(),
            arrived.get(&name).copied().unwrap_or(0).to_string(),
        ])?;
    }
    Ok(())
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

    #[test]
    fn sheets_are_written_as_the_hand_written_csv_was() {
        let record = [
            "plain",
            "a,b",
            "say \"hi\"",
            "=1+2",
            "+33612345678",
            "line\nbreak",
            "",
            "-2, x",
            "cr\rhere",
        ];
        let sheet = |excel: bool| {
            let mut s = Sheet::new(excel);
            s.row(&[
                "id",
                "#adm4+name",
                "Département code",
                "a",
                "b",
                "c",
                "d",
                "e",
                "f",
            ])
            .and_then(|()| s.row(&record))
            .and_then(|()| s.row(&record))
            .and_then(|()| s.finish())
            .unwrap_or_default()
        };
        let header = "id,#adm4+name,Département code,a,b,c,d,e,f\r\n";
        let line = "plain,\"a,b\",\"say \"\"hi\"\"\",'=1+2,+33612345678,\"line\nbreak\",,\"'-2, x\",\"cr\rhere\"\r\n";
        assert_eq!(sheet(false), format!("{header}{line}{line}"));
        let line = line.replace(",+336", ",'+336");
        assert_eq!(sheet(true), format!("\u{feff}{header}{line}{line}"));
    }
}
