//! A migration failing in its middle: the error names the migration, the statement and the
//! database's message; the migrations before it stay applied; it is rolled back whole (PostgreSQL,
//! SQLite). Statements are split with each dialect's rules (dollar quoting, trigger bodies). MySQL's
//! partial-and-resume behaviour is tested in `mysql_migrate.rs`.
#![cfg(all(feature = "postgres", feature = "sqlite"))]

mod runtime_support;

use diesel::Connection;
use model_core::runtime::{migrate, Error};
use runtime_support::{count, tracked, Folder};

/// Migration 1 is fine (with a statement holding `;` inside, split right); migration 2 fails at its
/// second statement of three.
fn folder(first_up: &str) -> Folder {
    let f = Folder::new("fail");
    f.write("2024-01-01-000000_fine", first_up, Some("DROP TABLE fine;"));
    f.write(
        "2024-01-02-000000_broken",
        "-- a table, then a statement that fails, then another table\n\
         CREATE TABLE first_half (id INTEGER);\n\
         INSERT INTO no_such_table VALUES (1);\n\
         CREATE TABLE second_half (id INTEGER);\n",
        Some("DROP TABLE second_half; DROP TABLE first_half;"),
    );
    f
}

fn assert_failure(err: &Error) {
    match err {
        Error::Statement {
            version,
            name,
            number,
            total,
            statement,
            rolled_back,
            down,
            ..
        } => {
            assert_eq!(
                (version.as_str(), name.as_str()),
                ("20240102000000", "2024-01-02-000000_broken")
            );
            assert_eq!((*number, *total), (2, 3));
            assert_eq!(statement, "INSERT INTO no_such_table VALUES (1)");
            assert!(*rolled_back && !*down);
        }
        other => panic!("expected a statement error, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "applying migration 20240102000000 (`2024-01-02-000000_broken`) failed at statement 2 of 3 of its up.sql: "
        ),
        "{msg}"
    );
    assert!(msg.contains("no_such_table"), "the database's message: {msg}");
    assert!(
        msg.contains("\nthe statement:\nINSERT INTO no_such_table VALUES (1)\n"),
        "{msg}"
    );
    assert!(msg.contains("rolled back"), "{msg}");
}

#[test]
fn postgres_failing_statement_rolls_its_migration_back() {
    let Some(db) = model_testkit::postgres("fail") else {
        return;
    };
    let f = folder(
        "CREATE TABLE fine (id INTEGER);\n\
         CREATE FUNCTION fine_count() RETURNS bigint AS $$ SELECT 1; SELECT count(*) FROM fine; $$ LANGUAGE sql;\n\
         DO $body$ BEGIN PERFORM 1; END $body$;",
    );
    let mut conn = db.connect();
    let err = migrate(&mut conn, f.source()).expect_err("migration 2 fails");
    assert_failure(&err);
    assert_eq!(
        tracked(&mut conn),
        (1, 1),
        "migration 1 stays applied, 2 is not recorded"
    );
    let tables = |conn: &mut diesel::PgConnection, name: &str| {
        count(
            conn,
            &format!("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '{name}'"),
        )
    };
    assert_eq!(tables(&mut conn, "fine"), 1);
    assert_eq!(tables(&mut conn, "first_half"), 0, "rolled back whole");
    assert_eq!(
        count(&mut conn, "SELECT fine_count() AS n"),
        0,
        "the function was created whole"
    );

    // fixed, the next run applies it
    f.write(
        "2024-01-02-000000_broken",
        "CREATE TABLE first_half (id INTEGER);\nCREATE TABLE second_half (id INTEGER);\n",
        None,
    );
    let mut conn = db.connect();
    assert_eq!(migrate(&mut conn, f.source()).expect("fixed"), ["20240102000000"]);
    assert_eq!(tracked(&mut conn), (2, 2));
}

#[test]
fn sqlite_failing_statement_rolls_its_migration_back() {
    let db = model_testkit::sqlite("fail");
    let f = folder(
        "CREATE TABLE fine (id INTEGER, n INTEGER);\n\
         CREATE TRIGGER fine_n AFTER INSERT ON fine BEGIN\n  \
         UPDATE fine SET n = CASE WHEN NEW.id > 0 THEN 1 ELSE 0 END WHERE id = NEW.id;\n  \
         UPDATE fine SET n = n + 1 WHERE id = NEW.id;\nEND;",
    );
    let mut conn = db.connect();
    let err = migrate(&mut conn, f.source()).expect_err("migration 2 fails");
    assert_failure(&err);
    assert_eq!(
        tracked(&mut conn),
        (1, 1),
        "migration 1 stays applied, 2 is not recorded"
    );
    let tables = |conn: &mut diesel::SqliteConnection, name: &str| {
        count(
            conn,
            &format!("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{name}'"),
        )
    };
    assert_eq!(tables(&mut conn, "fine"), 1);
    assert_eq!(tables(&mut conn, "first_half"), 0, "rolled back whole");
    // the trigger body was kept whole: both of its statements run
    runtime_support_exec(&mut conn, "INSERT INTO fine (id) VALUES (5)");
    assert_eq!(count(&mut conn, "SELECT n AS n FROM fine WHERE id = 5"), 2);

    // the connection is usable and the lock released: a second connection migrates once fixed
    f.write(
        "2024-01-02-000000_broken",
        "CREATE TABLE first_half (id INTEGER);\nCREATE TABLE second_half (id INTEGER);\n",
        None,
    );
    let mut other = diesel::SqliteConnection::establish(&db.path.to_string_lossy()).expect("open");
    assert_eq!(migrate(&mut other, f.source()).expect("fixed"), ["20240102000000"]);
    assert_eq!(tracked(&mut conn), (2, 2));
}

fn runtime_support_exec(conn: &mut impl diesel::connection::SimpleConnection, sql: &str) {
    conn.batch_execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
}
