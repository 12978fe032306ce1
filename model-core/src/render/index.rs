//! `CREATE INDEX` and `DROP INDEX`.

use super::ident::{comment_line, quote_ident, quote_list};
use crate::ir::{Dialect, Index};

/// `CREATE [UNIQUE] INDEX "ix" ON "t" ("a", "b") [WHERE ...]`. MySQL has no partial indexes: there
/// the index is created over every row, after a `-- note:` line saying so.
pub(super) fn create(table: &str, index: &Index, dialect: Dialect) -> Vec<String> {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let mut sql = format!(
        "CREATE {unique}INDEX {} ON {} ({})",
        quote_ident(&index.name, dialect),
        quote_ident(table, dialect),
        quote_list(&index.columns, dialect)
    );
    match (&index.where_sql, dialect) {
        (None, _) => {}
        (Some(predicate), Dialect::Mysql) => {
            let note =
                format!("note: MySQL has no partial indexes; this index covers every row, not only WHERE {predicate}");
            sql = format!("{}\n{sql}", comment_line(&note));
        }
        (Some(predicate), _) => sql.push_str(&format!(" WHERE {predicate}")),
    }
    vec![sql]
}

/// `DROP INDEX "ix"`; on MySQL `` DROP INDEX `ix` ON `t` ``.
pub(super) fn drop(table: &str, index: &Index, dialect: Dialect) -> Vec<String> {
    let name = quote_ident(&index.name, dialect);
    match dialect {
        Dialect::Mysql => vec![format!("DROP INDEX {name} ON {}", quote_ident(table, dialect))],
        Dialect::Postgres | Dialect::Sqlite => vec![format!("DROP INDEX {name}")],
    }
}
