//! Migrations against a table held busy on real PostgreSQL: each migration runs with a short
//! `lock_timeout`, so a DDL statement waiting behind another session's lock gives up instead of
//! queueing every later query behind it, and the migration is tried again until the lock is gone;
//! an interrupted `CREATE INDEX CONCURRENTLY` (an `INVALID` index left behind) is rebuilt by the next
//! run; the online forms the build step writes run while another connection keeps writing.
#![cfg(feature = "postgres")]

mod runtime_support;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use model_core::runtime::{migrate, migrate_with, Options};
use runtime_support::{count, wait_until, Folder};
use std::time::{Duration, Instant};

fn quick(retries: u32) -> Options {
    Options {
        ddl_lock_timeout: Some(Duration::from_millis(200)),
        retries,
        retry_backoff: Duration::from_millis(100),
        ..Options::default()
    }
}

/// A connection that holds a lock on `t` (an open transaction that read it) until `release` is
/// sent.
fn hold_lock_on_t(url: &str) -> (std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let url = url.to_string();
    let holder = std::thread::spawn(move || {
        let mut c = PgConnection::establish(&url).expect("connect");
        c.batch_execute("SET application_name = 'model-online-holder'; BEGIN; LOCK TABLE t IN ACCESS SHARE MODE;")
            .expect("lock");
        let _ = wait.recv();
        c.batch_execute("COMMIT").expect("commit");
    });
    (release, holder)
}

fn folder_with_t() -> Folder {
    let f = Folder::new("online_pg");
    f.write(
        "2024-01-01-000000_create_t",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);\nINSERT INTO t SELECT g, g FROM generate_series(1, 100) g;\n",
        Some("DROP TABLE t;"),
    );
    f
}

#[test]
fn a_migration_behind_a_lock_times_out_retries_and_succeeds_once_the_lock_is_released() {
    let Some(db) = model_testkit::postgres("online_retry") else {
        return;
    };
    let f = folder_with_t();
    migrate(&mut db.connect(), f.source()).expect("create t");
    f.write(
        "2024-01-02-000000_add_b",
        "ALTER TABLE t ADD COLUMN b INTEGER;\n",
        Some("ALTER TABLE t DROP COLUMN b;"),
    );
    let (release, holder) = hold_lock_on_t(&db.url);
    let mut watch = db.connect();
    wait_until("the holder to take its lock", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE \
             a.application_name = 'model-online-holder' AND l.relation = to_regclass('t') AND l.granted",
        ) == 1
    });

    // no retry: the migration gives up after its lock timeout, and nothing of it is applied
    let start = Instant::now();
    let err = migrate_with(&mut db.connect(), f.source(), &quick(0)).expect_err("the table is locked");
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert!(err.to_string().contains("lock timeout"), "{err}");
    assert_eq!(
        count(
            &mut watch,
            "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 't' AND column_name = 'b'"
        ),
        0
    );
    // meanwhile other sessions are not queued behind the migration: a read answers at once
    assert_eq!(count(&mut watch, "SELECT count(*) AS n FROM t"), 100);

    // with retries: the lock goes away after a while, the migration then succeeds
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(900));
        release.send(()).expect("release");
    });
    let start = Instant::now();
    let applied = migrate_with(&mut db.connect(), f.source(), &quick(20)).expect("applied after retries");
    assert_eq!(applied, ["20240102000000"]);
    assert!(start.elapsed() >= Duration::from_millis(700), "{:?}", start.elapsed());
    releaser.join().expect("join");
    holder.join().expect("join");
    assert_eq!(
        count(
            &mut watch,
            "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 't' AND column_name = 'b'"
        ),
        1
    );
}

#[test]
fn an_invalid_index_left_by_an_interrupted_concurrent_build_is_built_again() {
    let Some(db) = model_testkit::postgres("online_invalid") else {
        return;
    };
    let f = folder_with_t();
    migrate(&mut db.connect(), f.source()).expect("create t");
    let mut c = db.connect();
    // a duplicate makes the concurrent unique build fail half-way, as an interruption does
    c.batch_execute("UPDATE t SET a = 1 WHERE id = 2").expect("duplicate");
    let name = "2024-01-02-000000_index_a";
    f.write(
        name,
        "-- one statement, outside a transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"ix_t_a\" ON \"t\" (\"a\");\n",
        Some("DROP INDEX CONCURRENTLY IF EXISTS \"ix_t_a\";"),
    );
    f.no_transaction(name);
    let err = migrate(&mut db.connect(), f.source()).expect_err("duplicate values");
    assert!(err.to_string().contains("ix_t_a"), "{err}");
    let invalid = "SELECT count(*) AS n FROM pg_index WHERE indexrelid = to_regclass('ix_t_a') AND NOT indisvalid";
    assert_eq!(count(&mut c, invalid), 1, "the failed build left an INVALID index");

    // the cause fixed, the next run drops the INVALID index and builds it again
    c.batch_execute("UPDATE t SET a = 2 WHERE id = 2").expect("fix");
    assert_eq!(
        migrate(&mut db.connect(), f.source()).expect("built again"),
        ["20240102000000"]
    );
    assert_eq!(count(&mut c, invalid), 0);
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) AS n FROM pg_index WHERE indexrelid = to_regclass('ix_t_a') AND indisvalid"
        ),
        1
    );
}

/// The same on a diesel-async connection (`migrate_with_async`): the lock timeout, the retries and
/// the rebuild of an `INVALID` index are the driver's, whatever connection it runs over.
#[cfg(feature = "async")]
#[test]
fn on_an_async_connection_the_lock_timeout_retries_and_invalid_index_cleanup_hold_too() {
    use diesel_async::{AsyncConnection, AsyncPgConnection};
    use model_core::runtime::migrate_with_async;
    let Some(db) = model_testkit::postgres("online_async") else {
        return;
    };
    let f = folder_with_t();
    migrate(&mut db.connect(), f.source()).expect("create t");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let url = db.url.clone();
    let run = |options: Options| {
        runtime.block_on(async {
            let mut conn = AsyncPgConnection::establish(&url).await.expect("connect");
            migrate_with_async(&mut conn, f.source(), &options).await
        })
    };

    f.write(
        "2024-01-02-000000_add_b",
        "ALTER TABLE t ADD COLUMN b INTEGER;\n",
        Some("ALTER TABLE t DROP COLUMN b;"),
    );
    let (release, holder) = hold_lock_on_t(&db.url);
    let mut watch = db.connect();
    wait_until("the holder to take its lock", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE \
             a.application_name = 'model-online-holder' AND l.relation = to_regclass('t') AND l.granted",
        ) == 1
    });
    let start = Instant::now();
    let err = run(quick(0)).expect_err("the table is locked");
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert!(err.to_string().contains("lock timeout"), "{err}");
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(900));
        release.send(()).expect("release");
    });
    assert_eq!(run(quick(20)).expect("applied after retries"), ["20240102000000"]);
    releaser.join().expect("join");
    holder.join().expect("join");

    // an interrupted concurrent build, then the next async run builds the index again
    watch
        .batch_execute("UPDATE t SET a = 1 WHERE id = 2")
        .expect("duplicate");
    let name = "2024-01-03-000000_index_a";
    f.write(
        name,
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"ix_t_a\" ON \"t\" (\"a\");\n",
        Some("DROP INDEX CONCURRENTLY IF EXISTS \"ix_t_a\";"),
    );
    f.no_transaction(name);
    run(quick(0)).expect_err("duplicate values");
    let invalid = "SELECT count(*) AS n FROM pg_index WHERE indexrelid = to_regclass('ix_t_a') AND NOT indisvalid";
    assert_eq!(count(&mut watch, invalid), 1);
    watch.batch_execute("UPDATE t SET a = 2 WHERE id = 2").expect("fix");
    assert_eq!(run(quick(0)).expect("built again"), ["20240103000000"]);
    assert_eq!(count(&mut watch, invalid), 0);
}
