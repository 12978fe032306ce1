//! `runtime::migrate` against real databases, with a temporary migrations folder.
#![cfg(all(feature = "postgres", feature = "sqlite"))]

mod support;

use diesel::backend::Backend;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use model_core::runtime::{migrate, Error};
use std::path::Path;

fn two_migrations(dir: &Path) {
    support::write_migration(
        dir,
        "2024-01-01-000000_create_users",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
        "DROP TABLE users;",
    );
    support::write_migration(
        dir,
        "2024-01-02-000000_create_posts",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));",
        "DROP TABLE posts;",
    );
}

fn source(dir: &Path) -> FileBasedMigrations {
    FileBasedMigrations::from_path(dir).expect("migrations folder")
}

/// The same scenario on any backend: apply two, apply none, then a failing third names its version.
fn scenario<DB: Backend + 'static, C>(conn: &mut C)
where
    C: diesel::Connection<Backend = DB>
        + model_core::runtime::MigrateConnection<Db = DB>
        + MigrationHarness<DB>
        + 'static,
    FileBasedMigrations: diesel::migration::MigrationSource<DB>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    two_migrations(dir.path());

    let applied = migrate(conn, source(dir.path())).expect("first run");
    assert_eq!(applied, ["20240101000000", "20240102000000"]);
    let again = migrate(conn, source(dir.path())).expect("second run");
    assert!(again.is_empty(), "nothing pending: {again:?}");

    support::write_migration(
        dir.path(),
        "2024-01-03-000000_add_tags",
        "CREATE TABLE tags (id INTEGER);",
        "",
    );
    support::write_migration(dir.path(), "2024-01-04-000000_broken", "CREATE TABLE oops (;", "");
    support::write_migration(
        dir.path(),
        "2024-01-05-000000_after",
        "CREATE TABLE later (id INTEGER);",
        "",
    );
    let err = migrate(conn, source(dir.path())).expect_err("the broken migration fails");
    assert!(
        matches!(&err, Error::Statement { version, name, number: 1, rolled_back: true, .. }
        if version == "20240104000000" && name == "2024-01-04-000000_broken"),
        "{err:?}"
    );
    assert_eq!(err.version(), Some("20240104000000"));
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "applying migration 20240104000000 (`2024-01-04-000000_broken`) failed at statement 1 of 1 of its up.sql: "
        ),
        "{msg}"
    );

    let mut versions: Vec<String> = conn
        .applied_migrations()
        .expect("applied")
        .iter()
        .map(ToString::to_string)
        .collect();
    versions.sort();
    assert_eq!(
        versions,
        ["20240101000000", "20240102000000", "20240103000000"],
        "the one before the failure stays"
    );
}

#[test]
fn sqlite_applies_pending_migrations_in_order() {
    let db = model_testkit::sqlite("core");
    let mut conn = db.connect();
    scenario(&mut conn);
}

#[test]
fn postgres_applies_pending_migrations_in_order() {
    let Some(db) = model_testkit::postgres("core") else {
        return;
    };
    let mut conn = db.connect();
    scenario(&mut conn);
    let live = model_core::introspect::postgres(&mut conn).expect("introspect");
    let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["posts", "tags", "users"],
        "the failed migration left nothing behind"
    );
}

/// A migration source that cannot be read.
struct Unreadable;

impl<DB: Backend> diesel::migration::MigrationSource<DB> for Unreadable {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn diesel::migration::Migration<DB>>>> {
        Err("folder vanished".into())
    }
}

#[test]
fn unreadable_migration_source_is_a_source_error() {
    let db = model_testkit::sqlite("core");
    let mut conn = db.connect();
    let err = migrate(&mut conn, Unreadable).expect_err("the source fails");
    assert!(matches!(err, Error::Source { .. }), "{err:?}");
    assert_eq!(err.version(), None);
    assert!(
        err.to_string()
            .starts_with("cannot read the migrations: folder vanished; "),
        "{err}"
    );
}
