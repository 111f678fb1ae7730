//! The mails each event sends, composed in the recipient's language. Each
//! function is called inside the transaction of its event.
//!
//! This file holds what they share (the recipient's address and language,
//! an area's label, a time); the mails themselves are grouped by who they
//! concern: a request's life (`events/matching.rs`), coordinators
//! (`events/coordinators.rs`), account holders (`events/accounts.rs`), an
//! incident's closing (`events/incidents.rs`).

mod accounts;
mod coordinators;
mod incidents;
mod matching;

pub use accounts::account_link;
pub use coordinators::{review_needed, to_coordinators};
pub use incidents::{guest_gone_with_incident, incident_closed};
pub use matching::{accepted, arrived, proposed, refused, request_created, still_hosting};

use crate::db::models::{OfferRow, RequestRow};
use crate::db::{self, DbConn};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::locale::Lang;
use crate::error::AppResult;
use crate::state::AppState;

fn lang(code: &str) -> Lang {
    Lang::from_code(code).unwrap_or(Lang::Fr)
}

/// Where a published cell is, in words: the commune or arrondissement
/// nearest its centre (never the exact point), else the cell's name.
fn area_label(cell: &str, lat: f64, lon: f64) -> String {
    Gazetteer::bundled()
        .label(lat, lon)
        .unwrap_or_else(|| cell.to_owned())
}

/// An open door a mail lists, as the guest's page shows it: how far (a
/// band), where (an area's name), how many places.
#[derive(Debug, Clone, PartialEq)]
pub struct NextDoor {
    pub band: String,
    pub area: String,
    pub remaining: i32,
}

fn offer_area(o: &OfferRow) -> String {
    area_label(&o.cell, o.cell_lat, o.cell_lon)
}

fn request_area(r: &RequestRow) -> String {
    area_label(&r.cell, r.cell_lat, r.cell_lon)
}

fn time(state: &AppState, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&state.tz).format("%d/%m %H:%M").to_string())
        .unwrap_or_default()
}

/// The guest's address and language, if they left an e-mail.
fn guest(c: &mut DbConn, req: &RequestRow) -> AppResult<Option<(String, Lang)>> {
    let Some(email) = req.contact_email.clone() else {
        return Ok(None);
    };
    let (code, _, _) = db::requests::mail_prefs(c, &req.id)?;
    Ok(Some((email, lang(&code))))
}

fn host(c: &mut DbConn, offer: &OfferRow) -> AppResult<(String, Lang)> {
    let acc = db::accounts::by_id(c, &offer.host_id)?.ok_or(crate::error::AppError::NotFound)?;
    let code = db::accounts::lang(c, &acc.id)?;
    Ok((acc.email, lang(&code)))
}
