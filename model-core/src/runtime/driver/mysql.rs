//! MySQL / MariaDB: the lock is a named lock (`GET_LOCK`, named after the database), and migrations
//! run statement by statement with their progress recorded (see `runtime::mysql`), as DDL commits
//! at once there.

use super::exec::Exec;
use super::{literal, tracking, AppliedRow, Driver};
use crate::ir::Dialect;
use crate::runtime::mysql::{self as runner, PROGRESS_TABLE};
use crate::runtime::script::Script;
use crate::runtime::Error;
use diesel::QueryResult;
use std::time::{Duration, Instant};

/// The MySQL driver, over any connection that answers its questions.
pub(crate) struct Mysql<E> {
    conn: E,
    /// The lock's name, once known (`model_migrate_` + SHA-1 of the database name: lock names are
    /// server-wide and at most 64 characters).
    name: Option<String>,
}

impl<E: Exec> Mysql<E> {
    pub(crate) fn new(conn: E) -> Self {
        Mysql { conn, name: None }
    }

    fn lock_name(&mut self) -> QueryResult<String> {
        let rows = self.conn.texts(
            "SELECT CONCAT('model_migrate_', SHA1(IFNULL(DATABASE(), ''))) AS a, CAST(NULL AS CHAR) AS b, \
             CAST(NULL AS CHAR) AS c, CAST(NULL AS CHAR) AS d",
        )?;
        Ok(rows.into_iter().next().and_then(|r| r.a).unwrap_or_default())
    }

    /// `GET_LOCK` with a timeout in whole seconds: `true` when taken.
    fn get_lock(&mut self, name: &str, seconds: u64) -> QueryResult<bool> {
        // NULL (an error, e.g. the waiting thread was killed) is not taken
        let sql = format!(
            "SELECT CAST(IFNULL(GET_LOCK({}, {seconds}), 0) AS SIGNED) AS n",
            literal(name)
        );
        Ok(self.conn.count(&sql)? == 1)
    }

    /// Who holds the lock, in words (`IS_USED_LOCK` and the process list).
    fn holder(&mut self, name: &str) -> String {
        let sql = format!(
            "SELECT CAST(p.ID AS CHAR) AS a, p.USER AS b, p.HOST AS c, CAST(p.TIME AS CHAR) AS d \
             FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK({})",
            literal(name)
        );
        match self.conn.texts(&sql) {
            Ok(rows) => match rows.into_iter().next() {
                Some(h) => format!(
                    "MySQL connection id {}, user {:?}, host {:?}, in its current state for {} s",
                    h.a.unwrap_or_else(|| "?".into()),
                    h.b.unwrap_or_default(),
                    h.c.unwrap_or_default(),
                    h.d.unwrap_or_else(|| "?".into())
                ),
                None => "a connection that has just released it, or that this user may not see".into(),
            },
            Err(e) => format!("unknown: cannot read the process list: {e}"),
        }
    }
}

impl<E: Exec> Driver for Mysql<E> {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
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
        let lock_err = |e| Error::Lock { source: Box::new(e) };
        let name = self.lock_name().map_err(lock_err)?;
        self.name = Some(name.clone());
        let start = Instant::now();
        if self.get_lock(&name, 0).map_err(lock_err)? {
            return Ok(());
        }
        log::info!("waiting for the migration lock, held by {}", self.holder(&name));
        // GET_LOCK waits whole seconds: round up
        let seconds = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
        if seconds > 0 && self.get_lock(&name, seconds).map_err(lock_err)? {
            log::info!("took the migration lock after waiting {:?}", start.elapsed());
            return Ok(());
        }
        let holder = self.holder(&name);
        Err(Error::LockTimeout {
            waited: start.elapsed(),
            holder,
        })
    }

    fn unlock(&mut self) -> Result<(), Error> {
        match self.name.take() {
            Some(name) => self
                .conn
                .batch(&format!("DO RELEASE_LOCK({})", literal(&name)))
                .map_err(|e| Error::Lock { source: Box::new(e) }),
            None => Ok(()),
        }
    }

    fn apply(&mut self, script: &Script, checksum: &str) -> Result<(), Error> {
        runner::apply(&mut self.conn, script)?;
        // the statements are applied: record the migration and forget its progress, in one transaction
        let book = |e| tracking(&format!("record migration {} in", script.version), e);
        self.begin().map_err(book)?;
        let booked = self.record(&script.version, checksum).and_then(|()| {
            self.batch(&format!(
                "DELETE FROM `{PROGRESS_TABLE}` WHERE version = {}",
                literal(&script.version)
            ))
        });
        match booked.and_then(|()| self.commit()) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = self.rollback();
                Err(book(e))
            }
        }
    }

    fn revert(&mut self, script: &Script, down: &str) -> Result<(), Error> {
        // DDL commits at once: no transaction to roll back
        self.run_script(script, down, false, None)
    }
}
