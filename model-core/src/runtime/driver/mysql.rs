//! MySQL / MariaDB: the lock is a named lock (`GET_LOCK`, named after the database), and migrations
//! run statement by statement with their progress recorded (see `runtime::mysql`), as DDL commits
//! at once there.

use super::{literal, tracking, AppliedRow, Count, Driver};
use crate::ir::Dialect;
use crate::runtime::mysql::{self as runner, progress, PROGRESS_TABLE};
use crate::runtime::script::Script;
use crate::runtime::split;
use crate::runtime::status::Partial;
use crate::runtime::Error;
use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{sql_query, QueryResult, QueryableByName, RunQueryDsl};
use std::time::{Duration, Instant};

/// The MySQL driver.
pub(crate) struct Mysql<'a> {
    conn: &'a mut MysqlConnection,
    /// The lock's name, once known (`model_migrate_` + SHA-1 of the database name: lock names are
    /// server-wide and at most 64 characters).
    name: Option<String>,
}

impl<'a> Mysql<'a> {
    pub(crate) fn new(conn: &'a mut MysqlConnection) -> Self {
        Mysql { conn, name: None }
    }

    fn lock_name(&mut self) -> QueryResult<String> {
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = Text)]
            name: String,
        }
        let row: Name =
            sql_query("SELECT CONCAT('model_migrate_', SHA1(IFNULL(DATABASE(), ''))) AS name").get_result(self.conn)?;
        Ok(row.name)
    }

    /// `GET_LOCK` with a timeout in whole seconds: `true` when taken.
    fn get_lock(&mut self, name: &str, seconds: u64) -> QueryResult<bool> {
        #[derive(QueryableByName)]
        struct Got {
            #[diesel(sql_type = Nullable<BigInt>)]
            ok: Option<i64>,
        }
        let sql = format!("SELECT CAST(GET_LOCK({}, {seconds}) AS SIGNED) AS ok", literal(name));
        Ok(sql_query(sql).get_result::<Got>(self.conn)?.ok == Some(1))
    }

    /// Who holds the lock, in words (`IS_USED_LOCK` and the process list).
    fn holder(&mut self, name: &str) -> String {
        #[derive(QueryableByName)]
        struct Holder {
            #[diesel(sql_type = BigInt)]
            id: i64,
            #[diesel(sql_type = Nullable<Text>)]
            user: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            host: Option<String>,
            #[diesel(sql_type = Nullable<BigInt>)]
            time: Option<i64>,
        }
        let sql = format!(
            "SELECT CAST(p.ID AS SIGNED) AS id, p.USER AS user, p.HOST AS host, CAST(p.TIME AS SIGNED) AS time \
             FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK({})",
            literal(name)
        );
        match sql_query(sql).load::<Holder>(self.conn) {
            Ok(rows) => match rows.into_iter().next() {
                Some(h) => format!(
                    "MySQL connection id {}, user {:?}, host {:?}, in its current state for {} s",
                    h.id,
                    h.user.unwrap_or_default(),
                    h.host.unwrap_or_default(),
                    h.time.map_or("?".to_string(), |t| t.to_string())
                ),
                None => "a connection that has just released it, or that this user may not see".into(),
            },
            Err(e) => format!("unknown: cannot read the process list: {e}"),
        }
    }
}

impl Driver for Mysql<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
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
                .batch_execute(&format!("DO RELEASE_LOCK({})", literal(&name)))
                .map_err(|e| Error::Lock { source: Box::new(e) }),
            None => Ok(()),
        }
    }

    fn apply(&mut self, script: &Script, checksum: &str) -> Result<(), Error> {
        runner::apply(self.conn, script)?;
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
        let rows = progress::all(self.conn).map_err(|e| tracking("read the progress in", e))?;
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
        self.run_script(script, down, false, None)
    }
}
