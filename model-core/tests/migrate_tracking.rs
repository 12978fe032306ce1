//! The bookkeeping tables failing: a tracking table the runtime cannot read is `Error::Tracking`
//! ("read") before anything runs; a migration it cannot record is `Error::Tracking` ("record
//! migration V in") and rolled back whole where DDL is transactional (PostgreSQL, SQLite), or —
//! MySQL — left applied with its progress, so the next run records it without running it again; a
//! MySQL progress table it cannot use is `Error::Progress`, naming the migration.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::backend::Backend;
use diesel::connection::SimpleConnection;
use diesel_migrations::FileBasedMigrations;
use model_core::ir::Dialect;
use model_core::runtime::{migrate, Error};
use runtime_support::{count, tables_named, Folder, N};

fn folder(tag: &str) -> Folder {
    let f = Folder::new(tag);
    f.write(
        "2024-01-01-000000_a",
        "CREATE TABLE a (id INTEGER);",
        Some("DROP TABLE a;"),
    );
    f
}

/// Rows of `table` (which must exist).
fn rows(table: &str) -> String {
    format!("SELECT count(*) AS n FROM {table}")
}

fn unreadable<DB: Backend, C>(conn: &mut C, dialect: Dialect)
where
    C: diesel::Connection<Backend = DB> + model_core::runtime::MigrateConnection<Db = DB> + 'static,
    FileBasedMigrations: diesel::migration::MigrationSource<DB>,
    N: diesel::QueryableByName<DB>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, N>,
{
    let f = folder("tracking_read");
    // the crate's table, without its checksum column (an older or foreign table of that name)
    conn.batch_execute("CREATE TABLE __model_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL)")
        .expect("a broken tracking table");
    let err = migrate(conn, f.source()).expect_err("the tracking table cannot be read");
    assert!(
        matches!(&err, Error::Tracking { action, .. } if action == "read"),
        "{dialect}: {err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("cannot read the tables `__model_migrations` / `__diesel_schema_migrations`: "),
        "{dialect}: {err}"
    );
    assert_eq!(count(conn, &tables_named(dialect, "a")), 0, "{dialect}: nothing ran");
}

fn unrecordable<DB: Backend, C>(conn: &mut C, dialect: Dialect)
where
    C: diesel::Connection<Backend = DB> + model_core::runtime::MigrateConnection<Db = DB> + 'static,
    FileBasedMigrations: diesel::migration::MigrationSource<DB>,
    N: diesel::QueryableByName<DB>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, N>,
{
    let f = folder("tracking_record");
    // a tracking table that refuses every checksum
    conn.batch_execute(
        "CREATE TABLE __model_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, \
         applied_at TIMESTAMP NULL, CONSTRAINT ck_refuse CHECK (checksum = 'none'))",
    )
    .expect("a refusing tracking table");
    let err = migrate(conn, f.source()).expect_err("the migration cannot be recorded");
    assert!(
        matches!(&err, Error::Tracking { action, .. } if action == "record migration 20240101000000 in"),
        "{dialect}: {err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("cannot record migration 20240101000000 in the tables `__model_migrations`"),
        "{dialect}: {err}"
    );
    // not recorded (on SQLite Diesel's table, created under the same write lock, is rolled back too)
    let recorded = match count(conn, &tables_named(dialect, "__diesel_schema_migrations")) {
        0 => 0,
        _ => count(conn, &rows("__diesel_schema_migrations")),
    };
    assert_eq!(recorded, 0, "{dialect}: not recorded");
    if dialect == Dialect::Mysql {
        // DDL is committed at once: the statement stays applied, its progress recorded
        assert_eq!(count(conn, &tables_named(dialect, "a")), 1);
        assert_eq!(count(conn, &rows("__model_migration_progress")), 1);
    } else {
        assert_eq!(
            count(conn, &tables_named(dialect, "a")),
            0,
            "{dialect}: rolled back whole"
        );
    }
    // with the table mended the next run applies (MySQL: records, without running again) migration 1
    conn.batch_execute("DROP TABLE __model_migrations").expect("drop");
    assert_eq!(
        migrate(conn, f.source()).expect("the next run"),
        ["20240101000000"],
        "{dialect}"
    );
    assert_eq!(count(conn, &rows("__model_migrations")), 1, "{dialect}");
    assert_eq!(count(conn, &tables_named(dialect, "a")), 1, "{dialect}");
}

#[test]
fn sqlite_tracking_errors() {
    let db = model_testkit::sqlite("tracking");
    unreadable(&mut db.connect(), Dialect::Sqlite);
    let db = model_testkit::sqlite("tracking");
    unrecordable(&mut db.connect(), Dialect::Sqlite);
}

#[test]
fn postgres_tracking_errors() {
    let Some(db) = model_testkit::postgres("tracking") else {
        return;
    };
    unreadable(&mut db.connect(), Dialect::Postgres);
    let Some(db) = model_testkit::postgres("tracking") else {
        return;
    };
    unrecordable(&mut db.connect(), Dialect::Postgres);
}

#[test]
fn mysql_tracking_errors() {
    let Some(db) = model_testkit::mysql("tracking") else {
        return;
    };
    unreadable(&mut db.connect(), Dialect::Mysql);
    let Some(db) = model_testkit::mysql("tracking") else {
        return;
    };
    unrecordable(&mut db.connect(), Dialect::Mysql);
}

#[test]
fn mysql_progress_table_it_cannot_use_is_a_progress_error() {
    let Some(db) = model_testkit::mysql("progress") else {
        return;
    };
    let mut conn = db.connect();
    let f = folder("progress");
    conn.batch_execute("CREATE TABLE __model_migration_progress (version VARCHAR(50) NOT NULL PRIMARY KEY)")
        .expect("a progress table without its columns");
    let err = migrate(&mut conn, f.source()).expect_err("the progress cannot be read");
    assert!(
        matches!(&err, Error::Progress { version, name, .. }
            if version == "20240101000000" && name == "2024-01-01-000000_a"),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(
            "migration 20240101000000 (`2024-01-01-000000_a`): cannot record its progress in \
             `__model_migration_progress` or `__diesel_schema_migrations`: "
        ),
        "{err}"
    );
    assert_eq!(err.version(), Some("20240101000000"));
    assert_eq!(count(&mut conn, &tables_named(Dialect::Mysql, "a")), 0, "nothing ran");
}
