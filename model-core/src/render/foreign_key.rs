//! `ALTER TABLE` statements that add and drop foreign keys.

use super::constraint;
use super::ident::quote_ident;
use super::ident::quote_table;
use crate::ir::{Dialect, ForeignKey};

/// `ALTER TABLE "t" ADD CONSTRAINT ... FOREIGN KEY ...`; nothing on SQLite, which cannot add a
/// foreign key to an existing table (the plan folds these ops into `CREATE TABLE`).
pub(super) fn add(table: &str, fk: &ForeignKey, dialect: Dialect) -> Vec<String> {
    if dialect == Dialect::Sqlite {
        return Vec::new();
    }
    vec![format!(
        "ALTER TABLE {} ADD {}",
        quote_table(table, dialect),
        constraint::foreign_key(fk, dialect)
    )]
}

/// `ALTER TABLE "t" DROP CONSTRAINT "fk"` (MySQL: `DROP FOREIGN KEY`); nothing on SQLite.
pub(super) fn drop(table: &str, fk: &ForeignKey, dialect: Dialect) -> Vec<String> {
    let (t, name) = (quote_table(table, dialect), quote_ident(&fk.name, dialect));
    match dialect {
        Dialect::Sqlite => Vec::new(),
        Dialect::Postgres => vec![format!("ALTER TABLE {t} DROP CONSTRAINT {name}")],
        Dialect::Mysql => vec![format!("ALTER TABLE {t} DROP FOREIGN KEY {name}")],
    }
}
