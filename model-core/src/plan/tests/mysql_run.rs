//! Run generated MySQL migrations with the `mysql` shell against the database given by the
//! `MODEL_TEST_MYSQL` environment variable: the shell's arguments separated by spaces, e.g.
//! `--no-defaults --socket=/tmp/mysql.sock -uroot`. MySQL commits DDL at once, so each test works
//! in its own database, dropped at the end. Skipped (with a message) when the variable is not set.

use super::plan;
use crate::ir::{ColumnType, Dialect, Table};
use crate::ops::fixtures::{categories, chain, kitchen_sink, mutual, post_tags, posts, tags, users};

fn run(db: &str, script: &str) -> Result<(), String> {
    let Ok(args) = std::env::var("MODEL_TEST_MYSQL") else {
        crate::test_shell::skip("MODEL_TEST_MYSQL not set");
        return Ok(());
    };
    let db = format!("model_test_{db}_{}", std::process::id());
    let script =
        format!("DROP DATABASE IF EXISTS {db};\nCREATE DATABASE {db};\nUSE {db};\n{script}DROP DATABASE {db};\n");
    let args: Vec<&str> = args.split_whitespace().collect();
    crate::test_shell::shell("mysql", &args, &script).map(|_| ())
}

#[test]
fn up_down_up_down_runs() {
    // Without indexes over TEXT columns, which MySQL cannot index without a prefix length
    // (MySQL is finished in a later issue).
    let mut all: Vec<Table> = vec![users(), posts(), tags(), post_tags(), categories(), kitchen_sink()];
    all.extend(mutual());
    all.extend(chain());
    for t in &mut all {
        let text: Vec<String> = t
            .columns
            .iter()
            .filter(|c| c.ty == ColumnType::Text)
            .map(|c| c.name.clone())
            .collect();
        t.indexes.retain(|i| !i.columns.iter().any(|c| text.contains(c)));
    }
    let m = plan(&[], &all, Dialect::Mysql);
    run(
        "round_trip",
        &[m.up_sql.as_str(), &m.down_sql, &m.up_sql, &m.down_sql].concat(),
    )
    .unwrap();
}

#[test]
fn dropping_tables_that_reference_each_other_with_rows() {
    let create = plan(&[], &mutual(), Dialect::Mysql);
    let drop = plan(&mutual(), &[], Dialect::Mysql);
    let rows = "INSERT INTO authors (id, books_id) VALUES (1, NULL);\n\
                INSERT INTO books (id, authors_id) VALUES (1, 1);\n\
                UPDATE authors SET books_id = 1;\n";
    run(
        "cycle_rows",
        &[
            create.up_sql.as_str(),
            rows,
            &drop.up_sql,
            &drop.down_sql,
            &create.down_sql,
        ]
        .concat(),
    )
    .unwrap();
}

#[test]
fn a_broken_script_is_reported() {
    if std::env::var("MODEL_TEST_MYSQL").is_ok() {
        assert!(run("broken", "SELEC 1;").is_err());
    } else {
        crate::test_shell::skip("MODEL_TEST_MYSQL not set");
    }
}
