//! Coordinators' oversight: counts, the waiting queue, proposing pairs.

use super::views::{Area, MatchView, NeedsView, QueueEntryView};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, RequestId};
use crate::domain::matching::Status;
use crate::domain::rfc3339;
use crate::domain::states::OutboxStatus;
use crate::domain::states::RequestStatus;
use crate::domain::values::Languages;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchCounts {
    pub proposed: i64,
    pub accepted: i64,
    pub arrived: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub offers_open: i64,
    pub places_free: i64,
    pub requests_waiting: i64,
    pub matches: MatchCounts,
    #[serde(flatten)]
    pub timing: super::oversight::Timing,
}

pub fn overview(state: &AppState, conn: &mut DbConn) -> AppResult<Overview> {
    let now = state.now();
    let (_, places_free) = state.index.totals(now);
    Ok(Overview {
        offers_open: db::offers::count_open(conn, now)?,
        places_free,
        requests_waiting: db::requests::count_status(conn, RequestStatus::Waiting)?,
        matches: MatchCounts {
            proposed: db::matches::count_status(conn, Status::Proposed, now)?,
            accepted: db::matches::count_status(conn, Status::Accepted, now)?,
            arrived: db::matches::count_status(conn, Status::Arrived, now)?,
        },
        timing: super::oversight::timing(conn)?,
    })
}

/// The `status` of a queue query: waiting when absent.
pub fn queue_status(s: Option<&str>) -> AppResult<RequestStatus> {
    s.map_or(Some(RequestStatus::Waiting), RequestStatus::parse)
        .ok_or_else(|| AppError::invalid("status", one_of(RequestStatus::ALL)))
}

/// The `status` of an outbox query: dead (given up) when absent.
pub fn mail_status(s: Option<&str>) -> AppResult<OutboxStatus> {
    s.map_or(Some(OutboxStatus::Dead), OutboxStatus::parse)
        .ok_or_else(|| AppError::invalid("status", one_of(OutboxStatus::ALL)))
}

fn one_of<T: std::fmt::Display>(all: &[T]) -> String {
    let names: Vec<String> = all.iter().map(ToString::to_string).collect();
    format!("must be one of {}", names.join(", "))
}

pub fn queue(
    state: &AppState,
    conn: &mut DbConn,
    status: RequestStatus,
    limit: i64,
) -> AppResult<Vec<QueueEntryView>> {
    let now = state.now();
    Ok(db::requests::by_status_oldest(conn, status, limit)?
        .iter()
        .map(|r| entry(r, now))
        .collect())
}

fn entry(r: &crate::db::models::RequestRow, now: i64) -> QueueEntryView {
    QueueEntryView {
        request_id: r.id.clone(),
        status: r.status,
        name: r.name.clone(),
        party_size: r.party_size,
        needs: NeedsView::of(r),
        languages: Languages::from_db(&r.languages).codes(),
        area: Area::of_request(r),
        waiting_since: rfc3339(r.created_at),
        waiting_minutes: (now - r.created_at) / 60_000,
    }
}

/// One request as the queue shows it (any status): no contact, no point.
/// The doors a waiting party could be proposed, best first: what the guest
/// would be shown (the same filters and ranking), so that a coordinator
/// proposes one with one click; none once the party is no longer waiting.
pub fn doors_for(
    state: &AppState,
    conn: &mut DbConn,
    id: &RequestId,
) -> AppResult<Vec<super::views::CandidateView>> {
    let r = db::requests::get(conn, id)?.ok_or(AppError::NotFound)?;
    if r.status != RequestStatus::Waiting {
        return Ok(vec![]);
    }
    super::requests::candidates(
        state,
        conn,
        &r,
        DOORS_SHOWN,
        super::requests::DEFAULT_RADIUS_KM,
    )
}

/// How many doors a waiting party's page offers a coordinator.
pub const DOORS_SHOWN: usize = 8;

pub fn queue_entry(
    state: &AppState,
    conn: &mut DbConn,
    id: &RequestId,
) -> AppResult<QueueEntryView> {
    let r = db::requests::get(conn, id)?.ok_or(AppError::NotFound)?;
    Ok(entry(&r, state.now()))
}

/// The live matches, most recently changed first, without contacts: a
/// coordinator sees them by opening one (`matches::view`, a pure read; the
/// reveal was recorded when the match was accepted).
pub fn recent_matches(
    state: &AppState,
    conn: &mut DbConn,
    limit: i64,
) -> AppResult<Vec<MatchView>> {
    let now = state.now();
    let rows = db::matches::recent(conn, &db::matches::LIVE, limit)?;
    let mut out = Vec::with_capacity(rows.len());
    for m in &rows {
        let offer = db::offers::get(conn, &m.offer_id)?.ok_or(AppError::NotFound)?;
        let req = db::requests::get(conn, &m.request_id)?.ok_or(AppError::NotFound)?;
        let host = db::accounts::by_id(conn, &offer.host_id)?.ok_or(AppError::NotFound)?;
        let status = crate::service::matches::effective(m, now);
        out.push(MatchView::build(
            m,
            status,
            &offer,
            &host.display_name,
            &req,
            false,
        ));
    }
    Ok(out)
}

/// A match coordinators must look at first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    /// "unsafe" (the guest pressed "I feel unsafe") or "no_arrival"
    pub kind: &'static str,
    pub since: String,
    #[serde(rename = "match")]
    pub match_view: MatchView,
}

/// Unsafe flags first, then arrivals not confirmed in time.
pub fn alerts(state: &AppState, conn: &mut DbConn) -> AppResult<Vec<AlertView>> {
    let now = state.now();
    let mut out = Vec::new();
    for (m, unsafe_at, escalated_at) in db::matches::alerts(conn)? {
        let offer = db::offers::get(conn, &m.offer_id)?.ok_or(AppError::NotFound)?;
        let req = db::requests::get(conn, &m.request_id)?.ok_or(AppError::NotFound)?;
        let host = db::accounts::by_id(conn, &offer.host_id)?.ok_or(AppError::NotFound)?;
        let status = crate::service::matches::effective(&m, now);
        let (kind, since) = match (unsafe_at, escalated_at) {
            (Some(t), _) => ("unsafe", t),
            (None, Some(t)) => ("no_arrival", t),
            (None, None) => continue,
        };
        out.push(AlertView {
            kind,
            since: rfc3339(since),
            match_view: MatchView::build(&m, status, &offer, &host.display_name, &req, false),
        });
    }
    Ok(out)
}

/// A mail as coordinators see it: never its body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MailView {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: String,
}

pub fn mails(conn: &mut DbConn, status: OutboxStatus, limit: i64) -> AppResult<Vec<MailView>> {
    Ok(db::outbox::by_status(conn, status, limit)?
        .into_iter()
        .map(|r| MailView {
            id: r.id,
            kind: r.kind,
            recipient: r.recipient,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: rfc3339(r.created_at),
        })
        .collect())
}

/// Sends a dead letter again; 404 unless it is one.
pub fn retry_mail(state: &AppState, conn: &mut DbConn, who: &AccountId, id: &str) -> AppResult<()> {
    let now = state.now();
    let retried = state.write_tx(conn, |c| {
        let n = db::outbox::retry(c, id, now)?;
        if n == 1 {
            super::audit::record(c, now, who, "coord.retry_mail", id, serde_json::Value::Null)?;
        }
        Ok::<_, AppError>(n)
    })?;
    state.live.touch_coordinators();
    match retried {
        1 => Ok(()),
        _ => Err(AppError::NotFound),
    }
}
