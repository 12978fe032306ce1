//! `ALTER TABLE` statements that add and drop primary keys, unique constraints and checks on an
//! existing table (PostgreSQL and MySQL; SQLite needs a table rebuild for these).

use super::constraint;
use super::ident::quote_ident;
use super::ident::quote_table;
use crate::ir::{Check, Dialect, PrimaryKey, UniqueConstraint};

/// `ALTER TABLE "t" ADD <clause>`.
fn add(table: &str, clause: String, dialect: Dialect) -> Vec<String> {
    vec![format!("ALTER TABLE {} ADD {clause}", quote_table(table, dialect))]
}

/// `ALTER TABLE "t" DROP CONSTRAINT "n"` (MySQL 8.0.19+ and MariaDB accept this form for checks).
fn drop_constraint(table: &str, name: &str, dialect: Dialect) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        quote_table(table, dialect),
        quote_ident(name, dialect)
    )]
}

/// `ALTER TABLE "t" ADD CONSTRAINT "pk_t" PRIMARY KEY ("a", "b")` (MySQL: unnamed).
pub(super) fn add_primary_key(table: &str, pk: &PrimaryKey, dialect: Dialect) -> Vec<String> {
    add(table, constraint::primary_key(pk, dialect), dialect)
}

/// `ALTER TABLE "t" DROP CONSTRAINT "pk_t"`; MySQL: `DROP PRIMARY KEY`.
pub(super) fn drop_primary_key(table: &str, pk: &PrimaryKey, dialect: Dialect) -> Vec<String> {
    match dialect {
        Dialect::Mysql => vec![format!("ALTER TABLE {} DROP PRIMARY KEY", quote_table(table, dialect))],
        Dialect::Postgres | Dialect::Sqlite => drop_constraint(table, &pk.name, dialect),
    }
}

/// `ALTER TABLE "t" ADD CONSTRAINT "uq_.." UNIQUE ("a")`.
pub(super) fn add_unique(table: &str, unique: &UniqueConstraint, dialect: Dialect) -> Vec<String> {
    add(table, constraint::unique(unique, dialect), dialect)
}

/// `ALTER TABLE "t" DROP CONSTRAINT "uq_.."`; MySQL, where a unique constraint is an index:
/// `DROP INDEX`.
pub(super) fn drop_unique(table: &str, unique: &UniqueConstraint, dialect: Dialect) -> Vec<String> {
    match dialect {
        Dialect::Mysql => vec![format!(
            "ALTER TABLE {} DROP INDEX {}",
            quote_table(table, dialect),
            quote_ident(&unique.name, dialect)
        )],
        Dialect::Postgres | Dialect::Sqlite => drop_constraint(table, &unique.name, dialect),
    }
}

/// `ALTER TABLE "t" ADD CONSTRAINT "ck_.." CHECK (sql)`.
pub(super) fn add_check(table: &str, check: &Check, dialect: Dialect) -> Vec<String> {
    add(table, constraint::check(check, dialect), dialect)
}

/// `ALTER TABLE "t" DROP CONSTRAINT "ck_.."`.
pub(super) fn drop_check(table: &str, check: &Check, dialect: Dialect) -> Vec<String> {
    drop_constraint(table, &check.name, dialect)
}
