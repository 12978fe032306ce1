//! Column defaults as MariaDB prints them in `COLUMN_DEFAULT`, read into [`DefaultValue`].

use crate::ir::{ColumnType, DefaultValue, Literal};

/// The default of a column of type `ty`, from MariaDB's `COLUMN_DEFAULT`:
///
/// - SQL `NULL` or the text `NULL` (a nullable column's implicit default) is no default;
/// - a quoted string (`'it\'s'`, MariaDB escapes `'` and `\` with a backslash) is a string literal;
/// - `0`/`1` of a `BOOLEAN` (`tinyint(1)`) column are `FALSE`/`TRUE`;
/// - a number is a number literal, kept as printed (`1.50` for a `DECIMAL(12,2)` default `1.5`:
///   [`compare`](crate::ir::compare) reads numbers by value on MySQL);
/// - anything else (`current_timestamp()`, `uuid()`, ...) is raw SQL.
pub(super) fn read(text: Option<&str>, ty: &ColumnType) -> Option<DefaultValue> {
    let text = text?.trim();
    if text.eq_ignore_ascii_case("null") {
        return None;
    }
    if let Some(s) = unquote(text) {
        return Some(DefaultValue::Literal(Literal::Str(s)));
    }
    if *ty == ColumnType::Bool && matches!(text, "0" | "1") {
        return Some(DefaultValue::Literal(Literal::Bool(text == "1")));
    }
    if let Ok(i) = text.parse::<i64>() {
        return Some(DefaultValue::Literal(Literal::Int(i)));
    }
    let numeric = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if numeric && text.parse::<f64>().is_ok() {
        return Some(DefaultValue::Literal(Literal::Float(text.to_string())));
    }
    Some(DefaultValue::Sql(text.to_string()))
}

/// `'it\'s'` (or `'it''s'`) → `it's`; `None` unless `text` is exactly one quoted string.
fn unquote(text: &str) -> Option<String> {
    let mut chars = text.strip_prefix('\'')?.chars();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(unescape(chars.next()?)),
            '\'' => {
                let rest = chars.as_str();
                match rest.strip_prefix('\'') {
                    Some(after) => {
                        out.push('\'');
                        chars = after.chars();
                    }
                    None if rest.is_empty() => return Some(out),
                    None => return None,
                }
            }
            c => out.push(c),
        }
    }
    None
}

/// The character a MySQL backslash escape stands for.
fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        '0' => '\0',
        'Z' => '\u{1a}',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(l: Literal) -> Option<DefaultValue> {
        Some(DefaultValue::Literal(l))
    }

    #[test]
    fn mariadb_defaults() {
        let text = ColumnType::Text;
        assert_eq!(read(None, &text), None);
        assert_eq!(read(Some("NULL"), &text), None);
        assert_eq!(
            read(Some(r"'it\'s a\\b'"), &text),
            lit(Literal::Str("it's a\\b".into()))
        );
        assert_eq!(read(Some("'it''s'"), &text), lit(Literal::Str("it's".into())));
        assert_eq!(read(Some("'{}'"), &ColumnType::Json), lit(Literal::Str("{}".into())));
        assert_eq!(read(Some("0"), &ColumnType::Bool), lit(Literal::Bool(false)));
        assert_eq!(read(Some("1"), &ColumnType::Bool), lit(Literal::Bool(true)));
        assert_eq!(read(Some("1"), &ColumnType::Integer), lit(Literal::Int(1)));
        assert_eq!(read(Some("-1"), &ColumnType::SmallInt), lit(Literal::Int(-1)));
        assert_eq!(read(Some("1.50"), &text), lit(Literal::Float("1.50".into())));
        assert_eq!(
            read(Some("current_timestamp()"), &ColumnType::Timestamp),
            Some(DefaultValue::Sql("current_timestamp()".into()))
        );
    }

    #[test]
    fn odd_text_is_raw_sql_and_does_not_panic() {
        for t in ["'open", "'a' 'b'", "'a\\", "concat('a','b')"] {
            assert_eq!(
                read(Some(t), &ColumnType::Text),
                Some(DefaultValue::Sql(t.into())),
                "{t}"
            );
        }
    }
}
