//! A Galera node stopped while a run migrates through it (`SHUTDOWN` on node 3 during a slow
//! statement): the run fails with an error that says the connection was lost, which statement of
//! which migration, what is applied and what to do; a start through a surviving node waits for the
//! stopped run's lock row to expire, then resumes the migration and completes it; node 3, started
//! again (`scripts/galera.sh start`), rejoins with everything. Its own test binary: the other
//! Galera tests must not run while a node is down.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod galera_support;
mod runtime_support;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use model_core::runtime::{migrate_with, Options};
use runtime_support::{count, outcome, run_child_if_asked, spawn_env, tracked, wait_until, Folder};
use std::time::{Duration, Instant};

#[test]
fn a_node_stopped_mid_run() {
    const TEST: &str = "a_node_stopped_mid_run";
    run_child_if_asked();
    let Some(db) = galera_support::database("stop") else {
        return;
    };
    let last = db.urls.len() - 1;
    // whatever happens below, the cluster is whole again at the end
    let _restart = galera_support::RestartOnDrop;
    let lease = Duration::from_millis(3000);
    let f = Folder::new("galera_stop");
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
    let child = spawn_env(
        TEST,
        "mysql",
        &db.urls[last],
        &f.path,
        None,
        true,
        &[("MODEL_RT_LEASE_MS", &ms)],
    );
    {
        let mut watch = db.connect(last);
        wait_until("the child to sleep in its migration", || {
            count(
                &mut watch,
                "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'DO \
                 SLEEP%'",
            ) == 1
        });
        // stop the node the run goes through
        watch.batch_execute("SHUTDOWN").expect("SHUTDOWN node 3");
    }
    let o = outcome(child);
    assert!(!o.ok, "the run through the stopped node fails: {}", o.output);
    for part in [
        "migration 20240102000000 (`2024-01-02-000000_slow`) failed at statement 2 of 3",
        "statement 1 is applied",
        "the connection to the database server was lost",
        "resumes at statement 2",
    ] {
        assert!(o.output.contains(part), "the error says {part:?}:\n{}", o.output);
    }
    if let Some(said) = o.output.lines().find(|l| l.contains("FAILED ")) {
        println!("the run through the stopped node said: {said}");
    }
    wait_until("node 3 to be down", || {
        diesel::MysqlConnection::establish(&db.urls[last]).is_err()
    });

    // a start through node 1: the stopped run's row expires, then the migration is resumed
    let mut conn = db.connect(0);
    let started = Instant::now();
    let options = Options::default()
        .lock_lease(lease)
        .lock_timeout(Duration::from_secs(60));
    let applied = migrate_with(&mut conn, f.source(), &options).expect("a retry through node 1 completes");
    assert_eq!(applied, ["20240102000000"]);
    println!(
        "galera: node 3 stopped mid-run; the retry through node 1 completed in {:?}",
        started.elapsed()
    );
    for node in 0..last {
        let mut c = db.connect(node);
        assert_eq!(tracked(&mut c), (2, 2), "node {}", node + 1);
    }

    // node 3 comes back and catches up (incremental state transfer)
    galera_support::start_missing_nodes();
    let mut c = db.connect(last);
    assert_eq!(tracked(&mut c), (2, 2), "node 3, started again");
    let tables = count(
        &mut c,
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN \
         ('users', 'slow_before', 'slow_after')",
    );
    assert_eq!(tables, 3, "node 3 has every table");
}
