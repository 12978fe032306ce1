//! SQLite: the lock is the database's write lock, taken with `BEGIN IMMEDIATE` (waiting through
//! `PRAGMA busy_timeout`). Every migration runs inside that write transaction, which is committed
//! after each migration and taken again at once: each migration is atomic and durable on its own,
//! and the tracking tables are read again under the lock before each one, so every migration is
//! applied exactly once even when another process slips in between two of them. (Holding one
//! transaction over the whole run would make the run all-or-nothing instead, and move the
//! deferred foreign-key checks of every migration to its end.) So `run_in_transaction = false` has
//! no effect on SQLite: what cannot run in a transaction (`VACUUM`, `PRAGMA foreign_keys`) cannot
//! be in a migration.

use super::exec::Exec;
use super::{AppliedRow, Driver};
use crate::ir::Dialect;
use crate::runtime::lock::Native;
use crate::runtime::Error;
use diesel::result::Error as DieselError;
use diesel::QueryResult;
use std::time::{Duration, Instant};

/// What the timeout error says about the holder.
const HOLDER: &str = "SQLite cannot tell which process holds its write lock: another process or connection is \
                      writing to the file";

/// The SQLite driver, over any connection that answers its questions.
pub(crate) struct Sqlite<E> {
    conn: E,
    /// The write transaction (the lock) is open.
    in_tx: bool,
    /// How long to wait when taking the lock again between migrations.
    timeout: Duration,
    /// The connection's busy timeout before the run, put back at the end.
    busy_before: Option<i64>,
}

impl<E: Exec> Sqlite<E> {
    pub(crate) fn new(conn: E) -> Self {
        Sqlite {
            conn,
            in_tx: false,
            timeout: Duration::ZERO,
            busy_before: None,
        }
    }

    fn busy_timeout(&mut self) -> QueryResult<i64> {
        self.conn.busy_timeout()
    }

    /// `BEGIN IMMEDIATE`, waiting up to `wait`: `Ok(false)` when the database stayed locked.
    fn begin_immediate(&mut self, wait: Duration) -> QueryResult<bool> {
        self.conn.batch(&format!("PRAGMA busy_timeout = {}", millis(wait)))?;
        match self.conn.batch("BEGIN IMMEDIATE") {
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
                .batch(&format!("PRAGMA busy_timeout = {}", millis(timeout)))
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

impl<E: Exec> Driver for Sqlite<E> {
    fn live_schema(&mut self, models: &crate::ir::Schema) -> Result<crate::ir::Schema, Error> {
        super::live_schema(&mut self.conn, models)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn batch(&mut self, sql: &str) -> QueryResult<()> {
        self.conn.batch(sql)
    }

    fn count(&mut self, sql: &str) -> QueryResult<i64> {
        self.conn.count(sql)
    }

    fn applied_rows(&mut self, sql: &str) -> QueryResult<Vec<AppliedRow>> {
        self.conn.applied_rows(sql)
    }

    fn sums(&mut self) -> QueryResult<Vec<(String, Option<String>)>> {
        self.conn.sums()
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
            if let Err(e) = self.conn.batch("COMMIT") {
                let _ = self.conn.batch("ROLLBACK");
                result = Err(super::tracking("commit the migration run in", e));
            }
        }
        if let Some(ms) = self.busy_before.take() {
            let _ = self.conn.batch(&format!("PRAGMA busy_timeout = {ms}"));
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
                false => self.conn.batch("BEGIN IMMEDIATE"),
            }
        }
    }

    fn commit(&mut self) -> QueryResult<()> {
        // a failed COMMIT (a deferred foreign key check) leaves the transaction open: the caller rolls back
        self.conn.batch("COMMIT")?;
        self.in_tx = false;
        Ok(())
    }

    fn relock(&mut self) -> Result<(), Error> {
        // take the lock again for what follows; the caller reads the tracking tables again
        self.take(self.timeout)
    }

    fn rollback(&mut self) -> QueryResult<()> {
        self.in_tx = false;
        self.conn.batch("ROLLBACK")
    }

    fn always_in_transaction(&self) -> bool {
        true
    }

    fn lock_released_between_migrations(&self) -> bool {
        true
    }
}
