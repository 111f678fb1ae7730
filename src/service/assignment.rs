//! "Suggest assignments": every waiting request against every open offer
//! at once (`domain::assignment`), for a coordinator to review and send as
//! proposals in one action.

use super::Account;
use super::views::Area;
use crate::db::{self, DbConn};
use crate::domain::assignment::{self, Instance};
use crate::domain::distance::band_for;
use crate::domain::input::Fields;
use crate::domain::matching::Side;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Candidates considered per request (nearest first).
const PER_REQUEST: usize = 30;
/// Waiting requests considered at once (longest wait first).
const MAX_REQUESTS: i64 = 2000;

#[derive(Debug, Serialize)]
pub struct PairView {
    pub request_id: String,
    pub offer_id: String,
    pub party_size: i32,
    pub name: String,
    pub distance: crate::domain::distance::Band,
    pub request_area: Area,
    pub offer_area: Area,
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub people: i32,
    pub distance_km: f64,
}

#[derive(Debug, Serialize)]
pub struct SuggestionView {
    pub pairs: Vec<PairView>,
    pub suggested: Totals,
    /// what nearest-first proposals in waiting order would achieve
    pub greedy: Totals,
    pub waiting_people: i32,
}

pub fn suggest(state: &AppState, conn: &mut DbConn, radius_km: f64) -> AppResult<SuggestionView> {
    let now = state.now();
    let waiting = db::requests::by_status_oldest(conn, "waiting", MAX_REQUESTS)?;
    let mut offer_index: HashMap<String, usize> = HashMap::new();
    let mut offers: Vec<(String, Area)> = Vec::new();
    let mut capacities: Vec<i32> = Vec::new();
    let mut edges = Vec::with_capacity(waiting.len());
    for r in &waiting {
        let found = super::requests::search_for(state, conn, r, PER_REQUEST, radius_km, |x| {
            (
                x.offer.id.to_string(),
                x.distance_m,
                x.offer.remaining(now),
                Area::at(&x.offer.cell.id, x.offer.cell.lat, x.offer.cell.lon),
            )
        })?;
        let mut e = Vec::with_capacity(found.len());
        for (id, d, remaining, area) in found {
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
    let chosen = assignment::suggest(&inst);
    let (s, g) = (inst.score(&chosen), inst.score(&assignment::greedy(&inst)));
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
    })
}

#[derive(Debug, Serialize)]
pub struct SentView {
    pub request_id: String,
    pub offer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_id: Option<String>,
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
        let result =
            super::matches::propose(state, conn, &r, &o, Side::Coordinator, coord.id.as_str());
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
