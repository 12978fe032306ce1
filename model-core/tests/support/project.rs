//! A throwaway model crate driven by the real build step, with its migrations applied to a real
//! PostgreSQL database: what the evolution tests and the property test run on.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use model_core::build::{BuildError, Builder, Mode};
use model_core::config::Config;
use model_core::ir::{compare, Dialect, Schema};

/// A crate in a temp folder (`src/models.rs`, `migrations/`) and a database of its own.
pub struct Project {
    dir: tempfile::TempDir,
    clock: u32,
    /// The database the migrations are applied to.
    pub db: model_testkit::PgDatabase,
    /// An open connection to it.
    pub conn: PgConnection,
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    v: Option<String>,
}

impl Project {
    /// A new project on PostgreSQL, or `None` when the server is unreachable outside CI.
    pub fn postgres(tag: &str) -> Option<Project> {
        let db = model_testkit::postgres(tag)?;
        let conn = db.connect();
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("src")).expect("src");
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"evolution\"\n[package.metadata.model]\ndialect = \"postgres\"\nmodels = [\"src/models.rs\"]\n",
        )
        .expect("Cargo.toml");
        Some(Project {
            dir,
            clock: 0,
            db,
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

    /// The schema of the current model source, read with the build step's scanner.
    pub fn models(&self) -> Schema {
        let config = Config::load(self.dir.path()).expect("config");
        let scan = model_core::build::scan::scan(&config).expect("scan");
        Schema::new(scan.models.into_iter().map(|m| m.def.table).collect())
    }

    fn source(&self) -> FileBasedMigrations {
        FileBasedMigrations::from_path(self.dir.path().join("migrations")).expect("migrations folder")
    }

    /// Apply pending migrations; the versions applied.
    pub fn migrate(&mut self) -> Vec<String> {
        let source = self.source();
        model_core::runtime::migrate(&mut self.conn, source).unwrap_or_else(|e| panic!("migrate: {e}"))
    }

    /// Revert the newest applied migration.
    pub fn revert_last(&mut self) {
        let source = self.source();
        self.conn
            .revert_last_migration(source)
            .unwrap_or_else(|e| panic!("revert: {e}"));
    }

    /// Revert every applied migration.
    pub fn revert_all(&mut self) {
        let source = self.source();
        self.conn
            .revert_all_migrations(source)
            .unwrap_or_else(|e| panic!("revert all: {e}"));
    }

    /// The live schema.
    pub fn live(&mut self) -> Schema {
        model_core::introspect::postgres(&mut self.conn).expect("introspect")
    }

    /// Panic with every difference when the live schema is not `expected`.
    pub fn assert_live_is(&mut self, expected: &Schema, context: &str) {
        let live = self.live();
        let diffs = compare(expected, &live, Dialect::Postgres);
        assert!(
            diffs.is_empty(),
            "{context}: the database differs from the models:\n{}",
            diffs.iter().map(|d| format!("  - {d}\n")).collect::<String>()
        );
    }

    /// Run statements.
    pub fn exec(&mut self, sql: &str) {
        self.conn
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{e}\nin: {sql}"));
    }

    /// The single text value a query (aliasing its column `v`) returns; `None` for SQL NULL.
    pub fn text(&mut self, sql: &str) -> Option<String> {
        diesel::sql_query(sql)
            .get_result::<Text>(&mut self.conn)
            .unwrap_or_else(|e| panic!("{e}\nin: {sql}"))
            .v
    }

    /// The files of the newest migration: `(up.sql, down.sql)`.
    pub fn read_migration(&self, dir: &std::path::Path) -> (String, String) {
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("migration file");
        (read("up.sql"), read("down.sql"))
    }
}
