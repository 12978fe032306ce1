//! PostgreSQL: a session advisory lock taken by polling `pg_try_advisory_lock` (a blocking
//! `pg_advisory_lock` would deadlock against `CREATE INDEX CONCURRENTLY`, which waits for every
//! transaction older than it — a waiter blocked in `pg_advisory_lock` included — to end), and one
//! transaction per migration (DDL is transactional).

use super::exec::Exec;
use super::{AppliedRow, Driver};
use crate::ir::Dialect;
use crate::runtime::Error;
use diesel::QueryResult;
use std::time::{Duration, Instant};

/// The advisory lock's two keys ("mode", "l_mg"): per database, as advisory locks are.
pub(crate) const KEY: (i32, i32) = (0x6d6f_6465, 0x6c5f_6d67);

/// The PostgreSQL driver, over any connection that answers its questions.
pub(crate) struct Pg<E> {
    conn: E,
}

impl<E: Exec> Pg<E> {
    pub(crate) fn new(conn: E) -> Self {
        Pg { conn }
    }

    /// Who holds the lock, in words.
    fn holder(&mut self) -> String {
        let sql = format!(
            "SELECT CAST(s.pid AS TEXT) AS a, s.application_name AS b, CAST(s.client_addr AS TEXT) AS c, \
             CAST(s.backend_start AS TEXT) AS d FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {} AND l.objid = {} AND l.objsubid = 2 \
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            KEY.0, KEY.1
        );
        match self.conn.texts(&sql) {
            Ok(rows) => match rows.into_iter().next() {
                Some(h) => format!(
                    "PostgreSQL backend pid {}, application_name {:?}, client {}, connected since {}",
                    h.a.unwrap_or_else(|| "?".into()),
                    h.b.unwrap_or_default(),
                    h.c.unwrap_or_else(|| "local socket".into()),
                    h.d.unwrap_or_else(|| "an unknown time".into())
                ),
                None => "a session that has just released it, or that this role may not see".into(),
            },
            Err(e) => format!("unknown: cannot read pg_locks: {e}"),
        }
    }

    fn try_lock(&mut self) -> QueryResult<bool> {
        let sql = format!(
            "SELECT CAST(CASE WHEN pg_try_advisory_lock({}, {}) THEN 1 ELSE 0 END AS BIGINT) AS n",
            KEY.0, KEY.1
        );
        Ok(self.conn.count(&sql)? == 1)
    }
}

impl<E: Exec> Driver for Pg<E> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
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

    fn lock(&mut self, timeout: Duration) -> Result<(), Error> {
        let start = Instant::now();
        let mut delay = Duration::from_millis(5);
        let mut waiting = false;
        loop {
            if self.try_lock().map_err(|e| Error::Lock { source: Box::new(e) })? {
                if waiting {
                    log::info!("took the migration lock after waiting {:?}", start.elapsed());
                }
                return Ok(());
            }
            let waited = start.elapsed();
            if waited >= timeout {
                return Err(Error::LockTimeout {
                    waited,
                    holder: self.holder(),
                });
            }
            if !waiting {
                log::info!("waiting for the migration lock, held by {}", self.holder());
                waiting = true;
            }
            std::thread::sleep(delay.min(timeout - waited));
            delay = (delay * 2).min(Duration::from_millis(100));
        }
    }

    fn unlock(&mut self) -> Result<(), Error> {
        self.conn
            .batch(&format!("SELECT pg_advisory_unlock({}, {})", KEY.0, KEY.1))
            .map_err(|e| Error::Lock { source: Box::new(e) })
    }
}
