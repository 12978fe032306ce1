//! A throwaway model crate driven by the real build step, with its migrations applied to a real
//! database (PostgreSQL, SQLite, or MySQL/MariaDB with the `mysql` feature): what the evolution tests
//! and the property tests run on.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use model_core::build::{BuildError, Builder, Mode};
use model_core::config::Config;
use model_core::ir::{compare, Dialect, Schema};

enum Conn {
    Postgres(model_testkit::PgDatabase, diesel::PgConnection),
    Sqlite(model_testkit::SqliteFile, diesel::SqliteConnection),
    #[cfg(feature = "mysql")]
    Mysql(model_testkit::MysqlDatabase, diesel::MysqlConnection),
}

/// Run `$body` with `$c` bound to the open connection, whatever the backend.
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            Conn::Postgres(_, $c) => $body,
            Conn::Sqlite(_, $c) => $body,
            #[cfg(feature = "mysql")]
            Conn::Mysql(_, $c) => $body,
        }
    };
}

/// A crate in a temp folder (`src/models.rs`, `migrations/`) and a database of its own.
pub struct Project {
    dir: tempfile::TempDir,
    clock: u32,
    /// The dialect of the crate and the database.
    pub dialect: Dialect,
    conn: Conn,
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    v: Option<String>,
}

impl Project {
    /// A new project on `dialect`, or `None` when its server is unreachable outside CI.
    pub fn new(dialect: Dialect, tag: &str) -> Option<Project> {
        let conn = match dialect {
            Dialect::Postgres => {
                let db = model_testkit::postgres(tag)?;
                let c = db.connect();
                Conn::Postgres(db, c)
            }
            Dialect::Sqlite => {
                let db = model_testkit::sqlite(tag);
                let c = db.connect();
                Conn::Sqlite(db, c)
            }
            #[cfg(feature = "mysql")]
            Dialect::Mysql => {
                let db = model_testkit::mysql(tag)?;
                let c = db.connect();
                Conn::Mysql(db, c)
            }
            #[cfg(not(feature = "mysql"))]
            Dialect::Mysql => panic!("MySQL tests need the `mysql` feature"),
        };
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("src")).expect("src");
        std::fs::write(
            dir.path().join("Cargo.toml"),
            format!(
                "[package]\nname = \"evolution\"\n[package.metadata.model]\ndialect = \"{dialect}\"\nmodels = [\"src/models.rs\"]\n"
            ),
        )
        .expect("Cargo.toml");
        Some(Project {
            dir,
            clock: 0,
            dialect,
            conn,
        })
    }

    /// Replace the model source.
    pub fn write_models(&self, source: &str) {
        std::fs::write(
            self.dir.path().join("src/models.rs"),
            format!("use model::Model;\n{source}"),
        )
        .expect("models.rs");
    }

    /// Run the build step (mode write) one second after the previous run.
    pub fn build(&mut self, allow_data_loss: bool) -> Result<Option<std::path::PathBuf>, BuildError> {
        self.clock += 1;
        let now = chrono::DateTime::from_timestamp(1_800_000_000 + i64::from(self.clock), 0).expect("time");
        let config = Config::load(self.dir.path()).expect("config");
        Builder::new(config)
            .mode(Mode::Write)
            .allow_data_loss(allow_data_loss)
            .now(now)
            .run()
            .map(|r| r.written)
    }

    /// Plan the migration `old → new` (schemas built in the test, no model source) and write it as
    /// the build step would (`up.sql`, `down.sql`, and `metadata.toml` when it needs one), one
    /// second after the previous one; its folder (`None` when the schemas are equal).
    pub fn write_planned(&mut self, old: &Schema, new: &Schema) -> Option<std::path::PathBuf> {
        self.clock += 1;
        let version = chrono::DateTime::from_timestamp(1_800_000_000 + i64::from(self.clock), 0)
            .expect("time")
            .format("%Y-%m-%d-%H%M%S");
        let m = model_core::plan::plan_migration(old, new, self.dialect, true).expect("plan")?;
        let dir = self.dir.path().join("migrations").join(format!("{version}_{}", m.name));
        std::fs::create_dir_all(&dir).expect("migration folder");
        std::fs::write(dir.join("up.sql"), &m.up_sql).expect("up.sql");
        std::fs::write(dir.join("down.sql"), &m.down_sql).expect("down.sql");
        if let Some(metadata) = model_core::emit::metadata_toml(&m) {
            std::fs::write(dir.join("metadata.toml"), metadata).expect("metadata.toml");
        }
        Some(dir)
    }

    /// The schema of the current model source, read with the build step's scanner (enum columns
    /// resolved from the scanned enums, as the build step does).
    pub fn models(&self) -> Schema {
        let config = Config::load(self.dir.path()).expect("config");
        let mut scan = model_core::build::scan::scan(&config).expect("scan");
        let problems = model_core::build::enums::resolve(&mut scan.models, &scan.enums, &scan.files);
        assert!(problems.is_empty(), "{problems:?}");
        Schema::new(scan.models.into_iter().map(|m| m.table).collect())
    }

    fn source(&self) -> FileBasedMigrations {
        FileBasedMigrations::from_path(self.dir.path().join("migrations")).expect("migrations folder")
    }

    /// Apply pending migrations; the versions applied.
    pub fn migrate(&mut self) -> Vec<String> {
        let source = self.source();
        with_conn!(&mut self.conn, c => model_core::runtime::migrate(c, source))
            .unwrap_or_else(|e| panic!("migrate: {e}"))
    }

    /// Apply pending migrations; the error when one fails.
    pub fn try_migrate(&mut self) -> Result<Vec<String>, model_core::runtime::Error> {
        let source = self.source();
        with_conn!(&mut self.conn, c => model_core::runtime::migrate(c, source))
    }

    /// Revert the newest applied migration.
    pub fn revert_last(&mut self) {
        let source = self.source();
        with_conn!(&mut self.conn, c => c.revert_last_migration(source).map(|_| ()))
            .unwrap_or_else(|e| panic!("revert: {e}"));
    }

    /// Revert the newest `steps` applied migrations with the crate's `downgrade` (under the lock,
    /// statement by statement on MySQL); the versions reverted.
    pub fn downgrade(&mut self, steps: usize) -> Result<Vec<String>, model_core::runtime::Error> {
        let source = self.source();
        let options = model_core::runtime::Options::default();
        with_conn!(&mut self.conn, c => model_core::runtime::downgrade(
            c,
            source,
            model_core::runtime::Downgrade::Steps(steps),
            &options
        ))
    }

    /// Revert every applied migration.
    pub fn revert_all(&mut self) {
        let source = self.source();
        with_conn!(&mut self.conn, c => c.revert_all_migrations(source).map(|_| ()))
            .unwrap_or_else(|e| panic!("revert all: {e}"));
    }

    /// The live schema.
    pub fn live(&mut self) -> Schema {
        match &mut self.conn {
            Conn::Postgres(_, c) => model_core::introspect::postgres(c),
            Conn::Sqlite(_, c) => model_core::introspect::sqlite(c),
            #[cfg(feature = "mysql")]
            Conn::Mysql(_, c) => model_core::introspect::mysql(c),
        }
        .expect("introspect")
    }

    /// Panic with every difference when the live schema is not `expected`. On SQLite, where the
    /// comparison sees types as SQLite's affinities (all integers alike), the declared type of each
    /// column is also compared, as text, with the type the build step writes for the model.
    pub fn assert_live_is(&mut self, expected: &Schema, context: &str) {
        let live = self.live();
        let mut diffs: Vec<String> = compare(expected, &live, self.dialect)
            .iter()
            .map(ToString::to_string)
            .collect();
        if self.dialect == Dialect::Sqlite {
            diffs.extend(self.declared_type_differences(expected));
        }
        assert!(
            diffs.is_empty(),
            "{context}: the {} database differs from the models:\n{}",
            self.dialect,
            diffs.iter().map(|d| format!("  - {d}\n")).collect::<String>()
        );
    }

    /// SQLite: each column of `expected` whose declared type (`pragma_table_xinfo`) is not, to the
    /// letter, the type the build step writes for it (columns missing are `compare`'s business).
    fn declared_type_differences(&mut self, expected: &Schema) -> Vec<String> {
        let mut out = Vec::new();
        for t in &expected.tables {
            let sql = format!(
                "SELECT name || ':' || type AS v FROM pragma_table_xinfo('{}')",
                t.name.replace('\'', "''")
            );
            let declared: Vec<String> = self.texts(&sql).into_iter().flatten().collect();
            for c in &t.columns {
                let want = c.ty.to_sql(Dialect::Sqlite);
                let found = declared
                    .iter()
                    .find_map(|d| d.split_once(':').filter(|(name, _)| *name == c.name).map(|(_, ty)| ty));
                if let Some(ty) = found.filter(|ty| *ty != want) {
                    out.push(format!(
                        "table \"{}\": column \"{}\": declared type {ty} in the database, {want} written by the build step",
                        t.name, c.name
                    ));
                }
            }
        }
        out
    }

    /// Run statements.
    pub fn exec(&mut self, sql: &str) {
        with_conn!(&mut self.conn, c => c.batch_execute(sql)).unwrap_or_else(|e| panic!("{e}\nin: {sql}"));
    }

    /// The values of the query's column `v`, joined with `,` (`NULL` as `null`). `{text}` in the query
    /// is the dialect's text type for casts (`TEXT`, or `CHAR` on MySQL).
    pub fn values(&mut self, sql: &str) -> String {
        let text = if self.dialect == Dialect::Mysql { "CHAR" } else { "TEXT" };
        let sql = sql.replace("{text}", text);
        let rows: Vec<Text> = with_conn!(&mut self.conn, c => diesel::sql_query(&sql).load::<Text>(c))
            .unwrap_or_else(|e| panic!("{e}\nin: {sql}"));
        rows.into_iter()
            .map(|r| r.v.unwrap_or_else(|| "null".into()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The values of the query's column `v`, one per row (`None` for NULL). `{text}` in the query is
    /// the dialect's text type for casts, as in [`Project::values`].
    pub fn texts(&mut self, sql: &str) -> Vec<Option<String>> {
        let text = if self.dialect == Dialect::Mysql { "CHAR" } else { "TEXT" };
        let sql = sql.replace("{text}", text);
        let rows: Vec<Text> = with_conn!(&mut self.conn, c => diesel::sql_query(&sql).load::<Text>(c))
            .unwrap_or_else(|e| panic!("{e}\nin: {sql}"));
        rows.into_iter().map(|r| r.v).collect()
    }

    /// The files of a written migration: `(up.sql, down.sql)`.
    pub fn read_migration(&self, dir: &std::path::Path) -> (String, String) {
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("migration file");
        (read("up.sql"), read("down.sql"))
    }
}
