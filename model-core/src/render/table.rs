//! `CREATE TABLE` (with PostgreSQL's `COMMENT ON` statements) and `DROP TABLE`.

use super::column::{column_def, is_sqlite_rowid};
use super::comment;
use super::constraint;
use super::ident::quote_table;
use super::ident::{quote_ident, string_literal};
use crate::ir::{Dialect, Table};

/// The table options of every MySQL table, whatever the server's defaults: InnoDB (the engine with
/// foreign keys and transactions) and `utf8mb4` (all of Unicode; MariaDB before 11.6 defaults to
/// `latin1`).
const MYSQL_TABLE_OPTIONS: &str = " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4";

/// The statements that create `table` (indexes are separate ops).
pub(super) fn create(table: &Table, dialect: Dialect) -> Vec<String> {
    let mut lines: Vec<String> = table.columns.iter().map(|c| column_def(table, c, dialect)).collect();
    let rowid_alias = dialect == Dialect::Sqlite && table.columns.iter().any(|c| is_sqlite_rowid(table, c));
    if let Some(pk) = table.primary_key.as_ref().filter(|_| !rowid_alias) {
        lines.push(constraint::primary_key(pk, dialect));
    }
    lines.extend(table.uniques.iter().map(|u| constraint::unique(u, dialect)));
    lines.extend(table.checks.iter().map(|c| constraint::check(c, dialect)));
    lines.extend(table.foreign_keys.iter().map(|f| constraint::foreign_key(f, dialect)));

    let name = quote_table(&table.name, dialect);
    let body = lines.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join(",\n");
    let mut create = format!("CREATE TABLE {name} (\n{body}\n)");
    if dialect == Dialect::Mysql {
        create.push_str(MYSQL_TABLE_OPTIONS);
        if let Some(comment) = &table.comment {
            create.push_str(&format!(" COMMENT = {}", string_literal(comment, dialect)));
        }
    }
    let mut out: Vec<String> = table
        .schema
        .iter()
        .filter(|_| dialect == Dialect::Postgres)
        .map(|s| create_schema(s))
        .collect();
    out.push(create);
    if dialect == Dialect::Postgres {
        out.extend(postgres_comments(table));
    }
    out
}

/// `CREATE SCHEMA IF NOT EXISTS "s"`, written before each table created in (or moved to) a schema:
/// the schema may exist already (made by hand, by another crate, by an earlier migration). `down.sql`
/// never drops a schema: it cannot tell whether this statement created it, and an empty schema
/// holds nothing.
pub(super) fn create_schema(schema: &str) -> String {
    format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema, Dialect::Postgres))
}

/// `COMMENT ON TABLE` / `COMMENT ON COLUMN` statements.
fn postgres_comments(table: &Table) -> Vec<String> {
    let table_comment = table
        .comment
        .as_deref()
        .map(|c| comment::postgres_table(&table.name, Some(c)));
    let column_comments = table.columns.iter().filter_map(|col| {
        let c = col.comment.as_deref()?;
        Some(comment::postgres_column(&table.name, &col.name, Some(c)))
    });
    table_comment.into_iter().chain(column_comments).collect()
}

/// `DROP TABLE "t"`.
pub(super) fn drop(table: &Table, dialect: Dialect) -> Vec<String> {
    vec![format!("DROP TABLE {}", quote_table(&table.name, dialect))]
}
