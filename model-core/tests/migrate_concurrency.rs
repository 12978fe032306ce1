//! 16 processes start at once on a fresh database and call `migrate` with the quickstart's
//! migrations, repeated `MODEL_CONCURRENCY_TRIALS` times (20 under CI, 3 otherwise): every process
//! succeeds, each migration is applied exactly once (both tracking tables), the schema is the
//! model's. PostgreSQL adds a `CREATE INDEX CONCURRENTLY` migration with `run_in_transaction = false`.
//! Each test prints its figures (trials × processes, failures, wall time).
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use model_core::ir::{Dialect, Index, Schema};
use model_core::runtime::verify;
use runtime_support::{outcome, run_child_if_asked, snapshot, spawn, start_at, tracked, trials, Folder};
use std::time::{Duration, Instant};

const PROCESSES: usize = 16;

/// Run `trials()` trials of `PROCESSES` children started at the same instant; `fresh` makes a
/// database and returns its URL and a guard, `check` looks at the database after a trial.
fn run_trials<G>(
    test: &str,
    backend: &str,
    folder: &Folder,
    mut fresh: impl FnMut() -> (String, G),
    mut check: impl FnMut(&str),
) {
    let versions = folder.versions();
    let trials = trials();
    let started = Instant::now();
    let mut failures = 0;
    for trial in 0..trials {
        let (url, guard) = fresh();
        let at = start_at(Duration::from_millis(400));
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| spawn(test, backend, &url, &folder.path, Some(at), false))
            .collect();
        let outcomes: Vec<_> = children.into_iter().map(outcome).collect();
        let failed: Vec<&str> = outcomes.iter().filter(|o| !o.ok).map(|o| o.output.as_str()).collect();
        failures += failed.len();
        assert!(
            failed.is_empty(),
            "{backend} trial {trial}: {} process(es) failed:\n{}",
            failed.len(),
            failed.join("\n---\n")
        );
        let mut applied: Vec<String> = outcomes.iter().flat_map(|o| o.applied.clone()).collect();
        applied.sort();
        assert_eq!(
            applied, versions,
            "{backend} trial {trial}: each migration applied exactly once"
        );
        check(&url);
        drop(guard);
    }
    println!(
        "concurrency {backend}: {trials} trials x {PROCESSES} processes, {failures} failures, {:.1?} wall time",
        started.elapsed()
    );
}

/// The database holds `model` (drift check).
fn assert_model<C>(conn: &mut C, model: &Schema)
where
    C: model_core::runtime::Introspect,
{
    let diffs = verify(conn, model).expect("verify");
    assert!(diffs.is_empty(), "the schema is the model's: {diffs:?}");
}

#[test]
fn postgres_sixteen_processes_at_once() {
    run_child_if_asked();
    let Some(probe) = model_testkit::postgres("conc_probe") else {
        return;
    };
    drop(probe);
    let folder = Folder::example("quickstart-pg");
    let concurrently = "2026-12-01-000000_index_posts_title";
    folder.write(
        concurrently,
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"ix_posts_title\" ON \"posts\" (\"title\");\n",
        Some("DROP INDEX CONCURRENTLY IF EXISTS \"ix_posts_title\";\n"),
    );
    folder.no_transaction(concurrently);
    let mut model = snapshot("quickstart-pg");
    model
        .tables
        .iter_mut()
        .find(|t| t.name == "posts")
        .expect("posts")
        .indexes
        .push(Index {
            name: "ix_posts_title".into(),
            columns: vec!["title".into()],
            unique: false,
            where_sql: None,
        });
    let n = folder.versions().len() as i64;
    run_trials(
        "postgres_sixteen_processes_at_once",
        "postgres",
        &folder,
        || {
            let db = model_testkit::postgres("conc").expect("postgres");
            (db.url.clone(), db)
        },
        |url| {
            let mut conn = <diesel::PgConnection as diesel::Connection>::establish(url).expect("connect");
            assert_eq!(
                tracked(&mut conn),
                (n, n),
                "one row per migration in both tracking tables"
            );
            assert_model(&mut conn, &model);
        },
    );
}

#[test]
fn sqlite_sixteen_processes_at_once() {
    run_child_if_asked();
    let folder = Folder::example("quickstart");
    let model = snapshot("quickstart");
    let n = folder.versions().len() as i64;
    run_trials(
        "sqlite_sixteen_processes_at_once",
        "sqlite",
        &folder,
        || {
            let db = model_testkit::sqlite("conc");
            (db.path.to_string_lossy().into_owned(), db)
        },
        |url| {
            let mut conn = <diesel::SqliteConnection as diesel::Connection>::establish(url).expect("open");
            assert_eq!(
                tracked(&mut conn),
                (n, n),
                "one row per migration in both tracking tables"
            );
            assert_model(&mut conn, &model);
        },
    );
}

#[test]
fn mysql_sixteen_processes_at_once() {
    run_child_if_asked();
    let Some(probe) = model_testkit::mysql("conc_probe") else {
        return;
    };
    drop(probe);
    // the quickstart's models, planned for MySQL the way the build step does; MySQL indexes TEXT
    // columns only with a prefix and has no partial index, so here indexed TEXT columns are
    // VARCHAR(191) and indexes are whole
    let mut model = snapshot("quickstart-pg");
    for t in &mut model.tables {
        for i in &mut t.indexes {
            i.where_sql = None;
        }
        let indexed: Vec<String> = t.indexes.iter().flat_map(|i| i.columns.clone()).collect();
        for c in &mut t.columns {
            if indexed.contains(&c.name) && c.ty == model_core::ir::ColumnType::Text {
                c.ty = model_core::ir::ColumnType::Varchar { len: 191 };
            }
        }
    }
    let folder = Folder::new("conc_mysql");
    let m = model_core::plan::plan_migration(&Schema::default(), &model, Dialect::Mysql, false)
        .expect("plan")
        .expect("a migration");
    folder.write(&format!("2026-11-24-000000_{}", m.name), &m.up_sql, Some(&m.down_sql));
    folder.write(
        "2026-12-01-000000_index_posts_title",
        "CREATE INDEX `ix_posts_title` ON `posts` (`title`(100));\n",
        Some("DROP INDEX `ix_posts_title` ON `posts`;\n"),
    );
    let n = folder.versions().len() as i64;
    run_trials(
        "mysql_sixteen_processes_at_once",
        "mysql",
        &folder,
        || {
            let db = model_testkit::mysql("conc").expect("mysql");
            (db.url.clone(), db)
        },
        |url| {
            let mut conn = <diesel::MysqlConnection as diesel::Connection>::establish(url).expect("connect");
            assert_eq!(
                tracked(&mut conn),
                (n, n),
                "one row per migration in both tracking tables"
            );
            let live = model_core::introspect::mysql(&mut conn).expect("introspect");
            let posts = live.table("posts").expect("posts");
            assert!(posts.indexes.iter().any(|i| i.name == "ix_posts_title"), "{posts:?}");
            let mut model = model.clone();
            let mut live = live.clone();
            // the prefix index is not in the model: compare the rest
            for t in &mut live.tables {
                t.indexes.retain(|i| i.name != "ix_posts_title");
            }
            model.tables.sort_by(|a, b| a.name.cmp(&b.name));
            let diffs = model_core::ir::compare(&model, &live, Dialect::Mysql);
            assert!(diffs.is_empty(), "the schema is the model's: {diffs:?}");
        },
    );
}

/// The 16 processes again, through `migrate_async` on diesel-async connections (half of them on a
/// multi-thread tokio runtime, half on a current-thread one): the same guarantees.
#[cfg(feature = "async")]
mod through_async {
    use super::*;

    #[test]
    fn async_postgres_sixteen_processes_at_once() {
        run_child_if_asked();
        let Some(probe) = model_testkit::postgres("conc_probe") else {
            return;
        };
        drop(probe);
        let folder = Folder::example("quickstart-pg");
        let model = snapshot("quickstart-pg");
        let n = folder.versions().len() as i64;
        run_trials(
            "through_async::async_postgres_sixteen_processes_at_once",
            "async-postgres",
            &folder,
            || {
                let db = model_testkit::postgres("conc_async").expect("postgres");
                (db.url.clone(), db)
            },
            |url| {
                let mut conn = <diesel::PgConnection as diesel::Connection>::establish(url).expect("connect");
                assert_eq!(
                    tracked(&mut conn),
                    (n, n),
                    "one row per migration in both tracking tables"
                );
                assert_model(&mut conn, &model);
            },
        );
    }

    #[test]
    fn async_sqlite_sixteen_processes_at_once() {
        run_child_if_asked();
        let folder = Folder::example("quickstart");
        let model = snapshot("quickstart");
        let n = folder.versions().len() as i64;
        run_trials(
            "through_async::async_sqlite_sixteen_processes_at_once",
            "async-sqlite",
            &folder,
            || {
                let db = model_testkit::sqlite("conc_async");
                (db.path.to_string_lossy().into_owned(), db)
            },
            |url| {
                let mut conn = <diesel::SqliteConnection as diesel::Connection>::establish(url).expect("open");
                assert_eq!(
                    tracked(&mut conn),
                    (n, n),
                    "one row per migration in both tracking tables"
                );
                assert_model(&mut conn, &model);
            },
        );
    }

    #[test]
    fn async_mysql_sixteen_processes_at_once() {
        run_child_if_asked();
        let Some(probe) = model_testkit::mysql("conc_probe") else {
            return;
        };
        drop(probe);
        let folder = Folder::new("conc_async_mysql");
        folder.write(
            "2026-11-24-000000_create_accounts",
            "CREATE TABLE `accounts` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `email` VARCHAR(191) NOT \
             NULL);\nCREATE UNIQUE INDEX `ux_accounts_email` ON `accounts` (`email`);\n",
            Some("DROP TABLE `accounts`;\n"),
        );
        folder.write(
            "2026-11-25-000000_add_name",
            "ALTER TABLE `accounts` ADD COLUMN `name` VARCHAR(100) NULL;\n",
            Some("ALTER TABLE `accounts` DROP COLUMN `name`;\n"),
        );
        let n = folder.versions().len() as i64;
        run_trials(
            "through_async::async_mysql_sixteen_processes_at_once",
            "async-mysql",
            &folder,
            || {
                let db = model_testkit::mysql("conc_async").expect("mysql");
                (db.url.clone(), db)
            },
            |url| {
                let mut conn = <diesel::MysqlConnection as diesel::Connection>::establish(url).expect("connect");
                assert_eq!(
                    tracked(&mut conn),
                    (n, n),
                    "one row per migration in both tracking tables"
                );
                let live = model_core::introspect::mysql(&mut conn).expect("introspect");
                let accounts = live.table("accounts").expect("accounts");
                assert!(accounts.column("name").is_some(), "{accounts:?}");
                assert!(
                    accounts.indexes.iter().any(|i| i.name == "ux_accounts_email"),
                    "{accounts:?}"
                );
            },
        );
    }
}
