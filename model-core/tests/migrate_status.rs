//! `status` and `history` take no lock and create nothing: on a database never migrated they
//! create no table; while another process holds the migration lock (in the middle of a migration)
//! they answer at once, the other process's migration shown pending, and that process goes on to
//! finish it.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::connection::SimpleConnection;
use diesel::{Connection, MysqlConnection, PgConnection};
use diesel_migrations::FileBasedMigrations;
use model_core::runtime::{history, migrate, status, State};
use runtime_support::{count, wait_until, Folder};

const EVERY_TABLE_PG: &str =
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";
const EVERY_TABLE_MYSQL: &str = "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()";
const EVERY_TABLE_SQLITE: &str = "SELECT count(*) AS n FROM sqlite_master";

/// A folder whose second migration waits, inside the migration, for a lock the test holds (`wait`:
/// the statement that waits).
fn folder(tag: &str, wait: &str) -> Folder {
    let f = Folder::new(tag);
    f.write("2024-01-01-000000_a", "CREATE TABLE a (id INTEGER);", None);
    f.write(
        "2024-01-02-000000_b",
        &format!("CREATE TABLE b (id INTEGER);\n{wait};\n"),
        None,
    );
    f
}

fn states(s: &model_core::runtime::Status) -> Vec<(String, State)> {
    s.migrations.iter().map(|m| (m.version.clone(), m.state)).collect()
}

/// While `run` holds the migration lock inside migration b: `status` and `history` answer (a
/// applied, b pending); then `release` lets the run finish both.
fn answers_while_the_run_holds_the_lock<C>(
    conn: &mut C,
    f: &Folder,
    run: std::thread::JoinHandle<Result<Vec<String>, model_core::runtime::Error>>,
    release: impl FnOnce(),
) where
    C: Connection + model_core::runtime::MigrateConnection<Db = <C as Connection>::Backend> + 'static,
    FileBasedMigrations: diesel::migration::MigrationSource<<C as Connection>::Backend>,
{
    let s = status(conn, f.source()).expect("status while the lock is held");
    assert_eq!(
        states(&s),
        [
            ("20240101000000".to_string(), State::Applied),
            ("20240102000000".to_string(), State::Pending)
        ]
    );
    let applied: Vec<String> = history(conn)
        .expect("history while the lock is held")
        .into_iter()
        .map(|a| a.version)
        .collect();
    assert_eq!(applied, ["20240101000000"]);
    assert!(!run.is_finished(), "the run still holds the lock");
    release();
    assert_eq!(
        run.join().expect("join").expect("the run"),
        ["20240101000000", "20240102000000"]
    );
}

#[test]
fn postgres_status_and_history_take_no_lock_and_create_nothing() {
    let Some(db) = model_testkit::postgres("status") else {
        return;
    };
    let barrier = 771_077;
    let f = folder("status_pg", &format!("SELECT pg_advisory_xact_lock({barrier})"));
    let mut conn = db.connect();
    let s = status(&mut conn, f.source()).expect("status of a fresh database");
    assert_eq!(
        states(&s),
        [
            ("20240101000000".to_string(), State::Pending),
            ("20240102000000".to_string(), State::Pending)
        ]
    );
    assert!(history(&mut conn).expect("history").is_empty());
    assert_eq!(
        count(&mut conn, EVERY_TABLE_PG),
        0,
        "status and history created nothing"
    );

    // a run that holds the migration lock, stopped inside migration b on a lock the test holds
    let mut gate = db.connect();
    gate.batch_execute(&format!("SELECT pg_advisory_lock({barrier})"))
        .expect("hold the barrier");
    let (url, source) = (db.url.clone(), f.source());
    let run = std::thread::spawn(move || migrate(&mut PgConnection::establish(&url).expect("connect"), source));
    wait_until("the run to wait inside migration b", || {
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {barrier}"
            ),
        ) == 1
    });
    answers_while_the_run_holds_the_lock(&mut conn, &f, run, || {
        gate.batch_execute(&format!("SELECT pg_advisory_unlock({barrier})"))
            .expect("open the barrier")
    });
}

#[test]
fn mysql_status_and_history_take_no_lock_and_create_nothing() {
    let Some(db) = model_testkit::mysql("status") else {
        return;
    };
    // lock names are server-wide: this database's name makes it this test's own
    let barrier = format!("{}_barrier", db.name);
    let f = folder("status_mysql", &format!("DO GET_LOCK('{barrier}', 60)"));
    let mut conn = db.connect();
    let s = status(&mut conn, f.source()).expect("status of a fresh database");
    assert!(s.migrations.iter().all(|m| m.state == State::Pending), "{s:?}");
    assert!(history(&mut conn).expect("history").is_empty());
    assert_eq!(
        count(&mut conn, EVERY_TABLE_MYSQL),
        0,
        "status and history created nothing"
    );

    let mut gate = db.connect();
    gate.batch_execute(&format!("DO GET_LOCK('{barrier}', 10)"))
        .expect("hold the barrier");
    let (url, source) = (db.url.clone(), f.source());
    let run = std::thread::spawn(move || migrate(&mut MysqlConnection::establish(&url).expect("connect"), source));
    wait_until("the run to wait inside migration b", || {
        count(
            &mut conn,
            "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'DO GET_LOCK%'",
        ) == 1
    });
    answers_while_the_run_holds_the_lock(&mut conn, &f, run, || {
        gate.batch_execute(&format!("DO RELEASE_LOCK('{barrier}')"))
            .expect("open the barrier")
    });
}

#[test]
fn sqlite_status_and_history_take_no_lock_and_create_nothing() {
    let db = model_testkit::sqlite("status");
    let f = Folder::new("status_sqlite");
    f.write("2024-01-01-000000_a", "CREATE TABLE a (id INTEGER);", None);
    let mut conn = db.connect();
    let s = status(&mut conn, f.source()).expect("status of a fresh database");
    assert_eq!(states(&s), [("20240101000000".to_string(), State::Pending)]);
    assert!(history(&mut conn).expect("history").is_empty());
    assert_eq!(
        count(&mut conn, EVERY_TABLE_SQLITE),
        0,
        "status and history created nothing"
    );
    migrate(&mut conn, f.source()).expect("migrate");

    // SQLite's migration lock is the write lock: another connection holds it
    let mut writer = db.connect();
    writer
        .batch_execute("BEGIN IMMEDIATE; CREATE TABLE busy (id INTEGER);")
        .expect("hold the write lock");
    let s = status(&mut conn, f.source()).expect("status while the lock is held");
    assert_eq!(states(&s), [("20240101000000".to_string(), State::Applied)]);
    assert_eq!(history(&mut conn).expect("history while the lock is held").len(), 1);
    writer.batch_execute("COMMIT").expect("the holder commits");
}
