//! Application state shared by every service: configuration, the database
//! pool, the privacy grid, the candidate index, the clock, metrics and the
//! live pages' hub. Built once at start (or per test) and passed in; no
//! globals. What only the web layer keeps is in `web::state`.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{self, Backend, Pool, PooledConn};
use crate::domain::ids::{AccountId, OfferId};
use crate::domain::privacy::PrivacyGrid;
use crate::error::AppResult;
use crate::index::OfferIndex;
use crate::metrics::Metrics;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

pub struct AppState {
    pub config: Config,
    pub backend: Backend,
    pub pool: Pool,
    pub grid: PrivacyGrid,
    pub index: OfferIndex,
    pub clock: Clock,
    pub tz: chrono_tz::Tz,
    pub metrics: Metrics,
    /// hosts seen by this instance, written in batches (`service::holds`)
    pub seen: SeenHosts,
    /// The VAPID key that signs Web Push alerts.
    pub vapid: crate::push::vapid::Vapid,
    /// Live pages' change topics (`crate::live`).
    pub live: std::sync::Arc<crate::live::Hub>,
    /// What the last searches read about their requests (`crate::search_memo`).
    pub searches: crate::search_memo::SearchMemo,
    /// Where the last index sync started reading `offers.updated_at`.
    sync_mark: AtomicI64,
    /// On SQLite, this process's writers queue here instead of in SQLite's
    /// busy handler, whose sleeping back-off makes long, unfair waits.
    write_gate: Mutex<()>,
}

/// When this instance last saw each host (a page or API call), and when
/// that was last written to the database. Marking is a map update: reads
/// never write.
#[derive(Default)]
pub struct SeenHosts(Mutex<HashMap<AccountId, (i64, i64)>>);

impl SeenHosts {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, (i64, i64)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn mark(&self, host: &AccountId, at: i64) {
        let mut m = self.map();
        match m.get_mut(host) {
            Some(e) => e.0 = e.0.max(at),
            None => {
                m.insert(host.clone(), (at, i64::MIN));
            }
        }
    }

    pub fn get(&self, host: &AccountId) -> Option<i64> {
        self.map().get(host).map(|e| e.0)
    }

    /// Hosts seen since their last write, if that write is at least
    /// `every` ms old (and the ones never written).
    pub fn due(&self, now: i64, every: i64) -> Vec<(AccountId, i64)> {
        self.map()
            .iter()
            .filter(|(_, (seen, written))| seen > written && now.saturating_sub(*written) >= every)
            .map(|(h, (seen, _))| (h.clone(), *seen))
            .collect()
    }

    pub fn flushed(&self, done: &[(AccountId, i64)]) {
        let mut m = self.map();
        for (h, at) in done {
            if let Some(e) = m.get_mut(h) {
                e.1 = e.1.max(*at);
            }
        }
        // forget hosts not seen for a day: the database has them
        let horizon = done.iter().map(|d| d.1).max().unwrap_or(0) - 86_400_000;
        m.retain(|_, (seen, written)| *seen > horizon || seen > written);
    }
}

/// How far back each sync looks again: covers transactions that committed
/// after the previous sync read, and small clock differences between instances.
const SYNC_OVERLAP_MS: i64 = 5_000;

impl AppState {
    /// Connects, migrates and loads the candidate index.
    pub fn open(config: Config, clock: Clock) -> Result<Arc<Self>, String> {
        let backend = config.backend()?;
        let secret = config.resolve_secret()?;
        let tz: chrono_tz::Tz = config.time_zone.parse().map_err(|_| {
            format!(
                "TIME_ZONE '{}' is not an IANA time zone (e.g. Europe/Paris)",
                config.time_zone
            )
        })?;
        let pool = db::connect(&backend, config.db_pool_size)?;
        let vapid = crate::push::vapid(&config)?;
        let state = Arc::new(Self {
            grid: PrivacyGrid::new(config.privacy_cell_m, &secret),
            metrics: Metrics::default(),
            seen: SeenHosts::default(),
            live: crate::live::Hub::from_config(&config),
            index: OfferIndex::new(),
            searches: Default::default(),
            sync_mark: AtomicI64::new(0),
            tz,
            write_gate: Mutex::new(()),
            vapid,
            config,
            backend,
            pool,
            clock,
        });
        state
            .load_index()
            .map_err(|e| format!("cannot load offers: {e}"))?;
        Ok(state)
    }

    pub fn conn(&self) -> AppResult<PooledConn> {
        Ok(self.pool.get()?)
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn hold_ms(&self) -> i64 {
        i64::from(self.config.hold_minutes) * 60_000
    }

    /// A write transaction (see `db::write_tx`), queued fairly on SQLite.
    pub fn write_tx<T, E, F>(&self, conn: &mut db::DbConn, f: F) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
        F: FnOnce(&mut db::DbConn) -> Result<T, E>,
    {
        let done = match self.backend {
            Backend::Sqlite(_) => {
                let _turn = self.write_gate.lock().unwrap_or_else(|p| p.into_inner());
                db::write_tx(conn, f)
            }
            Backend::Postgres(_) => db::write_tx(conn, f),
        };
        // what searches remembered may be stale now
        self.searches.written();
        done
    }

    fn load_index(&self) -> AppResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        self.sync_mark.store(now, Ordering::SeqCst);
        let holds = db::matches::live_holds(&mut conn, None, now)?;
        let by_offer = crate::index::holds_by_offer(&holds);
        // each page's offers go into the index being built as they are read:
        // no list of every snapshot is held (a read that fails leaves the
        // index as it was)
        let mut loading = crate::index::OfferIndex::loading(now);
        let mut after = String::new();
        loop {
            let page = db::offers::searchable_page(&mut conn, now, &after, 20_000)?;
            for row in &page.open {
                let hs = by_offer
                    .get(row.id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                loading.add(&crate::index::snapshot(row, hs), row.updated_at);
            }
            let Some(next) = page.next else { break };
            after = next;
        }
        self.index.install(loading);
        tracing::info!(offers = self.index.len(), "candidate index loaded");
        Ok(())
    }

    /// Re-reads the given offers (after this instance changed them).
    pub fn refresh_offers(&self, conn: &mut db::DbConn, ids: &[OfferId]) -> AppResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let now = self.now();
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(r) = db::offers::get(conn, id)? {
                rows.push(r);
            }
        }
        let holds = db::matches::live_holds(conn, Some(ids), now)?;
        self.index.apply(&rows, &holds, now);
        self.live.touch_offers(&rows);
        Ok(())
    }

    /// Follows changes made by other instances. Cheap when nothing changed.
    pub fn sync_index(&self) -> AppResult<usize> {
        let now = self.now();
        let since = self.sync_mark.load(Ordering::SeqCst) - SYNC_OVERLAP_MS;
        let mut conn = self.conn()?;
        let rows = db::offers::changed_since(&mut conn, since)?;
        self.sync_mark.store(now, Ordering::SeqCst);
        if rows.is_empty() {
            return Ok(0);
        }
        let ids: Vec<OfferId> = rows.iter().map(|r| r.id.clone()).collect();
        let mut holds = Vec::new();
        for chunk in ids.chunks(500) {
            holds.extend(db::matches::live_holds(&mut conn, Some(chunk), now)?);
        }
        self.index.apply(&rows, &holds, now);
        Ok(rows.len())
    }
}
