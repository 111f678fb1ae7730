//! Loading the whole index: built to the side, offer by offer, then swapped
//! in at once. A caller streaming offers from the database adds each as it
//! reads it, so no full list of snapshots is ever held: at a million offers
//! that list was the start-up's peak of memory, and the allocator kept much of
//! it after the index had compacted the offers.

use super::{CellPoint, Inner, OfferIndex, holds_by_offer, searchable, snapshot};
use crate::db::models::{MatchRow, OfferRow};
use crate::domain::Millis;
use crate::domain::distance::unit_vector;
use crate::domain::ranking::OfferSnapshot;
use rstar::RTree;

/// An index being built: nothing is searchable until [`OfferIndex::install`].
pub struct Loading {
    fresh: Inner,
    now: Millis,
}

impl Loading {
    /// Adds one offer as of `version` (its `updated_at`); an offer that is
    /// not searchable at the load's instant is left out.
    pub fn add(&mut self, snap: &OfferSnapshot, version: i64) {
        if !searchable(snap, self.now) {
            return;
        }
        let fresh = &mut self.fresh;
        let at = fresh.cell_for(&snap.cell, false);
        fresh.cell_of.insert(snap.id.as_str(), at);
        let slot = fresh.compact(snap, version, self.now);
        if let Some(c) = fresh.store[at as usize].as_mut() {
            c.slots.push(slot);
        }
    }
}

impl OfferIndex {
    /// Starts building a whole index as of `now`.
    pub fn loading(now: Millis) -> Loading {
        Loading {
            fresh: Inner::default(),
            now,
        }
    }

    /// Replaces the whole index with a built one, ordering each cell and
    /// building the tree in one pass (much faster than a million inserts).
    pub fn install(&self, loading: Loading) {
        let mut fresh = loading.fresh;
        let mut points = Vec::with_capacity(fresh.cells.len());
        for (at, cell) in fresh.store.iter_mut().enumerate() {
            if let Some(c) = cell {
                c.slots.sort_by_cached_key(|s| s.order());
                c.slots.shrink_to_fit();
                points.push(CellPoint {
                    point: unit_vector(c.lat, c.lon),
                    at: at as u32,
                });
            }
        }
        fresh.cell_of.shrink_to_fit();
        fresh.tree = RTree::bulk_load(points);
        *self.write() = fresh;
    }

    /// Replaces the whole index with these snapshots.
    pub fn load_snapshots(&self, snaps: impl IntoIterator<Item = (OfferSnapshot, i64)>, now: i64) {
        let mut loading = Self::loading(now);
        for (snap, version) in snaps {
            loading.add(&snap, version);
        }
        self.install(loading);
    }

    /// Loads these rows with their live holds from empty.
    pub fn load(&self, rows: &[OfferRow], holds: &[MatchRow], now: i64) {
        let by_offer = holds_by_offer(holds);
        let mut loading = Self::loading(now);
        for row in rows {
            let hs = by_offer
                .get(row.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            loading.add(&snapshot(row, hs), row.updated_at);
        }
        self.install(loading);
    }
}
