//! MySQL / MariaDB: the lock is a named lock (`GET_LOCK`, named after the database), and migrations
//! run statement by statement with their progress recorded (see `runtime::mysql`), as DDL commits
//! at once there.

use super::exec::Exec;
use super::{literal, tracking, AppliedRow, Driver};
use crate::ir::Dialect;
use crate::runtime::lock::{ExecSql, LockRow, LockSql, Native, TableLock};
use crate::runtime::mysql::{self as runner, progress, PROGRESS_TABLE};
use crate::runtime::script::Script;
use crate::runtime::split;
use crate::runtime::status::Partial;
use crate::runtime::Error;
use diesel::QueryResult;
use std::time::{Duration, Instant};

/// The MySQL driver, over any connection that answers its questions.
pub(crate) struct Mysql<E> {
    conn: E,
    /// The lock's name while held (`model_migrate_` + SHA-1 of the database name: lock names are
    /// server-wide and at most 64 characters).
    name: Option<String>,
    /// The table lock, when the strategy took it.
    table: Option<TableLock>,
    /// On a Galera node: the session's `wsrep_sync_wait` before the run, put back after it.
    sync_wait: Option<i64>,
    /// The database entered ([`Driver::enter_schema`]), and the one to go back to.
    schema: Option<(String, Option<String>)>,
}

/// What the lock needs to know of the server, in one query.
struct Facts {
    /// The lock's name.
    name: String,
    /// A Galera node (`wsrep_on`, with a provider).
    galera: bool,
    /// The session's `wsrep_sync_wait`.
    sync_wait: i64,
}

/// An identifier, quoted.
fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

impl<E: Exec> Mysql<E> {
    pub(crate) fn new(conn: E) -> Self {
        Mysql {
            conn,
            name: None,
            table: None,
            sync_wait: None,
            schema: None,
        }
    }

    /// The lock's name, and whether the server is a Galera node (MySQL has no `wsrep_*`
    /// variables: then the name alone).
    fn facts(&mut self) -> QueryResult<Facts> {
        let name = "CONCAT('model_migrate_', SHA1(IFNULL(DATABASE(), '')))";
        let rows = self
            .conn
            .texts(&format!(
                "SELECT {name} AS a, CAST(CAST(@@wsrep_on AND @@wsrep_provider <> 'none' AS SIGNED) AS CHAR) AS b, \
                 CAST(CAST(@@session.wsrep_sync_wait AS SIGNED) AS CHAR) AS c, CAST(NULL AS CHAR) AS d"
            ))
            .or_else(|_| {
                self.conn.texts(&format!(
                    "SELECT {name} AS a, '0' AS b, '0' AS c, CAST(NULL AS CHAR) AS d"
                ))
            })?;
        let row = rows.into_iter().next().unwrap_or_default();
        let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0);
        Ok(Facts {
            name: row.a.unwrap_or_default(),
            galera: number(row.b) != 0,
            sync_wait: number(row.c),
        })
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

impl<E: Exec> LockSql for Mysql<E> {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }
    fn execute(&mut self, sql: &str) -> QueryResult<usize> {
        self.conn.execute(sql)
    }
    fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<LockRow>> {
        self.conn.lock_rows(sql)
    }
}

impl<E: Exec> Driver for Mysql<E> {
    fn live_schema(&mut self, models: &crate::ir::Schema) -> Result<crate::ir::Schema, Error> {
        super::live_schema(&mut self.conn, models)
    }

    fn canonical(&mut self, model: &crate::ir::Schema, live: &crate::ir::Schema) -> crate::ir::Schema {
        self.conn.canonical(model, live)
    }

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
        if self.schema.is_some() {
            // the typed query is a prepared statement Diesel keeps, and MySQL binds its tables to the
            // database current when it was prepared: after `USE`, an uncached query
            let rows = self
                .conn
                .applied_rows(&super::applied_sql(Dialect::Mysql, true, false))?;
            return Ok(rows.into_iter().map(|r| (r.version, r.checksum)).collect());
        }
        self.conn.sums()
    }

    fn lock(&mut self, timeout: Duration, force: bool) -> Result<Native, Error> {
        let lock_err = |e| Error::Lock { source: Box::new(e) };
        let facts = self.facts().map_err(lock_err)?;
        if facts.galera {
            if self.sync_wait.is_none() && facts.sync_wait & 1 == 0 {
                // what is read under the lock (the tracking tables) waits until this node has applied
                // everything the cluster committed before: the previous holder may have used another node
                self.conn
                    .batch(&format!("SET SESSION wsrep_sync_wait = {}", facts.sync_wait | 1))
                    .map_err(lock_err)?;
                self.sync_wait = Some(facts.sync_wait);
            }
            if !force {
                return Ok(Native::NotShared(
                    "a MariaDB Galera cluster (wsrep_on): GET_LOCK is local to one node",
                ));
            }
            log::warn!(
                "the migration lock is GET_LOCK on a Galera cluster, where it keeps out only runs through the same \
                 node: use the table lock (LockStrategy::Auto or Table)"
            );
        }
        let name = facts.name;
        self.name = Some(name.clone());
        let start = Instant::now();
        if self.get_lock(&name, 0).map_err(lock_err)? {
            return Ok(Native::Held);
        }
        log::info!("waiting for the migration lock, held by {}", self.holder(&name));
        // GET_LOCK waits whole seconds: round up
        let seconds = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
        if seconds > 0 && self.get_lock(&name, seconds).map_err(lock_err)? {
            log::info!("took the migration lock after waiting {:?}", start.elapsed());
            return Ok(Native::Held);
        }
        self.name = None;
        let holder = self.holder(&name);
        Err(Error::LockTimeout {
            waited: start.elapsed(),
            holder,
        })
    }

    fn unlock(&mut self) -> Result<(), Error> {
        let released = match self.name.take() {
            Some(name) => self
                .conn
                .batch(&format!("DO RELEASE_LOCK({})", literal(&name)))
                .map_err(|e| Error::Lock { source: Box::new(e) }),
            None => Ok(()),
        };
        if let Some(before) = self.sync_wait.take() {
            let _ = self.conn.batch(&format!("SET SESSION wsrep_sync_wait = {before}"));
        }
        released
    }

    fn lock_sql(&mut self) -> Option<&mut dyn LockSql> {
        Some(self)
    }

    fn table_lock(&mut self) -> Option<&mut Option<TableLock>> {
        Some(&mut self.table)
    }

    fn enter_schema(&mut self, schema: &str, _shared: &[String], create: bool) -> Result<(), Error> {
        let failed = |e: diesel::result::Error| Error::Schema {
            schema: schema.to_string(),
            source: Box::new(e),
        };
        let here = self
            .conn
            .texts(&format!(
                "SELECT DATABASE() AS a, CAST(EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \
                 {}) AS CHAR) AS b, CAST(NULL AS CHAR) AS c, CAST(NULL AS CHAR) AS d",
                literal(schema)
            ))
            .map_err(failed)?
            .into_iter()
            .next()
            .unwrap_or_default();
        if here.b.as_deref().map(str::trim) != Some("1") {
            if !create {
                return Err(Error::NoSchema {
                    schema: schema.to_string(),
                });
            }
            self.conn
                .batch(&format!(
                    "CREATE DATABASE IF NOT EXISTS {} CHARACTER SET utf8mb4",
                    ident(schema)
                ))
                .map_err(failed)?;
            log::info!("created database {schema}");
        }
        self.conn.batch(&format!("USE {}", ident(schema))).map_err(failed)?;
        self.schema = Some((schema.to_string(), here.a));
        Ok(())
    }

    fn leave_schema(&mut self) -> Result<(), Error> {
        match self.schema.take() {
            Some((schema, Some(db))) => self
                .conn
                .batch(&format!("USE {}", ident(&db)))
                .map_err(|e| Error::Schema {
                    schema,
                    source: Box::new(e),
                }),
            _ => Ok(()),
        }
    }

    fn apply(&mut self, script: &Script, checksum: &str) -> Result<(), Error> {
        // the table lock is renewed before each statement (DDL commits at once: each is a step)
        let mut table = self.table.take();
        let applied = runner::apply(&mut self.conn, script, &mut |conn| match table.as_mut() {
            Some(lock) => lock.renew(&mut ExecSql(Dialect::Mysql, conn)),
            None => Ok(()),
        });
        self.table = table;
        applied?;
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

    fn partly_applied(&mut self, scripts: &[Script]) -> Result<Vec<(String, Partial)>, Error> {
        let rows = progress::all(&mut self.conn).map_err(|e| tracking("read the progress in", e))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let script = scripts.iter().find(|s| s.version == row.version)?;
                let statements = split::statements(&script.up, Dialect::Mysql);
                let done = usize::try_from(row.done).unwrap_or(0).min(statements.len());
                let partial = Partial {
                    done,
                    total: statements.len(),
                    edited: progress::checksum(&statements[..done]) != row.checksum,
                };
                Some((row.version, partial))
            })
            .collect())
    }

    fn revert(&mut self, script: &Script, down: &str) -> Result<(), Error> {
        // DDL commits at once: no transaction to roll back
        self.heartbeat()?;
        self.run_script(script, down, false, None)
    }
}
