//! Persistence: one diesel codebase over SQLite (embedded default) and
//! PostgreSQL, chosen by the `DATABASE_URL` scheme.
//!
//! Write transactions go through [`write_tx`]: `BEGIN IMMEDIATE` on SQLite
//! (the write lock is taken up front, so two writers never deadlock on a lock
//! upgrade), an ordinary transaction on PostgreSQL where rows that guard an
//! invariant are locked by updating them first (see `offers::lock`).

pub mod accounts;
pub mod audit;
pub mod details;
pub mod incidents;
pub mod live;
pub mod matches;
pub mod models;
pub mod offers;
pub mod outbox;
pub mod push;
pub mod requests;
pub mod safeguarding;
pub mod schema;
mod stored;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{ConnectionError, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::path::Path;
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database, parsed from `DATABASE_URL` (a configuration value).
pub use crate::config::Backend;

/// Sets the SQLite PRAGMAs on every new connection: the busy timeout first so
/// that the others wait rather than fail while another process holds a lock.
fn sqlite_connect(path: &Path) -> Result<SqliteConnection, ConnectionError> {
    let path_str = path
        .to_str()
        .ok_or_else(|| ConnectionError::InvalidConnectionUrl("SQLite path is not UTF-8".into()))?;
    let mut c = SqliteConnection::establish(path_str)?;
    c.batch_execute(
        "PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )
    .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(c)
}

pub struct Manager {
    backend: Backend,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConn, ConnectionError> {
        match &self.backend {
            Backend::Sqlite(p) => sqlite_connect(p).map(DbConn::Sqlite),
            Backend::Postgres(u) => PgConnection::establish(u).map(DbConn::Pg),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Opens the pool after creating the SQLite file's folder (0700) and the
/// file (0600), and running every pending migration.
pub fn connect(backend: &Backend, pool_size: u32) -> Result<Pool, String> {
    if let Backend::Sqlite(path) = backend {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_private_dir(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        // created 0600 before SQLite opens it (its -wal and -shm follow)
        crate::files::ensure_private_file(path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        if crate::files::readable_by_others(path) {
            tracing::warn!(file = %path.display(), "the database file is readable by other users: chmod 600 it (and its -wal, -shm)");
        }
    }
    let manager = Manager {
        backend: backend.clone(),
    };
    let mut first = r2d2::ManageConnection::connect(&manager)
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    migrate(&mut first)?;
    drop(first);
    r2d2::Pool::builder()
        .max_size(pool_size.max(1))
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .map_err(|e| format!("cannot open the connection pool: {e}"))
}

pub fn migrate(conn: &mut DbConn) -> Result<(), String> {
    let err = |e: Box<dyn std::error::Error + Send + Sync>| format!("migration failed: {e}");
    match conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(drop)
            .map_err(err),
        DbConn::Pg(c) => {
            // several instances may start together: one migrates, the others wait
            c.batch_execute("SELECT pg_advisory_lock(7263010001)")
                .map_err(|e| e.to_string())?;
            let r = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(drop)
                .map_err(err);
            let _ = c.batch_execute("SELECT pg_advisory_unlock(7263010001)");
            r
        }
    }
}

/// Runs `f` in a write transaction; commits on `Ok`, rolls back on `Err`
/// and on panic. On SQLite the transaction is opened through diesel's own
/// transaction manager (so that code inside may nest savepoints, as diesel's
/// batch inserts do) but with `BEGIN IMMEDIATE`.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConn) -> Result<T, E>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    if let DbConn::Pg(_) = conn {
        return conn.transaction(f);
    }
    if let DbConn::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(conn)));
    let DbConn::Sqlite(c) = conn else {
        unreachable!("checked above: this is a SQLite connection")
    };
    match out {
        Ok(Ok(v)) => match AnsiTransactionManager::commit_transaction(c) {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = AnsiTransactionManager::rollback_transaction(c);
                Err(e.into())
            }
        },
        Ok(Err(e)) => {
            AnsiTransactionManager::rollback_transaction(c)?;
            Err(e)
        }
        Err(panic) => {
            let _ = AnsiTransactionManager::rollback_transaction(c);
            std::panic::resume_unwind(panic)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("postgres://u@h/db"),
            Ok(Backend::Postgres("postgres://u@h/db".into()))
        );
        assert_eq!(
            Backend::from_url("postgresql://h/db").map(|b| b.name()),
            Ok("postgres")
        );
        assert_eq!(
            Backend::from_url("sqlite://data/po.db"),
            Ok(Backend::Sqlite("data/po.db".into()))
        );
        assert_eq!(
            Backend::from_url("sqlite:po.db"),
            Ok(Backend::Sqlite("po.db".into()))
        );
        assert_eq!(
            Backend::from_url("./po.db"),
            Ok(Backend::Sqlite("./po.db".into()))
        );
        assert!(Backend::from_url("sqlite::memory:").is_err());
        assert!(Backend::from_url("mysql://x").is_err());
        assert!(Backend::from_url("").is_err());
    }
}
