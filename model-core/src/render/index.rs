//! `CREATE INDEX` and `DROP INDEX`.

use super::ident::quote_table;
use super::ident::{quote_ident, quote_list};
use crate::ir::{Dialect, Index};

/// `CREATE [UNIQUE] INDEX "ix" ON "t" ("a", "b") [WHERE ...]`. MySQL has no partial indexes: the
/// plan refuses them there (see [`super::native::unsupported`]).
pub(super) fn create(table: &str, index: &Index, dialect: Dialect) -> Vec<String> {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let mut sql = format!(
        "CREATE {unique}INDEX {} ON {} ({})",
        quote_ident(&index.name, dialect),
        quote_table(table, dialect),
        quote_list(&index.columns, dialect)
    );
    if let Some(predicate) = &index.where_sql {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    vec![sql]
}

/// `DROP INDEX "ix"`; on MySQL `` DROP INDEX `ix` ON `t` ``.
pub(super) fn drop(table: &str, index: &Index, dialect: Dialect) -> Vec<String> {
    let name = quote_ident(&index.name, dialect);
    match dialect {
        Dialect::Mysql => vec![format!("DROP INDEX {name} ON {}", quote_table(table, dialect))],
        Dialect::Postgres | Dialect::Sqlite => vec![format!(
            "DROP INDEX {}",
            super::ident::quote_in_schema_of(table, &index.name, dialect)
        )],
    }
}
