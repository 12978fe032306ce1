//! The table lock: one row, key 1, in `__model_migration_lock`. Whoever's `INSERT` commits first
//! holds the lock; the database certifies that for every client (on a Galera cluster, the
//! certification of the write set decides between nodes: the loser gets a duplicate key or a
//! deadlock error). The row says who holds it (`owner`: process, host and a token unique to the
//! run; `node`: the server it went through), since when, when it was last renewed and for how long
//! a renewal counts (`lease_ms`). The holder renews it between units of work; a waiter that finds
//! it not renewed for longer than its lease deletes that very row (the same owner and renewal
//! time, so never a newer one) and tries again. Times are the database's clock (milliseconds since
//! the epoch), so clients' clocks and time zones do not matter.
//!
//! Every statement runs on its own (autocommit): the row is visible to others only once committed,
//! and on Galera no DDL runs inside an explicit transaction.

use super::super::Error;
use crate::ir::Dialect;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryResult, QueryableByName};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The lock table's name (it starts with `__`, so introspection skips it).
pub const LOCK_TABLE: &str = "__model_migration_lock";

/// What the table lock needs from a connection: statements with their affected rows, and the row.
pub(crate) trait LockSql {
    /// The connection's dialect.
    fn dialect(&self) -> Dialect;
    /// Run one statement, returning the rows it affected.
    fn execute(&mut self, sql: &str) -> QueryResult<usize>;
    /// Run a query returning [`LockRow`]s.
    fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<LockRow>>;
}

/// A connection answering the driver's questions ([`Exec`](crate::runtime::driver::Exec)), as
/// the table lock's connection (MySQL renews it through the driver's connection before each
/// statement).
#[cfg(feature = "mysql_backend")]
pub(crate) struct ExecSql<'a, E: ?Sized>(pub Dialect, pub &'a mut E);

#[cfg(feature = "mysql_backend")]
impl<E: crate::runtime::driver::Exec + ?Sized> LockSql for ExecSql<'_, E> {
    fn dialect(&self) -> Dialect {
        self.0
    }
    fn execute(&mut self, sql: &str) -> QueryResult<usize> {
        self.1.execute(sql)
    }
    fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<LockRow>> {
        self.1.lock_rows(sql)
    }
}

/// The lock row, with the database's time now.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct LockRow {
    /// Who holds it.
    #[diesel(sql_type = Text)]
    pub owner: String,
    /// The server the holder went through.
    #[diesel(sql_type = Nullable<Text>)]
    pub node: Option<String>,
    /// When it was taken (ms since the epoch, database clock).
    #[diesel(sql_type = BigInt)]
    pub acquired_ms: i64,
    /// When it was last renewed.
    #[diesel(sql_type = BigInt)]
    pub heartbeat_ms: i64,
    /// How long a renewal counts.
    #[diesel(sql_type = BigInt)]
    pub lease_ms: i64,
    /// The database's time now.
    #[diesel(sql_type = BigInt)]
    pub now_ms: i64,
}

impl LockRow {
    /// Not renewed for longer than its lease.
    fn expired(&self) -> bool {
        self.now_ms > self.heartbeat_ms.saturating_add(self.lease_ms)
    }

    /// Who holds the lock, in words.
    pub fn describe(&self) -> String {
        let secs = |ms: i64| format!("{:.1} s", ms.max(0) as f64 / 1000.0);
        let node = self
            .node
            .as_deref()
            .map(|n| format!(" through {n}"))
            .unwrap_or_default();
        let left = self.heartbeat_ms.saturating_add(self.lease_ms) - self.now_ms;
        format!(
            "{}{node}, holding the table lock for {}, last renewed {} ago; it is taken over if not renewed within \
             its lease of {} ({})",
            self.owner,
            secs(self.now_ms - self.acquired_ms),
            secs(self.now_ms - self.heartbeat_ms),
            secs(self.lease_ms),
            if left > 0 {
                format!("in {}", secs(left))
            } else {
                "now".to_string()
            }
        )
    }
}

/// The database's clock in ms since the epoch.
fn now_ms(d: Dialect) -> &'static str {
    match d {
        Dialect::Mysql => "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)",
        _ => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
    }
}

/// The server the connection goes through, for the holder's description.
fn node(d: Dialect) -> &'static str {
    match d {
        Dialect::Mysql => "CONCAT(@@hostname, ':', @@port, ' (connection ', CONNECTION_ID(), ')')",
        _ => "CONCAT('backend pid ', pg_backend_pid())",
    }
}

/// The lock table.
fn create_sql(d: Dialect) -> String {
    let engine = if d == Dialect::Mysql {
        " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"
    } else {
        ""
    };
    format!(
        "CREATE TABLE IF NOT EXISTS {LOCK_TABLE} (id INTEGER NOT NULL PRIMARY KEY, owner VARCHAR(255) NOT NULL, node \
         VARCHAR(255), acquired_ms BIGINT NOT NULL, heartbeat_ms BIGINT NOT NULL, lease_ms BIGINT NOT NULL){engine}"
    )
}

/// A SQL string literal.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''").replace('\\', "\\\\"))
}

/// Another run holds the row (or is committing it): a duplicate key, or a conflict of the
/// cluster's certification (Galera: deadlock; CockroachDB: a retryable serialization failure).
fn busy(e: &DieselError) -> bool {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::SerializationFailure, _) => {
            true
        }
        DieselError::DatabaseError(_, info) => {
            let m = info.message().to_ascii_lowercase();
            m.contains("deadlock") || m.contains("duplicate")
        }
        _ => false,
    }
}

/// Who this run is: process, host, and a token no other run has.
fn owner() -> String {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
        })
        .unwrap_or_else(|| "an unknown host".to_string());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let mut owner = format!(
        "pid {} on {host} (run {:x}{run:x})",
        std::process::id(),
        nanos & 0xffff_ffff_ffff
    );
    owner.truncate(255);
    owner
}

/// A table lock this run holds.
#[derive(Debug)]
pub(crate) struct TableLock {
    owner: String,
    lease: Duration,
    renewed: Instant,
}

impl TableLock {
    /// Take the lock, waiting at most `timeout`; a holder that has not renewed its row within its
    /// lease is taken over. The row's lease is `lease`.
    pub fn acquire(sql: &mut dyn LockSql, timeout: Duration, lease: Duration) -> Result<TableLock, Error> {
        let d = sql.dialect();
        let me = owner();
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX).max(1);
        let insert = format!(
            "INSERT INTO {LOCK_TABLE} (id, owner, node, acquired_ms, heartbeat_ms, lease_ms) VALUES (1, {}, {}, {now}, \
             {now}, {lease_ms})",
            literal(&me),
            node(d),
            now = now_ms(d)
        );
        let read = format!(
            "SELECT owner, node, acquired_ms, heartbeat_ms, lease_ms, {} AS now_ms FROM {LOCK_TABLE} WHERE id = 1",
            now_ms(d)
        );
        let lock_err = |e: DieselError| Error::Lock { source: Box::new(e) };
        let start = Instant::now();
        let mut delay = Duration::from_millis(5);
        let mut created = false;
        let mut waiting = false;
        loop {
            match sql.execute(&insert) {
                Ok(_) => {
                    if waiting {
                        log::info!("took the migration lock (table) after waiting {:?}", start.elapsed());
                    }
                    return Ok(TableLock {
                        owner: me,
                        lease,
                        renewed: Instant::now(),
                    });
                }
                Err(e) if busy(&e) => {}
                Err(e) if !created => {
                    // most likely the table does not exist yet (the first run): create it, once
                    created = true;
                    if let Err(create) = sql.execute(&create_sql(d)) {
                        log::debug!("creating {LOCK_TABLE} failed ({create}) after the insert failed ({e})");
                    }
                    continue;
                }
                Err(e) => return Err(lock_err(e)),
            }
            let row = sql.lock_rows(&read).map_err(lock_err)?.into_iter().next();
            let Some(row) = row else {
                // released between the insert and the read: try again at once (within the timeout)
                if start.elapsed() >= timeout {
                    return Err(Error::LockTimeout {
                        waited: start.elapsed(),
                        holder: "runs that take and release it in turn (the table lock's row came and went)".into(),
                    });
                }
                std::thread::sleep(Duration::from_millis(1));
                continue;
            };
            if row.expired() {
                let taken = sql
                    .execute(&format!(
                        "DELETE FROM {LOCK_TABLE} WHERE id = 1 AND owner = {} AND heartbeat_ms = {}",
                        literal(&row.owner),
                        row.heartbeat_ms
                    ))
                    .map_err(lock_err)?;
                if taken > 0 {
                    log::warn!(
                        "took over the migration lock of {}: it was not renewed within its lease (the holder stopped \
                         or lost its connection)",
                        row.describe()
                    );
                }
                continue;
            }
            let waited = start.elapsed();
            if waited >= timeout {
                return Err(Error::LockTimeout {
                    waited,
                    holder: row.describe(),
                });
            }
            if !waiting {
                log::info!("waiting for the migration lock, held by {}", row.describe());
                waiting = true;
            }
            std::thread::sleep(delay.min(timeout - waited));
            delay = (delay * 2).min(Duration::from_millis(100));
        }
    }

    /// Renew the row when a fifth of the lease has passed since the last renewal;
    /// [`Error::LockLost`] when the row is not this run's any more.
    pub fn renew(&mut self, sql: &mut dyn LockSql) -> Result<(), Error> {
        if self.renewed.elapsed() < self.lease / 5 {
            return Ok(());
        }
        self.renew_now(sql)
    }

    /// Renew the row now.
    pub fn renew_now(&mut self, sql: &mut dyn LockSql) -> Result<(), Error> {
        let now = now_ms(sql.dialect());
        let n = sql
            .execute(&format!(
                "UPDATE {LOCK_TABLE} SET heartbeat_ms = GREATEST(heartbeat_ms + 1, {now}) WHERE id = 1 AND owner = {}",
                literal(&self.owner)
            ))
            .map_err(|e| Error::Lock { source: Box::new(e) })?;
        if n == 0 {
            return Err(Error::LockLost {
                owner: self.owner.clone(),
                lease: self.lease,
            });
        }
        self.renewed = Instant::now();
        Ok(())
    }

    /// Release the lock (delete the row if it is still this run's).
    pub fn release(self, sql: &mut dyn LockSql) -> Result<(), Error> {
        let n = sql
            .execute(&format!(
                "DELETE FROM {LOCK_TABLE} WHERE id = 1 AND owner = {}",
                literal(&self.owner)
            ))
            .map_err(|e| Error::Lock { source: Box::new(e) })?;
        if n == 0 {
            log::warn!(
                "the migration lock (table) of this run ({}) had been taken over by another run when it was released",
                self.owner
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(heartbeat_ms: i64, now_ms: i64) -> LockRow {
        LockRow {
            owner: "pid 7 on web-1 (run 1a)".into(),
            node: Some("db-2:3306 (connection 12)".into()),
            acquired_ms: 1_000,
            heartbeat_ms,
            lease_ms: 30_000,
            now_ms,
        }
    }

    #[test]
    fn a_row_expires_after_its_lease_from_the_last_renewal() {
        assert!(!row(10_000, 40_000).expired());
        assert!(row(10_000, 40_001).expired());
    }

    #[test]
    fn the_holder_is_described() {
        insta::assert_snapshot!(row(10_000, 12_500).describe(), @"pid 7 on web-1 (run 1a) through db-2:3306 (connection 12), holding the table lock for 11.5 s, last renewed 2.5 s ago; it is taken over if not renewed within its lease of 30.0 s (in 27.5 s)");
        assert!(row(10_000, 50_000).describe().ends_with("(now)"));
    }

    #[test]
    fn owners_are_unique_per_run() {
        let (a, b) = (owner(), owner());
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("pid {} on ", std::process::id())), "{a}");
    }

    #[test]
    fn the_table_is_the_same_on_both_servers() {
        assert!(create_sql(Dialect::Postgres)
            .starts_with("CREATE TABLE IF NOT EXISTS __model_migration_lock (id INTEGER NOT NULL PRIMARY KEY"));
        assert!(create_sql(Dialect::Mysql).ends_with("ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"));
    }
}
