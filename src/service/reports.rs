//! Reports: anyone may report an offer, a host or (a host, of their own
//! match) a guest. Each report carries the reporter's standing towards its
//! target and a keyed hash of their network; an offer or a host leaves every
//! search only when its open reports weigh enough
//! (`domain::safeguarding::score`). Anonymous reports, and guests with no
//! match with that host, only reach the coordinators' queue. A source that
//! files many reports within an hour is shown to coordinators as a flood.

use super::Account;
use crate::db::safeguarding::ReportRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{OfferId, ReportId, RequestId};
use crate::domain::input::Fields;
use crate::domain::rfc3339;
use crate::domain::safeguarding::{self as rules, Standing, Weighed};
use crate::domain::states::{OfferStatus, ReportOutcome, ReportReason, ReportTarget, Role};
use crate::domain::values::Text;
use crate::error::{AppError, AppResult, is_unique_violation};
use crate::state::AppState;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// Who reports: an account, a guest's request, or an anonymous visitor.
pub enum Reporter {
    Account(Account),
    Guest(RequestId),
    Anonymous,
}

/// The reasons a report may give, as the API and the form write them.
pub const REASONS: &[ReportReason] = ReportReason::ALL;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    #[schema(value_type = String)]
    pub id: ReportId,
    pub target_kind: ReportTarget,
    pub target_id: String,
    pub reason: ReportReason,
    pub details: Option<String>,
    pub created_at: String,
    pub outcome: Option<ReportOutcome>,
    /// the reporter's standing towards the target: "none" (anonymous, or no
    /// match with that host: counts for nothing), "weak", "strong" or
    /// "coordinator"
    pub standing: Standing,
}

impl ReportView {
    /// The view of a stored report; an outcome no variant names is an error.
    fn of(r: &ReportRow) -> AppResult<Self> {
        Ok(Self {
            id: r.id.clone(),
            target_kind: r.target_kind,
            target_id: r.target_id.clone(),
            reason: r.reason,
            details: r.details.clone(),
            created_at: rfc3339(r.created_at),
            outcome: r.outcome,
            standing: r.standing,
        })
    }
}

/// The keyed hash of a reporter's network (/24 or /48): the only trace of
/// where a report came from.
fn network_hash(state: &AppState, ip: Option<IpAddr>) -> Option<String> {
    ip.map(|ip| {
        state
            .grid
            .pseudonym("report-network", &rules::network_of(ip))
    })
}

/// The reporter's key: one report per target each. An anonymous visitor is
/// their network.
fn reporter_key(who: &Reporter, network: Option<&str>) -> String {
    match who {
        Reporter::Account(a) => format!("acc:{}", a.id),
        Reporter::Guest(r) => format!("req:{r}"),
        Reporter::Anonymous => format!("anon:{}", network.unwrap_or("unknown")),
    }
}

/// A report's target as the ID its kind names; text that cannot be one is
/// not found, like any other unknown target.
fn target_as<I: crate::domain::ids::Id>(raw: &str) -> AppResult<I> {
    I::parse(raw).ok_or(AppError::NotFound)
}

/// How much the reporter's word weighs against `offers` (the target's).
fn standing(c: &mut DbConn, who: &Reporter, offers: &[OfferId]) -> AppResult<Standing> {
    Ok(match who {
        Reporter::Anonymous => Standing::None,
        Reporter::Guest(request) => match db::safeguarding::ties(c, request, offers)? {
            (_, true) => Standing::Strong,
            (true, false) => Standing::Weak,
            (false, false) => Standing::None,
        },
        Reporter::Account(a) if a.is_coordinator() => Standing::Coordinator,
        Reporter::Account(a) => match db::accounts::safeguarding::state(c, &a.id)? {
            Some((_, Some(_), _, _)) => Standing::Strong,
            Some((Some(_), None, _, _)) => Standing::Weak,
            _ => Standing::None,
        },
    })
}

/// A source of reports: ("network" or "reporter", its key).
type Source = (&'static str, String);
/// (most reports within one hour, reports over the day, the last one's time)
type Flood = (usize, usize, i64);

/// Reporters and networks with `FLOOD_REPORTS` or more reports within an
/// hour, over the last day.
fn flood_sources(c: &mut DbConn, now: i64) -> AppResult<BTreeMap<Source, Flood>> {
    let mut by: BTreeMap<Source, Vec<i64>> = BTreeMap::new();
    for db::safeguarding::Filed {
        reporter,
        network,
        created_at: at,
    } in db::safeguarding::filed_since(c, now - 24 * 3_600_000)?
    {
        if let Some(n) = network {
            by.entry(("network", n)).or_default().push(at);
        }
        // an anonymous reporter is their network, already counted
        if !reporter.starts_with("anon:") {
            by.entry(("reporter", reporter)).or_default().push(at);
        }
    }
    Ok(by
        .into_iter()
        .filter(|(_, t)| rules::floods(t))
        .map(|(k, t)| {
            let last = t.iter().copied().max().unwrap_or(now);
            (k, (rules::busiest_hour(&t), t.len(), last))
        })
        .collect())
}

/// Whether the open reports on a target now hide it.
fn weighs_enough(c: &mut DbConn, kind: ReportTarget, target: &str, now: i64) -> AppResult<bool> {
    let flooding: BTreeSet<String> = flood_sources(c, now)?
        .into_keys()
        .filter(|(k, _)| *k == "reporter")
        .map(|(_, r)| r)
        .collect();
    let open = db::safeguarding::open_on(c, kind, target)?;
    // a standing no variant names failed the read: never "counts for nothing"
    let weighed: Vec<Weighed> = open
        .iter()
        .map(|r| Weighed {
            standing: r.standing,
            network: r.network.as_deref(),
            flooding: flooding.contains(&r.reporter),
        })
        .collect();
    Ok(rules::hides(rules::score(&weighed)))
}

/// Files a report from `ip` (only the keyed hash of its network is kept).
/// The target leaves every search when its open reports weigh enough (an
/// offer; a host: all their offers). A host reports only guests of their
/// own matches.
pub fn report(
    state: &AppState,
    conn: &mut DbConn,
    who: &Reporter,
    ip: Option<IpAddr>,
    body: Value,
) -> AppResult<ReportView> {
    let mut f = Fields::new(body, &["target_kind", "target_id", "reason", "details"])?;
    let kind = f.str_req("target_kind").and_then(|k| {
        let parsed = ReportTarget::parse(&k);
        if parsed.is_none() {
            f.error("target_kind", "must be one of offer, host, guest");
        }
        parsed
    });
    let target = f.str_req("target_id");
    let reason = f.str_req("reason").and_then(|r| {
        let parsed = ReportReason::parse(&r);
        if parsed.is_none() {
            let names: Vec<&str> = REASONS.iter().map(|r| r.as_str()).collect();
            f.error("reason", format!("must be one of {}", names.join(", ")));
        }
        parsed
    });
    let details = f
        .str_opt("details")
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| f.check("details", Text::new(&s, 1, 1000, true)));
    f.finish()?;
    // `finish` refused any missing or unknown field above
    let (Some(kind), Some(target), Some(reason)) = (kind, target, reason) else {
        return Err(AppError::Internal(
            "report fields checked but absent".into(),
        ));
    };
    let now = state.now();
    let network = network_hash(state, ip);
    let (row, hide) = state.write_tx(conn, |c| {
        // the target must exist, and a host may only report their own guests
        let offers: Vec<OfferId> = match kind {
            ReportTarget::Offer => {
                let o = db::offers::get(c, &target_as(&target)?)?.ok_or(AppError::NotFound)?;
                vec![o.id]
            }
            ReportTarget::Host => {
                let a = db::accounts::by_id(c, &target_as(&target)?)?.ok_or(AppError::NotFound)?;
                if a.role != Role::Host {
                    return Err(AppError::NotFound);
                }
                db::offers::by_host(c, &a.id)?
                    .into_iter()
                    .map(|o| o.id)
                    .collect()
            }
            ReportTarget::Guest => {
                let Reporter::Account(host) = who else {
                    return Err(AppError::NotFound);
                };
                let r = db::requests::get(c, &target_as(&target)?)?.ok_or(AppError::NotFound)?;
                let mine = db::matches::for_request(c, &r.id)?.into_iter().any(|m| {
                    db::offers::get(c, &m.offer_id)
                        .ok()
                        .flatten()
                        .is_some_and(|o| o.host_id == host.id)
                });
                if !mine {
                    return Err(AppError::NotFound);
                }
                vec![]
            }
        };
        let row = ReportRow {
            id: ReportId::generate(),
            target_kind: kind,
            target_id: target.clone(),
            reason,
            details: details.map(Text::into_inner),
            reporter: reporter_key(who, network.as_deref()),
            created_at: now,
            reviewed_at: None,
            reviewed_by: None,
            outcome: None,
            standing: standing(c, who, &offers)?,
            network: network.clone(),
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
        let hide = if !offers.is_empty() && weighs_enough(c, kind, &target, now)? {
            for id in &offers {
                db::offers::set_hidden(c, id, true, now)?;
            }
            offers
        } else {
            vec![]
        };
        Ok((row, hide))
    })?;
    state.refresh_offers(conn, &hide)?;
    state.live.touch_coordinators();
    ReportView::of(&row)
}

/// A source of many reports within an hour: a risk signal in itself.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportFloodView {
    /// "network" (a keyed hash of a /24 or /48: anonymous reports and guest
    /// links from one place) or "reporter" (one account or guest link)
    pub source: &'static str,
    /// the network's hash, shortened; or the reporter: `acc:` and an account
    /// ID, `req:` and a request ID
    pub id: String,
    /// the most reports it filed within one hour
    pub busiest_hour: usize,
    /// its reports over the last 24 hours
    pub last_day: usize,
    pub last_at: String,
}

/// Report floods over the last day, busiest first.
pub fn floods(state: &AppState, conn: &mut DbConn) -> AppResult<Vec<ReportFloodView>> {
    let mut out: Vec<ReportFloodView> = flood_sources(conn, state.now())?
        .into_iter()
        .map(|((source, id), (busiest, day, last))| ReportFloodView {
            source,
            id: if source == "network" {
                format!("net:{}", id.chars().take(12).collect::<String>())
            } else {
                id
            },
            busiest_hour: busiest,
            last_day: day,
            last_at: rfc3339(last),
        })
        .collect();
    out.sort_by(|a, b| b.busiest_hour.cmp(&a.busiest_hour).then(a.id.cmp(&b.id)));
    Ok(out)
}

pub fn open_reports(conn: &mut DbConn) -> AppResult<Vec<ReportView>> {
    db::safeguarding::open_reports(conn, 500)?
        .iter()
        .map(ReportView::of)
        .collect()
}

/// Reviews every open report on a report's target: `dismissed` shows a
/// hidden offer again; `upheld` closes a reported offer, suspends a
/// reported host.
pub fn review_report(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    id: &ReportId,
    body: Value,
) -> AppResult<ReportView> {
    let mut f = Fields::new(body, &["outcome"])?;
    let outcome = f.str_req("outcome").and_then(|o| {
        let parsed = ReportOutcome::parse(&o);
        if parsed.is_none() {
            f.error("outcome", "must be dismissed or upheld");
        }
        parsed
    });
    f.finish()?;
    let outcome =
        outcome.ok_or_else(|| AppError::invalid("outcome", "must be dismissed or upheld"))?;
    let now = state.now();
    let (row, touched) = state.write_tx(conn, |c| {
        let r = db::safeguarding::report(c, id)?.ok_or(AppError::NotFound)?;
        if r.reviewed_at.is_some() {
            return Err(AppError::conflict(
                "already_reviewed",
                "this report was already reviewed",
            ));
        }
        db::safeguarding::review(c, r.target_kind, &r.target_id, &coord.id, outcome, now)?;
        super::audit::record(
            c,
            now,
            coord.id.as_str(),
            "coord.review_report",
            &r.id,
            serde_json::json!({ "target": r.target_id, "outcome": outcome }),
        )?;
        let offers: Vec<OfferId> = match r.target_kind {
            ReportTarget::Offer => vec![target_as(&r.target_id)?],
            ReportTarget::Host => db::offers::by_host(c, &target_as(&r.target_id)?)?
                .into_iter()
                .map(|o| o.id)
                .collect(),
            ReportTarget::Guest => vec![],
        };
        for o in &offers {
            db::offers::set_hidden(c, o, false, now)?;
        }
        if outcome == ReportOutcome::Upheld {
            match r.target_kind {
                ReportTarget::Offer => {
                    db::offers::update(
                        c,
                        &target_as(&r.target_id)?,
                        &crate::db::models::OfferChanges {
                            status: Some(OfferStatus::Closed),
                            ..Default::default()
                        },
                        now,
                    )?;
                    super::offers::cancel_live_proposals(c, &target_as(&r.target_id)?, now)?;
                }
                ReportTarget::Host => db::accounts::safeguarding::set_suspended(
                    c,
                    &target_as(&r.target_id)?,
                    true,
                    now,
                )?,
                ReportTarget::Guest => {}
            }
        }
        let r = db::safeguarding::report(c, id)?.ok_or(AppError::NotFound)?;
        Ok((r, offers))
    })?;
    state.refresh_offers(conn, &touched)?;
    ReportView::of(&row)
}
