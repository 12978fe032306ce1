//! Checksums of applied migrations: a tampered one is an error naming it (version and name) and
//! saying how to accept it; an edit of comments and blanks only is not; `accept` clears it;
//! `status` shows it; a database migrated by bare Diesel is adopted without error.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::backend::Backend;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use model_core::runtime::{accept, history, migrate, status, Error, State};
use runtime_support::{tracked, Folder, N};

const UP: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n";

fn two(f: &Folder) {
    f.write("2024-01-01-000000_create_users", UP, Some("DROP TABLE users;"));
    f.write(
        "2024-01-02-000000_create_posts",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY);",
        Some("DROP TABLE posts;"),
    );
}

fn tamper_scenario<DB: Backend, C>(conn: &mut C)
where
    C: diesel::Connection<Backend = DB> + model_core::runtime::MigrateConnection<Db = DB> + 'static,
    FileBasedMigrations: diesel::migration::MigrationSource<DB>,
    N: diesel::QueryableByName<DB>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, N>,
{
    let f = Folder::new("sum");
    two(&f);
    assert_eq!(migrate(conn, f.source()).expect("first").len(), 2);

    // comments, blanks and line breaks do not count
    f.write(
        "2024-01-01-000000_create_users",
        "-- the users\nCREATE TABLE users (\n    id INTEGER PRIMARY KEY,   -- key\n    name TEXT NOT NULL\n) ;\n",
        None,
    );
    assert!(migrate(conn, f.source()).expect("a comment edit is fine").is_empty());

    // a real edit is an error naming the migration, with the way to accept it
    f.write(
        "2024-01-01-000000_create_users",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n",
        None,
    );
    let err = migrate(conn, f.source()).expect_err("the edit is seen");
    assert!(
        matches!(&err, Error::Checksum { version, name, recorded, current }
            if version == "20240101000000" && name == "2024-01-01-000000_create_users" && recorded != current),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "migration 20240101000000 (`2024-01-01-000000_create_users`) was applied, and its up.sql has changed"
        ),
        "{msg}"
    );
    assert!(
        msg.contains("`model accept 20240101000000`") && msg.contains("model::accept"),
        "{msg}"
    );
    let s = status(conn, f.source()).expect("status");
    let states: Vec<State> = s.migrations.iter().map(|m| m.state).collect();
    assert_eq!(states, [State::Edited, State::Applied]);

    // accept errors name unknown versions
    assert!(matches!(
        accept(conn, f.source(), "20990101000000"),
        Err(Error::UnknownVersion { .. })
    ));
    accept(conn, f.source(), "20240101000000").expect("accept");
    assert!(migrate(conn, f.source()).expect("accepted").is_empty());
    let states: Vec<State> = status(conn, f.source())
        .expect("status")
        .migrations
        .iter()
        .map(|m| m.state)
        .collect();
    assert_eq!(states, [State::Applied, State::Applied]);

    // a new migration is pending, one applied but gone from the folder is missing
    f.write("2024-01-03-000000_tags", "CREATE TABLE tags (id INTEGER);", None);
    std::fs::remove_dir_all(f.path.join("2024-01-02-000000_create_posts")).expect("rm");
    let s = status(conn, f.source()).expect("status");
    let got: Vec<(&str, State, bool)> = s
        .migrations
        .iter()
        .map(|m| (m.version.as_str(), m.state, m.name.is_some()))
        .collect();
    assert_eq!(
        got,
        [
            ("20240101000000", State::Applied, true),
            ("20240102000000", State::Missing, false),
            ("20240103000000", State::Pending, true),
        ]
    );
    assert!(s.migrations[0].applied_at.is_some());
}

/// Bare Diesel migrates; then `migrate` adopts: no error, checksums recorded, nothing re-applied.
fn adoption_scenario<DB: Backend, C>(conn: &mut C)
where
    C: diesel::Connection<Backend = DB>
        + model_core::runtime::MigrateConnection<Db = DB>
        + MigrationHarness<DB>
        + 'static,
    FileBasedMigrations: diesel::migration::MigrationSource<DB>,
    N: diesel::QueryableByName<DB>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, N>,
{
    let f = Folder::new("adopt");
    two(&f);
    assert_eq!(conn.run_pending_migrations(f.source()).expect("bare Diesel").len(), 2);
    let before = history(conn).expect("history");
    assert!(before.iter().all(|a| a.checksum.is_none()), "{before:?}");
    assert_eq!(
        status(conn, f.source())
            .expect("status")
            .migrations
            .iter()
            .map(|m| m.state)
            .collect::<Vec<_>>(),
        [State::Applied, State::Applied],
        "not adopted yet, not an error either"
    );

    f.write("2024-01-03-000000_tags", "CREATE TABLE tags (id INTEGER);", None);
    assert_eq!(migrate(conn, f.source()).expect("adopted"), ["20240103000000"]);
    assert_eq!(tracked(conn), (3, 3));
    let after = history(conn).expect("history");
    assert!(
        after.iter().all(|a| a.checksum.as_ref().is_some_and(|c| c.len() == 64)),
        "{after:?}"
    );
    // adopted checksums guard like the others
    f.write(
        "2024-01-01-000000_create_users",
        "CREATE TABLE users (id BIGINT);",
        None,
    );
    assert!(matches!(migrate(conn, f.source()), Err(Error::Checksum { .. })));
}

#[test]
fn sqlite_tampered_migration() {
    let db = model_testkit::sqlite("sum");
    tamper_scenario(&mut db.connect());
}

#[test]
fn postgres_tampered_migration() {
    let Some(db) = model_testkit::postgres("sum") else {
        return;
    };
    tamper_scenario(&mut db.connect());
}

#[test]
fn mysql_tampered_migration() {
    let Some(db) = model_testkit::mysql("sum") else {
        return;
    };
    tamper_scenario(&mut db.connect());
}

#[test]
fn sqlite_adopts_a_database_migrated_by_bare_diesel() {
    let db = model_testkit::sqlite("adopt");
    adoption_scenario(&mut db.connect());
}

#[test]
fn postgres_adopts_a_database_migrated_by_bare_diesel() {
    let Some(db) = model_testkit::postgres("adopt") else {
        return;
    };
    adoption_scenario(&mut db.connect());
}

#[test]
fn mysql_adopts_a_database_migrated_by_bare_diesel() {
    let Some(db) = model_testkit::mysql("adopt") else {
        return;
    };
    adoption_scenario(&mut db.connect());
}
