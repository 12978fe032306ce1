//! PostgreSQL: a session advisory lock taken by polling `pg_try_advisory_lock` (a blocking
//! `pg_advisory_lock` would deadlock against `CREATE INDEX CONCURRENTLY`, which waits for every
//! transaction older than it — a waiter blocked in `pg_advisory_lock` included — to end), and one
//! transaction per migration (DDL is transactional).

use super::exec::Exec;
use super::{literal, AppliedRow, Driver, Script};
use crate::ir::Dialect;
use crate::runtime::lock::{LockRow, LockSql, Native, TableLock};
use crate::runtime::Error;
use diesel::QueryResult;
use std::time::{Duration, Instant};

/// The advisory lock's two keys ("mode", "l_mg"): per database, as advisory locks are.
pub(crate) const KEY: (i32, i32) = (0x6d6f_6465, 0x6c5f_6d67);

/// The first key of a run in a schema ("mode", "l_sc"); the second is a hash of the schema's name.
const SCHEMA_KEY: i32 = 0x6c5f_7363;

/// The advisory lock's keys for a run in `schema`: per schema, so tenants of one database migrate
/// side by side; `public` (where runs without a schema work) keeps the database's keys.
fn key(schema: Option<&str>) -> (i32, i32) {
    match schema {
        None | Some("public") => KEY,
        Some(s) => {
            // FNV-1a: stable across processes, versions and platforms
            let mut h: u32 = 0x811c_9dc5;
            for b in s.bytes() {
                h ^= u32::from(b);
                h = h.wrapping_mul(0x0100_0193);
            }
            (SCHEMA_KEY, i32::from_ne_bytes(h.to_ne_bytes()))
        }
    }
}

/// An identifier, quoted.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The PostgreSQL driver, over any connection that answers its questions.
pub(crate) struct Pg<E> {
    conn: E,
    /// The advisory lock's keys.
    key: (i32, i32),
    /// The advisory lock is held.
    advisory: bool,
    /// The table lock, when the strategy took it.
    table: Option<TableLock>,
    /// The schema entered, and the `search_path` to put back.
    schema: Option<(String, String)>,
    /// The `lock_timeout` of each migration (see `Options::ddl_lock_timeout`).
    ddl_lock_timeout: Option<Duration>,
}

impl<E: Exec> Pg<E> {
    pub(crate) fn new(conn: E) -> Self {
        Pg {
            conn,
            key: KEY,
            advisory: false,
            table: None,
            schema: None,
            ddl_lock_timeout: None,
        }
    }

    /// Who holds the lock, in words.
    fn holder(&mut self) -> String {
        let sql = format!(
            "SELECT CAST(s.pid AS TEXT) AS a, s.application_name AS b, CAST(s.client_addr AS TEXT) AS c, \
             CAST(s.backend_start AS TEXT) AS d FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.classid = CAST({} AS oid) \
             AND l.objid = CAST({} AS oid) AND l.objsubid = 2 \
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            u32::from_ne_bytes(self.key.0.to_ne_bytes()),
            u32::from_ne_bytes(self.key.1.to_ne_bytes())
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
        let sql = format!(
            "SELECT CAST(CASE WHEN pg_try_advisory_lock({}, {}) THEN 1 ELSE 0 END AS BIGINT) AS n",
            self.key.0, self.key.1
        );
        Ok(self.conn.count(&sql)? == 1)
    }

    /// The first attempt, which also tells an engine whose advisory locks do not hold (CockroachDB:
    /// `pg_try_advisory_lock` is a stub that always succeeds; YugabyteDB: none before 2025.1).
    fn first_try(&mut self) -> Result<Result<bool, &'static str>, Error> {
        let sql = format!(
            "SELECT CASE WHEN pg_try_advisory_lock({}, {}) THEN '1' ELSE '0' END AS a, version() AS b, \
             CAST(NULL AS TEXT) AS c, CAST(NULL AS TEXT) AS d",
            self.key.0, self.key.1
        );
        match self.conn.texts(&sql) {
            Ok(rows) => {
                let row = rows.into_iter().next().unwrap_or_default();
                Ok(match not_shared(row.b.as_deref().unwrap_or("")) {
                    Some(why) => Err(why),
                    None => Ok(row.a.as_deref() == Some("1")),
                })
            }
            Err(e) => {
                // no advisory locks at all: say so when the engine is one we know
                let version = self
                    .conn
                    .texts(
                        "SELECT version() AS a, CAST(NULL AS TEXT) AS b, CAST(NULL AS TEXT) AS c, CAST(NULL AS TEXT) \
                         AS d",
                    )
                    .ok()
                    .and_then(|rows| rows.into_iter().next())
                    .and_then(|row| row.a);
                match version.as_deref().and_then(not_shared) {
                    Some(why) => Ok(Err(why)),
                    None => Err(Error::Lock { source: Box::new(e) }),
                }
            }
        }
    }
}

/// Why the advisory lock of the engine behind `version()` does not hold, if it does not.
fn not_shared(version: &str) -> Option<&'static str> {
    if version.contains("CockroachDB") {
        Some("CockroachDB: its advisory lock functions are no-ops")
    } else if version.contains("-YB-") {
        Some("YugabyteDB: advisory locks are missing or off")
    } else {
        None
    }
}

impl<E: Exec> LockSql for Pg<E> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
    fn execute(&mut self, sql: &str) -> QueryResult<usize> {
        self.conn.execute(sql)
    }
    fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<LockRow>> {
        self.conn.lock_rows(sql)
    }
}

impl<E: Exec> Driver for Pg<E> {
    fn live_schema(&mut self, models: &crate::ir::Schema) -> Result<crate::ir::Schema, Error> {
        super::live_schema(&mut self.conn, models)
    }

    fn canonical(&mut self, model: &crate::ir::Schema, live: &crate::ir::Schema) -> crate::ir::Schema {
        self.conn.canonical(model, live)
    }

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

    fn lock(&mut self, timeout: Duration, force: bool) -> Result<Native, Error> {
        let start = Instant::now();
        let mut delay = Duration::from_millis(5);
        let mut waiting = false;
        let mut first = true;
        loop {
            let got = if first {
                first = false;
                match self.first_try()? {
                    Ok(got) => got,
                    Err(why) if !force => {
                        // the stub may have said yes: nothing is held, nothing to keep
                        return Ok(Native::NotShared(why));
                    }
                    Err(why) => {
                        // asked for: taken if it exists at all, and not released (it holds nothing)
                        log::warn!("the advisory lock does not keep other runs out here ({why}): use the table lock");
                        let _ = self.try_lock();
                        return Ok(Native::Held);
                    }
                }
            } else {
                self.try_lock().map_err(|e| Error::Lock { source: Box::new(e) })?
            };
            if got {
                self.advisory = true;
                if waiting {
                    log::info!("took the migration lock after waiting {:?}", start.elapsed());
                }
                return Ok(Native::Held);
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
        if !std::mem::take(&mut self.advisory) {
            return Ok(());
        }
        self.conn
            .batch(&format!("SELECT pg_advisory_unlock({}, {})", self.key.0, self.key.1))
            .map_err(|e| Error::Lock { source: Box::new(e) })
    }

    fn lock_sql(&mut self) -> Option<&mut dyn LockSql> {
        Some(self)
    }

    fn table_lock(&mut self) -> Option<&mut Option<TableLock>> {
        Some(&mut self.table)
    }

    fn enter_schema(&mut self, schema: &str, shared: &[String], create: bool) -> Result<(), Error> {
        let failed = |e: diesel::result::Error| Error::Schema {
            schema: schema.to_string(),
            source: Box::new(e),
        };
        let present_sql = |path: &str| {
            format!(
                "SELECT {path} AS a, CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = {}) THEN '1' ELSE \
                 '0' END AS b, CAST(NULL AS TEXT) AS c, CAST(NULL AS TEXT) AS d",
                literal(schema)
            )
        };
        let here = self
            .conn
            .texts(&present_sql("current_setting('search_path')"))
            .map_err(failed)?
            .into_iter()
            .next()
            .unwrap_or_default();
        if here.b.as_deref() != Some("1") {
            if !create {
                return Err(Error::NoSchema {
                    schema: schema.to_string(),
                });
            }
            if let Err(e) = self
                .conn
                .batch(&format!("CREATE SCHEMA IF NOT EXISTS {}", ident(schema)))
            {
                // two runs creating it at once: the loser's IF NOT EXISTS can still fail
                let now = self
                    .conn
                    .texts(&present_sql("''"))
                    .map_err(failed)?
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                if now.b.as_deref() != Some("1") {
                    return Err(failed(e));
                }
            } else {
                log::info!("created schema {schema}");
            }
        }
        let path: Vec<String> = std::iter::once(schema)
            .chain(shared.iter().map(String::as_str).filter(|s| *s != schema))
            .map(ident)
            .collect();
        self.conn
            .batch(&format!("SET search_path TO {}", path.join(", ")))
            .map_err(failed)?;
        self.schema = Some((schema.to_string(), here.a.unwrap_or_default()));
        self.key = key(Some(schema));
        Ok(())
    }

    fn leave_schema(&mut self) -> Result<(), Error> {
        let Some((schema, path)) = self.schema.take() else {
            return Ok(());
        };
        self.key = KEY;
        self.conn
            .batch(&format!("SELECT set_config('search_path', {}, false)", literal(&path)))
            .map_err(|e| Error::Schema {
                schema,
                source: Box::new(e),
            })
    }

    fn schema(&self) -> Option<&str> {
        self.schema.as_ref().map(|(s, _)| s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_per_schema_and_public_shares_the_databases() {
        assert_eq!(key(None), KEY);
        assert_eq!(key(Some("public")), KEY);
        let (a, b) = (key(Some("tenant_1")), key(Some("tenant_2")));
        assert_ne!(a, b);
        assert_eq!(a.0, SCHEMA_KEY);
        // fixed: processes of different builds must agree
        assert_eq!(key(Some("tenant_1")), (SCHEMA_KEY, 1_347_249_325));
    }

    #[test]
    fn engines_whose_advisory_locks_do_not_hold() {
        assert!(not_shared("PostgreSQL 15.19 (Debian 15.19-0+deb12u1) on x86_64-pc-linux-gnu").is_none());
        assert!(not_shared("CockroachDB CCL v24.1.0 (x86_64-pc-linux-gnu, built 2024/05/15)").is_some());
        assert!(not_shared("PostgreSQL 11.2-YB-2.20.1.0-b0 on x86_64-pc-linux-gnu").is_some());
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
mod index_tests {
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
