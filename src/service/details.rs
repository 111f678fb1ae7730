//! Coordinators' deliberate reads of a person's details. By default a
//! coordinator sees what the public views show (cells, needs, capacity);
//! a host's address, exact point, contacts and notes, or a guest's
//! contacts, notes and exact point, take a POST with a reason. Each such
//! read is a row of `details_accesses` (shown to the person in "who has
//! seen my details", with the role and the reason, not the coordinator's
//! name) and an audit entry (the coordinator's account, the subject, and a
//! SHA-256 of the reason: the audit never holds free text about a person;
//! the reason itself is deleted with the person's data).

use super::Account;
use super::views::{Area, NeedsView, OfferOwnerView};
use crate::db::details::DetailsAccessRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{OfferId, RequestId, Secret};
use crate::domain::input::Fields;
use crate::domain::rfc3339;
use crate::domain::states::RequestStatus;
use crate::domain::values::{Languages, Text};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A reason is 3 to 500 characters.
pub const REASON_MIN: usize = 3;
pub const REASON_MAX: usize = 500;

/// The `{"reason"}` body.
pub fn reason(body: Value) -> AppResult<String> {
    let mut f = Fields::new(body, &["reason"])?;
    let reason = f
        .str_req("reason")
        .and_then(|s| f.check("reason", Text::new(&s, REASON_MIN, REASON_MAX, true)));
    f.finish()?;
    Ok(reason.map(Text::into_inner).unwrap_or_default())
}

/// An offer's details, with its host's name and account contacts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferDetailsView {
    pub offer: OfferOwnerView,
    pub host_id: String,
    pub host_name: String,
    pub host_email: String,
    pub host_phone: Option<String>,
}

/// A guest's details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RequestDetailsView {
    pub request_id: String,
    pub status: RequestStatus,
    pub name: String,
    pub party_size: i32,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub area: Area,
    pub needs: NeedsView,
    pub languages: Vec<String>,
    pub created_at: String,
}

/// Records one access inside the caller's transaction.
fn record(
    c: &mut DbConn,
    now: i64,
    coord: &Account,
    kind: &str,
    subject: &str,
    owner: &str,
    reason: &str,
) -> AppResult<()> {
    let id: String = Secret::generate("see_").expose().chars().take(24).collect();
    db::details::insert(
        c,
        &DetailsAccessRow {
            id,
            subject_kind: kind.to_owned(),
            subject_id: subject.to_owned(),
            owner: owner.to_owned(),
            viewer_account_id: coord.id.as_str().to_owned(),
            reason: reason.to_owned(),
            created_at: now,
        },
    )?;
    let digest: String = Sha256::digest(reason.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    super::audit::record(
        c,
        now,
        coord.id.as_str(),
        &format!("coord.{kind}_details"),
        subject,
        json!({ "owner": owner, "reason_sha256": digest }),
    )
}

/// `POST /coordination/offers/{id}/details {"reason"}`.
pub fn offer(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &OfferId,
    body: Value,
) -> AppResult<OfferDetailsView> {
    let reason = reason(body)?;
    let now = state.now();
    let o = state.write_tx(conn, |c| {
        let o = db::offers::get(c, id)?.ok_or(AppError::NotFound)?;
        record(c, now, coord, "offer", &o.id, &o.host_id, &reason)?;
        Ok::<_, AppError>(o)
    })?;
    let host = db::accounts::by_id(conn, &o.host_id)?.ok_or(AppError::NotFound)?;
    let rem = super::offers::remaining(conn, &o, now)?;
    Ok(OfferDetailsView {
        offer: OfferOwnerView::of(&o, rem),
        host_id: host.id.into(),
        host_name: host.display_name,
        host_email: host.email,
        host_phone: host.phone,
    })
}

/// `POST /coordination/requests/{id}/details {"reason"}`.
pub fn request(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &RequestId,
    body: Value,
) -> AppResult<RequestDetailsView> {
    let reason = reason(body)?;
    let now = state.now();
    let r = state.write_tx(conn, |c| {
        let r = db::requests::get(c, id)?.ok_or(AppError::NotFound)?;
        record(c, now, coord, "request", &r.id, &r.id, &reason)?;
        Ok::<_, AppError>(r)
    })?;
    Ok(RequestDetailsView {
        request_id: r.id.clone().into(),
        status: r.status,
        name: r.name.clone(),
        party_size: r.party_size,
        contact_phone: r.contact_phone.clone(),
        contact_email: r.contact_email.clone(),
        notes: r.notes.clone(),
        lat: r.lat,
        lon: r.lon,
        area: Area::of_request(&r),
        needs: NeedsView::of(&r),
        languages: Languages::from_db(&r.languages).codes(),
        created_at: rfc3339(r.created_at),
    })
}
