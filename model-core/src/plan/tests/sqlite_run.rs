//! Run generated SQLite migrations in the `sqlite3` shell, with foreign keys on and each file in a
//! transaction as Diesel does. Skipped (with a message) where `sqlite3` is not installed.

use super::plan;
use crate::ir::{Dialect, Table};
use crate::ops::fixtures::{categories, chain, kitchen_sink, mutual, post_tags, posts, tags, users};

/// Run `script` in a fresh in-memory database; `Err(stderr)` when sqlite3 reports an error,
/// `Ok(None)` when sqlite3 is missing.
pub(super) fn run(script: &str) -> Result<Option<String>, String> {
    crate::test_shell::shell(
        "sqlite3",
        &["-bail", ":memory:"],
        &format!("PRAGMA foreign_keys = ON;\n{script}"),
    )
}

pub(super) fn tx(sql: &str) -> String {
    format!("BEGIN;\n{sql}COMMIT;\n")
}

fn all_tables() -> Vec<Table> {
    let mut t = vec![users(), posts(), tags(), post_tags(), categories(), kitchen_sink()];
    t.extend(mutual());
    t.extend(chain());
    t
}

#[test]
fn up_down_up_runs() {
    let m = plan(&[], &all_tables(), Dialect::Sqlite);
    let script = [
        tx(&m.up_sql),
        tx(&m.down_sql),
        tx(&m.up_sql),
        "SELECT count(*) FROM sqlite_master;\n".into(),
    ];
    if let Some(out) = run(&script.concat()).unwrap() {
        // 11 tables + 5 indexes + the automatic indexes of 3 unique constraints and 1 composite key.
        assert_eq!(out.trim(), "20");
    }
}

#[test]
fn dropping_tables_that_reference_each_other_with_rows() {
    let create = plan(&[], &mutual(), Dialect::Sqlite);
    let drop = plan(&mutual(), &[], Dialect::Sqlite);
    assert!(
        drop.up_sql.contains("PRAGMA defer_foreign_keys = ON;"),
        "{}",
        drop.up_sql
    );
    let rows = "INSERT INTO authors (id, books_id) VALUES (1, NULL);\n\
                INSERT INTO books (id, authors_id) VALUES (1, 1);\n\
                UPDATE authors SET books_id = 1;\n";
    let script = [tx(&create.up_sql), tx(rows), tx(&drop.up_sql), tx(&drop.down_sql)];
    run(&script.concat()).unwrap();
}

#[test]
fn a_broken_script_is_reported() {
    // The harness itself must be able to fail.
    let script = tx(&plan(&[], &[posts()], Dialect::Sqlite).up_sql) + "INSERT INTO posts (users_id) VALUES (7);\n";
    assert!(run(&script).is_err() || run("SELECT 1;").unwrap().is_none());
}
