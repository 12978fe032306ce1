//! Run the rendered SQL of the table-changing ops on a real PostgreSQL with `psql`, rows present:
//! every statement must run, values must survive (renamed and retyped columns included), and up
//! then down must give back the exact schema (read from the catalog). The database is named by
//! `MODEL_TEST_PSQL` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`); each test works in its
//! own schema inside one transaction that is rolled back. Skipped when the variable is not set,
//! except under CI.

use super::render_op;
use crate::ir::{
    pk_name, unique_name, Check, Column, ColumnType, DefaultValue, Dialect, Index, Literal, PrimaryKey, Table,
    UniqueConstraint,
};
use crate::ops::fixtures::{col, nullable};
use crate::ops::Op;

/// The schema: columns, constraints, indexes and comments, one row each, in a fixed order.
const DESCRIBE: &str = "\
SELECT 'column', table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale,
       is_nullable, column_default, is_identity,
       col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position)
  FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 2, 3;
SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 2, 3;
SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 2, 3;
SELECT 'table', relname, obj_description(oid, 'pg_class')
  FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY 2;
";

/// Run `script` in schema `schema` of the test database, in a transaction rolled back at the end.
/// `Ok(None)` when the test is skipped.
fn run(schema: &str, script: &str) -> Result<Option<String>, String> {
    let Ok(url) = std::env::var("MODEL_TEST_PSQL") else {
        crate::test_shell::skip("MODEL_TEST_PSQL not set");
        return Ok(None);
    };
    let full = format!("BEGIN;\nCREATE SCHEMA {schema};\nSET LOCAL search_path TO {schema};\n{script}ROLLBACK;\n");
    crate::test_shell::shell("psql", &["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", &url], &full)
}

/// `SELECT '== name'`: starts a section of the output (see [`section`]).
fn mark(name: &str) -> String {
    format!("SELECT '== {name}';\n")
}

/// The output lines between `== name` and the next mark.
fn section<'a>(out: &'a str, name: &str) -> &'a str {
    let head = format!("== {name}\n");
    let Some(start) = out.find(&head).map(|i| i + head.len()) else {
        panic!("no section {name} in\n{out}");
    };
    let end = out[start..].find("== ").map_or(out.len(), |i| start + i);
    &out[start..end]
}

/// The statements of `ops`, each ending with `;`.
fn sql(ops: &[Op]) -> String {
    ops.iter()
        .flat_map(|op| render_op(op, Dialect::Postgres))
        .map(|s| format!("{s};\n"))
        .collect()
}

/// The reverse of `ops`: each op reversed, in reverse order.
fn reversed(ops: &[Op]) -> Vec<Op> {
    ops.iter().rev().map(Op::reverse).collect()
}

fn with(column: Column, default: Option<DefaultValue>, comment: Option<&str>) -> Column {
    Column {
        default,
        comment: comment.map(String::from),
        ..column
    }
}

fn items() -> Table {
    let mut t = Table::new("items");
    t.columns = vec![
        col("id", ColumnType::Integer),
        nullable("qty", ColumnType::Integer),
        col("title", ColumnType::Text),
        nullable("doc", ColumnType::Text),
        nullable("note", ColumnType::Text),
        with(
            col("price", numeric(8, 2)),
            Some(DefaultValue::Literal(Literal::Int(0))),
            None,
        ),
        nullable("old", ColumnType::Text),
    ];
    t.primary_key = Some(PrimaryKey {
        name: pk_name("items"),
        columns: vec!["id".into()],
    });
    t
}

fn numeric(precision: u32, scale: u32) -> ColumnType {
    ColumnType::Numeric {
        precision: Some(precision),
        scale: Some(scale),
    }
}

fn title_index(table: &str) -> Index {
    Index {
        name: format!("ix_{table}_title"),
        columns: vec!["title".into()],
        unique: false,
        where_sql: None,
    }
}

/// Every kind of table change, in the order a plan would give them.
fn evolution() -> Vec<Op> {
    let t = || "things".to_string();
    let alter = |from: Column, to: Column| Op::AlterColumn { table: t(), from, to };
    vec![
        Op::RenameTable {
            from: "items".into(),
            to: t(),
        },
        Op::RenameConstraint {
            table: t(),
            from: pk_name("items"),
            to: pk_name("things"),
        },
        Op::RenameIndex {
            table: t(),
            from: title_index("items").name,
            to: title_index("things").name,
        },
        alter(
            col("id", ColumnType::Integer),
            Column {
                identity: true,
                ..col("id", ColumnType::BigInt)
            },
        ),
        alter(
            nullable("qty", ColumnType::Integer),
            with(
                col("qty", ColumnType::BigInt),
                Some(DefaultValue::Literal(Literal::Int(0))),
                None,
            ),
        ),
        alter(
            col("title", ColumnType::Text),
            with(
                col("title", ColumnType::Varchar { len: 20 }),
                None,
                Some("Shown in lists."),
            ),
        ),
        alter(nullable("doc", ColumnType::Text), nullable("doc", ColumnType::Json)),
        alter(
            with(
                col("price", numeric(8, 2)),
                Some(DefaultValue::Literal(Literal::Int(0))),
                None,
            ),
            with(
                col("price", numeric(12, 2)),
                Some(DefaultValue::Literal(Literal::Float("9.99".into()))),
                None,
            ),
        ),
        Op::RenameColumn {
            table: t(),
            from: "note".into(),
            to: "remark".into(),
        },
        Op::DropColumn {
            table: t(),
            column: nullable("old", ColumnType::Text),
        },
        Op::AddColumn {
            table: t(),
            column: with(
                col("status", ColumnType::Varchar { len: 10 }),
                Some(DefaultValue::Literal(Literal::Str("new".into()))),
                Some("Workflow state."),
            ),
        },
        Op::AddUnique {
            table: t(),
            unique: UniqueConstraint {
                name: unique_name("things", &["title"]),
                columns: vec!["title".into()],
            },
        },
        Op::AddCheck {
            table: t(),
            check: Check {
                name: "ck_things_qty".into(),
                sql: "qty >= 0".into(),
            },
        },
        Op::SetTableComment {
            table: t(),
            from: None,
            to: Some("Things to sell.".into()),
        },
    ]
}

#[test]
fn every_change_runs_keeps_rows_and_round_trips() {
    let create = [
        Op::CreateTable { table: items() },
        Op::CreateIndex {
            table: "items".into(),
            index: title_index("items"),
        },
    ];
    let up = sql(&evolution());
    let down = sql(&reversed(&evolution()));
    let rows = "INSERT INTO items (id, qty, title, doc, note, old) VALUES \
                (1, NULL, 'a', '{\"k\": 1}', 'n1', 'x'), (2, 5, 'bb', NULL, NULL, NULL), (10, NULL, 'ccc', '[1, 2]', 'n3', 'z');\n";
    let script = [
        sql(&create),
        rows.to_string(),
        mark("before"),
        DESCRIBE.to_string(),
        mark("up run"),
        up.clone(),
        mark("up"),
        DESCRIBE.to_string(),
        mark("up rows"),
        "INSERT INTO things (title, doc) VALUES ('d', '{\"n\": 2}');\n".to_string(),
        "SELECT id, qty, title, doc, remark, price, status FROM things ORDER BY id;\n".to_string(),
        mark("down run"),
        down,
        mark("down"),
        DESCRIBE.to_string(),
        mark("down rows"),
        "SELECT * FROM items ORDER BY id;\n".to_string(),
        mark("up again run"),
        up,
        mark("up again"),
        DESCRIBE.to_string(),
    ]
    .concat();
    let Some(out) = run("model_e_evolution", &script).unwrap() else {
        return;
    };
    // The identity sequence starts after the highest id, both times.
    assert_eq!(section(&out, "up run"), "11\n");
    assert_eq!(section(&out, "up again run"), "12\n");
    assert_eq!(
        section(&out, "up rows"),
        "1|0|a|{\"k\": 1}|n1|0.00|new\n\
         2|5|bb|||0.00|new\n\
         10|0|ccc|[1, 2]|n3|0.00|new\n\
         11|0|d|{\"n\": 2}||9.99|new\n"
    );
    // Down keeps every value that fits (the NULLs filled on the way up stay filled); the dropped
    // column comes back empty.
    assert_eq!(
        section(&out, "down rows"),
        "1|0|a|{\"k\": 1}|n1|0.00|\n\
         2|5|bb|||0.00|\n\
         10|0|ccc|[1, 2]|n3|0.00|\n\
         11|0|d|{\"n\": 2}||9.99|\n"
    );
    let before = section(&out, "before");
    assert!(
        before.contains("constraint|items|pk_items|PRIMARY KEY (id)"),
        "{before}"
    );
    assert_eq!(section(&out, "down"), before, "down did not restore the schema");
    assert_eq!(section(&out, "up again"), section(&out, "up"), "up after down differs");
    let expected = "\
column|things|doc|jsonb||||YES||NO|
column|things|id|bigint||64|0|NO||YES|
column|things|price|numeric||12|2|NO|9.99|NO|
column|things|qty|bigint||64|0|NO|0|NO|
column|things|remark|text||||YES||NO|
column|things|status|character varying|10|||NO|'new'::character varying|NO|Workflow state.
column|things|title|character varying|20|||NO||NO|Shown in lists.
constraint|things|ck_things_qty|CHECK ((qty >= 0))
constraint|things|pk_things|PRIMARY KEY (id)
constraint|things|uq_things_title|UNIQUE (title)
index|things|ix_things_title|CREATE INDEX ix_things_title ON model_e_evolution.things USING btree (title)
index|things|pk_things|CREATE UNIQUE INDEX pk_things ON model_e_evolution.things USING btree (id)
index|things|uq_things_title|CREATE UNIQUE INDEX uq_things_title ON model_e_evolution.things USING btree (title)
table|things|Things to sell.
";
    assert_eq!(section(&out, "up"), expected);
}

#[test]
fn identity_on_a_table_whose_name_needs_quotes() {
    let table = "Odd \"name's\"";
    let id = col("id", ColumnType::BigInt);
    let mut t = Table::new(table);
    t.columns.push(id.clone());
    let add_identity = Op::AlterColumn {
        table: table.into(),
        from: id.clone(),
        to: Column { identity: true, ..id },
    };
    let insert = format!(
        "INSERT INTO {} DEFAULT VALUES;\n",
        super::quote_ident(table, Dialect::Postgres)
    );
    let values = format!(
        "INSERT INTO {} VALUES (4);\n",
        super::quote_ident(table, Dialect::Postgres)
    );
    let script = [
        sql(&[Op::CreateTable { table: t }]),
        values,
        mark("up"),
        sql(std::slice::from_ref(&add_identity)),
        insert,
        format!(
            "SELECT max(id) FROM {};\n",
            super::quote_ident(table, Dialect::Postgres)
        ),
        mark("down"),
        sql(&[add_identity.reverse()]),
    ]
    .concat();
    let Some(out) = run("model_e_quotes", &script).unwrap() else {
        return;
    };
    assert_eq!(section(&out, "up"), "5\n5\n");
}

#[test]
fn not_null_with_a_default_fills_the_nulls_and_types_convert() {
    let from = nullable("n", ColumnType::Text);
    let to = with(
        col("n", ColumnType::Integer),
        Some(DefaultValue::Sql("1 + 1".into())),
        None,
    );
    let mut t = Table::new("t");
    t.columns.push(from.clone());
    let alter = Op::AlterColumn {
        table: "t".into(),
        from,
        to,
    };
    let script = [
        sql(&[Op::CreateTable { table: t }]),
        "INSERT INTO t VALUES ('7'), (NULL), (' 12');\n".to_string(),
        sql(std::slice::from_ref(&alter)),
        mark("up"),
        "SELECT n + 0 FROM t ORDER BY n;\n".to_string(),
        sql(&[alter.reverse()]),
        mark("down"),
        "INSERT INTO t VALUES (NULL);\n".to_string(),
        "SELECT n FROM t ORDER BY n NULLS LAST;\n".to_string(),
    ]
    .concat();
    let Some(out) = run("model_e_not_null", &script).unwrap() else {
        return;
    };
    assert_eq!(section(&out, "up"), "2\n7\n12\n");
    assert_eq!(section(&out, "down"), "12\n2\n7\n\n");
}
