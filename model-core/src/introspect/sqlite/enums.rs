//! Enum columns on SQLite: `TEXT` with the `CHECK ("c" IN ('a', 'b'))` the renderer writes, named
//! `ck_<table>_<column>_enum` (see [`crate::ir::enum_check_name`]), read back as the enum's values.

use super::ddl::{DdlConstraint, DdlKind};
use crate::ir::{ColumnType, EnumType, Table};

/// Turn each `TEXT` column of `t` that has an enum check into an enum (without a name: SQLite has
/// none) and leave those checks out of `ddl`.
pub(super) fn read(t: &mut Table, ddl: &mut Vec<DdlConstraint>) {
    ddl.retain(|c| {
        let (Some(name), Some(column), DdlKind::Check(sql)) = (&c.name, &c.column, &c.kind) else {
            return true;
        };
        if !name.ends_with("_enum") {
            return true;
        }
        let Some(values) = values_of(sql, column) else {
            return true;
        };
        match t
            .columns
            .iter_mut()
            .find(|col| col.name == *column && col.ty == ColumnType::Text)
        {
            Some(col) => {
                col.ty = ColumnType::Enum(EnumType::new("", values));
                false
            }
            None => true,
        }
    });
}

/// The values of `"column" IN ('a', 'b')`, or `None` when `sql` is not that.
fn values_of(sql: &str, column: &str) -> Option<Vec<String>> {
    let sql = sql.trim();
    let quoted = format!("\"{}\"", column.replace('"', "\"\""));
    let rest = sql
        .strip_prefix(quoted.as_str())
        .or_else(|| sql.strip_prefix(column))?
        .trim_start();
    let rest = rest
        .get(..2)
        .filter(|kw| kw.eq_ignore_ascii_case("in"))
        .map(|_| &rest[2..])?;
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    let mut values = Vec::new();
    let mut chars = inner.trim().chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                c => value.push(c),
            }
        }
        values.push(value);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(values),
            Some(',') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rendered_check_is_read_back() {
        assert_eq!(
            values_of(r#""status" IN ('draft', 'it''s', 'a,b')"#, "status"),
            Some(vec!["draft".into(), "it's".into(), "a,b".into()])
        );
        assert_eq!(values_of("status in ('a')", "status"), Some(vec!["a".into()]));
        assert_eq!(values_of(r#""status" IN ('a') AND 1"#, "status"), None);
        assert_eq!(values_of(r#""other" IN ('a')"#, "status"), None);
    }
}
