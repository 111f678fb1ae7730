//! The in-memory candidate index: every searchable offer, grouped by
//! published cell, with one R-tree point per cell (on the unit sphere, so
//! chord order is great-circle order). A search walks cells nearest-first and
//! stops as soon as the best `limit` are known.
//!
//! Inside a cell every offer is at the same distance, so the order before the
//! tie-break is the offer's [`Rung`]: each cell keeps its offers in rung
//! order, and a search stops reading a cell at the first rung that can no
//! longer enter. Offers of one rung are kept in tie-break key order, and a
//! request's tie-break is a rotation of that order ([`TieKey`]): a search
//! reads a rung from where its rotation starts and stops at the first offer
//! that can no longer enter, so in a dense Paris cell (a few thousand
//! offers) it reads about as many offers as it returns. Offers whose rung
//! may still change on its own (a live hold that will run out, a host seen
//! lately) come first in their cell and are read by every search.
//!
//! Each offer is kept in a compact form ([`Slot`]: inline IDs, the cell and
//! the language set shared, the host's record only when it says something);
//! the public [`OfferSnapshot`] is rebuilt for the few offers a search
//! returns. The exact point, address and contacts are never here.
//!
//! The database stays the authority on places: a proposal re-checks them in
//! its transaction. The index follows the database: each write refreshes the
//! offers it touched after commit, and a background sync reads offers changed
//! by other instances (`offers.updated_at`).

mod cell_of;
mod load;
mod slot;
#[cfg(test)]
mod tests;

pub use load::Loading;

use crate::db::models::{MatchRow, OfferRow};
use crate::domain::Millis;
use crate::domain::distance::{metres_from_chord2, unit_vector};
use crate::domain::ids::OfferId;
use crate::domain::matching::Status;
use crate::domain::privacy::PublicCell;
use crate::domain::ranking::{
    Best, Facts, Hold, OfferSnapshot, Query, Ranked, Rung, TieKey, score,
};
use crate::domain::responsiveness::HostRecord;
use crate::domain::states::OfferStatus;
use crate::domain::values::{Accommodates, Languages};
use cell_of::CellOf;
use rstar::{AABB, PointDistance, RTree, RTreeObject};
use slot::Slot;
use std::collections::HashMap;
use std::sync::RwLock;

#[derive(Debug, Clone, PartialEq)]
struct CellPoint {
    point: [f64; 3],
    /// where the cell is in `Inner::store`
    at: u32,
}

impl RTreeObject for CellPoint {
    type Envelope = AABB<[f64; 3]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.point)
    }
}

impl PointDistance for CellPoint {
    fn distance_2(&self, p: &[f64; 3]) -> f64 {
        (0..3).map(|i| (self.point[i] - p[i]).powi(2)).sum()
    }
}

/// A published cell and its offers: first those whose rung may change, then
/// the others by rung, and offers of one rung by tie-break key
/// ([`TieKey`]), so that a search reads a rung's offers from where its own
/// rotation starts.
struct Cell {
    id: Box<str>,
    lat: f64,
    lon: f64,
    slots: Vec<Slot>,
}

impl Cell {
    fn public(&self) -> PublicCell {
        PublicCell {
            id: self.id.to_string(),
            lat: self.lat,
            lon: self.lon,
        }
    }

    fn insert(&mut self, slot: Slot) {
        let key = slot.order();
        let at = self.slots.partition_point(|s| s.order() <= key);
        self.slots.insert(at, slot);
    }
}

struct Inner {
    tree: RTree<CellPoint>,
    /// published cell ID → where the cell is in `store`
    cells: HashMap<Box<str>, u32>,
    store: Vec<Option<Cell>>,
    free: Vec<u32>,
    cell_of: CellOf,
    /// every distinct language set, stored once
    langs: Vec<Languages>,
    lang_ids: HashMap<String, u32>,
    /// the earliest time a rung was settled at: a query before it reads
    /// whole cells
    settled_since: Millis,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            tree: RTree::new(),
            cells: HashMap::new(),
            store: Vec::new(),
            free: Vec::new(),
            cell_of: CellOf::default(),
            langs: Vec::new(),
            lang_ids: HashMap::new(),
            settled_since: Millis::MAX,
        }
    }
}

#[derive(Default)]
pub struct OfferIndex {
    inner: RwLock<Inner>,
}

/// The public snapshot of an offer row with its live holds. The exact point,
/// address and contacts are left behind here.
pub fn snapshot(row: &OfferRow, holds: &[MatchRow]) -> OfferSnapshot {
    OfferSnapshot {
        id: row.id.clone(),
        host_id: row.host_id.clone(),
        open: row.status == OfferStatus::Open && !row.hidden && !row.host_suspended,
        capacity: row.capacity,
        accepted: row.accepted_places,
        holds: holds
            .iter()
            .filter(|m| m.offer_id == row.id && m.status == Status::Proposed)
            .map(|m| Hold {
                match_id: m.id.clone(),
                places: m.party_size,
                expires_at: m.expires_at,
            })
            .collect(),
        cell: PublicCell {
            id: row.cell.clone(),
            lat: row.cell_lat,
            lon: row.cell_lon,
        },
        available_from: row.available_from,
        available_until: row.available_until,
        accommodates: Accommodates {
            accessible: row.accessible,
            pets_ok: row.pets_ok,
            children_ok: row.children_ok,
            women_only: row.women_only,
        },
        languages: Languages::from_db(&row.languages),
        host_verified: row.host_verified,
        host: host_record(row),
    }
}

/// How the offer's host answers, as the matcher weighs it.
pub fn host_record(row: &OfferRow) -> HostRecord {
    HostRecord {
        seen_at: row.host_seen_at,
        accepted: row.answers_accepted,
        declined: row.answers_declined,
        expired: row.holds_expired,
        declines_in_row: row.declines_in_row,
        answer_ms_avg: row.answer_ms_avg,
    }
}

pub fn holds_by_offer(holds: &[MatchRow]) -> HashMap<&str, Vec<MatchRow>> {
    let mut by_offer: HashMap<&str, Vec<MatchRow>> = HashMap::new();
    for h in holds {
        by_offer
            .entry(h.offer_id.as_str())
            .or_default()
            .push(h.clone());
    }
    by_offer
}

fn searchable(s: &OfferSnapshot, now: i64) -> bool {
    s.open && s.available_until > now
}

impl OfferIndex {
    pub fn new() -> Self {
        Self::default()
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        // each update leaves the maps consistent, so a panic elsewhere while
        // the lock was held is no reason to stop serving
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces some offers (after a write, or a sync); closed or ended
    /// offers leave the index. `version` is the row's `updated_at`: an older
    /// read never overwrites a newer one.
    pub fn apply(&self, rows: &[OfferRow], holds: &[MatchRow], now: i64) {
        let by_offer = holds_by_offer(holds);
        // a sync re-reads recent rows several times: skip those already
        // applied (same version, same holds) without taking the write lock
        let changed: Vec<(OfferSnapshot, i64)> = {
            let inner = self.read();
            rows.iter()
                .filter_map(|row| {
                    let hs = by_offer
                        .get(row.id.as_str())
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    let snap = snapshot(row, hs);
                    let keep = match inner.slot(snap.id.as_str()) {
                        None => searchable(&snap, now),
                        Some((cell, old)) => {
                            old.version < row.updated_at
                                || (old.version == row.updated_at
                                    && inner.snapshot(cell, old) != snap)
                        }
                    };
                    keep.then_some((snap, row.updated_at))
                })
                .collect()
        };
        if changed.is_empty() {
            return;
        }
        let mut inner = self.write();
        for (snap, version) in changed {
            inner.upsert(&snap, version, now);
        }
    }

    pub fn remove(&self, id: &OfferId) {
        self.write().remove(id.as_str());
    }

    /// The best candidates for a query, each turned into `T` while the index
    /// is read-locked.
    pub fn search<T>(&self, q: &Query<'_>, view: impl Fn(&Ranked<'_>) -> T) -> Vec<T> {
        self.search_excluding(q, |_, _| false, view)
    }

    /// As [`OfferIndex::search`], leaving out the offers for which
    /// `skip(offer ID, host ID)` is true before ranking.
    pub fn search_excluding<T>(
        &self,
        q: &Query<'_>,
        skip: impl Fn(&str, &str) -> bool,
        view: impl Fn(&Ranked<'_>) -> T,
    ) -> Vec<T> {
        let guard = self.read();
        let inner: &Inner = &guard;
        let p = unit_vector(q.lat, q.lon);
        let tie = TieKey::new(q.request_id);
        // a query from before some rung was settled cannot trust the order
        let whole_cells = q.now < inner.settled_since;
        let shared_at_most = q.languages.len();
        let scored = |slot: &Slot, d: f64| {
            (!skip(slot.id.as_str(), slot.host_id.as_str()))
                .then(|| score(&inner.facts(slot), d, q, tie))
                .flatten()
        };
        let mut best: Best<(&Cell, &Slot)> = Best::new(q);
        for (point, d2) in inner.tree.nearest_neighbor_iter_with_distance_2(&p) {
            let d = metres_from_chord2(d2);
            if d > q.radius_m || best.closed_at(d) {
                break;
            }
            let Some(cell) = inner.store.get(point.at as usize).and_then(Option::as_ref) else {
                continue;
            };
            if whole_cells {
                for slot in &cell.slots {
                    if let Some(s) = scored(slot, d) {
                        best.offer(s, (cell, slot));
                    }
                }
                continue;
            }
            let mut i = 0;
            while let Some(slot) = cell.slots.get(i) {
                let Some(rung) = slot.rung else {
                    if let Some(s) = scored(slot, d) {
                        best.offer(s, (cell, slot));
                    }
                    i += 1;
                    continue;
                };
                if best.closed_from(rung, d) {
                    break;
                }
                // the offers of this rung, in key order: read from where
                // this request's rotation starts, until one can no longer
                // enter (every later one in the rotation ties after it)
                let group = &cell.slots[i..];
                let group = &group[..group.partition_point(|s| s.rung == Some(rung))];
                i += group.len();
                if !rung.fits(q.party_size) {
                    continue;
                }
                let start = group.partition_point(|s| s.key() < tie.start());
                for slot in group[start..].iter().chain(&group[..start]) {
                    if best.closed_at_tie(rung, d, shared_at_most, tie.of_key(slot.key())) {
                        break;
                    }
                    if let Some(s) = scored(slot, d) {
                        best.offer(s, (cell, slot));
                    }
                }
            }
        }
        let chosen = best.into_vec();
        let snaps: Vec<OfferSnapshot> = chosen
            .iter()
            .map(|(_, (cell, slot))| inner.snapshot(cell, slot))
            .collect();
        chosen
            .iter()
            .zip(&snaps)
            .map(|((s, _), snap)| view(&Ranked::new(snap, *s)))
            .collect()
    }

    pub fn get(&self, id: &OfferId) -> Option<OfferSnapshot> {
        let inner = self.read();
        inner
            .slot(id.as_str())
            .map(|(cell, slot)| inner.snapshot(cell, slot))
    }

    pub fn len(&self) -> usize {
        self.read().cell_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Open offers with free places now, by published cell: (cell centre
    /// lat, lon, offers, places free).
    pub fn supply_by_cell(&self, now: i64) -> Vec<(f64, f64, i64, i64)> {
        let inner = self.read();
        inner
            .store
            .iter()
            .flatten()
            .filter_map(|cell| {
                let (n, places) = cell
                    .slots
                    .iter()
                    .map(|s| inner.facts(s))
                    .filter(|f| f.available_at(now))
                    .fold((0, 0), |(n, p), f| (n + 1, p + i64::from(f.remaining(now))));
                (n > 0).then_some((cell.lat, cell.lon, n, places))
            })
            .collect()
    }

    /// (offers open now, places free now) over the indexed offers.
    pub fn totals(&self, now: i64) -> (i64, i64) {
        let inner = self.read();
        inner
            .store
            .iter()
            .flatten()
            .flat_map(|c| &c.slots)
            .map(|s| inner.facts(s))
            .filter(|f| f.available_at(now))
            .fold((0, 0), |(n, p), f| (n + 1, p + i64::from(f.remaining(now))))
    }
}

impl Inner {
    fn slot(&self, id: &str) -> Option<(&Cell, &Slot)> {
        let at = self.cell_of.get(id)?;
        let cell = self.store.get(at as usize)?.as_ref()?;
        cell.slots
            .iter()
            .find(|s| s.id.as_str() == id)
            .map(|s| (cell, s))
    }

    fn facts<'a>(&'a self, s: &'a Slot) -> Facts<'a> {
        s.facts(&self.langs[s.langs as usize])
    }

    fn snapshot(&self, cell: &Cell, s: &Slot) -> OfferSnapshot {
        s.snapshot(cell.public(), &self.langs[s.langs as usize])
    }

    fn lang_set(&mut self, langs: &Languages) -> u32 {
        let key = langs.to_db();
        if let Some(&i) = self.lang_ids.get(&key) {
            return i;
        }
        let i = self.langs.len() as u32;
        self.langs.push(langs.clone());
        self.lang_ids.insert(key, i);
        i
    }

    /// The compact form of a snapshot, its rung settled at `now`.
    fn compact(&mut self, snap: &OfferSnapshot, version: i64, now: Millis) -> Slot {
        let rung = Rung::settled(&snap.facts(), now);
        if rung.is_some() {
            self.settled_since = self.settled_since.min(now);
        }
        let langs = self.lang_set(&snap.languages);
        Slot::new(snap, version, langs, rung)
    }

    /// Where the cell is in `store`, made if new (and put in the tree when
    /// `in_tree`; a bulk load builds the tree at the end).
    fn cell_for(&mut self, cell: &PublicCell, in_tree: bool) -> u32 {
        if let Some(&at) = self.cells.get(cell.id.as_str()) {
            return at;
        }
        let fresh = Cell {
            id: cell.id.as_str().into(),
            lat: cell.lat,
            lon: cell.lon,
            slots: Vec::new(),
        };
        let at = match self.free.pop() {
            Some(at) => {
                self.store[at as usize] = Some(fresh);
                at
            }
            None => {
                self.store.push(Some(fresh));
                (self.store.len() - 1) as u32
            }
        };
        self.cells.insert(cell.id.as_str().into(), at);
        if in_tree {
            self.tree.insert(CellPoint {
                point: unit_vector(cell.lat, cell.lon),
                at,
            });
        }
        at
    }

    fn remove(&mut self, id: &str) {
        let Some(at) = self.cell_of.get(id) else {
            return;
        };
        let Some(cell) = self.store.get_mut(at as usize).and_then(Option::as_mut) else {
            return;
        };
        // not there: the key found was another offer's, and `id` is not indexed
        if let Some(pos) = cell.slots.iter().position(|s| s.id.as_str() == id) {
            self.cell_of.remove(id);
            cell.slots.remove(pos);
            if cell.slots.is_empty() {
                let point = CellPoint {
                    point: unit_vector(cell.lat, cell.lon),
                    at,
                };
                self.cells.remove(&cell.id);
                self.store[at as usize] = None;
                self.free.push(at);
                self.tree.remove(&point);
            }
        }
    }

    fn upsert(&mut self, snap: &OfferSnapshot, version: i64, now: i64) {
        if self
            .slot(snap.id.as_str())
            .is_some_and(|(_, old)| old.version > version)
        {
            return;
        }
        self.remove(snap.id.as_str());
        if !searchable(snap, now) {
            return;
        }
        let at = self.cell_for(&snap.cell, true);
        let slot = self.compact(snap, version, now);
        self.cell_of.insert(slot.id.as_str(), at);
        if let Some(c) = self.store[at as usize].as_mut() {
            c.insert(slot);
        }
    }
}
