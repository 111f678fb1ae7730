//! Live pages: an in-process hub of change topics (one per request, one per
//! host account, one for the coordinators). A service touches a topic after
//! its transaction commits; every page stream listening on it wakes and
//! tells its browser "changed" (nothing more: the page fetches itself).
//!
//! Bounded: at most `LIVE_MAX_STREAMS` streams per instance and
//! [`PER_TOPIC`] per request or host (a few tabs); beyond, the stream
//! endpoint answers 503 and the page keeps its refresh link. A touch costs
//! a map lookup under a short lock, and nothing at all is allocated when
//! nobody listens.
//!
//! Other instances' changes do not reach this hub: each stream also compares
//! a cheap fingerprint read from the database (`db::live`) every
//! `LIVE_CHECK_MS` (10 s) on PostgreSQL.

use crate::db::models::MatchRow;
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, OfferId, RequestId};
use crate::state::AppState;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// Streams on one request or one host account (tabs, devices).
pub const PER_TOPIC: usize = 16;
/// A comment line keeps proxies from closing an idle stream.
pub const HEARTBEAT: Duration = Duration::from_secs(15);
/// A stream ends itself after this; the browser's EventSource reconnects.
pub const LIFETIME: Duration = Duration::from_secs(600);
/// The shortest time between two "changed" on a coordinators' stream: their
/// console is the heaviest page and hears of every change, so changes in a
/// burst make one reload. Guests and hosts hear each change at once.
pub const COORDINATORS_GAP: Duration = Duration::from_secs(3);

/// The shortest time between two "changed" events on a stream of `topic`.
pub fn min_gap(topic: &Topic) -> Duration {
    match topic {
        Topic::Coordinators => COORDINATORS_GAP,
        _ => Duration::ZERO,
    }
}

/// Open request pages within this distance of a changed offer are told
/// (their list of open doors may change); it is the guest page's radius.
pub const NEAR_KM: f64 = 10.0;

/// What a page follows.
#[derive(Debug, Clone, PartialEq)]
pub enum Topic {
    /// a guest's request, with its published cell centre (to hear of
    /// offers changing nearby)
    Request { id: RequestId, lat: f64, lon: f64 },
    /// a host's (or any account's) dashboard
    Host(AccountId),
    /// the coordinators' console
    Coordinators,
}

struct Channel {
    tx: watch::Sender<u64>,
    streams: usize,
    at: Option<(f64, f64)>,
}

impl Channel {
    fn new(at: Option<(f64, f64)>) -> Self {
        Self {
            tx: watch::channel(0).0,
            streams: 0,
            at,
        }
    }

    fn bump(&self) {
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }
}

#[derive(Default)]
struct Topics {
    requests: HashMap<RequestId, Channel>,
    hosts: HashMap<AccountId, Channel>,
    coordinators: Option<Channel>,
}

/// Why a stream was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct Full;

pub struct Hub {
    topics: Mutex<Topics>,
    open: AtomicUsize,
    max: usize,
    /// how often a stream compares the database's fingerprint (PostgreSQL)
    pub check_every: Duration,
}

impl Hub {
    /// The hub for `LIVE_MAX_STREAMS` and `LIVE_CHECK_MS`.
    pub fn from_config(c: &crate::config::Config) -> Arc<Self> {
        Self::new(
            c.live_max_streams,
            Duration::from_millis(c.live_check_ms.max(100)),
        )
    }

    pub fn new(max_streams: usize, check_every: Duration) -> Arc<Self> {
        Arc::new(Self {
            topics: Mutex::new(Topics::default()),
            open: AtomicUsize::new(0),
            max: max_streams,
            check_every,
        })
    }

    fn topics(&self) -> std::sync::MutexGuard<'_, Topics> {
        self.topics.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Streams open on this instance.
    pub fn open_streams(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Opens a stream on `topic`, or refuses when a cap is reached.
    pub fn subscribe(self: &Arc<Self>, topic: Topic) -> Result<Subscription, Full> {
        let mut t = self.topics();
        if self.open.load(Ordering::Relaxed) >= self.max {
            return Err(Full);
        }
        let (channel, per_topic) = match &topic {
            Topic::Request { id, lat, lon } => (
                t.requests
                    .entry(id.clone())
                    .or_insert_with(|| Channel::new(Some((*lat, *lon)))),
                PER_TOPIC,
            ),
            Topic::Host(id) => (
                t.hosts
                    .entry(id.clone())
                    .or_insert_with(|| Channel::new(None)),
                PER_TOPIC,
            ),
            // every coordinator shares one topic: only the global cap applies
            Topic::Coordinators => (
                t.coordinators.get_or_insert_with(|| Channel::new(None)),
                usize::MAX,
            ),
        };
        if channel.streams >= per_topic {
            return Err(Full);
        }
        channel.streams += 1;
        let rx = channel.tx.subscribe();
        self.open.fetch_add(1, Ordering::Relaxed);
        Ok(Subscription {
            hub: self.clone(),
            topic,
            rx,
        })
    }

    fn release(&self, topic: &Topic) {
        let mut t = self.topics();
        let t = &mut *t;
        let gone = |c: &mut Channel| {
            c.streams = c.streams.saturating_sub(1);
            c.streams == 0
        };
        match topic {
            Topic::Request { id, .. } => {
                if t.requests.get_mut(id).is_some_and(gone) {
                    t.requests.remove(id);
                }
            }
            Topic::Host(id) => {
                if t.hosts.get_mut(id).is_some_and(gone) {
                    t.hosts.remove(id);
                }
            }
            Topic::Coordinators => {
                if t.coordinators.as_mut().is_some_and(gone) {
                    t.coordinators = None;
                }
            }
        }
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    /// A request's page may have changed.
    pub fn touch_request(&self, request_id: &RequestId) {
        if let Some(c) = self.topics().requests.get(request_id) {
            c.bump();
        }
    }

    /// A host's dashboard may have changed.
    pub fn touch_host(&self, account_id: &AccountId) {
        if let Some(c) = self.topics().hosts.get(account_id) {
            c.bump();
        }
    }

    /// The coordinators' console may have changed.
    pub fn touch_coordinators(&self) {
        if let Some(c) = &self.topics().coordinators {
            c.bump();
        }
    }

    /// A match changed: its guest, its host and the coordinators are told.
    pub fn touch_match(&self, request_id: &RequestId, host_id: &AccountId) {
        self.touch_request(request_id);
        self.touch_host(host_id);
        self.touch_coordinators();
    }

    /// Offers were written (any match action locks its offers): their hosts'
    /// dashboards and the coordinators' console.
    pub fn touch_offers(&self, rows: &[crate::db::models::OfferRow]) {
        for r in rows {
            self.touch_host(&r.host_id);
        }
        if !rows.is_empty() {
            self.touch_coordinators();
        }
    }

    /// An offer was created or edited: its host, the coordinators, and the
    /// open request pages near it (their open doors may change).
    pub fn touch_offer(&self, row: &crate::db::models::OfferRow) {
        self.touch_near(&row.host_id, row.cell_lat, row.cell_lon);
    }

    /// A host's offer changed at a published cell: the host, the
    /// coordinators, and the open request pages within [`NEAR_KM`].
    pub fn touch_near(&self, host_id: &AccountId, cell_lat: f64, cell_lon: f64) {
        let t = self.topics();
        if let Some(c) = t.hosts.get(host_id) {
            c.bump();
        }
        if let Some(c) = &t.coordinators {
            c.bump();
        }
        for c in t.requests.values() {
            if let Some((lat, lon)) = c.at {
                if crate::domain::distance::metres_between(lat, lon, cell_lat, cell_lon)
                    <= NEAR_KM * 1000.0
                {
                    c.bump();
                }
            }
        }
    }
}

/// One open stream; dropping it frees its place.
pub struct Subscription {
    hub: Arc<Hub>,
    pub topic: Topic,
    rx: watch::Receiver<u64>,
}

impl Subscription {
    /// Waits for the next touch; false when the hub is gone.
    pub async fn changed(&mut self) -> bool {
        let ok = self.rx.changed().await.is_ok();
        self.rx.borrow_and_update();
        ok
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.release(&self.topic);
    }
}

/// The hub's Prometheus gauge.
pub fn metrics(hub: &Hub) -> String {
    format!(
        "# HELP po_live_streams Live page streams open on this instance.\n# TYPE po_live_streams gauge\npo_live_streams {}\n",
        hub.open_streams()
    )
}

/// A fingerprint as the page carries it (`?v=` on its stream's URL).
pub fn version(fp: &[i64]) -> String {
    fp.iter().map(i64::to_string).collect::<Vec<_>>().join(".")
}

/// The version a page of `topic` carries, read while it is rendered.
pub fn page_version(conn: &mut DbConn, topic: &Topic) -> crate::error::AppResult<String> {
    Ok(version(&fingerprint(conn, topic)?))
}

/// The database's fingerprint of what a topic's page shows (see `db::live`).
pub fn fingerprint(conn: &mut DbConn, topic: &Topic) -> crate::error::AppResult<Vec<i64>> {
    Ok(match topic {
        Topic::Request { id, .. } => db::live::request(conn, id)?,
        Topic::Host(id) => db::live::host(conn, id)?,
        Topic::Coordinators => db::live::coordinators(conn)?,
    })
}

impl AppState {
    /// After commit: tells the pages of these matches (their guests, their
    /// hosts, the coordinators). The host is found in the candidate index,
    /// else read from the database, and only when some host page listens.
    pub fn live_matches(&self, conn: &mut DbConn, rows: &[MatchRow]) {
        for m in rows {
            self.live.touch_request(&m.request_id);
            if self.live.any_host() {
                if let Some(host) = self.host_of(conn, &m.offer_id) {
                    self.live.touch_host(&host);
                }
            }
        }
        if !rows.is_empty() {
            self.live.touch_coordinators();
        }
    }

    fn host_of(&self, conn: &mut DbConn, offer_id: &OfferId) -> Option<AccountId> {
        if let Some(s) = self.index.get(offer_id) {
            return Some(s.host_id.clone());
        }
        db::offers::get(conn, offer_id)
            .ok()
            .flatten()
            .map(|o| o.host_id)
    }
}

impl Hub {
    /// Whether any host dashboard listens on this instance.
    pub fn any_host(&self) -> bool {
        !self.topics().hosts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rid(id: &str) -> RequestId {
        RequestId::from_db(id.into())
    }

    fn aid(id: &str) -> AccountId {
        AccountId::from_db(id.into())
    }

    fn req(id: &str) -> Topic {
        Topic::Request {
            id: rid(id),
            lat: 48.85,
            lon: 2.38,
        }
    }

    #[test]
    fn caps_streams_globally_and_per_topic() {
        let hub = Hub::new(3, Duration::from_secs(10));
        let a = hub.subscribe(req("r1")).unwrap();
        let _b = hub.subscribe(Topic::Host(aid("h"))).unwrap();
        let _c = hub.subscribe(Topic::Coordinators).unwrap();
        assert_eq!(hub.subscribe(req("r2")).err(), Some(Full));
        drop(a);
        assert_eq!(hub.open_streams(), 2);
        assert!(hub.subscribe(req("r2")).is_ok());
        let hub = Hub::new(1000, Duration::from_secs(10));
        let held: Vec<_> = (0..PER_TOPIC)
            .map(|_| hub.subscribe(req("r1")).unwrap())
            .collect();
        assert_eq!(hub.subscribe(req("r1")).err(), Some(Full));
        assert!(hub.subscribe(req("r2")).is_ok());
        drop(held);
        assert_eq!(hub.open_streams(), 0);
        assert!(hub.topics().requests.is_empty(), "unused topics go away");
    }

    #[actix_web::test]
    async fn touches_wake_their_topic_only() {
        let hub = Hub::new(10, Duration::from_secs(10));
        let mut r1 = hub.subscribe(req("r1")).unwrap();
        let mut host = hub.subscribe(Topic::Host(aid("h1"))).unwrap();
        let mut far = hub
            .subscribe(Topic::Request {
                id: rid("r9"),
                lat: 43.3,
                lon: 5.4,
            })
            .unwrap();
        hub.touch_request(&rid("r2"));
        hub.touch_host(&aid("h2"));
        assert!(!r1.rx.has_changed().unwrap() && !host.rx.has_changed().unwrap());
        hub.touch_match(&rid("r1"), &aid("h1"));
        hub.touch_match(&rid("r1"), &aid("h1"));
        assert!(r1.changed().await && host.changed().await);
        assert!(!r1.rx.has_changed().unwrap(), "touches coalesce");
        // an offer in Paris 11e: the page in Paris hears it, Marseille does not
        hub.touch_near(&aid("h3"), 48.86, 2.37);
        assert!(r1.changed().await);
        assert!(!far.rx.has_changed().unwrap());
        hub.touch_request(&rid("r9"));
        assert!(far.changed().await);
    }
}
