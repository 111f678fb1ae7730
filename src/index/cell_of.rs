//! Which cell each indexed offer is in: by the offer's tie-break key (8
//! bytes) rather than its ID (24), which halves the largest map of a
//! million-offer index. Two IDs whose keys are equal (about one chance in
//! ten million for a million offers) are told apart: the second is kept by
//! its ID, and a lookup by key is only an answer once the offer is found in
//! that cell, which the index checks.

use super::slot::SmallId;
use crate::domain::ranking::id_key;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

#[derive(Default)]
pub(super) struct CellOf {
    by_key: HashMap<u64, u32>,
    /// offers whose key another offer already had when they came in
    collided: HashMap<SmallId, u32>,
}

impl CellOf {
    /// The cell `id` is in, if it is indexed: the caller finds it there
    /// (the key may be another offer's).
    pub fn get(&self, id: &str) -> Option<u32> {
        if let Some(&at) = self.collided.get(id) {
            return Some(at);
        }
        self.by_key.get(&id_key(id)).copied()
    }

    /// Records where `id`, not yet indexed, now is.
    pub fn insert(&mut self, id: &str, at: u32) {
        match self.by_key.entry(id_key(id)) {
            Entry::Occupied(_) => {
                self.collided.insert(SmallId::new(id), at);
            }
            Entry::Vacant(v) => {
                v.insert(at);
            }
        }
    }

    /// Forgets `id`, which the caller found indexed.
    pub fn remove(&mut self, id: &str) {
        if self.collided.remove(id).is_none() {
            self.by_key.remove(&id_key(id));
        }
    }

    pub fn len(&self) -> usize {
        self.by_key.len() + self.collided.len()
    }

    pub fn shrink_to_fit(&mut self) {
        self.by_key.shrink_to_fit();
        self.collided.shrink_to_fit();
    }

    /// As if `id`'s key had been taken by an offer in cell `at` (tests only:
    /// a real collision cannot be made on purpose).
    #[cfg(test)]
    pub fn occupy_key_of(&mut self, id: &str, at: u32) {
        self.by_key.insert(id_key(id), at);
    }
}
