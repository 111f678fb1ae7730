//! The in-memory candidate index: every searchable offer's public snapshot,
//! grouped by published cell, with one R-tree point per cell (on the unit
//! sphere, so chord order is great-circle order). A search walks cells
//! nearest-first and stops as soon as the best `limit` are known.
//!
//! The database stays the authority on places: a proposal re-checks them in
//! its transaction. The index follows the database: each write refreshes the
//! offers it touched after commit, and a background sync reads offers changed
//! by other instances (`offers.updated_at`).

use crate::db::models::{MatchRow, OfferRow};
use crate::domain::distance::{metres_from_chord2, unit_vector};
use crate::domain::ids::{AccountId, MatchId, OfferId};
use crate::domain::matching::Status;
use crate::domain::privacy::PublicCell;
use crate::domain::ranking::{Hold, OfferSnapshot, Query, Ranked, best_nearest_first};
use crate::domain::responsiveness::HostRecord;
use crate::domain::states::OfferStatus;
use crate::domain::values::{Accommodates, Languages};
use rstar::{AABB, PointDistance, RTree, RTreeObject};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

#[derive(Debug, Clone, PartialEq)]
struct CellPoint {
    point: [f64; 3],
    cell: Arc<str>,
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

struct Slot {
    snapshot: OfferSnapshot,
    version: i64,
}

#[derive(Default)]
struct Inner {
    tree: RTree<CellPoint>,
    /// the offers of each published cell, stored together so that a search
    /// reads them contiguously
    cells: HashMap<Arc<str>, Vec<Slot>>,
    cell_of: HashMap<OfferId, Arc<str>>,
}

#[derive(Default)]
pub struct OfferIndex {
    inner: RwLock<Inner>,
}

/// The public snapshot of an offer row with its live holds. The exact point,
/// address and contacts are left behind here.
pub fn snapshot(row: &OfferRow, holds: &[MatchRow]) -> OfferSnapshot {
    OfferSnapshot {
        id: OfferId::from_db(row.id.clone()),
        host_id: AccountId::from_db(row.host_id.clone()),
        open: row.status == OfferStatus::Open && !row.hidden && !row.host_suspended,
        capacity: row.capacity,
        accepted: row.accepted_places,
        holds: holds
            .iter()
            .filter(|m| m.offer_id == row.id && m.status == Status::Proposed)
            .map(|m| Hold {
                match_id: MatchId::from_db(m.id.clone()),
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
                    let keep = match inner.slot(&snap.id) {
                        None => searchable(&snap, now),
                        Some(old) => {
                            old.version < row.updated_at
                                || (old.version == row.updated_at && old.snapshot != snap)
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
            inner.upsert(snap, version, now);
        }
    }

    /// Loads everything from empty (see [`OfferIndex::load_snapshots`]).
    pub fn load(&self, rows: &[OfferRow], holds: &[MatchRow], now: i64) {
        let by_offer = holds_by_offer(holds);
        let snaps = rows.iter().map(|row| {
            let hs = by_offer
                .get(row.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            (snapshot(row, hs), row.updated_at)
        });
        self.load_snapshots(snaps, now);
    }

    /// Replaces the whole index, building the tree in one pass (much faster
    /// than a million single inserts).
    pub fn load_snapshots(&self, snaps: impl IntoIterator<Item = (OfferSnapshot, i64)>, now: i64) {
        let mut fresh = Inner::default();
        let mut points = Vec::new();
        for (snap, version) in snaps {
            if !searchable(&snap, now) {
                continue;
            }
            let key: Arc<str> = Arc::from(snap.cell.id.as_str());
            let bucket = fresh.cells.entry(key.clone()).or_default();
            if bucket.is_empty() {
                points.push(CellPoint {
                    point: unit_vector(snap.cell.lat, snap.cell.lon),
                    cell: key.clone(),
                });
            }
            fresh.cell_of.insert(snap.id.clone(), key);
            bucket.push(Slot {
                snapshot: snap,
                version,
            });
        }
        fresh.tree = RTree::bulk_load(points);
        *self.write() = fresh;
    }

    pub fn remove(&self, id: &OfferId) {
        self.write().remove(id);
    }

    /// The best candidates for a query, each turned into `T` while the index
    /// is read-locked (no snapshot is copied).
    pub fn search<T>(&self, q: &Query<'_>, view: impl Fn(&Ranked<'_>) -> T) -> Vec<T> {
        let guard = self.read();
        let inner: &Inner = &guard;
        let p = unit_vector(q.lat, q.lon);
        let nearest = inner
            .tree
            .nearest_neighbor_iter_with_distance_2(&p)
            .flat_map(|(cell, d2)| {
                let d = metres_from_chord2(d2);
                let slots = inner
                    .cells
                    .get(&cell.cell)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                slots.iter().map(move |s| (d, &s.snapshot))
            });
        best_nearest_first(nearest, q).iter().map(view).collect()
    }

    pub fn get(&self, id: &OfferId) -> Option<OfferSnapshot> {
        self.read().slot(id).map(|s| s.snapshot.clone())
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
        self.read()
            .cells
            .values()
            .filter_map(|slots| {
                let open: Vec<_> = slots
                    .iter()
                    .filter(|s| s.snapshot.available_at(now))
                    .collect();
                let first = open.first()?;
                let places: i64 = open
                    .iter()
                    .map(|s| i64::from(s.snapshot.remaining(now)))
                    .sum();
                Some((
                    first.snapshot.cell.lat,
                    first.snapshot.cell.lon,
                    open.len() as i64,
                    places,
                ))
            })
            .collect()
    }

    /// (offers open now, places free now) over the indexed offers.
    pub fn totals(&self, now: i64) -> (i64, i64) {
        self.read()
            .cells
            .values()
            .flatten()
            .filter(|s| s.snapshot.available_at(now))
            .fold((0, 0), |(n, p), s| {
                (n + 1, p + i64::from(s.snapshot.remaining(now)))
            })
    }
}

impl Inner {
    fn slot(&self, id: &OfferId) -> Option<&Slot> {
        let cell = self.cell_of.get(id)?;
        self.cells.get(cell)?.iter().find(|s| &s.snapshot.id == id)
    }

    fn remove(&mut self, id: &OfferId) {
        let Some(key) = self.cell_of.remove(id) else {
            return;
        };
        let Some(bucket) = self.cells.get_mut(&key) else {
            return;
        };
        if let Some(pos) = bucket.iter().position(|s| &s.snapshot.id == id) {
            let old = bucket.swap_remove(pos);
            if bucket.is_empty() {
                self.cells.remove(&key);
                let cell = old.snapshot.cell;
                self.tree.remove(&CellPoint {
                    point: unit_vector(cell.lat, cell.lon),
                    cell: key,
                });
            }
        }
    }

    fn upsert(&mut self, snap: OfferSnapshot, version: i64, now: i64) {
        if self.slot(&snap.id).is_some_and(|old| old.version > version) {
            return;
        }
        let id = snap.id.clone();
        self.remove(&id);
        if !searchable(&snap, now) {
            return;
        }
        let key: Arc<str> = match self.cells.get_key_value(snap.cell.id.as_str()) {
            Some((k, _)) => k.clone(),
            None => {
                let k: Arc<str> = Arc::from(snap.cell.id.as_str());
                self.tree.insert(CellPoint {
                    point: unit_vector(snap.cell.lat, snap.cell.lon),
                    cell: k.clone(),
                });
                k
            }
        };
        self.cell_of.insert(id, key.clone());
        self.cells.entry(key).or_default().push(Slot {
            snapshot: snap,
            version,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ranking::best_by_scan;
    use crate::domain::values::Needs;

    fn row(i: usize, lat: f64, lon: f64, cell: &str) -> OfferRow {
        OfferRow {
            id: format!("off_{i}"),
            host_id: "acc".into(),
            status: OfferStatus::Open,
            capacity: 1 + (i % 4) as i32,
            accepted_places: 0,
            lat,
            lon,
            address: String::new(),
            cell: cell.into(),
            cell_lat: lat,
            cell_lon: lon,
            available_from: 0,
            available_until: 10_000,
            contact_phone: None,
            contact_email: None,
            notes: None,
            accessible: false,
            pets_ok: false,
            children_ok: false,
            women_only: false,
            languages: String::new(),
            created_at: 0,
            updated_at: 1,
            host_verified: false,
            host_suspended: false,
            hidden: false,
            host_seen_at: None,
            answers_accepted: 0,
            answers_declined: 0,
            holds_expired: 0,
            declines_in_row: 0,
            answer_ms_avg: None,
            paused_at: None,
            paused_reason: None,
        }
    }

    fn q(langs: &Languages) -> Query<'_> {
        Query {
            rules: crate::domain::safeguarding::Rules::default(),
            request_id: "r",
            lat: 48.85,
            lon: 2.35,
            party_size: 1,
            needs: Needs::default(),
            languages: langs,
            radius_m: 50_000.0,
            limit: 5,
            now: 5,
        }
    }

    #[test]
    fn upserts_moves_and_removals_keep_cells_consistent() {
        let idx = OfferIndex::new();
        let rows: Vec<OfferRow> = (0..30)
            .map(|i| {
                row(
                    i,
                    48.85 + (i % 5) as f64 * 0.01,
                    2.35,
                    &format!("c{}", i % 5),
                )
            })
            .collect();
        idx.load(&rows, &[], 5);
        let langs = Languages::default();
        let ids = |v: Vec<String>| v;
        let snaps: Vec<OfferSnapshot> = rows.iter().map(|r| snapshot(r, &[])).collect();
        let expect = best_by_scan(snaps.iter(), &q(&langs))
            .iter()
            .map(|r| r.offer.id.to_string())
            .collect::<Vec<_>>();
        assert_eq!(
            ids(idx.search(&q(&langs), |r| r.offer.id.to_string())),
            expect
        );

        // move offer 0 to another cell, close offer 1, reopen later with an old version
        let mut moved = rows[0].clone();
        moved.cell = "far".into();
        moved.cell_lat = 49.5;
        moved.updated_at = 2;
        let mut closed = rows[1].clone();
        closed.status = OfferStatus::Closed;
        closed.updated_at = 2;
        idx.apply(&[moved, closed], &[], 5);
        assert_eq!(idx.len(), 29);
        idx.apply(&[rows[1].clone()], &[], 5); // stale read (version 1) of a removed offer
        let found = idx.search(&q(&langs), |r| r.offer.id.to_string());
        assert!(!found.contains(&"off_0".to_string()));
        for r in &rows[2..] {
            idx.remove(&OfferId::from_db(r.id.clone()));
        }
        idx.remove(&OfferId::from_db("off_1".into()));
        idx.remove(&OfferId::from_db("off_0".into()));
        assert!(idx.is_empty());
        assert_eq!(idx.read().tree.size(), 0, "empty cells leave the tree");
        assert!(idx.read().cells.is_empty());
    }
}
