//! Incidents, what belongs to them, and the purge of their personal data.

use super::DbConn;
use super::schema::{blocks, incidents, matches, offers, outbox, reports, requests, reveals};
use crate::domain::ids::{IncidentId, MatchId, OfferId, RequestId};
use crate::domain::states::IncidentStatus;
use crate::domain::states::{OfferStatus, RequestStatus};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = incidents)]
pub struct IncidentRow {
    pub id: IncidentId,
    pub name: String,
    pub center_lat: f64,
    pub center_lon: f64,
    pub radius_m: Option<f64>,
    pub polygon: Option<String>,
    pub starts_at: i64,
    pub planned_end_at: i64,
    pub time_zone: String,
    pub emergency_numbers: String,
    pub women_only_needs_verified_host: bool,
    pub children_need_verified_host: bool,
    pub first_acceptance_review: bool,
    pub status: IncidentStatus,
    pub created_by: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub purge_after: Option<i64>,
    pub purged_at: Option<i64>,
    pub summary: Option<String>,
    /// holds in this incident, minutes (None: the deployment's)
    pub hold_minutes: Option<i32>,
    pub hold_unseen_minutes: Option<i32>,
    pub hold_extend_minutes: Option<i32>,
    pub hold_cap_minutes: Option<i32>,
    /// coordinators' global matching runs by itself here
    pub auto_match: bool,
}

pub fn insert(conn: &mut DbConn, row: &IncidentRow) -> QueryResult<()> {
    diesel::insert_into(incidents::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &IncidentId) -> QueryResult<Option<IncidentRow>> {
    incidents::table
        .find(id)
        .select(IncidentRow::as_select())
        .first(conn)
        .optional()
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<IncidentRow>> {
    incidents::table
        .order(incidents::created_at.desc())
        .select(IncidentRow::as_select())
        .load(conn)
}

pub fn open(conn: &mut DbConn) -> QueryResult<Vec<IncidentRow>> {
    incidents::table
        .filter(incidents::status.eq(IncidentStatus::Open))
        .order(incidents::created_at.asc())
        .select(IncidentRow::as_select())
        .load(conn)
}

pub fn close(conn: &mut DbConn, id: &IncidentId, now: i64, purge_after: i64) -> QueryResult<usize> {
    diesel::update(
        incidents::table
            .find(id)
            .filter(incidents::status.eq(IncidentStatus::Open)),
    )
    .set((
        incidents::status.eq(IncidentStatus::Closed),
        incidents::closed_at.eq(now),
        incidents::purge_after.eq(purge_after),
    ))
    .execute(conn)
}

pub fn due_purge(conn: &mut DbConn, now: i64) -> QueryResult<Vec<IncidentRow>> {
    incidents::table
        .filter(incidents::status.eq(IncidentStatus::Closed))
        .filter(incidents::purged_at.is_null())
        .filter(incidents::purge_after.le(now))
        .select(IncidentRow::as_select())
        .load(conn)
}

pub fn set_offer_incident(
    conn: &mut DbConn,
    offer: &OfferId,
    incident: &IncidentId,
) -> QueryResult<usize> {
    diesel::update(offers::table.find(offer))
        .set(offers::incident_id.eq(incident))
        .execute(conn)
}

pub fn set_request_incident(
    conn: &mut DbConn,
    request: &RequestId,
    incident: &IncidentId,
) -> QueryResult<usize> {
    diesel::update(requests::table.find(request))
        .set(requests::incident_id.eq(incident))
        .execute(conn)
}

pub fn request_incident(conn: &mut DbConn, request: &RequestId) -> QueryResult<Option<IncidentId>> {
    requests::table
        .find(request)
        .select(requests::incident_id)
        .first(conn)
}

/// An ID with its point.
pub type Located<I> = (I, f64, f64);

/// Offers and requests outside any incident.
pub type Unassigned = (Vec<Located<OfferId>>, Vec<Located<RequestId>>);

/// Open offers and live requests outside any incident, with their points
/// (to take into a new incident), each in ID order.
pub fn unassigned(conn: &mut DbConn) -> QueryResult<Unassigned> {
    let o = offers::table
        .filter(offers::incident_id.is_null())
        .filter(offers::status.ne(OfferStatus::Closed))
        .order(offers::id)
        .select((offers::id, offers::lat, offers::lon))
        .load(conn)?;
    let r = requests::table
        .filter(requests::incident_id.is_null())
        .filter(requests::status.eq_any([RequestStatus::Waiting, RequestStatus::Matched]))
        .order(requests::id)
        .select((requests::id, requests::lat, requests::lon))
        .load(conn)?;
    Ok((o, r))
}

pub fn offer_ids(conn: &mut DbConn, incident: &IncidentId) -> QueryResult<Vec<OfferId>> {
    offers::table
        .filter(offers::incident_id.eq(incident))
        .select(offers::id)
        .load(conn)
}

pub fn request_ids(conn: &mut DbConn, incident: &IncidentId) -> QueryResult<Vec<RequestId>> {
    requests::table
        .filter(requests::incident_id.eq(incident))
        .select(requests::id)
        .load(conn)
}

/// Deletes everything personal of an incident: its requests (names,
/// contacts, points, notes), its offers (addresses, contacts, points,
/// notes), their matches, reveals and blocks, and the mails sent to its
/// guests. The anonymous `summary` stays on the incident.
pub fn purge(conn: &mut DbConn, id: &IncidentId, summary: &str, now: i64) -> QueryResult<()> {
    let reqs = request_ids(conn, id)?;
    let offs = offer_ids(conn, id)?;
    let match_ids: Vec<MatchId> = matches::table
        .filter(
            matches::request_id
                .eq_any(&reqs)
                .or(matches::offer_id.eq_any(&offs)),
        )
        .select(matches::id)
        .load(conn)?;
    let guest_mail: Vec<Option<String>> = requests::table
        .filter(requests::id.eq_any(&reqs))
        .select(requests::contact_email)
        .load(conn)?;
    let trusted: Vec<Option<String>> = requests::table
        .filter(requests::id.eq_any(&reqs))
        .select(requests::trusted_email)
        .load(conn)?;
    let recipients: Vec<String> = guest_mail.into_iter().chain(trusted).flatten().collect();
    diesel::delete(outbox::table.filter(outbox::recipient.eq_any(&recipients))).execute(conn)?;
    // outbox rows, reports and coordinators' reasons name a request or an
    // offer by its text
    let about: Vec<&str> = reqs
        .iter()
        .map(|r| r.as_str())
        .chain(offs.iter().map(|o| o.as_str()))
        .collect();
    diesel::delete(outbox::table.filter(outbox::about.eq_any(&about))).execute(conn)?;
    diesel::delete(reveals::table.filter(reveals::match_id.eq_any(&match_ids))).execute(conn)?;
    diesel::delete(matches::table.filter(matches::id.eq_any(&match_ids))).execute(conn)?;
    diesel::delete(blocks::table.filter(blocks::request_id.eq_any(&reqs))).execute(conn)?;
    // reports about them carry free text
    diesel::delete(reports::table.filter(reports::target_id.eq_any(&about))).execute(conn)?;
    // and so do coordinators' reasons for reading their details
    let subjects: Vec<String> = about.iter().map(|s| s.to_string()).collect();
    super::details::delete_for(conn, &subjects)?;
    diesel::delete(requests::table.filter(requests::id.eq_any(&reqs))).execute(conn)?;
    diesel::delete(offers::table.filter(offers::id.eq_any(&offs))).execute(conn)?;
    diesel::update(incidents::table.find(id))
        .set((incidents::purged_at.eq(now), incidents::summary.eq(summary)))
        .execute(conn)
        .map(drop)
}
