//! MySQL / MariaDB: the lock is a named lock (`GET_LOCK`, named after the database), and migrations
//! run statement by statement with their progress recorded (see `runtime::mysql`), as DDL commits
//! at once there.

use super::{literal, tracking, AppliedRow, Count, Driver};
use crate::ir::Dialect;
use crate::runtime::lock::{LockSql, Native, TableLock};
use crate::runtime::mysql::{self as runner, PROGRESS_TABLE};
use crate::runtime::script::Script;
use crate::runtime::Error;
use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{sql_query, QueryResult, QueryableByName, RunQueryDsl};
use std::time::{Duration, Instant};

/// The MySQL driver.
pub(crate) struct Mysql<'a> {
    conn: &'a mut MysqlConnection,
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
#[derive(QueryableByName)]
struct Facts {
    /// The lock's name.
    #[diesel(sql_type = Text)]
    name: String,
    /// A Galera node (`wsrep_on`, with a provider).
    #[diesel(sql_type = BigInt)]
    galera: i64,
    /// The session's `wsrep_sync_wait`.
    #[diesel(sql_type = BigInt)]
    sync_wait: i64,
}

/// An identifier, quoted.
fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

impl<'a> Mysql<'a> {
    pub(crate) fn new(conn: &'a mut MysqlConnection) -> Self {
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
        sql_query(format!(
            "SELECT {name} AS name, CAST(@@wsrep_on AND @@wsrep_provider <> 'none' AS SIGNED) AS galera, \
             CAST(@@session.wsrep_sync_wait AS SIGNED) AS sync_wait"
        ))
        .get_result(self.conn)
        .or_else(|_| {
            sql_query(format!(
                "SELECT {name} AS name, CAST(0 AS SIGNED) AS galera, CAST(0 AS SIGNED) AS sync_wait"
            ))
            .get_result(self.conn)
        })
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
    fn live_schema(&mut self) -> Result<crate::ir::Schema, Error> {
        crate::introspect::mysql(self.conn).map_err(|source| Error::Introspect { source })
    }

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
        if self.schema.is_some() {
            // the typed query is a prepared statement Diesel keeps, and MySQL binds its tables to the
            // database current when it was prepared: after `USE`, an uncached query
            let rows: Vec<AppliedRow> = sql_query(super::applied_sql(Dialect::Mysql, true, false)).load(self.conn)?;
            return Ok(rows.into_iter().map(|r| (r.version, r.checksum)).collect());
        }
        super::read_sums!(self.conn)
    }

    fn lock(&mut self, timeout: Duration, force: bool) -> Result<Native, Error> {
        let lock_err = |e| Error::Lock { source: Box::new(e) };
        let facts = self.facts().map_err(lock_err)?;
        if facts.galera != 0 {
            if self.sync_wait.is_none() && facts.sync_wait & 1 == 0 {
                // what is read under the lock (the tracking tables) waits until this node has applied
                // everything the cluster committed before: the previous holder may have used another node
                self.conn
                    .batch_execute(&format!("SET SESSION wsrep_sync_wait = {}", facts.sync_wait | 1))
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
                .batch_execute(&format!("DO RELEASE_LOCK({})", literal(&name)))
                .map_err(|e| Error::Lock { source: Box::new(e) }),
            None => Ok(()),
        };
        if let Some(before) = self.sync_wait.take() {
            let _ = self
                .conn
                .batch_execute(&format!("SET SESSION wsrep_sync_wait = {before}"));
        }
        released
    }

    fn lock_sql(&mut self) -> Option<&mut dyn LockSql> {
        Some(&mut *self.conn)
    }

    fn table_lock(&mut self) -> Option<&mut Option<TableLock>> {
        Some(&mut self.table)
    }

    fn enter_schema(&mut self, schema: &str, _shared: &[String], create: bool) -> Result<(), Error> {
        #[derive(QueryableByName)]
        struct Here {
            #[diesel(sql_type = Nullable<Text>)]
            db: Option<String>,
            #[diesel(sql_type = BigInt)]
            present: i64,
        }
        let failed = |e: diesel::result::Error| Error::Schema {
            schema: schema.to_string(),
            source: Box::new(e),
        };
        let here: Here = sql_query(
            "SELECT DATABASE() AS db, CAST(EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?) AS \
             SIGNED) AS present",
        )
        .bind::<Text, _>(schema)
        .get_result(self.conn)
        .map_err(failed)?;
        if here.present == 0 {
            if !create {
                return Err(Error::NoSchema {
                    schema: schema.to_string(),
                });
            }
            self.conn
                .batch_execute(&format!(
                    "CREATE DATABASE IF NOT EXISTS {} CHARACTER SET utf8mb4",
                    ident(schema)
                ))
                .map_err(failed)?;
            log::info!("created database {schema}");
        }
        self.conn
            .batch_execute(&format!("USE {}", ident(schema)))
            .map_err(failed)?;
        self.schema = Some((schema.to_string(), here.db));
        Ok(())
    }

    fn leave_schema(&mut self) -> Result<(), Error> {
        match self.schema.take() {
            Some((schema, Some(db))) => {
                self.conn
                    .batch_execute(&format!("USE {}", ident(&db)))
                    .map_err(|e| Error::Schema {
                        schema,
                        source: Box::new(e),
                    })
            }
            _ => Ok(()),
        }
    }

    fn apply(&mut self, script: &Script, checksum: &str) -> Result<(), Error> {
        // the table lock is renewed before each statement (DDL commits at once: each is a step)
        let mut table = self.table.take();
        let applied = runner::apply(self.conn, script, &mut |conn| match table.as_mut() {
            Some(lock) => lock.renew(conn),
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

    fn revert(&mut self, script: &Script, down: &str) -> Result<(), Error> {
        // DDL commits at once: no transaction to roll back
        self.heartbeat()?;
        self.run_script(script, down, false, None)
    }
}
