//! Run generated PostgreSQL migrations with `psql` against the database named by the
//! `MODEL_TEST_PSQL` environment variable (a connection string, e.g.
//! `postgresql://postgres@localhost/postgres`). Everything runs in one transaction that is rolled
//! back. Skipped (with a message) when the variable is not set.

use super::plan;
use crate::ir::{Dialect, Table};
use crate::ops::fixtures::{categories, chain, kitchen_sink, mutual, post_tags, posts, tags, users};

pub(super) fn run(script: &str) -> Result<(), String> {
    let Ok(url) = std::env::var("MODEL_TEST_PSQL") else {
        crate::test_shell::skip("MODEL_TEST_PSQL not set");
        return Ok(());
    };
    let full = format!("BEGIN;\n{script}ROLLBACK;\n");
    crate::test_shell::shell("psql", &["-X", "-q", "-v", "ON_ERROR_STOP=1", &url], &full).map(|_| ())
}

#[test]
fn up_down_up_runs() {
    let mut all: Vec<Table> = vec![users(), posts(), tags(), post_tags(), categories(), kitchen_sink()];
    all.extend(mutual());
    all.extend(chain());
    let m = plan(&[], &all, Dialect::Postgres);
    run(&[m.up_sql.as_str(), &m.down_sql, &m.up_sql].concat()).unwrap();
}

#[test]
fn dropping_tables_that_reference_each_other_with_rows() {
    let create = plan(&[], &mutual(), Dialect::Postgres);
    let drop = plan(&mutual(), &[], Dialect::Postgres);
    let rows = "INSERT INTO authors (id, books_id) VALUES (1, NULL);\n\
                INSERT INTO books (id, authors_id) VALUES (1, 1);\n\
                UPDATE authors SET books_id = 1;\n";
    run(&[create.up_sql.as_str(), rows, &drop.up_sql, &drop.down_sql].concat()).unwrap();
}

#[test]
fn a_broken_script_is_reported() {
    if std::env::var("MODEL_TEST_PSQL").is_ok() {
        assert!(run("SELEC 1;").is_err());
    } else {
        crate::test_shell::skip("MODEL_TEST_PSQL not set");
    }
}
