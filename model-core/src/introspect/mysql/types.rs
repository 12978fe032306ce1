//! MySQL/MariaDB column types (`COLUMN_TYPE`) read into [`ColumnType`].

use crate::ir::{ColumnType, ParseTypeError};

/// Read a `COLUMN_TYPE` as MySQL or MariaDB prints it: display widths of integers are dropped
/// (`int(11)` is `INT`), `tinyint(1)` is the `BOOLEAN` MySQL stores, `binary(16)` the UUID
/// mapping, `datetime` a timestamp; anything [`ColumnType::parse_sql`] does not know (`mediumint`,
/// `longtext`, `int(10) unsigned`, `enum(...)`) stays [`ColumnType::Custom`]. A MariaDB JSON column
/// reads as `longtext` here; its `json_valid` check makes it JSON (see the assembly). Only text
/// whose parentheses do not balance is an error.
pub(super) fn mysql_type(column_type: &str) -> Result<ColumnType, ParseTypeError> {
    let norm = column_type.trim().to_ascii_lowercase();
    let (base, width) = match norm.split_once('(') {
        Some((base, rest)) => match rest.strip_suffix(')') {
            Some(width) if width.chars().all(|c| c.is_ascii_digit()) => (base.trim(), Some(width)),
            _ => (norm.as_str(), None),
        },
        None => (norm.as_str(), None),
    };
    let ty = match (base, width) {
        ("tinyint", Some("1")) | ("bool" | "boolean", None) => ColumnType::Bool,
        ("smallint", _) => ColumnType::SmallInt,
        ("int" | "integer", _) => ColumnType::Integer,
        ("bigint", _) => ColumnType::BigInt,
        ("float", None) => ColumnType::Real,
        ("binary", Some("16")) => ColumnType::Uuid,
        ("json", None) => ColumnType::Json,
        _ => {
            return ColumnType::parse_sql(&norm).or_else(|e| {
                let balanced = norm.matches('(').count() == norm.matches(')').count();
                if balanced {
                    Ok(ColumnType::Custom { sql: norm.clone() })
                } else {
                    Err(e)
                }
            })
        }
    };
    Ok(ty)
}

#[cfg(test)]
mod tests {
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
            ("datetime", ColumnType::Timestamp),
            ("date", ColumnType::Date),
            ("time", ColumnType::Time),
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
            "int(10) unsigned",
            "mediumint(9)",
            "binary(20)",
        ] {
            assert_eq!(mysql_type(sql), Ok(ColumnType::Custom { sql: sql.into() }), "{sql}");
        }
        assert!(mysql_type("varchar(").is_err());
    }
}
