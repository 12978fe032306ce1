//! `model import` writes the views, functions, triggers and extensions of a live database, on
//! PostgreSQL, MariaDB and SQLite: a database made with plain SQL (tables, a view, a function, a
//! trigger, an extension on PostgreSQL; a table, view and trigger the crate excludes) → `model import`
//! into a fresh crate → a view struct, one file per function and trigger in the objects folder,
//! `objects` and `extensions` in `[package.metadata.model]` → the build step writes no migration after
//! the baseline → `upgrade` records the baseline without running it and `status` finds no drift →
//! a fresh database runs the baseline (objects included) and has no drift either.

mod support;

use std::path::Path;
use support::db::{Backend, Db};
use support::{migrations, Run};

/// Run `statements`, one at a time (a MySQL trigger's body must not be split by the client).
fn run(db: &Db, statements: &[&str]) {
    for s in statements {
        db.batch(s);
    }
}

/// The database: `posts` with a view over it, a function and a trigger (PostgreSQL: the trigger calls
/// the function; an extension types a column), and `audit_log` with a view and a trigger of its own
/// that the crate excludes.
fn fixture(backend: Backend) -> Vec<&'static str> {
    match backend {
        Backend::Postgres => vec![
            "CREATE EXTENSION IF NOT EXISTS citext",
            "CREATE TABLE posts (id BIGSERIAL PRIMARY KEY, title TEXT NOT NULL, slug CITEXT, \
             updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), published BOOLEAN NOT NULL DEFAULT false)",
            "CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            "CREATE VIEW published_posts AS SELECT id, title, slug, updated_at FROM posts WHERE published",
            "CREATE MATERIALIZED VIEW post_counts AS SELECT published, count(*) AS n FROM posts GROUP BY published",
            "CREATE VIEW audit_recent AS SELECT id FROM audit_log",
            "CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); \
             RETURN NEW; END $$",
            "CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch_updated_at()",
            "CREATE TRIGGER audit_touch BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION touch_updated_at()",
        ],
        Backend::Mysql => vec![
            "CREATE TABLE posts (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL, \
             edits INT NOT NULL DEFAULT 0, published BOOLEAN NOT NULL DEFAULT FALSE)",
            "CREATE TABLE audit_log (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL DEFAULT 0)",
            "CREATE VIEW published_posts AS SELECT id, title, edits FROM posts WHERE published",
            "CREATE VIEW audit_recent AS SELECT id FROM audit_log",
            "CREATE FUNCTION title_length(t VARCHAR(200)) RETURNS INT DETERMINISTIC RETURN CHAR_LENGTH(t)",
            "CREATE TRIGGER posts_edits BEFORE UPDATE ON posts FOR EACH ROW SET NEW.edits = OLD.edits + 1",
            "CREATE TRIGGER audit_count BEFORE UPDATE ON audit_log FOR EACH ROW SET NEW.n = OLD.n + 1",
        ],
        Backend::Sqlite => vec![
            "CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, title TEXT NOT NULL, updated_at TEXT, \
             published BOOLEAN NOT NULL DEFAULT 0)",
            "CREATE TABLE audit_log (id INTEGER PRIMARY KEY NOT NULL, n INTEGER NOT NULL DEFAULT 0)",
            "CREATE VIEW published_posts AS SELECT id, title FROM posts WHERE published",
            "CREATE VIEW audit_recent AS SELECT id FROM audit_log",
            "CREATE TRIGGER posts_touch AFTER UPDATE OF title ON posts BEGIN UPDATE posts SET updated_at = \
             datetime('now') WHERE id = NEW.id; END",
            "CREATE TRIGGER audit_count AFTER UPDATE ON audit_log BEGIN SELECT 1; END",
        ],
    }
}

/// `model <args>` on the crate in `dir`.
fn model(dir: &Path, url: &str, args: &[&str]) -> Run {
    let manifest = dir.join("Cargo.toml");
    let mut all = vec!["--manifest-path", manifest.to_str().unwrap(), "--database-url", url];
    all.extend_from_slice(args);
    Run::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_model"))
            .args(&all)
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .env_remove("MODEL_ALLOW_DATA_LOSS")
            .output()
            .unwrap(),
    )
}

fn said(r: &Run) -> String {
    format!("--- stdout\n{}\n--- stderr\n{}", r.stdout, r.stderr)
}

fn import_objects(backend: Backend) {
    let tag = format!("import_helper_{}", backend.name());
    let Some(db) = Db::new(backend, &tag) else { return };
    run(&db, &fixture(backend));
    let krate = tempfile::Builder::new()
        .prefix("model-import-helper-")
        .tempdir()
        .unwrap();
    let dir = krate.path();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[package.metadata.model]\ndialect = \"{}\"\n\
             exclude = [\"audit_*\"]\n",
            backend.name()
        ),
    )
    .unwrap();

    let url = db.url();
    let models = dir.join("src/models.rs");
    let import = model(dir, &url, &["import", "--output", models.to_str().unwrap()]);
    // everything is written (nothing listed as not expressible): exit 0
    import.code(0);
    let code = std::fs::read_to_string(&models).unwrap();
    // the view: a struct with its query as the database returns it, and the key Diesel uses said
    assert!(code.contains("pub struct PublishedPost {"), "{code}");
    assert!(code.contains("view = "), "{code}");
    assert!(
        code.contains("// A view has no key: Diesel treats `id` as its key (the column named `id`)"),
        "{code}"
    );
    assert!(
        !code.contains("not expressible") && !code.contains("Not in the models"),
        "{code}"
    );
    // the excluded table's view and trigger stay out
    assert!(!code.contains("audit"), "{code}");
    let objects = dir.join("db/objects");
    let mut files: Vec<String> = std::fs::read_dir(&objects)
        .unwrap_or_else(|e| panic!("{e}: {}", said(&import)))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let expected: &[&str] = match backend {
        Backend::Postgres => &["function_touch_updated_at.sql", "trigger_posts_touch.sql"],
        Backend::Mysql => &["function_title_length.sql", "trigger_posts_edits.sql"],
        Backend::Sqlite => &["trigger_posts_touch.sql"],
    };
    assert_eq!(files, expected, "{}", said(&import));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("objects = \"db/objects\"\n"), "{manifest}");
    if backend == Backend::Postgres {
        assert!(manifest.contains("extensions = [\"citext\"]\n"), "{manifest}");
        assert!(
            code.contains("#[model(materialized)]\npub struct PostCount {"),
            "{code}"
        );
        let function = std::fs::read_to_string(objects.join("function_touch_updated_at.sql")).unwrap();
        assert!(
            function.starts_with("CREATE OR REPLACE FUNCTION public.touch_updated_at()"),
            "{function}"
        );
    } else {
        assert!(!manifest.contains("extensions"), "{manifest}");
    }
    if backend == Backend::Mysql {
        // the whole statement without the definer, and a view not tied to this database's name
        let function = std::fs::read_to_string(objects.join("function_title_length.sql")).unwrap();
        assert!(function.starts_with("CREATE FUNCTION `title_length`("), "{function}");
        assert!(!code.contains("`model_t_"), "{code}");
    }
    let baseline = migrations(dir);
    assert_eq!(baseline.len(), 1, "{baseline:?}");
    let up = std::fs::read_to_string(dir.join("migrations").join(&baseline[0]).join("up.sql")).unwrap();
    for what in ["create view \"published_posts\"", "create trigger"] {
        assert!(up.contains(what), "{what} not in the baseline:\n{up}");
    }

    // the build step writes nothing after the baseline
    model(dir, &url, &["check"]).code(0);
    model(dir, &url, &["generate"]).code(0);
    assert_eq!(migrations(dir), baseline, "the build step wrote a migration");

    // the database holds the baseline: recorded without running, and no drift
    let upgrade = model(dir, &url, &["upgrade"]);
    upgrade.code(0);
    assert!(
        upgrade.stdout.contains("recorded as applied without running it"),
        "{}",
        said(&upgrade)
    );
    let status = model(dir, &url, &["status"]);
    status.code(0);
    assert!(status.stdout.contains("drift: none"), "{}", said(&status));

    // a fresh database: the baseline creates the extension, function, table, views and trigger
    let Some(fresh) = Db::new(backend, &format!("{tag}_fresh")) else {
        return;
    };
    let url = fresh.url();
    let upgrade = model(dir, &url, &["upgrade"]);
    upgrade.code(0);
    assert!(upgrade.stdout.contains("applied migration"), "{}", said(&upgrade));
    let status = model(dir, &url, &["status"]);
    status.code(0);
    assert!(status.stdout.contains("drift: none"), "{}", said(&status));
}

#[test]
fn import_writes_the_objects_of_a_postgres_database() {
    import_objects(Backend::Postgres);
}

#[test]
fn import_writes_the_objects_of_a_mysql_database() {
    import_objects(Backend::Mysql);
}

#[test]
fn import_writes_the_objects_of_a_sqlite_database() {
    import_objects(Backend::Sqlite);
}

/// Outside a crate there is no objects folder: the view is still a struct, the function, trigger
/// and extension are listed (exit 1), never dropped silently.
#[test]
fn without_a_crate_functions_and_triggers_are_listed() {
    let Some(db) = Db::new(Backend::Postgres, "import_helper_nocrate") else {
        return;
    };
    run(&db, &fixture(Backend::Postgres));
    let out = tempfile::Builder::new()
        .prefix("model-import-helper-")
        .tempdir()
        .unwrap();
    let run = Run::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_model"))
            .args(["--database-url", &db.url(), "import", "--exclude", "audit_*"])
            .current_dir(out.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap(),
    );
    run.code(1);
    assert!(run.stdout.contains("pub struct PublishedPost {"), "{}", said(&run));
    for what in [
        "function \"touch_updated_at\" (not written",
        "trigger \"posts_touch\" on table \"posts\" (not written",
        "extension \"citext\" (not written",
    ] {
        assert!(run.stderr.contains(what), "{what}: {}", said(&run));
        assert!(run.stdout.contains(what), "{what} not in the file: {}", said(&run));
    }
    assert!(!run.stderr.contains("audit_touch"), "{}", said(&run));
}
