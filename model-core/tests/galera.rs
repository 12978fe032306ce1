//! The migration lock on a MariaDB Galera cluster (three nodes on loopback, `scripts/galera.sh`,
//! `MODEL_TEST_GALERA_URLS`), where `GET_LOCK` is local to a node: `migrate` with the default
//! strategy sees `wsrep_on` and takes the table lock, whose row the cluster certifies.
//!
//! - 16 processes spread over the three nodes start at once, `MODEL_CONCURRENCY_TRIALS` times (20
//!   under CI): every process succeeds, each migration is applied by exactly one of them, and every
//!   node records each migration exactly once and holds the model.
//! - A holder killed in the middle of a migration: its row stays until its lease runs out, then a
//!   start through another node takes the lock over and completes the migration.
//!
//! A node stopped mid-run is `galera_node_stop.rs` (its own binary: it must not run beside these).
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod galera_support;
mod runtime_support;

use diesel::mysql::MysqlConnection;
use model_core::runtime::{migrate_with, Options};
use runtime_support::{
    assert_mysql_quickstart, count, mysql_quickstart, outcome, run_child_if_asked, spawn, spawn_env, start_at, tracked,
    trials, wait_until, Folder,
};
use std::time::{Duration, Instant};

const PROCESSES: usize = 16;

/// Rows of the lock table and of the progress table through `conn`: both empty after a run.
fn leftovers(conn: &mut MysqlConnection) -> (i64, i64) {
    (
        count(conn, "SELECT count(*) AS n FROM __model_migration_lock"),
        count(conn, "SELECT count(*) AS n FROM __model_migration_progress"),
    )
}

#[test]
fn sixteen_processes_over_three_nodes() {
    const TEST: &str = "sixteen_processes_over_three_nodes";
    run_child_if_asked();
    let Some(probe) = galera_support::database("probe") else {
        return;
    };
    let nodes = probe.urls.len();
    drop(probe);
    let (folder, model) = mysql_quickstart("galera_conc");
    let versions = folder.versions();
    let n = versions.len() as i64;
    let trials = trials();
    let started = Instant::now();
    for trial in 0..trials {
        let db = galera_support::database("conc").expect("the cluster");
        let at = start_at(Duration::from_millis(600));
        let children: Vec<_> = (0..PROCESSES)
            .map(|i| spawn(TEST, "mysql", &db.urls[i % nodes], &folder.path, Some(at), false))
            .collect();
        let outcomes: Vec<_> = children.into_iter().map(outcome).collect();
        let failed: Vec<&str> = outcomes.iter().filter(|o| !o.ok).map(|o| o.output.as_str()).collect();
        assert!(
            failed.is_empty(),
            "trial {trial}: {} process(es) failed:\n{}",
            failed.len(),
            failed.join("\n---\n")
        );
        let mut applied: Vec<String> = outcomes.iter().flat_map(|o| o.applied.clone()).collect();
        applied.sort();
        assert_eq!(
            applied, versions,
            "trial {trial}: each migration applied by exactly one process"
        );
        for node in 0..nodes {
            let mut conn = db.connect(node);
            assert_eq!(
                tracked(&mut conn),
                (n, n),
                "trial {trial}, node {}: one row per migration in both tracking tables",
                node + 1
            );
            assert_eq!(leftovers(&mut conn), (0, 0), "trial {trial}, node {}", node + 1);
            let live = model_core::introspect::mysql(&mut conn).expect("introspect");
            assert_mysql_quickstart(&model, live);
        }
    }
    println!(
        "galera: {trials} trials x {PROCESSES} processes over {nodes} nodes, 0 failures, {:.1?} wall time",
        started.elapsed()
    );
}

#[test]
fn a_killed_holders_lock_expires_and_a_start_through_another_node_proceeds() {
    const TEST: &str = "a_killed_holders_lock_expires_and_a_start_through_another_node_proceeds";
    run_child_if_asked();
    let Some(db) = galera_support::database("kill") else {
        return;
    };
    let lease = Duration::from_millis(2000);
    let f = Folder::new("galera_kill");
    f.write(
        "2024-01-01-000000_users",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        None,
    );
    f.write(
        "2024-01-02-000000_slow",
        "CREATE TABLE slow_before (id INTEGER PRIMARY KEY);\n\
         DO SLEEP(IF(@model_test_slow = 1, 600, 0));\n\
         CREATE TABLE slow_after (id INTEGER PRIMARY KEY);\n",
        None,
    );
    let ms = lease.as_millis().to_string();
    let mut child = spawn_env(
        TEST,
        "mysql",
        &db.urls[0],
        &f.path,
        None,
        true,
        &[("MODEL_RT_LEASE_MS", &ms)],
    );
    let mut watch = db.connect(0);
    wait_until("the child to sleep in its migration", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'DO SLEEP%'",
        ) == 1
    });
    child.kill().expect("SIGKILL the child");
    let o = outcome(child);
    assert!(!o.ok && o.applied.is_empty(), "killed mid-run: {}", o.output);

    let mut conn = db.connect(1);
    assert_eq!(
        leftovers(&mut conn).0,
        1,
        "the killed holder's row, seen through node 2"
    );
    let left = Duration::from_millis(
        count(
            &mut conn,
            "SELECT heartbeat_ms + lease_ms - CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) AS n FROM \
             __model_migration_lock",
        )
        .max(0) as u64,
    );
    let started = Instant::now();
    let options = Options::default()
        .lock_lease(lease)
        .lock_timeout(Duration::from_secs(30));
    let applied = migrate_with(&mut conn, f.source(), &options).expect("a start through node 2 proceeds");
    let waited = started.elapsed();
    assert_eq!(applied, ["20240102000000"], "it resumes the killed run's migration");
    assert!(
        waited + Duration::from_millis(100) >= left && waited < left + Duration::from_secs(10),
        "waited {waited:?} for the killed holder's row, which had {left:?} left"
    );
    for node in 0..db.urls.len() {
        let mut c = db.connect(node);
        assert_eq!(tracked(&mut c), (2, 2), "node {}", node + 1);
        assert_eq!(leftovers(&mut c), (0, 0), "node {}", node + 1);
        let tables = count(
            &mut c,
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN \
             ('users', 'slow_before', 'slow_after')",
        );
        assert_eq!(tables, 3, "node {}", node + 1);
    }
    println!("galera: the killed holder's row expired; node 2 proceeded after {waited:?} ({left:?} left)");
}
