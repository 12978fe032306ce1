//! Run generated MySQL migrations with the `mysql` shell against the database given by the
//! `MODEL_TEST_MYSQL` environment variable: the shell's arguments separated by spaces, e.g.
//! `--no-defaults --socket=/tmp/mysql.sock -uroot`. MySQL commits DDL at once, so each test works
//! in its own database, dropped at the end. Skipped (with a message) when the variable is not set.

use super::plan;
use crate::ir::{ColumnType, Dialect, Table};

/// The fixtures as MySQL can hold them: a `TEXT` column in a key becomes `VARCHAR(255)` (MySQL
/// indexes `TEXT` only with a prefix length, and the plan refuses that), and partial indexes are left
/// out (MySQL has none).
pub(super) fn mysql_ready(tables: &[Table]) -> Vec<Table> {
    let mut out = tables.to_vec();
    for t in &mut out {
        t.indexes.retain(|i| i.where_sql.is_none());
        let keyed: Vec<String> = t
            .primary_key
            .iter()
            .flat_map(|k| &k.columns)
            .chain(t.uniques.iter().flat_map(|u| &u.columns))
            .chain(t.indexes.iter().flat_map(|i| &i.columns))
            .chain(t.foreign_keys.iter().flat_map(|f| &f.columns))
            .cloned()
            .collect();
        for c in &mut t.columns {
            if c.ty == ColumnType::Text && keyed.contains(&c.name) {
                c.ty = ColumnType::Varchar { len: 255 };
            }
        }
    }
    out
}
use crate::ops::fixtures::{categories, chain, kitchen_sink, mutual, post_tags, posts, tags, users};

pub(super) fn run(db: &str, script: &str) -> Result<(), String> {
    let Ok(args) = std::env::var("MODEL_TEST_MYSQL") else {
        crate::test_shell::skip("MODEL_TEST_MYSQL not set");
        return Ok(());
    };
    let db = format!("model_test_{db}_{}", std::process::id());
    let script =
        format!("DROP DATABASE IF EXISTS {db};\nCREATE DATABASE {db};\nUSE {db};\n{script}DROP DATABASE {db};\n");
    let args: Vec<&str> = args.split_whitespace().collect();
    let ran = crate::test_shell::shell("mysql", &args, &script).map(|_| ());
    // a script that fails stops before its own DROP DATABASE: the database goes here
    if ran.is_err() {
        let _ = crate::test_shell::shell("mysql", &args, &format!("DROP DATABASE IF EXISTS {db};\n"));
    }
    ran
}

#[test]
fn up_down_up_down_runs() {
    let mut all: Vec<Table> = vec![users(), posts(), tags(), post_tags(), categories(), kitchen_sink()];
    all.extend(mutual());
    all.extend(chain());
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
