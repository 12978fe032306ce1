//! SQLite: the lock is the database's write lock, taken with `BEGIN IMMEDIATE` (waiting through
//! `PRAGMA busy_timeout`). Every migration runs inside that write transaction, which is committed
//! after each migration and taken again at once: each migration is atomic and durable on its own,
//! and the tracking tables are read again under the lock before each one, so every migration is
//! applied exactly once even when another process slips in between two of them. (Holding one
//! transaction over the whole run would make the run all-or-nothing instead, and move the
//! deferred foreign-key checks of every migration to its end.) So `run_in_transaction = false` has
//! no effect on SQLite: what cannot run in a transaction (`VACUUM`, `PRAGMA foreign_keys`) cannot
//! be in a migration.

use super::{AppliedRow, Count, Driver};
use crate::ir::Dialect;
use crate::runtime::lock::Native;
use crate::runtime::Error;
use diesel::connection::SimpleConnection;
use diesel::result::Error as DieselError;
use diesel::sql_types::BigInt;
use diesel::sqlite::SqliteConnection;
use diesel::{sql_query, QueryResult, QueryableByName, RunQueryDsl};
use std::time::{Duration, Instant};

/// What the timeout error says about the holder.
const HOLDER: &str = "SQLite cannot tell which process holds its write lock: another process or connection is \
                      writing to the file";

/// The SQLite driver.
pub(crate) struct Sqlite<'a> {
    conn: &'a mut SqliteConnection,
    /// The write transaction (the lock) is open.
    in_tx: bool,
    /// How long to wait when taking the lock again between migrations.
    timeout: Duration,
    /// The connection's busy timeout before the run, put back at the end.
    busy_before: Option<i64>,
}

impl<'a> Sqlite<'a> {
    pub(crate) fn new(conn: &'a mut SqliteConnection) -> Self {
        Sqlite {
            conn,
            in_tx: false,
            timeout: Duration::ZERO,
            busy_before: None,
        }
    }

    fn busy_timeout(&mut self) -> QueryResult<i64> {
        #[derive(QueryableByName)]
        struct Timeout {
            #[diesel(sql_type = BigInt)]
            timeout: i64,
        }
        Ok(sql_query("PRAGMA busy_timeout")
            .get_result::<Timeout>(self.conn)?
            .timeout)
    }

    /// `BEGIN IMMEDIATE`, waiting up to `wait`: `Ok(false)` when the database stayed locked.
    fn begin_immediate(&mut self, wait: Duration) -> QueryResult<bool> {
        self.conn
            .batch_execute(&format!("PRAGMA busy_timeout = {}", millis(wait)))?;
        match self.conn.batch_execute("BEGIN IMMEDIATE") {
            Ok(()) => {
                self.in_tx = true;
                Ok(true)
            }
            Err(DieselError::DatabaseError(_, info)) if is_busy(info.message()) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Take the lock, logging a wait. Under the lock, the busy timeout stays `timeout`: a COMMIT
    /// waits for readers to go (in rollback-journal mode), a waiting process briefly is one.
    fn take(&mut self, timeout: Duration) -> Result<(), Error> {
        let start = Instant::now();
        let lock_err = |e| Error::Lock { source: Box::new(e) };
        if self.begin_immediate(Duration::ZERO).map_err(lock_err)? {
            self.conn
                .batch_execute(&format!("PRAGMA busy_timeout = {}", millis(timeout)))
                .map_err(lock_err)?;
            return Ok(());
        }
        log::info!("waiting for the migration lock (the SQLite write lock, held by another connection)");
        if self.begin_immediate(timeout).map_err(lock_err)? {
            log::info!("took the migration lock after waiting {:?}", start.elapsed());
            return Ok(());
        }
        Err(Error::LockTimeout {
            waited: start.elapsed(),
            holder: HOLDER.into(),
        })
    }
}

/// `Duration` to whole milliseconds, saturating.
fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn is_busy(message: &str) -> bool {
    message.contains("locked") || message.contains("busy")
}

impl Driver for Sqlite<'_> {
    fn live_schema(&mut self) -> Result<crate::ir::Schema, Error> {
        crate::introspect::sqlite(self.conn).map_err(|source| Error::Introspect { source })
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn batch(&mut self, sql: &str) -> QueryResult<()> {
        self.conn.batch_execute(sql)
    }

    fn count(&mut self, sql: &str) -> QueryResult<i64> {
        Ok(sql_query(sql).get_result::<Count>(self.conn)?.n)
    }

    fn applied_rows(&mut self, sql: &str) -> QueryResult<Vec<AppliedRow>> {
        sql_query(sql).load(self.conn)
    }

    fn sums(&mut self) -> QueryResult<Vec<(String, Option<String>)>> {
        super::read_sums!(self.conn)
    }

    fn lock(&mut self, timeout: Duration, _force: bool) -> Result<Native, Error> {
        self.busy_before = Some(self.busy_timeout().map_err(|e| Error::Lock { source: Box::new(e) })?);
        self.timeout = timeout;
        self.take(timeout).map(|()| Native::Held)
    }

    fn unlock(&mut self) -> Result<(), Error> {
        let mut result = Ok(());
        if self.in_tx {
            self.in_tx = false;
            if let Err(e) = self.conn.batch_execute("COMMIT") {
                let _ = self.conn.batch_execute("ROLLBACK");
                result = Err(super::tracking("commit the migration run in", e));
            }
        }
        if let Some(ms) = self.busy_before.take() {
            let _ = self.conn.batch_execute(&format!("PRAGMA busy_timeout = {ms}"));
        }
        result
    }

    fn begin(&mut self) -> QueryResult<()> {
        if self.in_tx {
            Ok(())
        } else {
            // the write lock was lost (a failed commit): take it again
            match self.begin_immediate(self.timeout)? {
                true => Ok(()),
                false => self.conn.batch_execute("BEGIN IMMEDIATE"),
            }
        }
    }

    fn commit(&mut self) -> QueryResult<()> {
        // a failed COMMIT (a deferred foreign key check) leaves the transaction open: the caller rolls back
        self.conn.batch_execute("COMMIT")?;
        self.in_tx = false;
        Ok(())
    }

    fn relock(&mut self) -> Result<(), Error> {
        // take the lock again for what follows; the caller reads the tracking tables again
        self.take(self.timeout)
    }

    fn rollback(&mut self) -> QueryResult<()> {
        self.in_tx = false;
        self.conn.batch_execute("ROLLBACK")
    }

    fn always_in_transaction(&self) -> bool {
        true
    }

    fn lock_released_between_migrations(&self) -> bool {
        true
    }
}
