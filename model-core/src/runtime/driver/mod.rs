//! What the runtime needs from each backend: the lock, transactions, the tracking tables. One
//! [`Driver`] per backend, chosen at compile time by the backend of the caller's connection (see
//! [`MigrationBackend`](super::MigrationBackend)) and written against [`Exec`], the few questions it
//! asks a connection.

mod exec;
#[cfg(feature = "mysql_backend")]
pub(crate) mod mysql;
#[cfg(feature = "postgres_backend")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

pub use exec::Exec;

#[cfg(feature = "mysql_backend")]
pub use exec::DirectMysql;
#[cfg(feature = "postgres_backend")]
pub use exec::DirectPg;
#[cfg(feature = "sqlite")]
pub use exec::DirectSqlite;
#[cfg(feature = "async")]
pub use exec::{BusyTimeout, Texts};

/// The keys of PostgreSQL's advisory migration lock.
#[cfg(feature = "postgres_backend")]
pub(crate) fn postgres_key() -> (i32, i32) {
    postgres::KEY
}

/// The keys of PostgreSQL's advisory migration lock (no PostgreSQL support built in).
#[cfg(not(feature = "postgres_backend"))]
pub(crate) fn postgres_key() -> (i32, i32) {
    (0x6d6f_6465, 0x6c5f_6d67)
}

use super::lock::{LockSql, Native, TableLock};
use super::script::Script;
use super::split::{statements, without_leading_comments};
use super::{BoxError, Error, MigrateConnection};
use crate::ir::Dialect;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryResult, QueryableByName};
use std::time::Duration;

/// The crate's own tracking table: one row per applied migration, with the checksum of its up.sql.
pub const TRACKING_TABLE: &str = "__model_migrations";

/// The savepoint a migration's script runs after, in its transaction.
const SAVEPOINT: &str = "model_migration";

/// Diesel's table of applied migrations (created the way Diesel does).
const DIESEL_TABLE: &str = "__diesel_schema_migrations";

/// The two tracking tables, for typed queries (Diesel caches their prepared statements).
pub(crate) mod tables {
    diesel::table! {
        /// Diesel's table.
        __diesel_schema_migrations (version) {
            /// The version.
            version -> VarChar,
        }
    }
    diesel::table! {
        /// The crate's table.
        __model_migrations (version) {
            /// The version.
            version -> VarChar,
            /// SHA-256 of the normalized up.sql.
            checksum -> VarChar,
        }
    }
    diesel::allow_tables_to_appear_in_same_query!(__diesel_schema_migrations, __model_migrations);
}

/// `(version, checksum)` of every applied migration, oldest first: a typed query (prepared once
/// and cached by Diesel), to load as `(String, Option<String>)` with Diesel's or diesel-async's
/// `RunQueryDsl`.
macro_rules! sums_query {
    () => {{
        use diesel::{ExpressionMethods, JoinOnDsl, NullableExpressionMethods, QueryDsl};
        use $crate::runtime::driver::tables::{__diesel_schema_migrations as d, __model_migrations as m};
        d::table
            .left_join(m::table.on(m::version.eq(d::version)))
            .select((d::version, m::checksum.nullable()))
            .order(d::version)
    }};
}
pub(crate) use sums_query;

/// A row of the applied migrations.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct AppliedRow {
    /// The version.
    #[diesel(sql_type = Text)]
    pub version: String,
    /// When Diesel's table says it was applied.
    #[diesel(sql_type = Nullable<Text>)]
    pub applied_at: Option<String>,
    /// The checksum in `__model_migrations`, when there is a row.
    #[diesel(sql_type = Nullable<Text>)]
    pub checksum: Option<String>,
}

/// A count.
#[derive(Debug, QueryableByName)]
pub struct Count {
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// A backend, behind the caller's connection.
pub(crate) trait Driver {
    /// The dialect.
    fn dialect(&self) -> Dialect;
    /// Execute `sql` (one statement or several), without results.
    fn batch(&mut self, sql: &str) -> QueryResult<()>;
    /// Run a query whose one row has one `BigInt` column `n`.
    fn count(&mut self, sql: &str) -> QueryResult<i64>;
    /// Run a query returning [`AppliedRow`]s.
    fn applied_rows(&mut self, sql: &str) -> QueryResult<Vec<AppliedRow>>;
    /// `(version, checksum)` of every applied migration, oldest first (both tables must exist):
    /// the [`sums_query!`] typed query.
    fn sums(&mut self) -> QueryResult<Vec<(String, Option<String>)>>;
    /// Take the engine's own cross-process migration lock, waiting at most `timeout`. Where that
    /// lock does not hold for every client of the database (a Galera node, CockroachDB), and
    /// `force` is false, nothing is taken and [`Native::NotShared`] says why (see `runtime::lock`).
    fn lock(&mut self, timeout: Duration, force: bool) -> Result<Native, Error>;
    /// Release the engine's lock if held, and put back the session settings the run changed (called
    /// at the end of every locked run, whatever the strategy).
    fn unlock(&mut self) -> Result<(), Error>;
    /// The live schema (introspection).
    fn live_schema(&mut self, models: &crate::ir::Schema) -> Result<crate::ir::Schema, Error>;
    /// `model` with its views, functions and triggers in the database's forms (see
    /// [`crate::introspect::canonical`]), so that it compares with `live`; `model` itself where
    /// the database keeps them as written (SQLite).
    fn canonical(&mut self, model: &crate::ir::Schema, live: &crate::ir::Schema) -> crate::ir::Schema {
        let _ = live;
        model.clone()
    }

    /// Record `script` as applied with `checksum` without running its statements (a baseline the
    /// database already holds), the way an applied migration is recorded.
    fn record_without_running(&mut self, script: &Script, checksum: &str) -> Result<(), Error> {
        let in_tx = script.in_transaction || self.always_in_transaction();
        self.run_script(script, "", in_tx, Some(checksum))
    }
    /// The connection, for the table lock (`None`: SQLite, whose write lock is the whole file's).
    fn lock_sql(&mut self) -> Option<&mut dyn LockSql> {
        None
    }
    /// Where the table lock of this run is kept while held.
    fn table_lock(&mut self) -> Option<&mut Option<TableLock>> {
        None
    }
    /// Renew the table lock, when this run holds one (before each migration; on MySQL before each
    /// statement): [`Error::LockLost`] when another run has taken it over.
    fn heartbeat(&mut self) -> Result<(), Error> {
        let Some(mut lock) = self.table_lock().and_then(Option::take) else {
            return Ok(());
        };
        let renewed = match self.lock_sql() {
            Some(sql) => lock.renew(sql),
            None => Ok(()),
        };
        if let Some(slot) = self.table_lock() {
            *slot = Some(lock);
        }
        renewed
    }
    /// Work in `schema` (PostgreSQL: `search_path` = it, then `shared`; MySQL: `USE` it), creating it
    /// when missing and `create`; [`Error::NoSchema`] when missing otherwise.
    fn enter_schema(&mut self, schema: &str, shared: &[String], create: bool) -> Result<(), Error> {
        let _ = (shared, create);
        Err(Error::Schema {
            schema: schema.to_string(),
            source: "SQLite has no schemas: give each tenant its own database file".into(),
        })
    }
    /// Put back the schema the connection had before [`Driver::enter_schema`].
    fn leave_schema(&mut self) -> Result<(), Error> {
        Ok(())
    }
    /// The PostgreSQL schema entered, when its tracking tables must be checked by their qualified
    /// names (a shared schema later in `search_path` may hold tracking tables of its own).
    fn schema(&self) -> Option<&str> {
        None
    }

    /// Start the transaction of one migration (when it runs in one).
    fn begin(&mut self) -> QueryResult<()> {
        self.batch("BEGIN")
    }
    /// The lock timeout migrations run with from now on (PostgreSQL; see
    /// [`Options::ddl_lock_timeout`](super::Options::ddl_lock_timeout)); nothing elsewhere.
    fn set_ddl_lock_timeout(&mut self, _timeout: Option<Duration>) {}
    /// Before the statements of a migration that runs outside a transaction (PostgreSQL: the
    /// session's lock timeout, and the `INVALID` indexes an interrupted `CREATE INDEX CONCURRENTLY`
    /// of it left dropped).
    fn before_outside_transaction(&mut self, _script: &Script, _sql: &str) -> Result<(), Error> {
        Ok(())
    }
    /// After the statements of a migration that runs outside a transaction, whatever they did.
    fn after_outside_transaction(&mut self) {}
    /// Commit the transaction of one migration.
    fn commit(&mut self) -> QueryResult<()> {
        self.batch("COMMIT")
    }
    /// After a migration's commit: take the lock again if the commit released it (SQLite).
    fn relock(&mut self) -> Result<(), Error> {
        Ok(())
    }
    /// Roll back the transaction of one migration.
    fn rollback(&mut self) -> QueryResult<()> {
        self.batch("ROLLBACK")
    }
    /// Whether the lock is free for a moment between two migrations (SQLite: the lock is the write
    /// transaction, committed after each migration), so the applied ones must be read again.
    fn lock_released_between_migrations(&self) -> bool {
        false
    }
    /// Whether every migration runs in a transaction, whatever its metadata says (SQLite: the lock is
    /// the write transaction).
    fn always_in_transaction(&self) -> bool {
        false
    }

    /// MySQL only: the migrations of `scripts` a run stopped in the middle of, with how far it got
    /// (`__model_migration_progress`); none elsewhere, and none when that table does not exist.
    fn partly_applied(&mut self, _scripts: &[Script]) -> Result<Vec<(String, super::status::Partial)>, Error> {
        Ok(Vec::new())
    }

    /// Which tracking tables exist: (Diesel's, the crate's), in one query.
    fn tables(&mut self) -> QueryResult<(bool, bool)> {
        let schema = self.schema().map(|s| format!("\"{}\".", s.replace('"', "\"\"")));
        let exists = |table: &str| match self.dialect() {
            Dialect::Postgres => format!(
                "CASE WHEN to_regclass({}) IS NULL THEN 0 ELSE 1 END",
                literal(&format!("{}{table}", schema.as_deref().unwrap_or("")))
            ),
            Dialect::Mysql => format!(
                "(SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = \
                 '{table}')"
            ),
            Dialect::Sqlite => {
                format!("(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}')")
            }
        };
        let sql = format!(
            "SELECT CAST({} + 2 * {} AS {}) AS n",
            exists(DIESEL_TABLE),
            exists(TRACKING_TABLE),
            if self.dialect() == Dialect::Mysql {
                "SIGNED"
            } else {
                "BIGINT"
            }
        );
        let n = self.count(&sql)?;
        Ok((n & 1 == 1, n & 2 == 2))
    }

    /// Create the tracking tables that are missing.
    fn ensure_tables(&mut self) -> Result<(), Error> {
        let (diesel, model) = self.tables().map_err(|e| tracking("read", e))?;
        if !diesel {
            self.batch(&format!(
                "CREATE TABLE IF NOT EXISTS {DIESEL_TABLE} (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on \
                 TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            ))
            .map_err(|e| tracking("create", e))?;
        }
        if !model {
            self.batch(&format!(
                "CREATE TABLE IF NOT EXISTS {TRACKING_TABLE} (version VARCHAR(50) PRIMARY KEY NOT NULL, checksum \
                 VARCHAR(64) NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            ))
            .map_err(|e| tracking("create", e))?;
        }
        Ok(())
    }

    /// The applied migrations, oldest first; empty when Diesel's table does not exist (nothing is
    /// created).
    fn applied(&mut self) -> Result<Vec<AppliedRow>, Error> {
        let (diesel, model) = self.tables().map_err(|e| tracking("read", e))?;
        if !diesel {
            return Ok(Vec::new());
        }
        self.read_applied_rows(model, true)
    }

    /// The applied migrations, oldest first, when Diesel's table exists (and the crate's, when
    /// `with_checksums`); `applied_at` is read only for status and history (`with_times`).
    fn read_applied(&mut self, with_checksums: bool) -> Result<Vec<AppliedRow>, Error> {
        self.read_applied_rows(with_checksums, false)
    }

    /// What [`Driver::read_applied`] gives, both tables existing, through the typed (prepared and
    /// cached) query; creates the tables first when missing.
    fn sums_or_create(&mut self) -> Result<Vec<AppliedRow>, Error> {
        if self.schema().is_some() {
            // the unqualified names must not find a shared schema's tables: make the schema's own first
            self.ensure_tables()?;
        }
        let rows = match self.sums() {
            Ok(rows) => rows,
            Err(_) => {
                // a table is missing (first run, or a database migrated by bare Diesel)
                self.ensure_tables()?;
                self.sums().map_err(|e| tracking("read", e))?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(version, checksum)| AppliedRow {
                version,
                applied_at: None,
                checksum,
            })
            .collect())
    }

    /// [`Driver::read_applied`], with the times when `with_times`.
    fn read_applied_rows(&mut self, with_checksums: bool, with_times: bool) -> Result<Vec<AppliedRow>, Error> {
        self.applied_rows(&applied_sql(self.dialect(), with_checksums, with_times))
            .map_err(|e| tracking("read", e))
    }

    /// Record (or replace) the checksum of an applied migration.
    fn set_checksum(&mut self, version: &str, checksum: &str) -> QueryResult<()> {
        self.batch(&checksum_sql(version, checksum))
    }

    /// Record an applied migration in both tables (one round trip).
    fn record(&mut self, version: &str, checksum: &str) -> QueryResult<()> {
        self.batch(&format!(
            "INSERT INTO {DIESEL_TABLE} (version) VALUES ({});\n{}",
            literal(version),
            checksum_sql(version, checksum)
        ))
    }

    /// Forget a reverted migration in both tables (one round trip).
    fn unrecord(&mut self, version: &str) -> QueryResult<()> {
        let v = literal(version);
        self.batch(&format!(
            "DELETE FROM {DIESEL_TABLE} WHERE version = {v};\nDELETE FROM {TRACKING_TABLE} WHERE version = {v}"
        ))
    }

    /// Apply `script` and record it with `checksum`: in a transaction when it runs in one (rolled
    /// back whole when a statement fails); a failure names the statement (see `run_script`).
    fn apply(&mut self, script: &Script, checksum: &str) -> Result<(), Error> {
        self.heartbeat()?;
        let in_tx = script.in_transaction || self.always_in_transaction();
        self.run_script(script, &script.up, in_tx, Some(checksum))
    }

    /// Run `script`'s down.sql and forget it, the same way.
    fn revert(&mut self, script: &Script, down: &str) -> Result<(), Error> {
        self.heartbeat()?;
        let in_tx = script.in_transaction || self.always_in_transaction();
        self.run_script(script, down, in_tx, None)
    }

    /// Run the statements of `sql` (of `script`), then record it with `checksum` (up) or forget it
    /// (`None`: down), in one transaction when `in_tx`.
    ///
    /// In a transaction the script is sent as one batch (one round trip, as Diesel does); only when
    /// that fails is it rolled back and run again statement by statement, to name the statement that
    /// fails. Outside a transaction (`run_in_transaction = false`: e.g. `CREATE INDEX CONCURRENTLY`,
    /// which PostgreSQL refuses in a multi-statement batch) it runs statement by statement at once.
    fn run_script(&mut self, script: &Script, sql: &str, in_tx: bool, checksum: Option<&str>) -> Result<(), Error> {
        let down = checksum.is_none();
        let action = if down { "revert" } else { "record" };
        let book = |e| tracking(&format!("{action} migration {} in", script.version), e);
        if in_tx {
            self.begin().map_err(book)?;
            if self.batch(&format!("SAVEPOINT {SAVEPOINT};\n{sql}")).is_err() {
                // back to before the script (the lock stays held), then again one statement at a
                // time: the database's error comes again, from the statement that causes it.
                // PostgreSQL parses the whole batch first: a syntax error runs nothing, not even the
                // savepoint; then the transaction starts again (the advisory lock is the session's).
                if self.batch(&format!("ROLLBACK TO SAVEPOINT {SAVEPOINT}")).is_err() {
                    self.rollback().map_err(book)?;
                    self.begin().map_err(book)?;
                }
                self.run_statements(script, sql, true, down)?;
            }
        } else {
            self.before_outside_transaction(script, sql)?;
            let ran = self.run_statements(script, sql, false, down);
            self.after_outside_transaction();
            ran?;
        }
        self.finish(script, sql, checksum, in_tx)
    }

    /// Run `sql` one statement at a time; the first that fails is an [`Error::Statement`] (after a
    /// rollback when `in_tx`).
    fn run_statements(&mut self, script: &Script, sql: &str, in_tx: bool, down: bool) -> Result<(), Error> {
        let list = statements(sql, self.dialect());
        for (i, statement) in list.iter().enumerate() {
            if let Err(source) = self.batch(statement) {
                if in_tx {
                    // the connection may be broken: the failure is the statement's, report it
                    let _ = self.rollback();
                }
                return Err(Error::Statement {
                    version: script.version.clone(),
                    name: script.name.clone(),
                    number: i + 1,
                    total: list.len(),
                    statement: without_leading_comments(statement).to_string(),
                    rolled_back: in_tx,
                    down,
                    source: Box::new(source),
                });
            }
        }
        Ok(())
    }

    /// After the statements of `script`: record it with `checksum` (up) or forget it (down), and
    /// commit when `in_tx`.
    fn finish(&mut self, script: &Script, sql: &str, checksum: Option<&str>, in_tx: bool) -> Result<(), Error> {
        let down = checksum.is_none();
        let action = if down { "revert" } else { "record" };
        let book = |e| tracking(&format!("{action} migration {} in", script.version), e);
        let booked = match checksum {
            Some(c) => self.record(&script.version, c),
            None => self.unrecord(&script.version),
        };
        if let Err(e) = booked {
            if in_tx {
                let _ = self.rollback();
            }
            return Err(book(e));
        }
        if in_tx {
            if let Err(source) = self.commit() {
                // e.g. SQLite's deferred foreign key checks, which run at commit
                let _ = self.rollback();
                let total = statements(sql, self.dialect()).len();
                return Err(Error::Statement {
                    version: script.version.clone(),
                    name: script.name.clone(),
                    number: total,
                    total,
                    statement: "COMMIT (after the last statement; deferred constraint checks run here)".into(),
                    rolled_back: true,
                    down,
                    source: Box::new(source),
                });
            }
            self.relock()?;
        }
        Ok(())
    }
}

/// The query of the applied migrations ([`AppliedRow`]s, oldest first), with their checksums and
/// times when asked.
pub(super) fn applied_sql(dialect: Dialect, with_checksums: bool, with_times: bool) -> String {
    let text = match dialect {
        Dialect::Mysql => "CHAR",
        _ => "TEXT",
    };
    let applied_at = if with_times {
        format!("CAST(d.run_on AS {text})")
    } else {
        format!("CAST(NULL AS {text})")
    };
    let (checksum, join) = if with_checksums {
        (
            "m.checksum".to_string(),
            format!(" LEFT JOIN {TRACKING_TABLE} m ON m.version = d.version"),
        )
    } else {
        (format!("CAST(NULL AS {text})"), String::new())
    };
    format!(
        "SELECT d.version AS version, {applied_at} AS applied_at, {checksum} AS checksum FROM {DIESEL_TABLE} \
         d{join} ORDER BY d.version"
    )
}

/// A SQL string literal (quotes doubled, backslashes too for MySQL's sake: versions and checksums
/// hold neither).
pub(crate) fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''").replace('\\', "\\\\"))
}

/// The statements that set the checksum of `version` in the crate's table (replacing a row).
fn checksum_sql(version: &str, checksum: &str) -> String {
    let (v, c) = (literal(version), literal(checksum));
    format!(
        "DELETE FROM {TRACKING_TABLE} WHERE version = {v};\nINSERT INTO {TRACKING_TABLE} (version, checksum) VALUES ({v}, {c})"
    )
}

/// An [`Error::Tracking`].
pub(crate) fn tracking(action: &str, e: diesel::result::Error) -> Error {
    Error::Tracking {
        action: action.to_string(),
        source: Box::new(e) as BoxError,
    }
}

/// The driver of `conn`, for its backend (always `Ok`: an unsupported connection does not compile).
pub(super) fn driver<C: MigrateConnection + ?Sized>(conn: &mut C) -> Result<Box<dyn Driver + '_>, Error> {
    Ok(conn.__driver().0)
}

/// The live schema behind `conn`, or [`Error::NoIntrospection`] when it is not a connection
/// introspection can read.
pub(crate) fn live_schema<E: Exec>(conn: &mut E, models: &crate::ir::Schema) -> Result<crate::ir::Schema, Error> {
    match conn.live_schema(models) {
        Some(schema) => schema.map_err(|source| Error::Introspect { source }),
        None => Err(Error::NoIntrospection {
            connection: std::any::type_name::<E>(),
        }),
    }
}
