//! 16 processes start at once on a fresh database and call `migrate` with the quickstart's
//! migrations, repeated `MODEL_CONCURRENCY_TRIALS` times (20 under CI, 3 otherwise): every process
//! succeeds, each migration is applied exactly once (both tracking tables), the schema is the
//! model's. PostgreSQL adds a `CREATE INDEX CONCURRENTLY` migration with `run_in_transaction = false`.
//! PostgreSQL and MySQL run again with the table lock (`_table_lock`).
//! Each test prints its figures (trials × processes, failures, wall time).
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use model_core::ir::{Index, Schema};
use model_core::runtime::verify;
use runtime_support::{
    assert_mysql_quickstart, mysql_quickstart, outcome, run_child_if_asked, snapshot, spawn, start_at, tracked, trials,
    Folder,
};
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
    let (mut failures, mut waits) = (0, 0);
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
        let waited: usize = outcomes.iter().map(|o| o.waited).sum();
        waits += waited;
        assert!(
            waited > 0,
            "{backend} trial {trial}: no process waited for the migration lock: the runs did not overlap"
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
        "concurrency {backend}: {trials} trials x {PROCESSES} processes, {failures} failures, {waits} lock waits, {:.1?} wall time",
        started.elapsed()
    );
}

/// With the table lock, the last run left no lock row behind.
fn assert_released<C>(conn: &mut C, test: &str)
where
    C: diesel::Connection,
    runtime_support::N: diesel::QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, runtime_support::N>,
{
    if test.ends_with("_table_lock") {
        let rows = runtime_support::count(conn, "SELECT count(*) AS n FROM __model_migration_lock");
        assert_eq!(rows, 0, "the lock row is deleted when released");
    }
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
    postgres_trials("postgres_sixteen_processes_at_once");
}

/// The same with the table lock (a row in `__model_migration_lock`, and the advisory lock after it).
#[test]
fn postgres_sixteen_processes_at_once_table_lock() {
    postgres_trials("postgres_sixteen_processes_at_once_table_lock");
}

fn postgres_trials(test: &str) {
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
        test,
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
            assert_released(&mut conn, test);
        },
    );
}

#[test]
fn sqlite_sixteen_processes_at_once() {
    run_child_if_asked();
    sqlite_trials("sqlite_sixteen_processes_at_once", "sqlite", "conc");
}

/// The SQLite trials of `test`, its children migrating through `backend` (`sqlite`, `async-sqlite`),
/// each trial on a new database file tagged `tag`.
fn sqlite_trials(test: &str, backend: &str, tag: &str) {
    let folder = Folder::example("quickstart");
    let model = snapshot("quickstart");
    let n = folder.versions().len() as i64;
    run_trials(
        test,
        backend,
        &folder,
        || {
            let db = model_testkit::sqlite(tag);
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
    mysql_trials("mysql_sixteen_processes_at_once");
}

/// The same with the table lock (a row in `__model_migration_lock`, and `GET_LOCK` after it).
#[test]
fn mysql_sixteen_processes_at_once_table_lock() {
    mysql_trials("mysql_sixteen_processes_at_once_table_lock");
}

fn mysql_trials(test: &str) {
    run_child_if_asked();
    let Some(probe) = model_testkit::mysql("conc_probe") else {
        return;
    };
    drop(probe);
    let (folder, model) = mysql_quickstart("conc_mysql");
    let n = folder.versions().len() as i64;
    run_trials(
        test,
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
            assert_released(&mut conn, test);
            let live = model_core::introspect::mysql(&mut conn).expect("introspect");
            assert_mysql_quickstart(&model, live);
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
        super::sqlite_trials(
            "through_async::async_sqlite_sixteen_processes_at_once",
            "async-sqlite",
            "conc_async",
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
                // a unique index reads back as the unique constraint MySQL makes of it
                assert!(
                    accounts.uniques.iter().any(|u| u.name == "ux_accounts_email")
                        || accounts.indexes.iter().any(|i| i.name == "ux_accounts_email"),
                    "{accounts:?}"
                );
            },
        );
    }
}
