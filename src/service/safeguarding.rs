//! Coordinators' safeguarding decisions (identity seen, suspension,
//! approval of a host's first acceptance, review of reports), and what
//! anyone may do: report an offer, a host or a guest; a guest may block a host.

use super::views::MatchView;
use super::{Account, MatchAccess};
use crate::db::safeguarding::ReportRow;
use crate::db::{self, DbConn};
use crate::domain::input::Fields;
use crate::domain::rfc3339;
use crate::domain::safeguarding::Level;
use crate::domain::values::Text;
use crate::error::{AppError, AppResult, is_unique_violation};
use crate::state::AppState;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HostStatusView {
    pub id: String,
    pub display_name: String,
    pub role: String,
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

pub fn host_status(conn: &mut DbConn, id: &str) -> AppResult<HostStatusView> {
    let row = db::accounts::by_id(conn, id)?.ok_or(AppError::NotFound)?;
    let (email, identity, by, suspended) =
        db::accounts::safeguarding::state(conn, id)?.ok_or(AppError::NotFound)?;
    let level = match (email, identity) {
        (_, Some(_)) => Level::CoordinatorVerified,
        (Some(_), None) => Level::EmailVerified,
        (None, None) => Level::Unverified,
    };
    Ok(HostStatusView {
        id: row.id.clone(),
        display_name: row.display_name,
        role: row.role,
        level: level_name(level),
        identity_verified_at: identity.map(rfc3339),
        identity_verified_by: by,
        suspended: suspended.is_some(),
        open_reports: db::safeguarding::open_reports_on(conn, "host", &row.id)?,
    })
}

/// Offers of a host whose flags changed: the local index follows at once,
/// other instances at their next sync (`updated_at` was bumped).
fn refresh_host_offers(state: &AppState, conn: &mut DbConn, host: &str) -> AppResult<()> {
    let ids: Vec<String> = db::offers::by_host(conn, host)?
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
    id: &str,
) -> AppResult<HostStatusView> {
    let now = state.now();
    state.write_tx(conn, |c| {
        db::accounts::by_id(c, id)?.ok_or(AppError::NotFound)?;
        db::accounts::safeguarding::verify_identity(c, id, coord.id.as_str(), now)?;
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
    id: &str,
    suspended: bool,
) -> AppResult<HostStatusView> {
    if coord.id.as_str() == id {
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
    match_id: &str,
) -> AppResult<MatchView> {
    let now = state.now();
    let row = state.write_tx(conn, |c| {
        let m = db::matches::get(c, match_id)?.ok_or(AppError::NotFound)?;
        if db::safeguarding::approve(c, &m.id, coord.id.as_str(), now)? != 1 {
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
        Ok(m)
    })?;
    state.live_matches(conn, std::slice::from_ref(&row));
    super::matches::view(
        state,
        conn,
        &row,
        crate::domain::matching::Side::Coordinator,
        Some(coord.id.clone()),
    )
}

/// Who reports: an account, a guest's request, or an anonymous visitor
/// (a keyed pseudonym of their address).
pub enum Reporter {
    Account(Account),
    Guest(String),
    Anonymous(String),
}

impl Reporter {
    fn key(&self) -> String {
        match self {
            Reporter::Account(a) => format!("acc:{}", a.id),
            Reporter::Guest(r) => format!("req:{r}"),
            Reporter::Anonymous(p) => format!("anon:{p}"),
        }
    }
}

pub const REASONS: [&str; 5] = ["asks_money", "unsafe", "inappropriate", "fake", "other"];

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: String,
    pub target_kind: String,
    pub target_id: String,
    pub reason: String,
    pub details: Option<String>,
    pub created_at: String,
    pub outcome: Option<String>,
}

impl ReportView {
    fn of(r: &ReportRow) -> Self {
        Self {
            id: r.id.clone(),
            target_kind: r.target_kind.clone(),
            target_id: r.target_id.clone(),
            reason: r.reason.clone(),
            details: r.details.clone(),
            created_at: rfc3339(r.created_at),
            outcome: r.outcome.clone(),
        }
    }
}

/// Files a report. An offer reported by `REPORTS_TO_HIDE` independent
/// reporters (or whose host is) leaves every search until reviewed. A host
/// reports only guests of their own matches.
pub fn report(
    state: &AppState,
    conn: &mut DbConn,
    who: &Reporter,
    body: Value,
) -> AppResult<ReportView> {
    let mut f = Fields::new(body, &["target_kind", "target_id", "reason", "details"])?;
    let kind = f.str_req("target_kind");
    if let Some(k) = &kind {
        if !["offer", "host", "guest"].contains(&k.as_str()) {
            f.error("target_kind", "must be one of offer, host, guest");
        }
    }
    let target = f.str_req("target_id");
    let reason = f.str_req("reason");
    if let Some(r) = &reason {
        if !REASONS.contains(&r.as_str()) {
            f.error("reason", format!("must be one of {}", REASONS.join(", ")));
        }
    }
    let details = f
        .str_opt("details")
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| f.check("details", Text::new(&s, 1, 1000, true)));
    f.finish()?;
    let (kind, target, reason) = (
        kind.unwrap_or_default(),
        target.unwrap_or_default(),
        reason.unwrap_or_default(),
    );
    let now = state.now();
    let threshold = i64::from(state.config.reports_to_hide);
    let (row, hide) = state.write_tx(conn, |c| {
        // the target must exist, and a host may only report their own guests
        let hide: Vec<String> = match kind.as_str() {
            "offer" => {
                let o = db::offers::get(c, &target)?.ok_or(AppError::NotFound)?;
                vec![o.id]
            }
            "host" => {
                let a = db::accounts::by_id(c, &target)?.ok_or(AppError::NotFound)?;
                if a.role != "host" {
                    return Err(AppError::NotFound);
                }
                db::offers::by_host(c, &a.id)?
                    .into_iter()
                    .map(|o| o.id)
                    .collect()
            }
            _ => {
                let Reporter::Account(host) = who else {
                    return Err(AppError::NotFound);
                };
                let r = db::requests::get(c, &target)?.ok_or(AppError::NotFound)?;
                let mine = db::matches::for_request(c, &r.id)?.into_iter().any(|m| {
                    db::offers::get(c, &m.offer_id)
                        .ok()
                        .flatten()
                        .is_some_and(|o| o.host_id == host.id.as_str())
                });
                if !mine {
                    return Err(AppError::NotFound);
                }
                vec![]
            }
        };
        let row = ReportRow {
            id: crate::domain::ids::Secret::generate("rep_")
                .expose()
                .chars()
                .take(24)
                .collect(),
            target_kind: kind.clone(),
            target_id: target.clone(),
            reason: reason.clone(),
            details: details.map(Text::into_inner),
            reporter: who.key(),
            created_at: now,
            reviewed_at: None,
            reviewed_by: None,
            outcome: None,
        };
        match db::safeguarding::insert_report(c, &row) {
            Err(e) if is_unique_violation(&e) => {
                return Err(AppError::conflict(
                    "already_reported",
                    "you already reported this; coordinators will review it",
                ));
            }
            r => r?,
        }
        let hide = if db::safeguarding::open_reports_on(c, &kind, &target)? >= threshold {
            for id in &hide {
                db::offers::set_hidden(c, id, true, now)?;
            }
            hide
        } else {
            vec![]
        };
        Ok((row, hide))
    })?;
    state.refresh_offers(conn, &hide)?;
    state.live.touch_coordinators();
    Ok(ReportView::of(&row))
}

pub fn open_reports(conn: &mut DbConn) -> AppResult<Vec<ReportView>> {
    Ok(db::safeguarding::open_reports(conn, 500)?
        .iter()
        .map(ReportView::of)
        .collect())
}

/// Reviews every open report on a report's target: `dismissed` shows a
/// hidden offer again; `upheld` closes a reported offer, suspends a
/// reported host.
pub fn review_report(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &str,
    body: Value,
) -> AppResult<ReportView> {
    let mut f = Fields::new(body, &["outcome"])?;
    let outcome = f.str_req("outcome");
    if let Some(o) = &outcome {
        if o != "dismissed" && o != "upheld" {
            f.error("outcome", "must be dismissed or upheld");
        }
    }
    f.finish()?;
    let outcome = outcome.unwrap_or_default();
    let now = state.now();
    let (row, touched) = state.write_tx(conn, |c| {
        let r = db::safeguarding::report(c, id)?.ok_or(AppError::NotFound)?;
        if r.reviewed_at.is_some() {
            return Err(AppError::conflict(
                "already_reviewed",
                "this report was already reviewed",
            ));
        }
        db::safeguarding::review(
            c,
            &r.target_kind,
            &r.target_id,
            coord.id.as_str(),
            &outcome,
            now,
        )?;
        super::audit::record(
            c,
            now,
            coord.id.as_str(),
            "coord.review_report",
            &r.id,
            serde_json::json!({ "target": r.target_id, "outcome": outcome }),
        )?;
        let offers: Vec<String> = match r.target_kind.as_str() {
            "offer" => vec![r.target_id.clone()],
            "host" => db::offers::by_host(c, &r.target_id)?
                .into_iter()
                .map(|o| o.id)
                .collect(),
            _ => vec![],
        };
        for o in &offers {
            db::offers::set_hidden(c, o, false, now)?;
        }
        if outcome == "upheld" {
            match r.target_kind.as_str() {
                "offer" => {
                    db::offers::update(
                        c,
                        &r.target_id,
                        &crate::db::models::OfferChanges {
                            status: Some("closed".into()),
                            ..Default::default()
                        },
                        now,
                    )?;
                    super::offers::cancel_live_proposals(c, &r.target_id, now)?;
                }
                "host" => db::accounts::safeguarding::set_suspended(c, &r.target_id, true, now)?,
                _ => {}
            }
        }
        let r = db::safeguarding::report(c, id)?.ok_or(AppError::NotFound)?;
        Ok((r, offers))
    })?;
    state.refresh_offers(conn, &touched)?;
    Ok(ReportView::of(&row))
}

/// A guest blocks the host of an offer: none of that host's offers appear
/// or can be asked again for this request.
pub fn block(state: &AppState, conn: &mut DbConn, request_id: &str, body: Value) -> AppResult<()> {
    let mut f = Fields::new(body, &["offer_id"])?;
    let offer = f.str_req("offer_id");
    f.finish()?;
    let offer = offer.unwrap_or_default();
    let now = state.now();
    state.write_tx(conn, |c| {
        let o = db::offers::get(c, &offer)?.ok_or(AppError::NotFound)?;
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
        let mut v = MatchView::build(&m, status.as_str(), &offer, &host.display_name, &req, false);
        v.awaiting_review = true;
        out.push(v);
    }
    Ok(out)
}
