//! `CREATE TABLE` (with PostgreSQL's `COMMENT ON` statements) and `DROP TABLE`.

use super::column::{column_def, is_sqlite_rowid};
use super::constraint;
use super::ident::{quote_ident, string_literal};
use crate::ir::{Dialect, Table};

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

    let name = quote_ident(&table.name, dialect);
    let body = lines.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join(",\n");
    let mut create = format!("CREATE TABLE {name} (\n{body}\n)");
    if let (Dialect::Mysql, Some(comment)) = (dialect, &table.comment) {
        create.push_str(&format!(" COMMENT = {}", string_literal(comment, dialect)));
    }
    let mut out = vec![create];
    if dialect == Dialect::Postgres {
        out.extend(postgres_comments(table));
    }
    out
}

/// `COMMENT ON TABLE` / `COMMENT ON COLUMN` statements.
fn postgres_comments(table: &Table) -> Vec<String> {
    let d = Dialect::Postgres;
    let name = quote_ident(&table.name, d);
    let mut out = Vec::new();
    if let Some(c) = &table.comment {
        out.push(format!("COMMENT ON TABLE {name} IS {}", string_literal(c, d)));
    }
    for col in &table.columns {
        if let Some(c) = &col.comment {
            let col_name = quote_ident(&col.name, d);
            out.push(format!(
                "COMMENT ON COLUMN {name}.{col_name} IS {}",
                string_literal(c, d)
            ));
        }
    }
    out
}

/// `DROP TABLE "t"`.
pub(super) fn drop(table: &Table, dialect: Dialect) -> Vec<String> {
    vec![format!("DROP TABLE {}", quote_ident(&table.name, dialect))]
}
