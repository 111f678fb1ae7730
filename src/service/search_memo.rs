//! What a candidate search needs to know about its request — the request
//! its token opens, the offers it already asked, the hosts it blocked, its
//! incident's rules — kept in memory between two searches, so that a guest
//! refreshing their list costs no database read.
//!
//! The database stays the authority: an entry is used only while this
//! instance has ended no write transaction (committed or not) since it was
//! read (every write goes through `AppState::write_tx`, which counts them
//! here), and for at most
//! `INDEX_SYNC_MS` — writes made by other instances or processes are seen
//! within that time, as their offer changes are by the candidate index. A
//! hold, an acceptance or a block made through this instance is therefore
//! seen by the very next search here. Only waiting requests are kept; any
//! other case (no token, another request's token, an expired one) takes the
//! ordinary path and its answer.

use crate::db::DbConn;
use crate::domain::Millis;
use crate::domain::ids::RequestId;
use crate::error::AppResult;
use crate::state::AppState;

pub use crate::search_memo::{Known, SearchMemo};

fn ttl_ms(state: &AppState) -> Millis {
    Millis::try_from(state.config.index_sync_ms).unwrap_or(Millis::MAX)
}

/// A search answered from memory, or `None` when memory cannot answer it
/// (then [`remembering`] takes the ordinary path).
pub fn recalled<T>(
    state: &AppState,
    token: Option<&str>,
    request_id: &RequestId,
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
    request_id: &RequestId,
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
