//! A process killed (SIGKILL) during a slow migration, then started again: the next run succeeds
//! and the schema is right. The slow statement is slow only in the killed process (a session
//! setting it makes), so the restarted run is fast.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::connection::SimpleConnection;
use model_core::runtime::{history, migrate};
use runtime_support::{count, outcome, run_child_if_asked, spawn, tracked, wait_until, Folder};
use std::time::Instant;

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
    let child = spawn(
        "postgres_killed_during_a_slow_migration_recovers",
        "postgres",
        &db.url,
        &f.path,
        None,
        true,
    );
    let mut watch = db.connect();
    wait_until("the child to sleep in its migration", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE \
             '%pg_sleep(CASE WHEN current_setting%' AND state = 'active' AND pid <> pg_backend_pid()",
        ) == 1
    });
    kill(child);

    let started = Instant::now();
    let mut conn = db.connect();
    let applied = migrate(&mut conn, f.source()).expect("the next start succeeds");
    assert_eq!(
        applied,
        ["20240102000000"],
        "migration 1 was committed before the kill, 2 is redone"
    );
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
    assert_eq!(migrate(&mut conn, f.source()).expect("first"), ["20240101000000"]);
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
    let applied = migrate(&mut conn, f.source()).expect("the next start succeeds");
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
    let child = spawn(
        "mysql_killed_during_a_slow_migration_resumes",
        "mysql",
        &db.url,
        &f.path,
        None,
        true,
    );
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
    let applied = migrate(&mut conn, f.source()).expect("the next start succeeds");
    assert_eq!(applied, ["20240102000000"]);
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
