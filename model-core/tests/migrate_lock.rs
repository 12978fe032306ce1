//! The migration lock: a run that cannot take it within `Options::lock_timeout` fails with an
//! error saying who holds it (PostgreSQL: pid, application_name, client, since; MySQL: connection
//! id, user, host; SQLite: that it cannot be known); the holder's run is unaffected. An unreachable
//! or lost database is a clear error, not a hang.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::connection::SimpleConnection;
use diesel::{Connection, MysqlConnection, PgConnection, SqliteConnection};
use model_core::runtime::{migrate, migrate_with, Error, Options};
use runtime_support::{count, wait_until, Folder};
use std::time::Duration;

fn short() -> Options {
    Options {
        lock_timeout: Duration::from_millis(300),
        ..Options::default()
    }
}

fn holder(err: Error) -> String {
    match err {
        Error::LockTimeout { holder, waited } => {
            assert!(waited >= Duration::from_millis(300), "{waited:?}");
            holder
        }
        other => panic!("expected a lock timeout, got {other:?}"),
    }
}

#[test]
fn postgres_lock_timeout_names_the_holder() {
    let Some(db) = model_testkit::postgres("lock") else {
        return;
    };
    let f = Folder::new("lock_pg");
    f.write(
        "2024-01-01-000000_slow",
        "CREATE TABLE t (id INTEGER);\nSELECT pg_sleep(3);\n",
        None,
    );
    let (url, source) = (db.url.clone(), f.source());
    let holder_run = std::thread::spawn(move || {
        let mut c = PgConnection::establish(&url).expect("connect");
        c.batch_execute("SET application_name = 'model-lock-holder'")
            .expect("set");
        migrate(&mut c, source)
    });
    let mut watch = db.connect();
    wait_until("the holder to sleep", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'model-lock-holder' AND query LIKE \
             '%SELECT pg_sleep(3)%'",
        ) == 1
    });
    let pid = count(
        &mut watch,
        "SELECT CAST(pid AS BIGINT) AS n FROM pg_stat_activity WHERE application_name = 'model-lock-holder'",
    );
    let err = migrate_with(&mut db.connect(), f.source(), &short()).expect_err("the lock is held");
    let msg = err.to_string();
    assert!(msg.starts_with("waited "), "{msg}");
    let who = holder(err);
    assert!(who.contains(&format!("pid {pid}")), "{who}");
    assert!(who.contains("application_name \"model-lock-holder\""), "{who}");
    assert!(who.contains("connected since"), "{who}");
    assert_eq!(
        holder_run.join().expect("join").expect("the holder's run"),
        ["20240101000000"]
    );
    assert!(migrate(&mut db.connect(), f.source()).expect("then free").is_empty());
}

#[test]
fn mysql_lock_timeout_names_the_holder() {
    let Some(db) = model_testkit::mysql("lock") else {
        return;
    };
    let f = Folder::new("lock_mysql");
    f.write(
        "2024-01-01-000000_slow",
        "CREATE TABLE t (id INTEGER);\nDO SLEEP(3);\n",
        None,
    );
    let (url, source) = (db.url.clone(), f.source());
    let holder_run = std::thread::spawn(move || {
        let mut c = MysqlConnection::establish(&url).expect("connect");
        migrate(&mut c, source)
    });
    let mut watch = db.connect();
    let sleeping = "FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'DO SLEEP%'";
    wait_until("the holder to sleep", || {
        count(&mut watch, &format!("SELECT count(*) AS n {sleeping}")) == 1
    });
    let id = count(&mut watch, &format!("SELECT CAST(ID AS SIGNED) AS n {sleeping}"));
    let err = migrate_with(&mut db.connect(), f.source(), &short()).expect_err("the lock is held");
    let who = holder(err);
    assert!(who.contains(&format!("MySQL connection id {id}")), "{who}");
    assert!(who.contains("user \"root\""), "{who}");
    assert_eq!(
        holder_run.join().expect("join").expect("the holder's run"),
        ["20240101000000"]
    );
    assert!(migrate(&mut db.connect(), f.source()).expect("then free").is_empty());
}

#[test]
fn sqlite_lock_timeout_says_the_holder_cannot_be_known() {
    let db = model_testkit::sqlite("lock");
    let f = Folder::new("lock_sqlite");
    f.write("2024-01-01-000000_t", "CREATE TABLE t (id INTEGER);", None);
    let mut writer = db.connect();
    writer.batch_execute("BEGIN IMMEDIATE").expect("hold the write lock");
    let mut conn = db.connect();
    let who = holder(migrate_with(&mut conn, f.source(), &short()).expect_err("the lock is held"));
    assert!(
        who.starts_with("SQLite cannot tell which process holds its write lock"),
        "{who}"
    );
    writer.batch_execute("COMMIT").expect("release");
    assert_eq!(migrate(&mut conn, f.source()).expect("then free"), ["20240101000000"]);
}

#[test]
fn unreachable_or_lost_databases_are_clear_errors() {
    // nothing listens on port 1: refused at once, not a hang
    let err = PgConnection::establish("postgres://postgres@127.0.0.1:1/postgres?connect_timeout=5")
        .err()
        .expect("unreachable");
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    let err = MysqlConnection::establish("mysql://root@127.0.0.1:1/test")
        .err()
        .expect("unreachable");
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    let missing = std::env::temp_dir().join("model_no_such_folder_x/db.sqlite");
    let err = SqliteConnection::establish(&missing.to_string_lossy())
        .err()
        .expect("no such folder");
    assert!(err.to_string().contains("unable to open database file"), "{err}");

    // a connection lost before the run: the first query fails, named
    let f = Folder::new("lost");
    f.write("2024-01-01-000000_t", "CREATE TABLE t (id INTEGER);", None);
    if let Some(db) = model_testkit::postgres("lost") {
        let mut conn = db.connect();
        let pid = count(&mut conn, "SELECT CAST(pg_backend_pid() AS BIGINT) AS n");
        count(
            &mut db.connect(),
            &format!("SELECT CAST(count(pg_terminate_backend({pid})) AS BIGINT) AS n"),
        );
        let err = migrate(&mut conn, f.source()).expect_err("the connection is gone");
        assert!(matches!(err, Error::Lock { .. }), "{err:?}");
        assert!(err.to_string().starts_with("cannot take the migration lock: "), "{err}");
    }
    if let Some(db) = model_testkit::mysql("lost") {
        let mut conn = db.connect();
        let id = count(&mut conn, "SELECT CAST(CONNECTION_ID() AS SIGNED) AS n");
        db.connect().batch_execute(&format!("KILL {id}")).expect("kill");
        let err = migrate(&mut conn, f.source()).expect_err("the connection is gone");
        assert!(matches!(err, Error::Lock { .. }), "{err:?}");
    }
}
