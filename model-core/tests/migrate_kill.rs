//! A process killed (SIGKILL) during a slow migration, then started again: the next run succeeds
//! and the schema is right. The slow statement is slow only in the killed process (a session
//! setting it makes), so the restarted run is fast. PostgreSQL and MySQL run again with the table
//! lock (`_table_lock`): the killed holder's row stays until its lease (2 s here) runs out, then
//! the next start takes it over and proceeds.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::connection::SimpleConnection;
use model_core::runtime::{history, migrate_with, LockStrategy, Options};
use runtime_support::{count, outcome, run_child_if_asked, spawn, spawn_env, tracked, wait_until, Folder};
use std::time::{Duration, Instant};

/// The table lock's lease in the `_table_lock` tests (the children's and the restarted run's).
const LEASE: Duration = Duration::from_millis(2000);

/// The options of the run after the kill: the table lock with [`LEASE`] for `_table_lock` tests.
fn options(test: &str) -> Options {
    let options = Options::default().lock_timeout(Duration::from_secs(30));
    if test.ends_with("_table_lock") {
        options.lock(LockStrategy::Table).lock_lease(LEASE)
    } else {
        options
    }
}

/// Spawn the child of `test` that runs into the slow migration.
fn spawn_slow(test: &str, backend: &str, url: &str, f: &Folder) -> std::process::Child {
    let lease = LEASE.as_millis().to_string();
    spawn_env(
        test,
        backend,
        url,
        &f.path,
        None,
        true,
        &[("MODEL_RT_LEASE_MS", &lease)],
    )
}

/// Before the restarted run of a `_table_lock` test: the killed holder's row is there; how long it
/// has left before its lease runs out (`left_sql`: that, in ms, as `n`).
fn row_left<C>(conn: &mut C, test: &str, left_sql: &str) -> Duration
where
    C: diesel::Connection,
    runtime_support::N: diesel::QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, runtime_support::N>,
{
    if !test.ends_with("_table_lock") {
        return Duration::ZERO;
    }
    assert_eq!(
        count(conn, "SELECT count(*) AS n FROM __model_migration_lock"),
        1,
        "the killed holder's row"
    );
    Duration::from_millis(count(conn, left_sql).max(0) as u64)
}

/// After the restarted run of a `_table_lock` test: it waited for the killed holder's row to
/// expire (`left` of its lease, no less), took it over, and released its own.
fn check_takeover<C>(conn: &mut C, test: &str, left: Duration, waited: Duration)
where
    C: diesel::Connection,
    runtime_support::N: diesel::QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, runtime_support::N>,
{
    if !test.ends_with("_table_lock") {
        return;
    }
    assert!(
        waited + Duration::from_millis(100) >= left && waited < left + Duration::from_secs(10),
        "the restarted run waited {waited:?} for the killed holder's row, which had {left:?} left (lease {LEASE:?})"
    );
    assert_eq!(count(conn, "SELECT count(*) AS n FROM __model_migration_lock"), 0);
}

/// Kill the child, and check it reported nothing.
fn kill(mut child: std::process::Child) {
    child.kill().expect("SIGKILL the child");
    let o = outcome(child);
    assert!(
        !o.ok && o.applied.is_empty(),
        "the child was killed mid-run: {}",
        o.output
    );
}

#[test]
fn postgres_killed_during_a_slow_migration_recovers() {
    postgres_kill("postgres_killed_during_a_slow_migration_recovers");
}

#[test]
fn postgres_killed_during_a_slow_migration_recovers_table_lock() {
    postgres_kill("postgres_killed_during_a_slow_migration_recovers_table_lock");
}

fn postgres_kill(test: &str) {
    run_child_if_asked();
    let Some(db) = model_testkit::postgres("kill") else {
        return;
    };
    let f = Folder::new("kill_pg");
    f.write(
        "2024-01-01-000000_users",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        None,
    );
    f.write(
        "2024-01-02-000000_slow",
        "CREATE TABLE slow_before (id INTEGER);\n\
         SELECT pg_sleep(CASE WHEN current_setting('model_test.slow', true) = 'on' THEN 600 ELSE 0 END);\n\
         CREATE TABLE slow_after (id INTEGER);\n",
        None,
    );
    let child = spawn_slow(test, "postgres", &db.url, &f);
    let mut watch = db.connect();
    wait_until("the child to sleep in its migration", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE \
             '%pg_sleep(CASE WHEN current_setting%' AND state = 'active' AND pid <> pg_backend_pid()",
        ) == 1
    });
    kill(child);

    let mut conn = db.connect();
    let left = row_left(
        &mut conn,
        test,
        "SELECT heartbeat_ms + lease_ms - CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS n FROM \
         __model_migration_lock",
    );
    let started = Instant::now();
    let applied = migrate_with(&mut conn, f.source(), &options(test)).expect("the next start succeeds");
    assert_eq!(
        applied,
        ["20240102000000"],
        "migration 1 was committed before the kill, 2 is redone"
    );
    check_takeover(&mut conn, test, left, started.elapsed());
    assert_eq!(tracked(&mut conn), (2, 2));
    let tables = count(
        &mut conn,
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN \
         ('users', 'slow_before', 'slow_after')",
    );
    assert_eq!(tables, 3);
    println!("postgres: recovered {:?} after the kill", started.elapsed());
}

#[test]
fn sqlite_killed_during_a_slow_migration_recovers() {
    run_child_if_asked();
    let db = model_testkit::sqlite("kill");
    let url = db.path.to_string_lossy().into_owned();
    let f = Folder::new("kill_sqlite");
    f.write(
        "2024-01-01-000000_users",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        None,
    );
    let mut conn = db.connect();
    let first = migrate_with(&mut conn, f.source(), &Options::default()).expect("first");
    assert_eq!(first, ["20240101000000"]);
    // slow while `PRAGMA user_version` is 1: a long recursive insert (a big write transaction)
    f.write(
        "2024-01-02-000000_slow",
        "CREATE TABLE big (x INTEGER);\n\
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < \
         (SELECT CASE user_version WHEN 1 THEN 1000000000 ELSE 10 END FROM pragma_user_version)) \
         INSERT INTO big SELECT x FROM c;\n\
         CREATE TABLE after_big (id INTEGER);\n",
        None,
    );
    conn.batch_execute("PRAGMA user_version = 1").expect("slow on");
    let size = |path: &std::path::Path| std::fs::metadata(path).map_or(0, |m| m.len());
    let before = size(&db.path);
    let child = spawn(
        "sqlite_killed_during_a_slow_migration_recovers",
        "sqlite",
        &url,
        &f.path,
        None,
        true,
    );
    let journal = std::path::PathBuf::from(format!("{url}-journal"));
    // well into the insert: its pages no longer fit SQLite's page cache (2 MiB) and spill into the
    // file, behind the journal that the next start must roll back
    wait_until("the child's insert to spill into the database file", || {
        size(&journal) > 0 && size(&db.path) > before + 4 * 1024 * 1024
    });
    kill(child);
    assert!(journal.exists(), "the killed write transaction left its journal");

    conn.batch_execute("PRAGMA user_version = 0").expect("slow off");
    let applied = migrate_with(&mut conn, f.source(), &Options::default()).expect("the next start succeeds");
    assert_eq!(applied, ["20240102000000"]);
    assert_eq!(tracked(&mut conn), (2, 2));
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM big"),
        10,
        "the killed insert left nothing"
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'after_big'"
        ),
        1
    );
}

#[test]
fn mysql_killed_during_a_slow_migration_resumes() {
    mysql_kill("mysql_killed_during_a_slow_migration_resumes");
}

#[test]
fn mysql_killed_during_a_slow_migration_resumes_table_lock() {
    mysql_kill("mysql_killed_during_a_slow_migration_resumes_table_lock");
}

fn mysql_kill(test: &str) {
    run_child_if_asked();
    let Some(db) = model_testkit::mysql("kill") else {
        return;
    };
    let f = Folder::new("kill_mysql");
    f.write(
        "2024-01-01-000000_users",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        None,
    );
    f.write(
        "2024-01-02-000000_slow",
        "CREATE TABLE slow_before (id INTEGER);\n\
         DO SLEEP(IF(@model_test_slow = 1, 600, 0));\n\
         CREATE TABLE slow_after (id INTEGER);\n",
        None,
    );
    let child = spawn_slow(test, "mysql", &db.url, &f);
    let mut watch = db.connect();
    wait_until("the child to sleep in its migration", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'DO SLEEP%'",
        ) == 1
    });
    kill(child);

    let mut conn = db.connect();
    // the server notices the dead client and ends its SLEEP and its lock; the next run resumes after
    // the statements already committed (CREATE TABLE slow_before)
    let left = row_left(
        &mut conn,
        test,
        "SELECT heartbeat_ms + lease_ms - CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) AS n FROM __model_migration_lock",
    );
    let started = Instant::now();
    let applied = migrate_with(&mut conn, f.source(), &options(test)).expect("the next start succeeds");
    assert_eq!(applied, ["20240102000000"]);
    check_takeover(&mut conn, test, left, started.elapsed());
    assert_eq!(tracked(&mut conn), (2, 2));
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM `__model_migration_progress`"),
        0
    );
    assert_eq!(history(&mut conn).expect("history").len(), 2);
    let tables = count(
        &mut conn,
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN \
         ('users', 'slow_before', 'slow_after')",
    );
    assert_eq!(tables, 3);
}
