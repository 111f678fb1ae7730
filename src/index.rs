//! The in-memory candidate index: every searchable offer's public snapshot in
//! an R-tree over unit-sphere points of published cell centres, searched
//! nearest-first and stopped as soon as the best `limit` are known.
//!
//! The database stays the authority on places: a proposal re-checks them in
//! its transaction. The index follows the database: each write refreshes the
//! offers it touched after commit, and a background sync reads offers changed
//! by other instances (`offers.updated_at`).

use crate::db::models::{MatchRow, OfferRow};
use crate::domain::distance::unit_vector;
use crate::domain::ids::{AccountId, MatchId, OfferId};
use crate::domain::privacy::PublicCell;
use crate::domain::ranking::{Hold, OfferSnapshot, Query, Ranked, best_nearest_first};
use crate::domain::values::{Accommodates, Languages};
use rstar::{AABB, PointDistance, RTree, RTreeObject};
use std::collections::HashMap;
use std::sync::RwLock;

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    point: [f64; 3],
    id: OfferId,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 3]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.point)
    }
}

impl PointDistance for Entry {
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
    tree: RTree<Entry>,
    offers: HashMap<OfferId, Slot>,
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
        open: row.status == "open",
        capacity: row.capacity,
        accepted: row.accepted_places,
        holds: holds
            .iter()
            .filter(|m| m.offer_id == row.id && m.status == "proposed")
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
    }
}

impl OfferIndex {
    pub fn new() -> Self {
        Self::default()
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        // a panic while holding the lock leaves consistent data (each update
        // is a remove then an insert), so keep serving
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces many offers at once (start-up, sync); closed or ended offers
    /// leave the index. `version` is the row's `updated_at`: an older read
    /// never overwrites a newer one.
    pub fn apply(&self, rows: &[OfferRow], holds: &[MatchRow], now: i64) {
        let mut by_offer: HashMap<&str, Vec<MatchRow>> = HashMap::new();
        for h in holds {
            by_offer
                .entry(h.offer_id.as_str())
                .or_default()
                .push(h.clone());
        }
        let mut inner = self.write();
        for row in rows {
            let hs = by_offer
                .get(row.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            inner.upsert(snapshot(row, hs), row.updated_at, now);
        }
    }

    /// Bulk load from empty: builds the tree in one pass (much faster than
    /// inserting a million points one by one).
    pub fn load(&self, rows: &[OfferRow], holds: &[MatchRow], now: i64) {
        let mut by_offer: HashMap<&str, Vec<MatchRow>> = HashMap::new();
        for h in holds {
            by_offer
                .entry(h.offer_id.as_str())
                .or_default()
                .push(h.clone());
        }
        let mut offers = HashMap::with_capacity(rows.len());
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let hs = by_offer
                .get(row.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let snap = snapshot(row, hs);
            if !searchable(&snap, now) {
                continue;
            }
            entries.push(Entry {
                point: unit_vector(snap.cell.lat, snap.cell.lon),
                id: snap.id.clone(),
            });
            offers.insert(
                snap.id.clone(),
                Slot {
                    snapshot: snap,
                    version: row.updated_at,
                },
            );
        }
        let mut inner = self.write();
        inner.tree = RTree::bulk_load(entries);
        inner.offers = offers;
    }

    pub fn remove(&self, id: &OfferId) {
        self.write().remove(id);
    }

    /// The best candidates for a query, nearest-first over the tree.
    pub fn search(&self, q: &Query<'_>) -> Vec<Ranked> {
        let inner = self.read();
        let p = unit_vector(q.lat, q.lon);
        let nearest = inner
            .tree
            .nearest_neighbor_iter(&p)
            .filter_map(|e| inner.offers.get(&e.id).map(|s| &s.snapshot));
        best_nearest_first(nearest, q)
    }

    pub fn get(&self, id: &OfferId) -> Option<OfferSnapshot> {
        self.read().offers.get(id).map(|s| s.snapshot.clone())
    }

    pub fn len(&self) -> usize {
        self.read().offers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// (offers open now, places free now) over the indexed offers.
    pub fn totals(&self, now: i64) -> (i64, i64) {
        let inner = self.read();
        inner
            .offers
            .values()
            .filter(|s| s.snapshot.available_at(now))
            .fold((0, 0), |(n, p), s| {
                (n + 1, p + i64::from(s.snapshot.remaining(now)))
            })
    }
}

fn searchable(s: &OfferSnapshot, now: i64) -> bool {
    s.open && s.available_until > now
}

impl Inner {
    fn remove(&mut self, id: &OfferId) {
        if let Some(old) = self.offers.remove(id) {
            let entry = Entry {
                point: unit_vector(old.snapshot.cell.lat, old.snapshot.cell.lon),
                id: id.clone(),
            };
            self.tree.remove(&entry);
        }
    }

    fn upsert(&mut self, snap: OfferSnapshot, version: i64, now: i64) {
        if let Some(old) = self.offers.get(&snap.id) {
            if old.version > version {
                return;
            }
        }
        let id = snap.id.clone();
        self.remove(&id);
        if searchable(&snap, now) {
            self.tree.insert(Entry {
                point: unit_vector(snap.cell.lat, snap.cell.lon),
                id: id.clone(),
            });
            self.offers.insert(
                id,
                Slot {
                    snapshot: snap,
                    version,
                },
            );
        }
    }
}
