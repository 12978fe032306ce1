//! PostgreSQL: a session advisory lock taken by polling `pg_try_advisory_lock` (a blocking
//! `pg_advisory_lock` would deadlock against `CREATE INDEX CONCURRENTLY`, which waits for every
//! transaction older than it — a waiter blocked in `pg_advisory_lock` included — to end), and one
//! transaction per migration (DDL is transactional).

use super::{AppliedRow, Count, Driver};
use crate::ir::Dialect;
use crate::runtime::Error;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Integer, Nullable, Text};
use diesel::{sql_query, QueryResult, QueryableByName, RunQueryDsl};
use std::time::{Duration, Instant};

/// The advisory lock's two keys ("mode", "l_mg"): per database, as advisory locks are.
const KEY: (i32, i32) = (0x6d6f_6465, 0x6c5f_6d67);

/// The PostgreSQL driver.
pub(crate) struct Pg<'a> {
    conn: &'a mut PgConnection,
}

impl<'a> Pg<'a> {
    pub(crate) fn new(conn: &'a mut PgConnection) -> Self {
        Pg { conn }
    }

    /// Who holds the lock, in words.
    fn holder(&mut self) -> String {
        #[derive(QueryableByName)]
        struct Holder {
            #[diesel(sql_type = Integer)]
            pid: i32,
            #[diesel(sql_type = Nullable<Text>)]
            app: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            addr: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            since: Option<String>,
        }
        let sql = format!(
            "SELECT a.pid AS pid, a.application_name AS app, CAST(a.client_addr AS TEXT) AS addr, \
             CAST(a.backend_start AS TEXT) AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {} AND l.objid = {} AND l.objsubid = 2 \
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            KEY.0, KEY.1
        );
        match sql_query(sql).load::<Holder>(self.conn) {
            Ok(rows) => match rows.into_iter().next() {
                Some(h) => format!(
                    "PostgreSQL backend pid {}, application_name {:?}, client {}, connected since {}",
                    h.pid,
                    h.app.unwrap_or_default(),
                    h.addr.unwrap_or_else(|| "local socket".into()),
                    h.since.unwrap_or_else(|| "an unknown time".into())
                ),
                None => "a session that has just released it, or that this role may not see".into(),
            },
            Err(e) => format!("unknown: cannot read pg_locks: {e}"),
        }
    }

    fn try_lock(&mut self) -> QueryResult<bool> {
        #[derive(QueryableByName)]
        struct Got {
            #[diesel(sql_type = Bool)]
            ok: bool,
        }
        let sql = format!("SELECT pg_try_advisory_lock({}, {}) AS ok", KEY.0, KEY.1);
        Ok(sql_query(sql).get_result::<Got>(self.conn)?.ok)
    }
}

impl Driver for Pg<'_> {
    fn live_schema(&mut self) -> Result<crate::ir::Schema, Error> {
        crate::introspect::postgres(self.conn).map_err(|source| Error::Introspect { source })
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
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
            .batch_execute(&format!("SELECT pg_advisory_unlock({}, {})", KEY.0, KEY.1))
            .map_err(|e| Error::Lock { source: Box::new(e) })
    }
}
