//! `ALTER TABLE .. ADD COLUMN` and `DROP COLUMN`.

use super::column::column_def;
use super::comment;
use super::ident::quote_ident;
use super::ident::quote_table;
use crate::ir::{Column, Dialect, Table};

/// `ALTER TABLE "t" ADD COLUMN <definition>`, the definition being the one `CREATE TABLE` writes
/// (identity, `NOT NULL`, default; MySQL's inline comment), then PostgreSQL's `COMMENT ON COLUMN`.
/// On PostgreSQL an identity column added to a table with rows numbers those rows.
pub(super) fn add(table: &str, column: &Column, dialect: Dialect) -> Vec<String> {
    // No primary key on this stand-in table: a column added later is never SQLite's rowid alias.
    let def = column_def(&Table::new(table), column, dialect);
    let mut out = vec![format!("ALTER TABLE {} ADD COLUMN {def}", quote_table(table, dialect))];
    if let (Dialect::Postgres, Some(c)) = (dialect, &column.comment) {
        out.push(comment::postgres_column(table, &column.name, Some(c)));
    }
    out
}

/// `ALTER TABLE "t" DROP COLUMN "c"` (SQLite 3.35+).
pub(super) fn drop(table: &str, column: &Column, dialect: Dialect) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} DROP COLUMN {}",
        quote_table(table, dialect),
        quote_ident(&column.name, dialect)
    )]
}
