//! Adopting an existing database, end to end, on PostgreSQL, SQLite and MariaDB: a hand-made database
//! (`tests/fixtures/adopt/<backend>.sql`: serial and identity keys, a composite key, non-default
//! constraint names, partial and unique indexes, checks, foreign keys with actions, an enum, comments,
//! a view and a trigger (imported as a view struct and a file of the objects folder), an excluded
//! audit table) → `model import` → the generated crate compiles
//! (a real `cargo build`) → the build writes nothing more than the baseline → the crate's service
//! migrates the database: it records the baseline without running it, and finds no drift → a model
//! change gives a migration that runs on it → the same crate on a fresh database gives the same
//! schema. The same from a Diesel project with two hand-written migrations and a `schema.rs`.

mod support;

use model_core::emit::Snapshot;
use model_core::graph::Kind;
use model_core::ir::{compare, Schema, TableFilter};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::db::{Backend, Db};
use support::migrations;

/// What the adoption tests read and run on a [`Db`].
impl Db {
    /// Run a SQL file: as one batch, except on MySQL one statement at a time (a trigger body must
    /// not be split by the client).
    fn run(&self, sql: &str) {
        if !matches!(self, Db::Mysql(_)) {
            return self.batch(sql);
        }
        let code: String = sql
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .map(|l| format!("{l}\n"))
            .collect();
        for s in code.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
            self.batch(s);
        }
    }

    /// The schema the crate owns, read back.
    fn schema(&self, filter: &TableFilter) -> Schema {
        let live = match self {
            Db::Pg(d) => model_core::introspect::postgres(&mut d.connect()),
            Db::Sqlite(d) => model_core::introspect::sqlite(&mut d.connect()),
            Db::Mysql(d) => model_core::introspect::mysql(&mut d.connect()),
        }
        .unwrap();
        filter.apply(&live)
    }
    /// The views and triggers with their definitions (they must survive adoption untouched).
    fn views_and_triggers(&self) -> Vec<String> {
        let live = self.schema(&TableFilter::default());
        let mut found: Vec<String> = live
            .views
            .iter()
            .map(|v| format!("view \"{}\": {}", v.name, v.sql))
            .chain(
                live.triggers
                    .iter()
                    .map(|t| format!("trigger \"{}\": {}", t.name, t.sql)),
            )
            .collect();
        found.sort();
        found
    }
}

fn workspace() -> PathBuf {
    support::workspace()
}

/// A new crate for `backend`: the service runs `model::migrate` then `model::verify_with` on
/// `DATABASE_URL` and prints what it applied and the drift.
fn new_crate(backend: Backend, tag: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("model-adopt-{tag}-"))
        .tempdir()
        .unwrap();
    let root = workspace();
    let root = root.display();
    let f = backend.name();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            r#"[package]
name = "adopted-{tag}"
version = "0.1.0"
edition = "2021"

[dependencies]
model = {{ package = "diesel-model", path = "{root}", features = ["{f}", "uuid"] }}
diesel = {{ version = "2.3.14", default-features = false, features = ["{f}", "chrono", "numeric"] }}
diesel_migrations = {{ version = "2.3.2", features = ["{f}"] }}
chrono = {{ version = "0.4.45", default-features = false, features = ["clock", "std"] }}
bigdecimal = "0.4.11"
libsqlite3-sys = {{ version = "0.38.2", features = ["bundled"] }}

[build-dependencies]
model = {{ package = "diesel-model", path = "{root}", features = ["build"] }}

[package.metadata.model]
dialect = "{f}"
exclude = ["audit_*"]

[workspace]
"#
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("build.rs"),
        "fn main() {\n    model::build::run();\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/main.rs"),
        format!(
            r#"#![allow(dead_code)]
mod models;
model::include_schema!();

const MIGRATIONS: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!();

fn main() {{
    use diesel::Connection;
    let url = std::env::var("DATABASE_URL").unwrap();
    let mut conn = {conn}::establish(&url).unwrap();
    match model::migrate(&mut conn, MIGRATIONS) {{
        Ok(applied) => println!("applied {{}}", applied.join(",")),
        Err(e) => {{
            println!("error {{e}}");
            std::process::exit(2);
        }}
    }}
    for d in model::verify_with(&mut conn, &model_schema(), &model::Options::default().tables(model_filter())).unwrap() {{
        println!("drift {{d}}");
    }}
}}
"#,
            conn = backend.connection()
        ),
    )
    .unwrap();
    std::fs::copy(root_lock(), dir.path().join("Cargo.lock")).unwrap();
    dir
}

fn root_lock() -> PathBuf {
    workspace().join("Cargo.lock")
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        // shared between the tests, and with the root crate's cargo_build tests, so the dependencies
        // compile once per backend
        .env("CARGO_TARGET_DIR", workspace().join("target/nested-builds"))
        .env("MODEL_MIGRATIONS", "write")
        .env_remove("MODEL_ALLOW_DATA_LOSS")
        .env_remove("CI")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn model(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_model"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

/// The record of `migration` in `migrations/.model/`.
fn record(dir: &Path, migration: &str) -> Snapshot {
    Snapshot::read(&Snapshot::path(&dir.join("migrations"), migration)).unwrap()
}

/// Build the crate and run its service on `url`: (what it printed, exit success).
fn service(dir: &Path, url: &str) -> String {
    let build = cargo(dir, &["build", "--quiet"]);
    assert!(build.status.success(), "cargo build failed:\n{}", text(&build));
    // each test's crate has a name of its own: they share one target folder
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let name = manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("the crate's name");
    let out = Command::new(workspace().join("target/nested-builds/debug").join(name))
        .env("DATABASE_URL", url)
        .output()
        .unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "the service failed:\n{printed}");
    printed
}

fn fixture(backend: Backend) -> String {
    std::fs::read_to_string(workspace().join(format!("model-cli/tests/fixtures/adopt/{}.sql", backend.name()))).unwrap()
}

const COUPON: &str = r#"
/// A discount code, added after the adoption.
#[derive(Model, Queryable, Selectable, Insertable, Debug, Clone)]
pub struct Coupon {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 20)]
    pub code: String,
    #[model(references = "users(id)", on_delete = "set null")]
    pub owner_id: Option<i64>,
}
"#;

/// The owner column's type must be the users key's: `int unsigned` on the MySQL fixture.
fn coupon(backend: Backend) -> String {
    if backend == Backend::Mysql {
        COUPON.replace(
            "pub owner_id: Option<i64>,",
            "#[model(sql_type = \"int unsigned\", diesel_type = \"Unsigned<Integer>\")]\n    pub owner_id: Option<u32>,",
        )
        .replace(
            "#[model(references = \"users(id)\", on_delete = \"set null\")]\n    #[model(sql_type",
            "#[model(references = \"users(id)\", on_delete = \"set null\", sql_type",
        )
    } else {
        COUPON.to_string()
    }
}

fn adopt_a_hand_made_database(backend: Backend) {
    let Some(db) = Db::new(backend, "adopt") else { return };
    db.run(&fixture(backend));
    let owned = TableFilter::new(Vec::<String>::new(), ["audit_*"]).unwrap();
    let before = db.schema(&owned);
    let objects = db.views_and_triggers();
    assert_eq!(objects.len(), 2, "{objects:?}");

    let krate = new_crate(backend, backend.name());
    let dir = krate.path();
    let manifest = dir.join("Cargo.toml");
    let import = model(
        dir,
        &[
            "--manifest-path",
            manifest.to_str().unwrap(),
            "--database-url",
            &db.url(),
            "import",
            "--output",
            dir.join("src/models.rs").to_str().unwrap(),
        ],
    );
    let said = text(&import);
    // everything is in the models: the view as a view struct, the trigger (and on PostgreSQL its
    // function) as files of the objects folder
    assert_eq!(import.status.code(), Some(0), "{said}");
    let code = std::fs::read_to_string(dir.join("src/models.rs"))
        .unwrap_or_else(|e| panic!("src/models.rs after `model import` ({e}):\n{said}"));
    assert!(
        code.contains("pub struct ActiveUser {") && code.contains("view = "),
        "{code}"
    );
    let folder = dir.join("db/objects");
    assert!(folder.join("trigger_orders_touch.sql").is_file(), "{said}");
    assert_eq!(
        folder.join("function_touch_note.sql").is_file(),
        backend == Backend::Postgres,
        "{said}"
    );
    assert!(!code.contains("audit_log") && !code.contains("AuditLog"), "{code}");
    if backend == Backend::Mysql {
        // Diesel binds `uuid::Uuid` on PostgreSQL only: the facade's type, and its feature named
        assert!(code.contains("pub api_token: Option<model::types::Uuid>"), "{code}");
        assert!(said.contains("features \"uuid\" of model"), "{said}");
    }
    let baseline = migrations(dir);
    assert_eq!(baseline.len(), 1, "{baseline:?}");
    assert!(baseline[0].ends_with("_baseline"), "{baseline:?}");
    // the root of the history: a record of kind baseline, following nothing
    let root = record(dir, &baseline[0]);
    assert_eq!(
        (root.kind, root.parents.as_slice(), root.format),
        (Kind::Baseline, &[][..], 2),
        "{root:?}"
    );

    // the crate compiles, the build writes nothing, the service records the baseline, no drift
    let first = service(dir, &db.url());
    assert_eq!(
        migrations(dir),
        baseline,
        "the build wrote a migration after the baseline"
    );
    let version = baseline[0].split('_').next().unwrap().replace('-', "");
    assert!(first.contains(&format!("applied {version}")), "{first}");
    assert!(!first.contains("drift"), "{first}");
    assert!(
        compare(&before, &db.schema(&owned), backend.dialect()).is_empty(),
        "the baseline ran"
    );
    assert_eq!(
        db.views_and_triggers(),
        objects,
        "the view and the trigger are left alone"
    );
    let again = service(dir, &db.url());
    assert!(
        again.contains("applied \n") || again.trim_end().ends_with("applied"),
        "{again}"
    );

    // a model change: one migration, which runs on the adopted database
    let models = dir.join("src/models.rs");
    std::fs::write(&models, format!("{code}{}", coupon(backend))).unwrap();
    let changed = service(dir, &db.url());
    let after = migrations(dir);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after[1].ends_with("_create_coupons"), "{after:?}");
    let next = record(dir, &after[1]);
    assert_eq!(
        (next.kind, next.parents.as_slice()),
        (Kind::Generated, &after[..1]),
        "diffed from the baseline"
    );
    assert!(!changed.contains("drift"), "{changed}");

    // the same crate on a fresh database: the same schema
    let Some(fresh) = Db::new(backend, "fresh") else { return };
    let out = service(dir, &fresh.url());
    assert!(!out.contains("drift"), "{out}");
    // the same view and trigger (the baseline created them), and the same tables
    // (by name: MySQL writes the database's name into a view's query)
    let names = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|o| o.split(':').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        names(fresh.views_and_triggers()),
        names(objects),
        "a fresh database has other objects"
    );
    let tables = |s: Schema| Schema::new(s.tables);
    let (adopted, created) = (tables(db.schema(&owned)), tables(fresh.schema(&owned)));
    let diffs = compare(&adopted, &created, backend.dialect());
    assert!(
        diffs.is_empty(),
        "a fresh database differs from the adopted one: {diffs:?}"
    );
}

#[test]
fn adopt_a_postgres_database() {
    adopt_a_hand_made_database(Backend::Postgres);
}

#[test]
fn adopt_a_sqlite_database() {
    adopt_a_hand_made_database(Backend::Sqlite);
}

#[test]
fn adopt_a_mysql_database() {
    adopt_a_hand_made_database(Backend::Mysql);
}

/// Two hand-written migrations of a Diesel project, per backend.
fn diesel_migrations_sql(backend: Backend) -> [(&'static str, String, &'static str); 2] {
    let key = match backend {
        Backend::Postgres => "id SERIAL PRIMARY KEY",
        Backend::Sqlite => "id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
        Backend::Mysql => "id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY",
    };
    [
        (
            "2020-01-01-000000_create_users",
            format!("CREATE TABLE users (\n    {key},\n    email VARCHAR(255) NOT NULL UNIQUE,\n    name VARCHAR(100) NOT NULL\n);\n"),
            "DROP TABLE users;\n",
        ),
        (
            "2020-01-02-000000_create_posts",
            format!(
                "CREATE TABLE posts (\n    {key},\n    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n    \
                 title VARCHAR(200) NOT NULL,\n    body TEXT\n);\n"
            ),
            "DROP TABLE posts;\n",
        ),
    ]
}

fn adopt_a_diesel_project(backend: Backend) {
    use diesel_migrations::MigrationHarness;
    let Some(db) = Db::new(backend, "diesel") else { return };
    let krate = new_crate(backend, &format!("diesel-{}", backend.name()));
    let dir = krate.path();
    for (name, up, down) in diesel_migrations_sql(backend) {
        std::fs::create_dir_all(dir.join("migrations").join(name)).unwrap();
        std::fs::write(dir.join("migrations").join(name).join("up.sql"), up).unwrap();
        std::fs::write(dir.join("migrations").join(name).join("down.sql"), down).unwrap();
    }
    // the project's database, migrated by bare Diesel
    let source = || diesel_migrations::FileBasedMigrations::from_path(dir.join("migrations")).unwrap();
    match &db {
        Db::Pg(d) => drop(d.connect().run_pending_migrations(source()).unwrap()),
        Db::Sqlite(d) => drop(d.connect().run_pending_migrations(source()).unwrap()),
        Db::Mysql(d) => drop(d.connect().run_pending_migrations(source()).unwrap()),
    }
    // its schema.rs, as `diesel print-schema` writes it
    let mut print = Command::new("diesel");
    print
        .args(["print-schema", "--database-url", &db.url()])
        .current_dir(dir);
    let printed = match print.output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => panic!("diesel print-schema failed: {}", text(&o)),
        Err(e) if !model_testkit::under_ci() => {
            eprintln!("skipped: diesel_cli is not installed ({e}); `.ci/run` installs it");
            return;
        }
        Err(e) => panic!("diesel_cli is not installed under CI: {e}"),
    };
    std::fs::write(dir.join("src/schema.rs"), printed).unwrap();
    let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    let conn = backend.connection();
    std::fs::write(
        dir.join("src/main.rs"),
        format!(
            "{}\nmod schema;\n{}\n/// Queries of the Diesel project keep working next to the models.\n\
             fn _uses_both(conn: &mut {conn}) -> diesel::QueryResult<Vec<models::User>> {{\n    \
             use diesel::prelude::*;\n    schema::users::table.select(models::User::as_select()).load(conn)\n}}\n",
            main.lines().next().unwrap_or_default(),
            main.lines().skip(1).collect::<Vec<_>>().join("\n")
        ),
    )
    .unwrap();

    let import = model(
        dir,
        &[
            "--manifest-path",
            dir.join("Cargo.toml").to_str().unwrap(),
            "--database-url",
            &db.url(),
            "import",
            "--diesel-schema",
            "crate::schema",
            "--output",
            dir.join("src/models.rs").to_str().unwrap(),
        ],
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import));
    let code = std::fs::read_to_string(dir.join("src/models.rs")).unwrap();
    assert!(code.contains("diesel_table = \"crate::schema::users\""), "{code}");
    let folder = migrations(dir);
    assert_eq!(folder.len(), 3, "{folder:?}");
    assert!(
        folder[2].ends_with("_baseline"),
        "the baseline comes after the hand-written ones: {folder:?}"
    );
    let baseline = folder[2].split('_').next().unwrap().replace('-', "");
    // the baseline follows the hand-written migrations: the history is one line, no fork to merge
    let root = record(dir, &folder[2]);
    assert_eq!(
        (root.kind, root.parents.as_slice()),
        (Kind::Baseline, &folder[1..2]),
        "{root:?}"
    );

    // the project's database: the baseline is recorded, not run; no drift
    let out = service(dir, &db.url());
    assert_eq!(
        migrations(dir),
        folder,
        "the build wrote a migration after the baseline"
    );
    assert!(out.contains(&format!("applied {baseline}\n")), "{out}");
    assert!(!out.contains("drift"), "{out}");
    // status and history show where the adopted schema starts
    let manifest = dir.join("Cargo.toml");
    let url = db.url();
    let cli = |command: &str| {
        model(
            dir,
            &[
                "--manifest-path",
                manifest.to_str().unwrap(),
                "--database-url",
                &url,
                command,
            ],
        )
    };
    let status = cli("status");
    let said = text(&status);
    assert_eq!(status.status.code(), Some(0), "{said}");
    let line = said.lines().find(|l| l.contains(&folder[2])).unwrap_or_default();
    assert!(line.contains("applied") && line.contains("(baseline: "), "{said}");
    assert!(!said.contains("FORK"), "{said}");
    let history = cli("history");
    let said = text(&history);
    assert_eq!(history.status.code(), Some(0), "{said}");
    let line = said.lines().find(|l| l.contains(&folder[2])).unwrap_or_default();
    assert!(line.contains("(baseline: "), "{said}");

    // a fresh database runs the hand-written migrations, and nothing else
    let Some(fresh) = Db::new(backend, "dfresh") else {
        return;
    };
    let out = service(dir, &fresh.url());
    assert!(
        out.contains(&format!("applied 20200101000000,20200102000000,{baseline}\n")),
        "{out}"
    );
    assert!(!out.contains("drift"), "{out}");
    let all = TableFilter::default();
    let diffs = compare(&db.schema(&all), &fresh.schema(&all), backend.dialect());
    assert!(diffs.is_empty(), "{diffs:?}");
}

#[test]
fn adopt_a_postgres_diesel_project() {
    adopt_a_diesel_project(Backend::Postgres);
}

#[test]
fn adopt_a_sqlite_diesel_project() {
    adopt_a_diesel_project(Backend::Sqlite);
}

#[test]
fn adopt_a_mysql_diesel_project() {
    adopt_a_diesel_project(Backend::Mysql);
}
