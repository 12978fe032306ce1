//! PostgreSQL: a session advisory lock taken by polling `pg_try_advisory_lock` (a blocking
//! `pg_advisory_lock` would deadlock against `CREATE INDEX CONCURRENTLY`, which waits for every
//! transaction older than it — a waiter blocked in `pg_advisory_lock` included — to end), and one
//! transaction per migration (DDL is transactional).

use super::{AppliedRow, Count, Driver, Script};
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
    /// The `lock_timeout` of each migration (see `Options::ddl_lock_timeout`).
    ddl_lock_timeout: Option<Duration>,
}

impl<'a> Pg<'a> {
    pub(crate) fn new(conn: &'a mut PgConnection) -> Self {
        Pg {
            conn,
            ddl_lock_timeout: None,
        }
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

    /// `SET [LOCAL] lock_timeout = '<ms>ms'`, when a timeout is set.
    fn set_lock_timeout(&self, local: bool) -> Option<String> {
        self.ddl_lock_timeout.map(|t| {
            format!(
                "SET {}lock_timeout = '{}ms'",
                if local { "LOCAL " } else { "" },
                t.as_millis().max(1)
            )
        })
    }

    /// Drop the index `name` (as written in the statement, maybe quoted) when an interrupted
    /// `CREATE INDEX CONCURRENTLY` left it `INVALID`, so that the statement can run again.
    fn drop_invalid_index(&mut self, script: &Script, name: &str) -> Result<(), Error> {
        let literal = format!("'{}'", name.replace('\'', "''"));
        let invalid = self
            .count(&format!(
                "SELECT count(*) AS n FROM pg_index WHERE indexrelid = to_regclass({literal}) AND NOT indisvalid"
            ))
            .map_err(|e| super::tracking("look for an invalid index in", e))?;
        if invalid > 0 {
            log::warn!(
                "migration {} (`{}`): index {name} is INVALID (a CREATE INDEX CONCURRENTLY was interrupted): dropping \
                 it to build it again",
                script.version,
                script.name
            );
            self.batch(&format!("DROP INDEX CONCURRENTLY IF EXISTS {name}"))
                .map_err(|e| super::tracking(&format!("drop the invalid index {name} in"), e))?;
        }
        Ok(())
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

    fn begin(&mut self) -> QueryResult<()> {
        match self.set_lock_timeout(true) {
            Some(set) => self.batch(&format!("BEGIN;\n{set}")),
            None => self.batch("BEGIN"),
        }
    }

    fn set_ddl_lock_timeout(&mut self, timeout: Option<Duration>) {
        self.ddl_lock_timeout = timeout;
    }

    fn before_outside_transaction(&mut self, script: &Script, sql: &str) -> Result<(), Error> {
        for statement in super::statements(sql, Dialect::Postgres) {
            if let Some(name) = concurrent_index_name(super::without_leading_comments(&statement)) {
                self.drop_invalid_index(script, &name)?;
            }
        }
        if let Some(set) = self.set_lock_timeout(false) {
            self.batch(&set)
                .map_err(|e| super::tracking("set the lock timeout of migration in", e))?;
        }
        Ok(())
    }

    fn after_outside_transaction(&mut self) {
        if self.ddl_lock_timeout.is_some() {
            let _ = self.batch("RESET lock_timeout");
        }
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

/// The index a `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] <name> ON ..` statement builds,
/// as written (quoted or not); `None` for any other statement.
fn concurrent_index_name(statement: &str) -> Option<String> {
    let mut words = statement.split_whitespace().peekable();
    let mut next_is = |w: &str| match words.peek() {
        Some(x) if x.eq_ignore_ascii_case(w) => {
            words.next();
            true
        }
        _ => false,
    };
    if !next_is("CREATE") {
        return None;
    }
    next_is("UNIQUE");
    if !(next_is("INDEX") && next_is("CONCURRENTLY")) {
        return None;
    }
    if next_is("IF") && !(next_is("NOT") && next_is("EXISTS")) {
        return None;
    }
    let name = words.next()?;
    (!name.eq_ignore_ascii_case("ON")).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::concurrent_index_name;

    #[test]
    fn the_index_of_a_concurrent_build() {
        let name = |s: &str| concurrent_index_name(s);
        assert_eq!(
            name(r#"CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_a" ON "t" ("a")"#).as_deref(),
            Some(r#""ix_a""#)
        );
        assert_eq!(
            name("create unique index concurrently ix_b on t (b)").as_deref(),
            Some("ix_b")
        );
        assert_eq!(name("CREATE INDEX ix_c ON t (c)"), None);
        assert_eq!(
            name("CREATE INDEX CONCURRENTLY ON t (c)"),
            None,
            "no name: nothing to clean up"
        );
    }
}
