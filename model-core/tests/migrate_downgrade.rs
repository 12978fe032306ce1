//! `downgrade` (to a version, by steps) and `upgrade_to`: a migration without down.sql, or applied
//! but missing from the folder, is refused by name before anything is reverted; a failing down.sql
//! names its statement and is rolled back whole (PostgreSQL, SQLite) or leaves the statements before
//! it applied, as its error says (MySQL).
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::backend::Backend;
use diesel_migrations::FileBasedMigrations;
use model_core::ir::Dialect;
use model_core::runtime::{downgrade, history, migrate, upgrade_to, Downgrade, Error, Options};
use runtime_support::{count, tables_named, tracked, Folder, N};

fn versions(h: Vec<model_core::runtime::Applied>) -> Vec<String> {
    h.into_iter().map(|a| a.version).collect()
}

fn scenario<DB: Backend, C>(conn: &mut C, dialect: Dialect)
where
    C: diesel::Connection<Backend = DB> + model_core::runtime::MigrateConnection<Db = DB> + 'static,
    FileBasedMigrations: diesel::migration::MigrationSource<DB>,
    N: diesel::QueryableByName<DB>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, N>,
{
    let transactional = dialect != Dialect::Mysql;
    let o = Options::default();
    let f = Folder::new("down");
    f.write(
        "2024-01-01-000000_a",
        "CREATE TABLE a (id INTEGER);",
        Some("DROP TABLE a;"),
    );
    f.write("2024-01-02-000000_no_down", "CREATE TABLE b (id INTEGER);", None);
    f.write(
        "2024-01-03-000000_c",
        "CREATE TABLE c (id INTEGER);",
        Some("DROP TABLE c;"),
    );

    assert_eq!(
        upgrade_to(conn, f.source(), "20240102000000", &o).expect("upgrade_to"),
        ["20240101000000", "20240102000000"]
    );
    assert!(matches!(
        upgrade_to(conn, f.source(), "20990101000000", &o),
        Err(Error::UnknownVersion { .. })
    ));
    assert_eq!(migrate(conn, f.source()).expect("the rest"), ["20240103000000"]);

    // refused before anything is reverted
    let err = downgrade(conn, f.source(), Downgrade::Steps(3), &o).expect_err("no down.sql");
    assert!(
        matches!(&err, Error::NoDown { version, name } if version == "20240102000000" && name == "2024-01-02-000000_no_down"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("cannot revert migration 20240102000000 (`2024-01-02-000000_no_down`): it has no down.sql; nothing was reverted"),
        "{err}"
    );
    assert_eq!(tracked(conn), (3, 3), "nothing reverted");
    assert!(matches!(
        downgrade(conn, f.source(), Downgrade::To("20240101000000".into()), &o),
        Err(Error::NoDown { .. })
    ));
    assert!(matches!(
        downgrade(conn, f.source(), Downgrade::To("20990101000000".into()), &o),
        Err(Error::UnknownVersion { .. })
    ));

    assert_eq!(
        downgrade(conn, f.source(), Downgrade::Steps(1), &o).expect("one step"),
        ["20240103000000"]
    );
    assert_eq!(tracked(conn), (2, 2));
    assert_eq!(
        versions(history(conn).expect("history")),
        ["20240101000000", "20240102000000"]
    );

    // a failing down.sql names its statement; with a transaction, nothing of it stays
    f.write(
        "2024-01-02-000000_no_down",
        "CREATE TABLE b (id INTEGER);",
        Some("DROP TABLE b;\nDROP TABLE nope;"),
    );
    let err = downgrade(conn, f.source(), Downgrade::To("20240101000000".into()), &o).expect_err("down fails");
    match &err {
        Error::Statement {
            version,
            number,
            statement,
            down,
            rolled_back,
            ..
        } => {
            assert_eq!(
                (version.as_str(), *number, statement.as_str()),
                ("20240102000000", 2, "DROP TABLE nope")
            );
            assert!(*down);
            assert_eq!(*rolled_back, transactional);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().starts_with("reverting migration 20240102000000"),
        "{err}"
    );
    assert_eq!(tracked(conn), (2, 2), "still applied");
    let b = count(conn, &tables_named(dialect, "b"));
    if transactional {
        // rolled back: statement 1's DROP TABLE b is undone
        assert_eq!(b, 1, "the failed revert was rolled back: b is still there");
    } else {
        // MySQL commits each DDL statement: statement 1 stays done, as the error says; finish by
        // hand (here: put b back) and start again
        assert_eq!(b, 0, "MySQL: statement 1 of the failed revert stays applied");
        assert!(
            err.to_string()
                .contains("statements 1 to 1 of its down.sql stay applied"),
            "{err}"
        );
        conn.batch_execute("CREATE TABLE b (id INTEGER)").expect("b by hand");
    }

    f.write(
        "2024-01-02-000000_no_down",
        "CREATE TABLE b (id INTEGER);",
        Some("DROP TABLE b;"),
    );
    assert_eq!(
        downgrade(conn, f.source(), Downgrade::To("20240101000000".into()), &o).expect("to a"),
        ["20240102000000"]
    );
    assert_eq!(tracked(conn), (1, 1));
    assert_eq!(count(conn, &tables_named(dialect, "b")), 0, "reverted: b is gone");
    assert_eq!(
        migrate(conn, f.source()).expect("up again"),
        ["20240102000000", "20240103000000"]
    );
    assert_eq!(
        downgrade(conn, f.source(), Downgrade::Steps(10), &o).expect("all"),
        ["20240103000000", "20240102000000", "20240101000000"]
    );
    assert_eq!(tracked(conn), (0, 0));

    // an applied migration missing from the folder (a newer build applied it) is refused by name
    // before anything is reverted
    assert_eq!(migrate(conn, f.source()).expect("all again").len(), 3);
    let aside = tempfile::tempdir().expect("temp dir");
    std::fs::rename(
        f.path.join("2024-01-03-000000_c"),
        aside.path().join("2024-01-03-000000_c"),
    )
    .expect("move c aside");
    let err = downgrade(conn, f.source(), Downgrade::Steps(2), &o).expect_err("c is not in the folder");
    assert!(
        matches!(&err, Error::NotInSource { version } if version == "20240103000000"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("cannot revert migration 20240103000000: it is applied but not in the migrations folder"),
        "{err}"
    );
    assert_eq!(tracked(conn), (3, 3), "nothing reverted");
    assert_eq!(count(conn, &tables_named(dialect, "b")), 1, "nothing reverted");
}

#[test]
fn sqlite_downgrade() {
    let db = model_testkit::sqlite("down");
    scenario(&mut db.connect(), Dialect::Sqlite);
}

#[test]
fn postgres_downgrade() {
    let Some(db) = model_testkit::postgres("down") else {
        return;
    };
    scenario(&mut db.connect(), Dialect::Postgres);
}

#[test]
fn mysql_downgrade() {
    let Some(db) = model_testkit::mysql("down") else {
        return;
    };
    scenario(&mut db.connect(), Dialect::Mysql);
}
