//! A column type as a field: its Rust type, and the attributes that give back the same column type.

use crate::ir::{ColumnType, Dialect};

/// How a column type is written as a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldType {
    /// The Rust type (without `Option`).
    pub rust: String,
    /// Attributes: `max_length = 255`, `sql_type = ".."`, `diesel_type = ".."`, ...
    pub attrs: Vec<String>,
    /// The Diesel feature the Rust type needs, if any (`chrono`, `uuid`, ...).
    pub feature: Option<&'static str>,
    /// The Rust type is the facade's (`model::types::Uuid`): the facade's feature of the same name
    /// is needed too.
    pub facade_type: bool,
    /// A custom SQL type Diesel has no Rust mapping for: its SQL type must be declared in the file
    /// (`sql_types::<Name>`), and Diesel's `Queryable`/`Insertable` cannot be derived for the struct.
    pub unmapped: Option<String>,
}

impl FieldType {
    fn known(rust: &str, feature: Option<&'static str>) -> FieldType {
        FieldType {
            rust: rust.to_string(),
            attrs: Vec::new(),
            feature,
            facade_type: false,
            unmapped: None,
        }
    }

    /// A type of the facade's `types` module, which Diesel binds where it cannot bind the foreign
    /// type (`facade::types::Uuid` on SQLite and MySQL, ...).
    fn portable(facade: &str, name: &str, feature: &'static str) -> FieldType {
        FieldType {
            facade_type: true,
            ..FieldType::known(&format!("{facade}::types::{name}"), Some(feature))
        }
    }

    fn with(mut self, attr: String) -> FieldType {
        self.attrs.push(attr);
        self
    }
}

/// `key = "value"` with the value quoted as a Rust string.
pub(crate) fn kv(key: &str, value: &str) -> String {
    format!("{key} = {value:?}")
}

/// The field type of `ty` on `dialect` (enums are handled by the caller). Where Diesel cannot bind
/// the usual Rust type on `dialect` (a UUID on SQLite and MySQL, an exact decimal on SQLite, a UTC
/// time on MySQL) the field is the type of `facade::types` that the derive asks for there.
pub(crate) fn field_type(ty: &ColumnType, dialect: Dialect, sql_types_path: &str, facade: &str) -> FieldType {
    use ColumnType::*;
    match ty {
        Bool => FieldType::known("bool", None),
        SmallInt => FieldType::known("i16", None),
        Integer => FieldType::known("i32", None),
        BigInt => FieldType::known("i64", None),
        Real => FieldType::known("f32", None),
        Double => FieldType::known("f64", None),
        Text => FieldType::known("String", None),
        Varchar { len } => FieldType::known("String", None).with(format!("max_length = {len}")),
        Binary => FieldType::known("Vec<u8>", None),
        Date => FieldType::known("chrono::NaiveDate", Some("chrono")),
        Time => FieldType::known("chrono::NaiveTime", Some("chrono")),
        Timestamp => FieldType::known("chrono::NaiveDateTime", Some("chrono")),
        Timestamptz if dialect == Dialect::Mysql => FieldType::portable(facade, "UtcDateTime", "chrono"),
        Timestamptz => FieldType::known("chrono::DateTime<chrono::Utc>", Some("chrono")),
        Uuid if dialect == Dialect::Postgres => FieldType::known("uuid::Uuid", Some("uuid")),
        Uuid => FieldType::portable(facade, "Uuid", "uuid"),
        Json => FieldType::known("serde_json::Value", Some("serde_json")),
        // MySQL's DECIMAL without digits is DECIMAL(10,0): the derive wants the digits or the SQL
        Numeric {
            precision: None,
            scale: None,
        } if dialect == Dialect::Mysql => {
            FieldType::known("bigdecimal::BigDecimal", Some("numeric")).with(kv("sql_type", "decimal"))
        }
        Numeric { precision, scale } => {
            let mut f = if dialect == Dialect::Sqlite {
                FieldType::portable(facade, "Decimal", "numeric")
            } else {
                FieldType::known("bigdecimal::BigDecimal", Some("numeric"))
            };
            if let Some(p) = precision {
                f.attrs.push(format!("precision = {p}"));
            }
            if let Some(s) = scale {
                f.attrs.push(format!("scale = {s}"));
            }
            f
        }
        Array { of } => array(ty, of, dialect, sql_types_path, facade),
        Enum(_) => FieldType::known("String", None),
        Custom { sql } => custom(sql, dialect, sql_types_path),
    }
}

/// PostgreSQL cannot say an array's elements are NOT NULL (Diesel's `print-schema` writes
/// `Array<Nullable<T>>`): the field is `Vec<Option<T>>` with the array's SQL and Diesel types.
fn array(ty: &ColumnType, of: &ColumnType, dialect: Dialect, path: &str, facade: &str) -> FieldType {
    let elem = field_type(of, dialect, path, facade);
    let Some(diesel) = diesel_name(of, dialect, path) else {
        let mut f = custom(&ty.to_sql(dialect).to_lowercase(), dialect, path);
        f.rust = format!("Vec<Option<{}>>", elem.rust);
        return f;
    };
    FieldType {
        rust: format!("Vec<Option<{}>>", elem.rust),
        attrs: vec![
            kv("sql_type", &ty.to_sql(dialect).to_lowercase()),
            kv("diesel_type", &format!("Array<Nullable<{diesel}>>")),
        ],
        feature: elem.feature,
        facade_type: elem.facade_type,
        unmapped: elem.unmapped,
    }
}

/// The Diesel SQL type name of a known column type (for array elements).
fn diesel_name(ty: &ColumnType, dialect: Dialect, path: &str) -> Option<String> {
    use ColumnType::*;
    Some(
        match ty {
            Bool => "Bool",
            SmallInt => "SmallInt",
            Integer => "Integer",
            BigInt => "BigInt",
            Real => "Float",
            Double => "Double",
            Text | Varchar { .. } => "Text",
            Binary => "Binary",
            Date => "Date",
            Time => "Time",
            Timestamp => "Timestamp",
            Timestamptz => "Timestamptz",
            Uuid => "Uuid",
            Json => "Jsonb",
            Numeric { .. } => "Numeric",
            Custom { sql } => return custom_known(sql, dialect).map(|k| k.0.to_string()),
            Array { .. } | Enum(_) => {
                let _ = path;
                return None;
            }
        }
        .to_string(),
    )
}

/// Custom SQL types Diesel maps: (Diesel SQL type, Rust type, Diesel feature).
fn custom_known(sql: &str, dialect: Dialect) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    let base = sql.split('(').next().unwrap_or(sql).trim();
    let unsigned = base.strip_suffix(" unsigned").map(str::trim);
    Some(match (dialect, base, unsigned) {
        (_, _, Some("tinyint")) => ("Unsigned<TinyInt>", "u8", None),
        (_, _, Some("smallint")) => ("Unsigned<SmallInt>", "u16", None),
        (_, _, Some("int" | "integer" | "mediumint")) => ("Unsigned<Integer>", "u32", None),
        (_, _, Some("bigint")) => ("Unsigned<BigInt>", "u64", None),
        (Dialect::Postgres, "json", _) => ("Json", "serde_json::Value", Some("serde_json")),
        (Dialect::Postgres, "citext", _) => ("Citext", "String", None),
        (Dialect::Postgres, "character" | "char" | "bpchar", _) => ("Bpchar", "String", None),
        (Dialect::Postgres, "money", _) => ("Money", "diesel::data_types::PgMoney", None),
        (Dialect::Postgres, "interval", _) => ("Interval", "diesel::data_types::PgInterval", None),
        (Dialect::Postgres, "oid", _) => ("Oid", "u32", None),
        (Dialect::Postgres, "macaddr", _) => ("MacAddr", "[u8; 6]", None),
        (Dialect::Postgres, "inet", _) => ("Inet", "ipnet::IpNet", Some("ipnet-address")),
        (Dialect::Postgres, "cidr", _) => ("Cidr", "ipnet::IpNet", Some("ipnet-address")),
        (Dialect::Postgres, "int4range", _) => ("Int4range", "(std::ops::Bound<i32>, std::ops::Bound<i32>)", None),
        (Dialect::Postgres, "int8range", _) => ("Int8range", "(std::ops::Bound<i64>, std::ops::Bound<i64>)", None),
        (Dialect::Postgres, "daterange", _) => (
            "Daterange",
            "(std::ops::Bound<chrono::NaiveDate>, std::ops::Bound<chrono::NaiveDate>)",
            Some("chrono"),
        ),
        (Dialect::Postgres, "tsrange", _) => (
            "Tsrange",
            "(std::ops::Bound<chrono::NaiveDateTime>, std::ops::Bound<chrono::NaiveDateTime>)",
            Some("chrono"),
        ),
        (Dialect::Postgres, "tstzrange", _) => (
            "Tstzrange",
            "(std::ops::Bound<chrono::DateTime<chrono::Utc>>, std::ops::Bound<chrono::DateTime<chrono::Utc>>)",
            Some("chrono"),
        ),
        (Dialect::Mysql, "tinyint", _) => ("TinyInt", "i8", None),
        (Dialect::Mysql, "mediumint", _) => ("Integer", "i32", None),
        (Dialect::Mysql, "tinytext" | "mediumtext" | "longtext" | "char", _) => ("Text", "String", None),
        (Dialect::Mysql, "tinyblob" | "mediumblob" | "longblob" | "varbinary" | "binary", _) => {
            ("Binary", "Vec<u8>", None)
        }
        (Dialect::Mysql, "double", _) => ("Double", "f64", None),
        (Dialect::Mysql | Dialect::Sqlite, "datetime" | "timestamp", _) => {
            ("Timestamp", "chrono::NaiveDateTime", Some("chrono"))
        }
        (Dialect::Mysql, "time", _) => ("Time", "chrono::NaiveTime", Some("chrono")),
        (Dialect::Sqlite, b, _) => sqlite_affinity(b)?,
        _ => return None,
    })
}

/// SQLite's type affinity rules, for declared types the crate does not know.
fn sqlite_affinity(base: &str) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    Some(if base.contains("int") {
        ("BigInt", "i64", None)
    } else if ["char", "clob", "text"].iter().any(|k| base.contains(k)) {
        ("Text", "String", None)
    } else if base.contains("blob") {
        ("Binary", "Vec<u8>", None)
    } else if ["real", "floa", "doub"].iter().any(|k| base.contains(k)) {
        ("Double", "f64", None)
    } else if ["numeric", "decimal"].iter().any(|k| base.contains(k)) {
        // NUMERIC affinity stores such values as REAL: Diesel's print-schema says Double too (the
        // crate's exact decimals on SQLite are TEXT, `model::types::Decimal`)
        ("Double", "f64", None)
    } else {
        return None;
    })
}

fn custom(sql: &str, dialect: Dialect, path: &str) -> FieldType {
    match custom_known(sql, dialect) {
        Some((diesel, rust, feature)) => FieldType {
            rust: rust.to_string(),
            attrs: vec![kv("sql_type", sql), kv("diesel_type", diesel)],
            feature,
            facade_type: false,
            unmapped: None,
        },
        None => {
            let name = sql_type_name(sql);
            FieldType {
                rust: "String".into(),
                attrs: vec![kv("sql_type", sql), kv("diesel_type", &format!("{path}::{name}"))],
                feature: None,
                facade_type: false,
                unmapped: Some(sql.to_string()),
            }
        }
    }
}

/// The name of the SQL type declared in the file for a custom type: `tsvector` → `Tsvector`.
pub(crate) fn sql_type_name(sql: &str) -> String {
    use heck::ToUpperCamelCase;
    let base: String = sql
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let name = base.to_upper_camel_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Sql{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_types_name_their_diesel_type() {
        let pg = Dialect::Postgres;
        let f = field_type(
            &ColumnType::Custom { sql: "citext".into() },
            pg,
            "crate::m::sql_types",
            "model",
        );
        assert_eq!(f.attrs, [r#"sql_type = "citext""#, r#"diesel_type = "Citext""#]);
        let f = field_type(
            &ColumnType::Custom { sql: "tsvector".into() },
            pg,
            "crate::m::sql_types",
            "model",
        );
        assert_eq!(f.unmapped.as_deref(), Some("tsvector"));
        assert_eq!(f.attrs[1], r#"diesel_type = "crate::m::sql_types::Tsvector""#);
        let arr = ColumnType::Array {
            of: Box::new(ColumnType::Integer),
        };
        let f = field_type(&arr, pg, "x", "model");
        assert_eq!(f.rust, "Vec<Option<i32>>");
        assert_eq!(f.attrs[1], r#"diesel_type = "Array<Nullable<Integer>>""#);
        let f = field_type(
            &ColumnType::Custom {
                sql: "int unsigned".into(),
            },
            Dialect::Mysql,
            "x",
            "model",
        );
        assert_eq!(
            (f.rust.as_str(), f.attrs[1].as_str()),
            ("u32", r#"diesel_type = "Unsigned<Integer>""#)
        );
    }
}
