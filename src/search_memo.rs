//! What candidate searches remember about their requests between two
//! searches (see `service::search_memo` for how it is filled and used):
//! kept beside the candidate index in `AppState`, counting this instance's
//! write transactions so that an entry read before a write is never used.

use crate::db::models::RequestRow;
use crate::domain::Millis;
use crate::domain::ids::{AccountId, OfferId, hash_token};
use crate::domain::safeguarding::Rules;
use crate::domain::states::RequestStatus;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// At most this many requests are remembered; past it the memory starts
/// again from empty (a search then reads the database, as without it).
const CAPACITY: usize = 4096;

/// What a search reads about its request.
#[derive(Debug, Clone)]
pub struct Known {
    pub request: RequestRow,
    /// offers it asked (live, declined or run out: not a withdrawn ask)
    pub seen: Vec<OfferId>,
    /// hosts it blocked
    pub blocked: Vec<AccountId>,
    pub rules: Rules,
}

struct Entry {
    known: Arc<Known>,
    /// the write count when the reads started
    writes: u64,
    read_at: Millis,
}

#[derive(Default)]
pub struct SearchMemo {
    writes: AtomicU64,
    entries: RwLock<HashMap<String, Entry>>,
}

impl SearchMemo {
    /// A write transaction of this instance ended (committed or not).
    pub fn written(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// Read before the database reads whose result [`SearchMemo::keep`]
    /// stores: a write that ends in between makes the entry stale.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// What is known of the request this token opens, if it is `request_id`,
    /// still waiting, and nothing was written here since it was read, less
    /// than `ttl_ms` ago.
    pub fn recall(
        &self,
        token: &str,
        request_id: &str,
        now: Millis,
        ttl_ms: Millis,
    ) -> Option<Arc<Known>> {
        let writes = self.writes();
        let map = self.entries.read().unwrap_or_else(|p| p.into_inner());
        let e = map.get(&hash_token(token))?;
        let r = &e.known.request;
        (e.writes == writes
            && now >= e.read_at
            && now - e.read_at < ttl_ms
            && r.token_expires_at > now
            && r.id == request_id
            && r.status == RequestStatus::Waiting)
            .then(|| e.known.clone())
    }

    /// Remembers what was read for this token, the reads having started at
    /// write count `writes`.
    pub fn keep(&self, token: &str, known: Known, writes: u64, now: Millis) {
        if known.request.status != RequestStatus::Waiting {
            return;
        }
        let mut map = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(
            hash_token(token),
            Entry {
                known: Arc::new(known),
                writes,
                read_at: now,
            },
        );
    }
}
