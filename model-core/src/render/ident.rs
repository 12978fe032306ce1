//! Quoting of identifiers, string literals and comment lines.

use crate::ir::{Dialect, Literal};

/// `name` as a quoted identifier: `"name"` (PostgreSQL, SQLite) or `` `name` `` (MySQL), with any
/// quote character inside doubled.
///
/// ```
/// use model_core::ir::Dialect;
/// use model_core::render::quote_ident;
/// assert_eq!(quote_ident("user", Dialect::Postgres), r#""user""#);
/// assert_eq!(quote_ident(r#"a"b"#, Dialect::Sqlite), r#""a""b""#);
/// assert_eq!(quote_ident("a`b", Dialect::Mysql), "`a``b`");
/// ```
pub fn quote_ident(name: &str, dialect: Dialect) -> String {
    let q = if dialect == Dialect::Mysql { '`' } else { '"' };
    let doubled = name.replace(q, &format!("{q}{q}"));
    format!("{q}{doubled}{q}")
}

/// Quoted identifiers separated by `, `.
pub(crate) fn quote_list(names: &[String], dialect: Dialect) -> String {
    names
        .iter()
        .map(|n| quote_ident(n, dialect))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as a safely quoted SQL string literal.
pub(crate) fn string_literal(text: &str, dialect: Dialect) -> String {
    Literal::Str(text.to_string()).to_sql(dialect)
}

/// A one-line SQL comment (`-- text`); line breaks in `text` become spaces so nothing can escape
/// the comment.
///
/// ```
/// assert_eq!(model_core::render::comment_line("a\nDROP TABLE x"), "-- a DROP TABLE x");
/// ```
pub fn comment_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    format!("-- {flat}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_quoted_per_dialect() {
        assert_eq!(string_literal("it's", Dialect::Postgres), "'it''s'");
        assert_eq!(string_literal("a\\b", Dialect::Mysql), "'a\\\\b'");
        assert_eq!(string_literal("a\\b", Dialect::Sqlite), "'a\\b'");
    }

    #[test]
    fn lists_are_quoted_and_joined() {
        let names = vec!["a".to_string(), "b".to_string()];
        assert_eq!(quote_list(&names, Dialect::Postgres), r#""a", "b""#);
        assert_eq!(quote_list(&names, Dialect::Mysql), "`a`, `b`");
    }

    #[test]
    fn comment_lines_cannot_be_escaped() {
        assert_eq!(comment_line("x\r\ny"), "-- x  y");
    }
}
