//! "Suggest assignments": every waiting request against every open offer
//! at once (`domain::assignment`), for a coordinator to review and send as
//! proposals in one action — or, where an incident (or `AUTO_MATCH`) asks
//! for it, sent by the sweeper itself for guests who allowed the platform
//! to ask for them ([`run_auto`]).
//!
//! A coordinator's suggestion carries its certificate: at most how many
//! people any assignment could shelter, and whether the suggestion is
//! proven the best (`domain::assignment::solve`, exact within
//! [`EXACT_LIMIT`]). The sweeper's automatic matching uses the heuristic
//! alone.
//!
//! Suggestions work with the guests' own asks: hosts who let holds run out
//! or only decline (`Tier::Slow`) and paused offers are never proposed; a
//! guest who holds the most live asks gets a suggestion only if it is
//! better than their weakest pending ask — a nearer distance band, or the
//! same band and a quicker host, as the ranking orders them (never a
//! quicker host farther away) — which it then replaces, and only if they
//! allowed the platform to ask for them. Otherwise no suggestion is made
//! for them. The automatic matching ([`run_auto`]) never replaces an ask:
//! it proposes only to guests with an ask to spare, keeps young large
//! doors for the families its assignment did not weigh (those asking by
//! hand) as the platform's own asks do (`service::reserve`),
//! and, as they do, leaves a door to a much nearer younger party for a
//! party's first minutes (`service::nearer`).

use super::Account;
use super::nearer::Waiters;
use super::reserve::FoundDoor;
use super::views::Area;
use crate::db::models::RequestRow;
use crate::db::{self, DbConn};
use crate::domain::assignment::{self, Instance};
use crate::domain::distance::{band_for, metres_between};
use crate::domain::ids::{IncidentId, MatchId, OfferId, RequestId};
use crate::domain::input::Fields;
use crate::domain::matching::Side;
use crate::domain::matching::Status;
use crate::domain::ranking::{band_of, is_large_door};
use crate::domain::responsiveness::Tier;
use crate::domain::states::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// Candidates considered per request (nearest first).
const PER_REQUEST: usize = 30;
/// Waiting requests considered at once (longest wait first).
const MAX_REQUESTS: i64 = 2000;
/// How long the exact method may run on one suggestion, after the
/// heuristic (see "Global matching" in docs/BENCHMARKS.md).
pub const EXACT_LIMIT: Duration = Duration::from_secs(2);

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PairView {
    #[schema(value_type = String)]
    pub request_id: RequestId,
    #[schema(value_type = String)]
    pub offer_id: OfferId,
    pub party_size: i32,
    pub name: String,
    pub distance: crate::domain::distance::Band,
    pub request_area: Area,
    pub offer_area: Area,
    /// the guest's pending ask this one would replace (they hold the most)
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub replaces: Option<MatchId>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub people: i32,
    pub distance_km: f64,
}

/// How far a suggestion can be from the best possible.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    /// people the suggestion shelters (as `suggested.people`)
    pub sheltered: i32,
    /// no assignment of these requests to these offers shelters more
    pub at_most: i32,
    /// proven: no assignment shelters more people (`sheltered` = `at_most`)
    pub proven_optimal: bool,
    /// `exact`: the solver also proved that no assignment of as many people
    /// is shorter in all; `heuristic`: its time limit ran out, or the
    /// instance was too large, somewhere
    pub method: SolveMethod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SolveMethod {
    Exact,
    Heuristic,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestionView {
    pub pairs: Vec<PairView>,
    pub suggested: Totals,
    /// what nearest-first proposals in waiting order would achieve
    pub greedy: Totals,
    pub waiting_people: i32,
    pub certificate: Certificate,
}

/// How good an ask is, for comparing with a suggestion: lower is better.
/// The distance band first, then the host's tier, as the ranking orders
/// doors (`domain::ranking`): a quicker host never beats a nearer band.
type Strength = (u32, Tier);

/// A request's live asks, and the weakest one a suggestion may replace.
pub(crate) struct Asks {
    pub live: usize,
    pub weakest: Option<(MatchId, Strength)>,
}

/// The live asks of a request; `weakest` only when it holds the most and
/// allowed the platform to ask for it (replacing is asking).
pub(crate) fn asks_of(state: &AppState, conn: &mut DbConn, r: &RequestRow) -> AppResult<Asks> {
    let now = state.now();
    let live: Vec<_> = db::matches::for_request(conn, &r.id)?
        .into_iter()
        .filter(|m| super::matches::effective(m, now) == Status::Proposed)
        .collect();
    let at_cap = live.len() >= super::matches::MAX_LIVE_PROPOSALS;
    // an ask a host already said yes to is never the weakest
    let weakest = (at_cap && r.auto_ask)
        .then(|| {
            live.iter()
                .filter(|m| m.host_consent_at.is_none())
                .map(|m| {
                    let o = state.index.get(&m.offer_id);
                    let strength = o.map_or((u32::MAX, Tier::Slow), |o| {
                        let d = metres_between(r.lat, r.lon, o.cell.lat, o.cell.lon);
                        (band_of(d), o.host.tier(now))
                    });
                    (m.id.clone(), strength)
                })
                .max_by_key(|(_, s)| *s)
        })
        .flatten();
    Ok(Asks {
        live: live.len(),
        weakest,
    })
}

pub fn suggest(state: &AppState, conn: &mut DbConn, radius_km: f64) -> AppResult<SuggestionView> {
    let waiting = db::requests::by_status_oldest(conn, RequestStatus::Waiting, MAX_REQUESTS)?;
    suggest_for(state, conn, waiting, radius_km, EXACT_LIMIT, true)
}

/// `exact_limit`: how long the exact method may run after the heuristic;
/// `replace`: whether a guest at the cap may get a suggestion that
/// replaces their weakest ask (else they get none).
fn suggest_for(
    state: &AppState,
    conn: &mut DbConn,
    waiting: Vec<RequestRow>,
    radius_km: f64,
    exact_limit: Duration,
    replace: bool,
) -> AppResult<SuggestionView> {
    let now = state.now();
    let mut offer_index: HashMap<OfferId, usize> = HashMap::new();
    let mut offers: Vec<(OfferId, Area)> = Vec::new();
    let mut capacities: Vec<i32> = Vec::new();
    let mut edges = Vec::with_capacity(waiting.len());
    let mut replaces = Vec::with_capacity(waiting.len());
    for r in &waiting {
        let asks = asks_of(state, conn, r)?;
        let full = asks.live >= super::matches::MAX_LIVE_PROPOSALS;
        let bar = asks.weakest.as_ref().map(|(_, s)| *s).filter(|_| replace);
        replaces.push(asks.weakest.map(|(id, _)| id));
        if full && bar.is_none() {
            edges.push(vec![]);
            continue;
        }
        let found = super::requests::search_for(state, conn, r, PER_REQUEST, radius_km, |x| {
            let strength = (band_of(x.distance_m), x.tier);
            (x.tier != Tier::Slow && bar.is_none_or(|b| strength < b)).then(|| {
                (
                    x.offer.id.clone(),
                    x.distance_m,
                    x.offer.remaining(now),
                    Area::at(&x.offer.cell.id, x.offer.cell.lat, x.offer.cell.lon),
                )
            })
        })?;
        let mut e = Vec::with_capacity(found.len());
        for (id, d, remaining, area) in found.into_iter().flatten() {
            let i = *offer_index.entry(id.clone()).or_insert_with(|| {
                offers.push((id, area));
                capacities.push(remaining);
                offers.len() - 1
            });
            e.push((i, d));
        }
        e.sort_by(|a, b| a.1.total_cmp(&b.1));
        edges.push(e);
    }
    let inst = Instance {
        sizes: waiting.iter().map(|r| r.party_size).collect(),
        capacities,
        edges,
    };
    let solved = assignment::solve(&inst, exact_limit);
    let chosen = &solved.assignment;
    let (s, g) = (inst.score(chosen), inst.score(&assignment::greedy(&inst)));
    let pairs = chosen
        .iter()
        .enumerate()
        .filter_map(|(p, o)| {
            let o = (*o)?;
            let d = inst.edges[p]
                .iter()
                .find(|(x, _)| *x == o)
                .map(|(_, d)| *d)?;
            let r = &waiting[p];
            Some(PairView {
                request_id: r.id.clone(),
                offer_id: offers[o].0.clone(),
                party_size: r.party_size,
                name: r.name.clone(),
                distance: band_for(d),
                request_area: Area::of_request(r),
                offer_area: offers[o].1.clone(),
                replaces: replaces[p].clone(),
            })
        })
        .collect();
    Ok(SuggestionView {
        pairs,
        suggested: Totals {
            people: s.people,
            distance_km: (s.distance_m / 100.0).round() / 10.0,
        },
        greedy: Totals {
            people: g.people,
            distance_km: (g.distance_m / 100.0).round() / 10.0,
        },
        waiting_people: inst.sizes.iter().sum(),
        certificate: Certificate {
            sheltered: s.people,
            at_most: solved.at_most,
            proven_optimal: solved.people_optimal,
            method: if solved.exact {
                SolveMethod::Exact
            } else {
                SolveMethod::Heuristic
            },
        },
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SentView {
    pub request_id: String,
    pub offer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub match_id: Option<MatchId>,
    /// why this one was not proposed (the situation changed since)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// Reads `{"pairs": [{"request_id","offer_id"}, …]}` (at most 2,000).
pub fn parse_pairs(body: Value) -> AppResult<Vec<(String, String)>> {
    let mut f = Fields::new(body, &["pairs"])?;
    let raw = f.take_array("pairs", MAX_REQUESTS as usize);
    f.finish()?;
    let mut out = Vec::new();
    for (i, item) in raw.unwrap_or_default().into_iter().enumerate() {
        let mut p = Fields::new(item, &["request_id", "offer_id"])
            .map_err(|_| AppError::invalid("pairs", format!("item {i} must be an object")))?;
        let (r, o) = (p.str_req("request_id"), p.str_req("offer_id"));
        p.finish().map_err(|_| {
            AppError::invalid("pairs", format!("item {i} needs request_id and offer_id"))
        })?;
        out.push((r.unwrap_or_default(), o.unwrap_or_default()));
    }
    Ok(out)
}

/// Sends the reviewed pairs as proposals (both sides must still accept);
/// a pair that no longer fits is reported, not fatal.
pub fn send(
    state: &AppState,
    conn: &mut DbConn,
    coord: &Account,
    pairs: Vec<(String, String)>,
) -> AppResult<Vec<SentView>> {
    let mut out = Vec::with_capacity(pairs.len());
    for (r, o) in pairs {
        let result = match (RequestId::parse(&r), OfferId::parse(&o)) {
            (Some(rid), Some(oid)) => make_room(state, conn, &rid, &oid).and_then(|()| {
                super::matches::propose(state, conn, &rid, &oid, Side::Coordinator, &coord.id)
            }),
            // an ID that cannot exist is not found, like any other unknown ID
            _ => Err(AppError::NotFound),
        };
        let (match_id, refused) = match result {
            Ok(m) => (Some(m.id), None),
            Err(AppError::Conflict { code, .. }) => (None, Some(code.to_owned())),
            Err(AppError::NotFound) => (None, Some("not_found".to_owned())),
            Err(e) => return Err(e),
        };
        out.push(SentView {
            request_id: r,
            offer_id: o,
            match_id,
            refused,
        });
    }
    Ok(out)
}

/// For a guest who holds the most asks and allowed the platform to ask for
/// them: withdraws their weakest pending ask if `offer_id` is better. A
/// guest who did not allow it keeps their asks (the proposal is then
/// refused as one too many).
fn make_room(
    state: &AppState,
    conn: &mut DbConn,
    request_id: &RequestId,
    offer_id: &OfferId,
) -> AppResult<()> {
    let Some(r) = db::requests::get(conn, request_id)? else {
        return Ok(());
    };
    let asks = asks_of(state, conn, &r)?;
    let Some((weakest, bar)) = asks.weakest else {
        return Ok(());
    };
    let now = state.now();
    let better = state.index.get(offer_id).is_some_and(|o| {
        let d = metres_between(r.lat, r.lon, o.cell.lat, o.cell.lon);
        (band_of(d), o.host.tier(now)) < bar
    });
    if better {
        super::matches::withdraw(state, conn, &weakest)?;
    }
    Ok(())
}

/// Automatic global matching, run by the sweeper: where `AUTO_MATCH` is on
/// (or the request's incident asks for it), suggestions for guests who
/// allowed the platform to ask for them are sent at once, on their behalf,
/// to guests with an ask to spare by the platform's own rules (`AUTO_ASKS`,
/// none while a host's yes awaits theirs); it never withdraws an ask, and
/// passes young large doors by for small parties, and doors a much nearer
/// younger party could have, as those asks do (the families its own
/// assignment weighed excepted). A party whose pair is
/// passed by gets its other doors from `keep_asking`, which the sweeper
/// runs next.
pub fn run_auto(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    let everywhere = state.config.auto_match;
    let incidents: Vec<IncidentId> = db::incidents::open(conn)?
        .into_iter()
        .filter(|i| i.auto_match)
        .map(|i| i.id)
        .collect();
    if !everywhere && incidents.is_empty() {
        return Ok(0);
    }
    let now = state.now();
    let want = usize::try_from(state.config.auto_asks)
        .unwrap_or(1)
        .min(super::matches::MAX_LIVE_PROPOSALS);
    let mut waiting = Vec::new();
    for r in db::requests::by_status_oldest(conn, RequestStatus::Waiting, MAX_REQUESTS)? {
        if !r.auto_ask {
            continue;
        }
        // the platform's own limit (`AUTO_ASKS`), and nothing more while a
        // host's yes awaits the guest's, as for its other asks
        let mine = db::matches::for_request(conn, &r.id)?;
        if super::auto_ask::to_spare(&super::auto_ask::live_asks(&mine, now), want) == 0 {
            continue;
        }
        if everywhere
            || db::incidents::request_incident(conn, &r.id)?.is_some_and(|i| incidents.contains(&i))
        {
            waiting.push(r);
        }
    }
    if waiting.is_empty() {
        return Ok(0);
    }
    let radius = super::requests::DEFAULT_RADIUS_KM;
    // the heuristic alone: the sweeper runs every few seconds on the
    // server's cores, and the simulator's nights must replay the same.
    // No replacing here: withdrawing an ask its host may be about to
    // accept cost persons and time on the simulator (docs/BENCHMARKS.md,
    // "Coordinators' matching with the final build")
    let rows: HashMap<RequestId, RequestRow> =
        waiting.iter().map(|r| (r.id.clone(), r.clone())).collect();
    let view = suggest_for(state, conn, waiting, radius, Duration::ZERO, false)?;
    if view.pairs.is_empty() {
        return Ok(0);
    }
    let paired = view.pairs.iter().filter_map(|p| rows.get(&p.request_id));
    let nearer = Waiters::younger_than_fresh(state, conn, want, paired.map(|r| r.created_at))?;
    let reserve = i64::from(state.config.reserve_large_minutes) * 60_000;
    let mut sent = 0;
    for p in view.pairs {
        if reserve > 0 && kept_for_families(state, conn, &p, reserve, want, &rows)? {
            continue;
        }
        if left_to_nearer(state, conn, &nearer, &rows, &p)? {
            continue;
        }
        // never withdraws: a guest whose asks filled up meanwhile is refused
        // as one too many, like any other pair that no longer fits
        match super::matches::propose_on_behalf(state, conn, &p.request_id, &p.offer_id) {
            Ok(_) => sent += 1,
            Err(AppError::Conflict { .. } | AppError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(sent)
}

/// The platform's own asks leave a door to a much nearer younger party
/// for a party's first minutes (`service::nearer`); so does its matching.
fn left_to_nearer(
    state: &AppState,
    conn: &mut DbConn,
    nearer: &Waiters,
    rows: &HashMap<RequestId, RequestRow>,
    p: &PairView,
) -> AppResult<bool> {
    let (Some(r), Some(offer)) = (rows.get(&p.request_id), state.index.get(&p.offer_id)) else {
        return Ok(false);
    };
    let door = FoundDoor::with_free(&offer, offer.remaining(state.now()));
    let d = metres_between(r.lat, r.lon, offer.cell.lat, offer.cell.lon);
    nearer.nearer_younger(state, conn, r, &p.offer_id, &door, d)
}

/// The platform's own asks pass a young large door by for a small party
/// while a family could have it (`service::reserve`); so does its matching,
/// for the families its assignment did not weigh (asking by hand, or in
/// no incident it runs for): it gave the others the doors it chose, placing as
/// many persons as it could. Counting them again kept doors from small
/// parties for families already paired elsewhere; on the simulator the
/// matching then placed parties of 3–4 12 to 17 points more often than
/// parties of 1–2 against supply, 7 to 12 without (docs/BENCHMARKS.md).
fn kept_for_families(
    state: &AppState,
    conn: &mut DbConn,
    p: &PairView,
    reserve: i64,
    want: usize,
    weighed: &HashMap<RequestId, RequestRow>,
) -> AppResult<bool> {
    let Some(offer) = state.index.get(&p.offer_id) else {
        return Ok(false);
    };
    let free = offer.remaining(state.now());
    if !is_large_door(p.party_size, free) {
        return Ok(false);
    }
    let door = FoundDoor::with_free(&offer, free);
    super::reserve::kept(state, conn, &p.offer_id, &door, reserve, want, |id| {
        weighed.contains_key(id)
    })
}
