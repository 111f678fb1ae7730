//! "Is my relative safe?": a guest who consents can be found by full name,
//! and the only answer is "reported safe, sheltered, at <time>" — never the
//! area, the host or a contact (a person who fled an abuser must not be
//! found through us). Also the PFIF 1.4 export of those notes.

use crate::db::{self, DbConn};
use crate::domain::fold::fold;
use crate::domain::ids::{IncidentId, RequestId};
use crate::domain::rfc3339;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;

pub fn set(c: &mut DbConn, request_id: &RequestId, full_name: &str) -> AppResult<()> {
    // the name is compared folded (`domain::fold`: case, accents,
    // punctuation), in any script
    db::requests::set_findable(c, request_id, full_name, &fold(full_name))?;
    Ok(())
}

/// Folds the stored names again where the folding changed since they were
/// stored (run at start; nothing to do once every key is current).
pub fn refold(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    state.write_tx(conn, |c| {
        let mut changed = 0;
        for (id, name, key) in db::requests::findable_keys(c)? {
            let now = fold(&name);
            if key.as_deref() != Some(now.as_str()) {
                changed += db::requests::set_findable_key(c, &id, &now)?;
            }
        }
        Ok(changed)
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SafeAnswer {
    pub reported_safe: bool,
    /// when the arrival was confirmed
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// The latest confirmed arrival of a findable guest with this full name.
pub fn search(conn: &mut DbConn, full_name: &str) -> AppResult<SafeAnswer> {
    let key = fold(full_name);
    if key.chars().count() < 2 {
        return Ok(SafeAnswer {
            reported_safe: false,
            at: None,
        });
    }
    let at = db::requests::findable_arrived_at(conn, &key)?;
    Ok(SafeAnswer {
        reported_safe: at.is_some(),
        at: at.map(rfc3339),
    })
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// PFIF 1.4: one person record with one "believed_alive" note for each
/// findable guest whose arrival was confirmed. Nothing else about them.
/// Record IDs are `domain/person.<id>` under `deploy::pfif_domain` (an
/// export without a configured domain is refused: 409 `pfif_domain`). Dates
/// are the record's own, so the same record reads the same on every
/// download; `expiry_date` is when our retention rule deletes it (its
/// incident's purge), or, while none is scheduled, `RETENTION_DAYS` after
/// the arrival: partners are asked to delete no later than we might.
pub fn pfif(state: &AppState, conn: &mut DbConn) -> AppResult<String> {
    let domain = crate::deploy::pfif_domain(&state.config)
        .map_err(|e| AppError::conflict("pfif_domain", e))?;
    let purges: std::collections::HashMap<IncidentId, i64> = db::incidents::all(conn)?
        .into_iter()
        .filter_map(|i| i.purge_after.map(|p| (i.id, p)))
        .collect();
    let retention = i64::from(state.config.retention_days) * 86_400_000;
    let rows = db::requests::findable_arrivals(conn)?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pfif:pfif xmlns:pfif=\"http://zesty.ca/pfif/1.4\">\n",
    );
    for (id, name, created, arrived, incident) in rows {
        let person = xml(&format!("{domain}/person.{id}"));
        let note = xml(&format!("{domain}/note.{id}"));
        let expiry = incident
            .and_then(|i| purges.get(&i).copied())
            .unwrap_or(arrived + retention);
        let (created, arrived, expiry) = (rfc3339(created), rfc3339(arrived), rfc3339(expiry));
        let name = xml(&name);
        out.push_str(&format!(
            "  <pfif:person>\n    <pfif:person_record_id>{person}</pfif:person_record_id>\n    <pfif:entry_date>{arrived}</pfif:entry_date>\n    <pfif:expiry_date>{expiry}</pfif:expiry_date>\n    <pfif:author_name>Porte Ouverte</pfif:author_name>\n    <pfif:source_name>Porte Ouverte</pfif:source_name>\n    <pfif:source_date>{created}</pfif:source_date>\n    <pfif:full_name>{name}</pfif:full_name>\n    <pfif:note>\n      <pfif:note_record_id>{note}</pfif:note_record_id>\n      <pfif:person_record_id>{person}</pfif:person_record_id>\n      <pfif:entry_date>{arrived}</pfif:entry_date>\n      <pfif:author_name>Porte Ouverte</pfif:author_name>\n      <pfif:source_date>{arrived}</pfif:source_date>\n      <pfif:status>believed_alive</pfif:status>\n      <pfif:text>Reported safe and sheltered.</pfif:text>\n    </pfif:note>\n  </pfif:person>\n",
        ));
    }
    out.push_str("</pfif:pfif>\n");
    Ok(out)
}
