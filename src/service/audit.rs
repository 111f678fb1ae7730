//! The audit log: every reveal of contact details, every state change of a
//! match, offer or request, every coordinator action, and every refused
//! access by a known party to something not theirs. Append-only and
//! hash-chained: `verify` recomputes the chain and names the first broken
//! entry. Entries name IDs, sides and states, never a secret or a contact.
//!
//! On PostgreSQL an action is queued (`record`) in the transaction of the
//! action itself, without any lock; `chain_pending`, run by each instance's
//! background thread about every second, moves the queue into the chain in
//! order under the head's lock. Writers never wait on one another for the
//! audit (chaining at write time cut request creation from 2,600 to 1,000
//! per second there). On SQLite, whose writers take turns anyway, entries
//! join the chain at once (queuing only lengthened the tail of writes).

use crate::db::audit::{self, AuditRow};
use crate::db::{self, DbConn};
use crate::domain::ids::{MatchId, RequestId};
use crate::domain::matching::Side;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Who acted: an account ID, `guest:{request id}`, or `system`.
pub fn guest(request_id: &RequestId) -> String {
    format!("guest:{request_id}")
}

pub const SYSTEM: &str = "system";

/// The entry's hash: every field, length-prefixed, after the previous hash.
fn hash(
    prev: &str,
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        &at.to_string(),
        actor,
        action,
        subject,
        detail,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Records an action; call inside the write transaction of what it
/// records, so that both commit or neither. SQLite has one writer at a time
/// anyway: the entry joins the chain at once. PostgreSQL's writers run side
/// by side: the entry is queued, and chained within a second.
pub fn record(
    c: &mut DbConn,
    now: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: Value,
) -> AppResult<()> {
    let detail = detail.to_string();
    match c {
        DbConn::Sqlite(_) => chain_one(c, now, actor, action, subject, detail),
        DbConn::Pg(_) => Ok(audit::enqueue(c, now, actor, action, subject, &detail)?),
    }
}

/// Appends one entry to the chain; the head must be lockable by this
/// transaction (it locks it).
fn chain_one(
    c: &mut DbConn,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: String,
) -> AppResult<()> {
    let (seq, prev) = audit::next(c)?;
    let row = AuditRow {
        seq,
        at,
        hash: hash(&prev, seq, at, actor, action, subject, &detail),
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject: subject.to_owned(),
        detail,
        prev_hash: prev,
    };
    audit::append(c, &row)?;
    Ok(())
}

/// Actions chained per transaction: small enough that writers queued behind
/// the chainer (SQLite has one writer at a time) wait only a few milliseconds.
const CHAIN_BATCH: i64 = 300;

/// Chains the queued actions into the log, in the order they were queued;
/// returns how many. Several instances may run it: the head's lock lets one
/// at a time through.
pub fn chain_pending(state: &AppState, conn: &mut DbConn) -> AppResult<usize> {
    let mut total = 0;
    loop {
        let n = state.write_tx(conn, |c| {
            audit::lock_head(c)?;
            let queued = audit::queued(c, CHAIN_BATCH)?;
            if queued.is_empty() {
                return Ok::<_, AppError>(0);
            }
            let mut ids = Vec::with_capacity(queued.len());
            for q in queued {
                chain_one(c, q.at, &q.actor, &q.action, &q.subject, q.detail)?;
                ids.push(q.id);
            }
            audit::dequeue(c, &ids)?;
            Ok(ids.len())
        })?;
        total += n;
        if n < CHAIN_BATCH as usize {
            return Ok(total);
        }
    }
}

/// Appends an entry in a transaction of its own (for what is not itself a
/// write: a refused access, a personal export). A reveal is recorded with
/// [`record`], in the transaction that accepts or approves the match.
pub fn record_now(
    state: &AppState,
    conn: &mut DbConn,
    actor: &str,
    action: &str,
    subject: &str,
    detail: Value,
) -> AppResult<()> {
    let now = state.now();
    state.write_tx(conn, |c| record(c, now, actor, action, subject, detail))
}

/// A refused access by a known party: recorded, then the refusal itself.
pub fn refused(
    state: &AppState,
    conn: &mut DbConn,
    actor: &str,
    subject: &str,
    e: AppError,
) -> AppError {
    if let Err(log) = record_now(state, conn, actor, "access.refused", subject, Value::Null) {
        tracing::error!(error = %log, "cannot record a refused access");
    }
    e
}

/// Where the chain breaks.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub reason: String,
}

/// Recomputes the chain from the first entry; returns how many entries it
/// holds, or the first broken one (edited, deleted, reordered or cut short).
pub fn verify(conn: &mut DbConn) -> AppResult<Result<i64, Broken>> {
    let (head_seq, head_hash) = db::audit::head(conn)?;
    let mut prev = "genesis".to_owned();
    let mut expected = 1;
    loop {
        let page = db::audit::page(conn, expected - 1, 10_000)?;
        if page.is_empty() {
            break;
        }
        for e in page {
            if e.seq != expected {
                return Ok(Err(Broken {
                    seq: expected,
                    reason: format!("entry {expected} is missing (the next one is {})", e.seq),
                }));
            }
            if e.prev_hash != prev {
                return Ok(Err(Broken {
                    seq: e.seq,
                    reason: "it does not follow the entry before it".into(),
                }));
            }
            let h = hash(
                &prev, e.seq, e.at, &e.actor, &e.action, &e.subject, &e.detail,
            );
            if h != e.hash {
                return Ok(Err(Broken {
                    seq: e.seq,
                    reason: "its content does not match its hash (edited)".into(),
                }));
            }
            prev = e.hash;
            expected += 1;
        }
    }
    let count = expected - 1;
    if head_seq != count || head_hash != prev {
        return Ok(Err(Broken {
            seq: count + 1,
            reason: format!(
                "the log ends at entry {count} but {head_seq} were written (entries removed from the end)"
            ),
        }));
    }
    Ok(Ok(count))
}

/// Who saw a party's contact details: (viewer, when), from the reveals of
/// their matches and coordinators' deliberate reads of their details.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SeenBy {
    /// the match whose contacts were revealed; none for a coordinator's
    /// read of the person's details (see `reason`)
    pub match_id: Option<String>,
    /// "guest", "host" or "coordinator"
    pub viewer: Side,
    /// a coordinator's name on a match they opened (hosts and guests are
    /// the other party); none on a read of the details, which shows the
    /// reason instead
    pub viewer_name: Option<String>,
    /// why a coordinator read the details (`POST /coordination/…/details`)
    pub reason: Option<String>,
    pub at: String,
}

/// Reveals of a party's details on `matches`, except by the party itself,
/// and coordinators' reads of the details of `owner` (the host's account
/// ID, or the request ID), newest first.
pub fn seen_by(
    conn: &mut DbConn,
    matches: &[MatchId],
    own_side: Side,
    owner: &str,
) -> AppResult<Vec<SeenBy>> {
    let mut out = Vec::new();
    // every match's reveals in one query (the host's dashboard has many)
    for (r, name) in db::matches::reveals_for_many(conn, matches)? {
        if r.viewer_side == own_side {
            continue;
        }
        // a coordinator's name on their (older, per-view) reveals only
        let viewer_name = name.filter(|_| r.viewer_side == Side::Coordinator);
        out.push(SeenBy {
            match_id: Some(r.match_id.into()),
            viewer: r.viewer_side,
            viewer_name,
            reason: None,
            at: crate::domain::rfc3339(r.created_at),
        });
    }
    for a in db::details::for_owner(conn, owner)? {
        out.push(SeenBy {
            match_id: None,
            viewer: Side::Coordinator,
            viewer_name: None,
            reason: Some(a.reason),
            at: crate::domain::rfc3339(a.created_at),
        });
    }
    out.sort_by(|a, b| b.at.cmp(&a.at));
    Ok(out)
}
