//! A throwaway model crate driven by the real build step, with its migrations applied to a real
//! database (PostgreSQL, SQLite, or MySQL/MariaDB with the `mysql` feature): what the evolution tests
//! and the property tests run on.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use model_core::build::{BuildError, Builder, Mode};
use model_core::config::Config;
use model_core::ir::{Dialect, Schema};

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

/// Another database for the same project (e.g. one per git branch), created like the project's.
pub struct Database {
    conn: Conn,
    dialect: Dialect,
}

fn connect(dialect: Dialect, tag: &str) -> Option<Conn> {
    Some(match dialect {
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
    })
}

impl Database {
    /// Apply the pending migrations of `project`'s folder as it is now.
    pub fn try_migrate(&mut self, project: &Project) -> Result<Vec<String>, model_core::runtime::Error> {
        let source = project.source();
        with_conn!(&mut self.conn, c => model_core::runtime::migrate(c, source))
    }

    /// [`Database::try_migrate`], panicking on an error.
    pub fn migrate(&mut self, project: &Project) -> Vec<String> {
        self.try_migrate(project).unwrap_or_else(|e| panic!("migrate: {e}"))
    }

    /// Drift of the live database from `expected` (`model::verify`).
    pub fn verify(&mut self, expected: &Schema) -> Vec<model_core::ir::Difference> {
        with_conn!(&mut self.conn, c => model_core::runtime::verify(c, expected)).expect("verify")
    }

    /// The applied versions, oldest first.
    pub fn applied(&mut self) -> Vec<String> {
        with_conn!(&mut self.conn, c => model_core::runtime::history(c))
            .expect("history")
            .into_iter()
            .map(|a| a.version)
            .collect()
    }

    /// Undo the replaced draft (among `kept`) this database applied, as `model revert-draft` does.
    pub fn revert_draft(&mut self, kept: &[model_core::build::draft::Kept]) {
        for k in kept.iter().rev() {
            let d = model_core::runtime::Draft {
                version: k.version.clone(),
                name: k.name.clone(),
                up: k.up.clone(),
                down: k.down.clone(),
                run_in_transaction: k.run_in_transaction,
            };
            if with_conn!(&mut self.conn, c => model_core::runtime::applied_draft(c, &d)).expect("applied") {
                with_conn!(&mut self.conn, c => model_core::runtime::revert_draft(c, &d, &Default::default()))
                    .unwrap_or_else(|e| panic!("revert draft: {e}"));
                return;
            }
        }
        panic!("the database applied none of the {} kept drafts", kept.len());
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }
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
        let conn = connect(dialect, tag)?;
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("src")).expect("src");
        let p = Project {
            dir,
            clock: 0,
            dialect,
            conn,
        };
        p.configure("");
        Some(p)
    }

    /// Write the crate's `Cargo.toml` with `extra` lines in `[package.metadata.model]` (e.g.
    /// `objects = "db/objects"`).
    pub fn configure(&self, extra: &str) {
        std::fs::write(
            self.dir.path().join("Cargo.toml"),
            format!(
                "[package]\nname = \"evolution\"\n[package.metadata.model]\ndialect = \"{}\"\nmodels = [\"src/models.rs\"]\n{extra}\n",
                self.dialect
            ),
        )
        .expect("Cargo.toml");
    }

    /// The crate's folder.
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Write `text` to the file `path` of the crate (folders created), or remove it when `None`.
    pub fn write_file(&self, path: &str, text: Option<&str>) {
        let full = self.dir.path().join(path);
        match text {
            Some(text) => {
                std::fs::create_dir_all(full.parent().expect("parent")).expect("folders");
                std::fs::write(&full, text).expect("write");
            }
            None => {
                let _ = std::fs::remove_file(&full);
            }
        }
    }

    /// The crate's folder.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Another empty database of the project's dialect.
    pub fn database(&self, tag: &str) -> Database {
        Database {
            conn: connect(self.dialect, tag).expect("the server answered for the project"),
            dialect: self.dialect,
        }
    }

    /// Run git in the crate's folder; its standard output, or its error output when it fails.
    pub fn try_git(&self, args: &[&str]) -> Result<String, String> {
        model_testkit::git(self.dir.path(), args)
    }

    /// Run git in the crate's folder, panicking when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        self.try_git(args)
            .unwrap_or_else(|e| panic!("git {}: {e}", args.join(" ")))
    }

    /// Make the crate a git repository on branch `main`, everything committed, and scan every file
    /// of `src/` (so branches can add model files of their own).
    pub fn init_git(&self) {
        let manifest = self.dir.path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
        std::fs::write(
            &manifest,
            text.replace("models = [\"src/models.rs\"]", "models = [\"src\"]"),
        )
        .expect("Cargo.toml");
        self.git(&["init", "-q", "-b", "main"]);
        self.commit("start");
    }

    /// `git add -A` and commit everything (when there is something to commit).
    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        if !self.git(&["status", "--porcelain"]).trim().is_empty() {
            self.git(&["commit", "-q", "-m", message]);
        }
    }

    /// Write a model file `src/<name>` (with `use model::Model;` on top).
    pub fn write_model(&self, name: &str, source: &str) {
        std::fs::write(
            self.dir.path().join("src").join(name),
            format!("use model::Model;\n{source}"),
        )
        .expect("model file");
    }

    /// Run the build step in `mode`, one second after the previous run; its report.
    pub fn run_step(&mut self, mode: Mode, allow_data_loss: bool) -> Result<model_core::build::Report, BuildError> {
        self.clock += 1;
        let now = chrono::DateTime::from_timestamp(1_800_000_000 + i64::from(self.clock), 0).expect("time");
        let config = Config::load(self.dir.path()).expect("config");
        let report = Builder::new(config)
            .mode(mode)
            .allow_data_loss(allow_data_loss)
            .allow_rewrite(allow_data_loss)
            .now(now)
            .run()?;
        // the clock moves past the versions the other folders of the change took
        self.clock += u32::try_from(report.more.len()).unwrap_or(0);
        Ok(report)
    }

    /// The migration folder names, in version order.
    pub fn migration_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path().join("migrations"))
            .map(|rd| {
                rd.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.retain(|n| !n.starts_with('.'));
        names.sort();
        names
    }

    /// Replace the model source.
    pub fn write_models(&self, source: &str) {
        std::fs::write(
            self.dir.path().join("src/models.rs"),
            format!("use model::Model;\n{source}"),
        )
        .expect("models.rs");
    }

    /// Run the build step (mode write) one second after the previous run, allowing table rewrites
    /// when it allows data loss; the first folder written.
    pub fn build(&mut self, allow_data_loss: bool) -> Result<Option<std::path::PathBuf>, BuildError> {
        self.build_all(allow_data_loss, allow_data_loss)
            .map(|dirs| dirs.into_iter().next())
    }

    /// Run the build step (mode write) one second after the previous run; every folder written for
    /// the change, in order (PostgreSQL's online forms write one change as several migrations).
    pub fn build_all(
        &mut self,
        allow_data_loss: bool,
        allow_rewrite: bool,
    ) -> Result<Vec<std::path::PathBuf>, BuildError> {
        self.clock += 1;
        let now = chrono::DateTime::from_timestamp(1_800_000_000 + i64::from(self.clock), 0).expect("time");
        let config = Config::load(self.dir.path()).expect("config");
        let report = Builder::new(config)
            .mode(Mode::Write)
            .allow_data_loss(allow_data_loss)
            .allow_rewrite(allow_rewrite)
            .now(now)
            .run()?;
        // the clock moves past the versions the other folders took
        self.clock += u32::try_from(report.more.len()).unwrap_or(0);
        Ok(report.written.into_iter().chain(report.more).collect())
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

    /// The schema of the current model source as the build step reads it: tables (enum columns
    /// resolved from the scanned enums), views, the objects folder, extensions.
    pub fn models(&self) -> Schema {
        let config = Config::load(self.dir.path()).expect("config");
        Builder::new(config).models().unwrap_or_else(|e| panic!("models: {e}"))
    }

    /// The migrations folder as Diesel reads it.
    pub fn source(&self) -> FileBasedMigrations {
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

    /// `true` when the database holds no table, view, function or trigger (extensions aside).
    pub fn is_empty(&mut self) -> bool {
        let live = self.live();
        live.tables.is_empty() && live.views.is_empty() && live.functions.is_empty() && live.triggers.is_empty()
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

    /// Every difference between the live database and `expected`, as the drift check says them
    /// (views, functions and triggers compared in the database's own form).
    /// Strict: unlike `verify`, the database's views, functions and triggers are compared even when
    /// `expected` declares none.
    pub fn drift(&mut self, expected: &Schema) -> Vec<model_core::ir::Difference> {
        let (dialect, live) = (self.dialect, self.live());
        with_conn!(&mut self.conn, c => {
            let model = model_core::introspect::canonical(c, expected, &live);
            model_core::ir::compare(&model, &live, dialect)
        })
    }

    /// Panic with every difference when the live schema is not `expected` (see [`Project::drift`]).
    /// On SQLite, where the comparison sees types as SQLite's affinities (all integers alike), the
    /// declared type of each column is also compared, as text, with the type the build step writes
    /// for the model.
    pub fn assert_live_is(&mut self, expected: &Schema, context: &str) {
        let mut diffs: Vec<String> = self.drift(expected).iter().map(ToString::to_string).collect();
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
