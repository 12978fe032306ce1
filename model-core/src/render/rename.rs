//! Renames of tables, constraints and indexes.

use super::ident::{quote_ident, quote_in_schema_of, quote_table, string_literal};
use crate::ir::Dialect;

/// `ALTER TABLE "a" RENAME TO "b"`; MySQL: `` RENAME TABLE `a` TO `b` ``. The rows, indexes and
/// constraints stay with the table.
pub(super) fn table(from: &str, to: &str, dialect: Dialect) -> Vec<String> {
    let (from, to) = (quote_table(from, dialect), quote_ident(to, dialect));
    match dialect {
        Dialect::Mysql => vec![format!("RENAME TABLE {from} TO {to}")],
        Dialect::Postgres | Dialect::Sqlite => vec![format!("ALTER TABLE {from} RENAME TO {to}")],
    }
}

/// `ALTER TABLE "a"."t" SET SCHEMA "b"` (PostgreSQL; the table is named in its schema before the
/// move). Back to the default schema: the schema the connection creates tables in
/// (`current_schema()`), which `SET SCHEMA` cannot name as an expression, hence `EXECUTE`.
pub(super) fn move_table(table: &str, from: Option<&str>, to: Option<&str>) -> Vec<String> {
    let d = Dialect::Postgres;
    let t = crate::ir::qualified_name(from, table, d);
    match to {
        Some(to) => vec![
            super::table::create_schema(to),
            format!("ALTER TABLE {t} SET SCHEMA {}", quote_ident(to, d)),
        ],
        None => vec![format!(
            "DO $$ BEGIN EXECUTE format('ALTER TABLE %s SET SCHEMA %I', {}, current_schema()); END $$",
            string_literal(&t, d)
        )],
    }
}

/// `ALTER TABLE "t" RENAME COLUMN "a" TO "b"` (the same on every dialect: SQLite 3.25+, MySQL 8,
/// MariaDB 10.5).
pub(super) fn column(table: &str, from: &str, to: &str, dialect: Dialect) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {}",
        quote_table(table, dialect),
        quote_ident(from, dialect),
        quote_ident(to, dialect)
    )]
}

/// `ALTER TABLE "t" RENAME CONSTRAINT "a" TO "b"`. PostgreSQL only: SQLite and MySQL cannot
/// rename a constraint (see [`super::native::unsupported`]).
pub(super) fn constraint(table: &str, from: &str, to: &str) -> Vec<String> {
    let d = Dialect::Postgres;
    vec![format!(
        "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
        quote_table(table, d),
        quote_ident(from, d),
        quote_ident(to, d)
    )]
}

/// `ALTER INDEX "a" RENAME TO "b"`; MySQL: `` ALTER TABLE `t` RENAME INDEX `a` TO `b` ``. SQLite
/// has no form (see [`super::native::unsupported`]).
pub(super) fn index(table: &str, from: &str, to: &str, dialect: Dialect) -> Vec<String> {
    let from_name = from;
    let (from, to) = (quote_ident(from, dialect), quote_ident(to, dialect));
    match dialect {
        Dialect::Mysql => vec![format!(
            "ALTER TABLE {} RENAME INDEX {from} TO {to}",
            quote_table(table, dialect)
        )],
        Dialect::Postgres | Dialect::Sqlite => vec![format!(
            "ALTER INDEX {} RENAME TO {to}",
            quote_in_schema_of(table, from_name, dialect)
        )],
    }
}
