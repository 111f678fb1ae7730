//! Coordinators' safeguarding decisions (identity seen, suspension,
//! approval of a host's first acceptance, review of reports), and what
//! anyone may do: report an offer, a host or a guest (`reports.rs`); a guest
//! may block a host.

pub use super::reports::{
    REASONS, ReportFloodView, ReportView, Reporter, floods, open_reports, report, review_report,
};
use super::views::MatchView;
use super::{Account, MatchAccess};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, MatchId, OfferId, RequestId};
use crate::domain::input::Fields;
use crate::domain::rfc3339;
use crate::domain::safeguarding::Level;
use crate::domain::states::{ReportTarget, Role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HostStatusView {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    /// "unverified", "email_verified" or "coordinator_verified"
    pub level: &'static str,
    pub identity_verified_at: Option<String>,
    pub identity_verified_by: Option<String>,
    pub suspended: bool,
    pub open_reports: i64,
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Unverified => "unverified",
        Level::EmailVerified => "email_verified",
        Level::CoordinatorVerified => "coordinator_verified",
    }
}

pub fn host_status(conn: &mut DbConn, id: &AccountId) -> AppResult<HostStatusView> {
    let row = db::accounts::by_id(conn, id)?.ok_or(AppError::NotFound)?;
    let (email, identity, by, suspended) =
        db::accounts::safeguarding::state(conn, id)?.ok_or(AppError::NotFound)?;
    let level = match (email, identity) {
        (_, Some(_)) => Level::CoordinatorVerified,
        (Some(_), None) => Level::EmailVerified,
        (None, None) => Level::Unverified,
    };
    Ok(HostStatusView {
        id: row.id.clone().into(),
        display_name: row.display_name,
        role: row.role,
        level: level_name(level),
        identity_verified_at: identity.map(rfc3339),
        identity_verified_by: by,
        suspended: suspended.is_some(),
        open_reports: db::safeguarding::open_reports_on(conn, ReportTarget::Host, &row.id)?,
    })
}

/// Offers of a host whose flags changed: the local index follows at once,
/// other instances at their next sync (`updated_at` was bumped).
fn refresh_host_offers(state: &AppState, conn: &mut DbConn, host: &AccountId) -> AppResult<()> {
    let ids: Vec<OfferId> = db::offers::by_host(conn, host)?
        .into_iter()
        .map(|o| o.id)
        .collect();
    state.refresh_offers(conn, &ids)
}

/// A coordinator saw the host's identity (recorded: who and when).
pub fn verify_identity(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &AccountId,
) -> AppResult<HostStatusView> {
    let now = state.now();
    state.write_tx(conn, |c| {
        db::accounts::by_id(c, id)?.ok_or(AppError::NotFound)?;
        db::accounts::safeguarding::verify_identity(c, id, &coord.id, now)?;
        super::audit::record(
            c,
            now,
            coord.id.as_str(),
            "coord.verify_identity",
            id,
            Value::Null,
        )?;
        Ok::<_, AppError>(())
    })?;
    refresh_host_offers(state, conn, id)?;
    host_status(conn, id)
}

/// Suspends an account (sessions and tokens die at once, offers hidden) or
/// reinstates it. Coordinators cannot suspend themselves.
pub fn set_suspended(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &AccountId,
    suspended: bool,
) -> AppResult<HostStatusView> {
    if coord.id == *id {
        return Err(AppError::conflict(
            "self_suspension",
            "a coordinator cannot suspend their own account",
        ));
    }
    let now = state.now();
    state.write_tx(conn, |c| {
        db::accounts::by_id(c, id)?.ok_or(AppError::NotFound)?;
        db::accounts::safeguarding::set_suspended(c, id, suspended, now)?;
        let action = if suspended {
            "coord.suspend"
        } else {
            "coord.reinstate"
        };
        super::audit::record(c, now, coord.id.as_str(), action, id, Value::Null)?;
        Ok::<_, AppError>(())
    })?;
    refresh_host_offers(state, conn, id)?;
    host_status(conn, id)
}

/// Approves a host's first acceptance: the contacts are revealed and the
/// guest gets the address.
pub fn approve(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    match_id: &MatchId,
) -> AppResult<MatchView> {
    let now = state.now();
    let row = state.write_tx(conn, |c| {
        let m = db::matches::get(c, match_id)?.ok_or(AppError::NotFound)?;
        if db::safeguarding::approve(c, &m.id, &coord.id, now)? != 1 {
            return Err(AppError::conflict(
                "not_awaiting_review",
                "this match is not waiting for an approval",
            ));
        }
        let req = db::requests::get(c, &m.request_id)?.ok_or(AppError::NotFound)?;
        let offer = db::offers::get(c, &m.offer_id)?.ok_or(AppError::NotFound)?;
        crate::mail::events::accepted(state, c, &req, &offer)?;
        super::audit::record(
            c,
            now,
            coord.id.as_str(),
            "coord.approve",
            &m.id,
            Value::Null,
        )?;
        super::reveals::record(c, now, &m, &offer.host_id, coord.id.as_str())?;
        Ok(m)
    })?;
    state.live_matches(conn, std::slice::from_ref(&row));
    super::matches::view(state, conn, &row)
}

/// A guest blocks the host of an offer: none of that host's offers appear
/// or can be asked again for this request.
pub fn block(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
    body: Value,
) -> AppResult<()> {
    let mut f = Fields::new(body, &["offer_id"])?;
    let offer = f.str_req("offer_id");
    f.finish()?;
    let offer = offer.unwrap_or_default();
    let now = state.now();
    state.write_tx(conn, |c| {
        let o = match OfferId::parse(&offer) {
            Some(id) => db::offers::get(c, &id)?,
            // an ID that cannot exist is not found, like any other
            None => None,
        }
        .ok_or(AppError::NotFound)?;
        db::safeguarding::block(c, request_id, &o.host_id, now)?;
        super::audit::record(
            c,
            now,
            &super::audit::guest(request_id),
            "request.block",
            &o.host_id,
            Value::Null,
        )?;
        Ok(())
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RiskView {
    pub host_id: String,
    pub unconfirmed_arrivals: i64,
    pub cancelled_after_acceptance: i64,
}

/// Hosts to look at: several accepted guests never confirmed in time, or
/// repeated cancellations after acceptance.
pub fn risks(conn: &mut DbConn) -> AppResult<Vec<RiskView>> {
    Ok(db::safeguarding::risk_signals(conn)?
        .into_iter()
        .map(|(host_id, late, cancelled)| RiskView {
            host_id,
            unconfirmed_arrivals: late,
            cancelled_after_acceptance: cancelled,
        })
        .collect())
}

/// Matches waiting for a coordinator's approval.
pub fn reviews(state: &AppState, conn: &mut DbConn, coord: &Account) -> AppResult<Vec<MatchView>> {
    let ids = db::safeguarding::awaiting_review(conn)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let access: MatchAccess = super::match_access_for(state, conn, coord, &id)?;
        let m = access.row;
        let offer = db::offers::get(conn, &m.offer_id)?.ok_or(AppError::NotFound)?;
        let req = db::requests::get(conn, &m.request_id)?.ok_or(AppError::NotFound)?;
        let host = db::accounts::by_id(conn, &offer.host_id)?.ok_or(AppError::NotFound)?;
        let status = super::matches::effective(&m, state.now());
        let mut v = MatchView::build(&m, status, &offer, &host.display_name, &req, false);
        v.awaiting_review = true;
        out.push(v);
    }
    Ok(out)
}
