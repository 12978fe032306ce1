//! How the runtime behaves: [`Options`].

use crate::ir::TableFilter;
pub use crate::lock::LockStrategy;
use std::time::Duration;

/// Settings of [`migrate_with`](super::migrate_with) and the other functions that take the
/// migration lock.
///
/// ```
/// use std::time::Duration;
/// use model_core::runtime::{LockStrategy, Options};
///
/// let options = Options { lock_timeout: Duration::from_secs(5), ..Options::default() };
/// assert_eq!(Options::default().lock_timeout, Duration::from_secs(60));
/// assert_eq!(Options::default().ddl_lock_timeout, Some(Duration::from_secs(2)));
/// assert_eq!(Options::default().retries, 5);
/// // a cluster without advisory locks (CockroachDB, YugabyteDB, Vitess): the table lock
/// let cluster = Options::default().lock(LockStrategy::Table);
/// // one tenant's schema of a PostgreSQL database
/// let tenant = Options::default().schema("tenant_0042");
/// # let _ = (options, cluster, tenant);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How long to wait for the migration lock when another process holds it (default 60 s); past
    /// it the run fails with [`Error::LockTimeout`](super::Error::LockTimeout), which says who holds
    /// the lock when the database can tell.
    pub lock_timeout: Duration,
    /// PostgreSQL: the `lock_timeout` each migration runs with (`SET LOCAL` in its transaction,
    /// `SET` for the session around one that runs outside a transaction); default 2 s, `None` keeps
    /// the server's. A DDL statement waiting for a table lock makes every later query of that table
    /// wait behind it; with a short timeout it gives up instead, and the migration is tried again
    /// ([`Options::retries`]) when the table is free.
    pub ddl_lock_timeout: Option<Duration>,
    /// How many times a migration that failed on a lock timeout (rolled back whole, or failed at its
    /// first statement) is tried again; default 5. Each try is logged at `warn`.
    pub retries: u32,
    /// The wait before the first new try, doubled before each next one (at most 30 s); default 1 s.
    pub retry_backoff: Duration,
    /// How the lock is taken (default [`LockStrategy::Auto`]: the engine's own lock, or the lock
    /// table on a Galera cluster, CockroachDB and YugabyteDB). Every process that migrates one
    /// database should use the same strategy.
    pub lock: LockStrategy,
    /// The table lock's lease (default 5 minutes): the holder renews its row before each migration
    /// (on MySQL before each statement); a row not renewed for longer than this is taken to be a
    /// crashed holder's and is taken over. Longer than the longest statement (MySQL) or migration
    /// (PostgreSQL) of the run, or another run can take over a live lock (the first then stops
    /// with [`Error::LockLost`](super::Error::LockLost)). Unused by the other strategies.
    pub lock_lease: Duration,
    /// Run in this PostgreSQL schema (MySQL: database) instead of the connection's own: during the
    /// run `search_path` is the schema, then [`Options::shared_schemas`] (MySQL: `USE` it), so the
    /// migrations' tables, Diesel's and the crate's tracking tables are the schema's own; the lock
    /// is keyed by the schema, so runs in different schemas of one database do not wait for each
    /// other. [`migrate`](super::migrate) creates the schema when it does not exist. The
    /// connection's `search_path` (MySQL: database) is put back after the run. One schema per
    /// tenant is what [`migrate_tenants`](super::migrate_tenants) runs. Not on SQLite.
    pub schema: Option<String>,
    /// With [`Options::schema`] on PostgreSQL: schemas put after it in `search_path` for the run,
    /// e.g. `public` where extensions (`citext`, `pgcrypto`) keep their types and functions. The
    /// tracking tables are always the tenant schema's own, even when a shared schema holds some.
    pub shared_schemas: Vec<String>,
    /// The tables this crate owns ([`verify_with`](super::verify_with)): the others, and foreign keys
    /// to them, are not drift. `model::include_schema!()` defines `model_filter()`, the crate's
    /// `include` / `exclude` of `[package.metadata.model]` (default: every table).
    pub tables: TableFilter,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
            ddl_lock_timeout: Some(Duration::from_secs(2)),
            retries: 5,
            retry_backoff: Duration::from_secs(1),
            lock: LockStrategy::Auto,
            lock_lease: Duration::from_secs(300),
            schema: None,
            shared_schemas: Vec::new(),
            tables: TableFilter::default(),
        }
    }
}

impl Options {
    /// These options with the lock taken by `strategy`.
    pub fn lock(mut self, strategy: LockStrategy) -> Self {
        self.lock = strategy;
        self
    }

    /// These options with a lock timeout of `timeout`.
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// These options with a table-lock lease of `lease`.
    pub fn lock_lease(mut self, lease: Duration) -> Self {
        self.lock_lease = lease;
        self
    }

    /// These options running in `schema` (see [`Options::schema`]).
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// These options owning only the tables `filter` allows (see [`Options::tables`]).
    pub fn tables(mut self, filter: TableFilter) -> Self {
        self.tables = filter;
        self
    }

    /// The wait before try number `attempt` (1 for the first new try).
    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        self.retry_backoff
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_cap() {
        let o = Options::default();
        assert_eq!(o.backoff(1), Duration::from_secs(1));
        assert_eq!(o.backoff(3), Duration::from_secs(4));
        assert_eq!(o.backoff(40), Duration::from_secs(30));
    }
}
