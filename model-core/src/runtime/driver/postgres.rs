//! PostgreSQL: a session advisory lock taken by polling `pg_try_advisory_lock` (a blocking
//! `pg_advisory_lock` would deadlock against `CREATE INDEX CONCURRENTLY`, which waits for every
//! transaction older than it — a waiter blocked in `pg_advisory_lock` included — to end), and one
//! transaction per migration (DDL is transactional).

use super::{AppliedRow, Count, Driver};
use crate::ir::Dialect;
use crate::runtime::lock::{LockSql, Native, TableLock};
use crate::runtime::Error;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Integer, Nullable, Text};
use diesel::{sql_query, QueryResult, QueryableByName, RunQueryDsl};
use std::time::{Duration, Instant};

/// The advisory lock's two keys ("mode", "l_mg"): per database, as advisory locks are.
const KEY: (i32, i32) = (0x6d6f_6465, 0x6c5f_6d67);

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

/// The PostgreSQL driver.
pub(crate) struct Pg<'a> {
    conn: &'a mut PgConnection,
    /// The advisory lock's keys.
    key: (i32, i32),
    /// The advisory lock is held.
    advisory: bool,
    /// The table lock, when the strategy took it.
    table: Option<TableLock>,
    /// The schema entered, and the `search_path` to put back.
    schema: Option<(String, String)>,
}

impl<'a> Pg<'a> {
    pub(crate) fn new(conn: &'a mut PgConnection) -> Self {
        Pg {
            conn,
            key: KEY,
            advisory: false,
            table: None,
            schema: None,
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
             WHERE l.locktype = 'advisory' AND l.granted AND l.classid = CAST({} AS oid) AND l.objid = CAST({} AS oid) \
             AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            u32::from_ne_bytes(self.key.0.to_ne_bytes()),
            u32::from_ne_bytes(self.key.1.to_ne_bytes())
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
        let sql = format!("SELECT pg_try_advisory_lock({}, {}) AS ok", self.key.0, self.key.1);
        Ok(sql_query(sql).get_result::<Got>(self.conn)?.ok)
    }

    /// The first attempt, which also tells an engine whose advisory locks do not hold (CockroachDB:
    /// `pg_try_advisory_lock` is a stub that always succeeds; YugabyteDB: none before 2025.1).
    fn first_try(&mut self) -> Result<Result<bool, &'static str>, Error> {
        #[derive(QueryableByName)]
        struct Got {
            #[diesel(sql_type = Bool)]
            ok: bool,
            #[diesel(sql_type = Text)]
            version: String,
        }
        let sql = format!(
            "SELECT pg_try_advisory_lock({}, {}) AS ok, version() AS version",
            self.key.0, self.key.1
        );
        match sql_query(sql).get_result::<Got>(self.conn) {
            Ok(got) => Ok(match not_shared(&got.version) {
                Some(why) => Err(why),
                None => Ok(got.ok),
            }),
            Err(e) => {
                // no advisory locks at all: say so when the engine is one we know
                #[derive(QueryableByName)]
                struct Version {
                    #[diesel(sql_type = Text)]
                    version: String,
                }
                match sql_query("SELECT version() AS version").get_result::<Version>(self.conn) {
                    Ok(v) if not_shared(&v.version).is_some() => Ok(Err(not_shared(&v.version).unwrap_or_default())),
                    _ => Err(Error::Lock { source: Box::new(e) }),
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
            .batch_execute(&format!("SELECT pg_advisory_unlock({}, {})", self.key.0, self.key.1))
            .map_err(|e| Error::Lock { source: Box::new(e) })
    }

    fn lock_sql(&mut self) -> Option<&mut dyn LockSql> {
        Some(&mut *self.conn)
    }

    fn table_lock(&mut self) -> Option<&mut Option<TableLock>> {
        Some(&mut self.table)
    }

    fn enter_schema(&mut self, schema: &str, shared: &[String], create: bool) -> Result<(), Error> {
        #[derive(QueryableByName)]
        struct Here {
            #[diesel(sql_type = Text)]
            path: String,
            #[diesel(sql_type = Bool)]
            present: bool,
        }
        let failed = |e: diesel::result::Error| Error::Schema {
            schema: schema.to_string(),
            source: Box::new(e),
        };
        let here: Here = sql_query(
            "SELECT current_setting('search_path') AS path, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS \
             present",
        )
        .bind::<Text, _>(schema)
        .get_result(self.conn)
        .map_err(failed)?;
        if !here.present {
            if !create {
                return Err(Error::NoSchema {
                    schema: schema.to_string(),
                });
            }
            if let Err(e) = self
                .conn
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {}", ident(schema)))
            {
                // two runs creating it at once: the loser's IF NOT EXISTS can still fail
                let now: Here =
                    sql_query("SELECT '' AS path, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS present")
                        .bind::<Text, _>(schema)
                        .get_result(self.conn)
                        .map_err(failed)?;
                if !now.present {
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
            .batch_execute(&format!("SET search_path TO {}", path.join(", ")))
            .map_err(failed)?;
        self.schema = Some((schema.to_string(), here.path));
        self.key = key(Some(schema));
        Ok(())
    }

    fn leave_schema(&mut self) -> Result<(), Error> {
        let Some((schema, path)) = self.schema.take() else {
            return Ok(());
        };
        self.key = KEY;
        sql_query("SELECT set_config('search_path', $1, false)")
            .bind::<Text, _>(path)
            .execute(self.conn)
            .map(|_| ())
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
