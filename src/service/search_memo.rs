//! What a candidate search needs to know about its request — the request
//! its token opens, the offers it already asked, the hosts it blocked, its
//! incident's rules — kept in memory between two searches, so that a guest
//! refreshing their list costs no database read.
//!
//! The database stays the authority: an entry is used only while this
//! instance has committed no write since it was read (every write goes
//! through `AppState::write_tx`, which counts them here), and for at most
//! `INDEX_SYNC_MS` — writes made by other instances or processes are seen
//! within that time, as their offer changes are by the candidate index. A
//! hold, an acceptance or a block made through this instance is therefore
//! seen by the very next search here. Only waiting requests are kept; any
//! other case (no token, another request's token, an expired one) takes the
//! ordinary path and its answer.

use crate::db::DbConn;
use crate::db::models::RequestRow;
use crate::domain::Millis;
use crate::domain::ids::hash_token;
use crate::domain::safeguarding::Rules;
use crate::domain::states::RequestStatus;
use crate::error::AppResult;
use crate::state::AppState;
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
    pub seen: Vec<String>,
    /// hosts it blocked
    pub blocked: Vec<String>,
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

fn ttl_ms(state: &AppState) -> Millis {
    Millis::try_from(state.config.index_sync_ms).unwrap_or(Millis::MAX)
}

/// A search answered from memory, or `None` when memory cannot answer it
/// (then [`remembering`] takes the ordinary path).
pub fn recalled<T>(
    state: &AppState,
    token: Option<&str>,
    request_id: &str,
    search: impl FnOnce(&Known) -> AppResult<T>,
) -> Option<AppResult<T>> {
    let known = state
        .searches
        .recall(token?, request_id, state.now(), ttl_ms(state))?;
    Some(search(&known))
}

/// The ordinary path: the token checked and what the search needs read
/// from the database, then remembered for the next search.
pub fn remembering<T>(
    state: &AppState,
    conn: &mut DbConn,
    token: Option<&str>,
    request_id: &str,
    search: impl FnOnce(&Known) -> AppResult<T>,
) -> AppResult<T> {
    let writes = state.searches.writes();
    let r = super::request_access(state, conn, token, request_id)?;
    let known = super::requests::search_needs(state, conn, r)?;
    let out = search(&known);
    if let Some(t) = token {
        state.searches.keep(t, known, writes, state.now());
    }
    out
}
