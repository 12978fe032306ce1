//! MySQL/MariaDB column types (`COLUMN_TYPE`) read into [`ColumnType`].

use crate::ir::{ColumnType, Dialect, ParseTypeError};

/// Read a `COLUMN_TYPE` as MySQL or MariaDB prints it, with [`ColumnType::parse_sql_for`] (display
/// widths of integers dropped, `tinyint(1)` the `BOOLEAN` MySQL stores, `binary(16)` the UUID
/// mapping, `datetime(6)` a timestamp); anything it does not know (`mediumint`, `longtext`,
/// `int unsigned` — MariaDB's `int(10) unsigned` read as MySQL 8 prints it —, `datetime` with whole
/// seconds) stays [`ColumnType::Custom`]. `enum('a','b')`
/// is an enum with those values and no name (MySQL has no named enum types; see
/// [`crate::ir::compare`]). A MariaDB JSON column reads as `longtext` here; its `json_valid` check
/// makes it JSON (see the assembly). Only text whose parentheses do not balance is an error.
pub(super) fn mysql_type(column_type: &str) -> Result<ColumnType, ParseTypeError> {
    if let Some(values) = enum_values(column_type.trim()) {
        return Ok(ColumnType::Enum(crate::ir::EnumType::new("", values)));
    }
    let norm = without_display_width(&column_type.trim().to_ascii_lowercase());
    ColumnType::parse_sql_for(&norm, Dialect::Mysql).or_else(|e| {
        let balanced = norm.matches('(').count() == norm.matches(')').count();
        if balanced {
            Ok(ColumnType::Custom { sql: norm.clone() })
        } else {
            Err(e)
        }
    })
}

/// `int(10) unsigned` → `int unsigned`: MariaDB prints a display width before `unsigned` /
/// `zerofill`, which MySQL 8 no longer does (and which says nothing of the values).
fn without_display_width(norm: &str) -> String {
    let integer = ["tinyint", "smallint", "mediumint", "int", "integer", "bigint"];
    if let Some((base, rest)) = norm.split_once('(') {
        if let Some((width, tail)) = rest.split_once(')') {
            let words = tail.trim();
            if integer.contains(&base.trim()) && width.chars().all(|c| c.is_ascii_digit()) && !words.is_empty() {
                return format!("{} {words}", base.trim());
            }
        }
    }
    norm.to_string()
}

/// The values of `enum('a','it''s')` (as MySQL prints them, case kept), or `None` for another type.
fn enum_values(column_type: &str) -> Option<Vec<String>> {
    let head = column_type.get(..5)?;
    if !head.eq_ignore_ascii_case("enum(") {
        return None;
    }
    let inner = column_type[5..].strip_suffix(')')?;
    let mut values = Vec::new();
    let mut chars = inner.chars().peekable();
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
        match chars.next() {
            None => return Some(values),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod width_tests {
    #[test]
    fn display_widths_before_unsigned_are_dropped() {
        assert_eq!(super::without_display_width("int(10) unsigned"), "int unsigned");
        assert_eq!(
            super::without_display_width("bigint(20) unsigned zerofill"),
            "bigint unsigned zerofill"
        );
        assert_eq!(super::without_display_width("int(11)"), "int(11)");
        assert_eq!(
            super::without_display_width("decimal(12,2) unsigned"),
            "decimal(12,2) unsigned"
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn enums_keep_their_values() {
        let e = |v: &[&str]| Ok(ColumnType::Enum(crate::ir::EnumType::new("", v.iter().copied())));
        assert_eq!(mysql_type("enum('draft','In Review')"), e(&["draft", "In Review"]));
        assert_eq!(mysql_type("ENUM('it''s','a,b')"), e(&["it's", "a,b"]));
        assert_eq!(enum_values("enum('a'"), None);
    }

    use super::*;

    #[test]
    fn mariadb_spellings() {
        let cases = [
            ("int(11)", ColumnType::Integer),
            ("INT", ColumnType::Integer),
            ("bigint(20)", ColumnType::BigInt),
            ("smallint(6)", ColumnType::SmallInt),
            ("tinyint(1)", ColumnType::Bool),
            ("double", ColumnType::Double),
            ("float", ColumnType::Real),
            ("datetime(6)", ColumnType::Timestamp),
            ("date", ColumnType::Date),
            ("time(6)", ColumnType::Time),
            ("text", ColumnType::Text),
            ("blob", ColumnType::Binary),
            ("binary(16)", ColumnType::Uuid),
            ("json", ColumnType::Json),
            ("varchar(255)", ColumnType::Varchar { len: 255 }),
            (
                "decimal(12,2)",
                ColumnType::Numeric {
                    precision: Some(12),
                    scale: Some(2),
                },
            ),
        ];
        for (sql, ty) in cases {
            assert_eq!(mysql_type(sql), Ok(ty), "{sql}");
        }
    }

    #[test]
    fn other_types_are_kept_as_written() {
        for sql in [
            "longtext",
            "tinyint(4)",
            "mediumint(9)",
            "binary(20)",
            "datetime",
            "time",
            "timestamp(6)",
        ] {
            assert_eq!(mysql_type(sql), Ok(ColumnType::Custom { sql: sql.into() }), "{sql}");
        }
        // MariaDB's display width before `unsigned` is dropped, as MySQL 8 prints it
        assert_eq!(
            mysql_type("int(10) unsigned"),
            Ok(ColumnType::Custom {
                sql: "int unsigned".into()
            })
        );
        assert!(mysql_type("varchar(").is_err());
    }
}
