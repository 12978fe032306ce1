//! Table and column comments: `COMMENT ON` on PostgreSQL, `ALTER TABLE .. COMMENT =` on MySQL,
//! nothing on SQLite (which has no comments).

use super::ident::quote_table;
use super::ident::{quote_ident, string_literal};
use crate::ir::Dialect;

/// `COMMENT ON TABLE "t" IS '...'` (or `IS NULL` to remove it). PostgreSQL only.
pub(super) fn postgres_table(table: &str, comment: Option<&str>) -> String {
    let d = Dialect::Postgres;
    format!("COMMENT ON TABLE {} IS {}", quote_table(table, d), text(comment))
}

/// `COMMENT ON COLUMN "t"."c" IS '...'` (or `IS NULL` to remove it). PostgreSQL only.
pub(super) fn postgres_column(table: &str, column: &str, comment: Option<&str>) -> String {
    let d = Dialect::Postgres;
    format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        quote_table(table, d),
        quote_ident(column, d),
        text(comment)
    )
}

/// The statements that set (or remove, when `comment` is `None`) a table's comment. MySQL has no
/// "no comment", so removing one there sets it to the empty string, which it reports as none.
pub(super) fn set_table(table: &str, comment: Option<&str>, dialect: Dialect) -> Vec<String> {
    match dialect {
        Dialect::Postgres => vec![postgres_table(table, comment)],
        Dialect::Sqlite => Vec::new(),
        Dialect::Mysql => vec![format!(
            "ALTER TABLE {} COMMENT = {}",
            quote_table(table, dialect),
            string_literal(comment.unwrap_or(""), dialect)
        )],
    }
}

/// The comment as a PostgreSQL string literal, or `NULL`.
fn text(comment: Option<&str>) -> String {
    comment.map_or_else(|| "NULL".to_string(), |c| string_literal(c, Dialect::Postgres))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_comments_are_quoted_or_null() {
        assert_eq!(postgres_table("t", Some("it's")), r#"COMMENT ON TABLE "t" IS 'it''s'"#);
        assert_eq!(postgres_column("t", "c", None), r#"COMMENT ON COLUMN "t"."c" IS NULL"#);
    }

    #[test]
    fn table_comment_per_dialect() {
        assert!(set_table("t", Some("x"), Dialect::Sqlite).is_empty());
        assert_eq!(set_table("t", None, Dialect::Mysql), ["ALTER TABLE `t` COMMENT = ''"]);
    }
}
