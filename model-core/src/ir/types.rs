use super::Dialect;
use serde::{Deserialize, Serialize};

/// A column's logical type. One value renders to each dialect's SQL type
/// (see [`ColumnType::to_sql`]); `sql_type = "..."` and introspection read SQL text back
/// with [`ColumnType::parse_sql`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ColumnType {
    /// `bool`.
    Bool,
    /// `i16`.
    SmallInt,
    /// `i32`.
    Integer,
    /// `i64`.
    BigInt,
    /// `f32`.
    Real,
    /// `f64`.
    Double,
    /// Unbounded text (`String`).
    Text,
    /// `VARCHAR(n)` (`String` with `max_length = n`).
    Varchar {
        /// Maximum length in characters.
        len: u32,
    },
    /// Bytes (`Vec<u8>`).
    Binary,
    /// A date.
    Date,
    /// A time of day.
    Time,
    /// A timestamp without time zone.
    Timestamp,
    /// A timestamp with time zone.
    Timestamptz,
    /// A UUID.
    Uuid,
    /// JSON (JSONB on PostgreSQL).
    Json,
    /// A decimal number, `NUMERIC(p,s)`.
    Numeric {
        /// Total digits.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        /// Digits after the point.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scale: Option<u32>,
    },
    /// A PostgreSQL array of the element type.
    Array {
        /// Element type.
        of: Box<ColumnType>,
    },
    /// A database enum (a `#[derive(ModelEnum)]` Rust enum, field marked `#[model(enum)]`).
    /// PostgreSQL: the named type; MySQL: `ENUM('a', 'b')`; SQLite: `TEXT` (the values are checked by
    /// a `CHECK` the renderer adds).
    Enum(super::EnumType),
    /// Any other SQL type, kept as written (normalized to lower case, single spaces).
    Custom {
        /// The SQL type text.
        sql: String,
    },
}

/// Error of [`ColumnType::parse_sql`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read SQL type `{0}`")]
pub struct ParseTypeError(pub String);

impl ColumnType {
    /// The SQL type for `dialect` (as written in `CREATE TABLE`).
    ///
    /// ```
    /// use model_core::ir::{ColumnType, Dialect};
    /// assert_eq!(ColumnType::Timestamptz.to_sql(Dialect::Postgres), "TIMESTAMPTZ");
    /// assert_eq!(ColumnType::Timestamptz.to_sql(Dialect::Sqlite), "TEXT");
    /// assert_eq!(ColumnType::Varchar { len: 20 }.to_sql(Dialect::Mysql), "VARCHAR(20)");
    /// ```
    pub fn to_sql(&self, dialect: Dialect) -> String {
        use ColumnType::*;
        use Dialect::*;
        let s: &str = match (self, dialect) {
            (Bool, Sqlite) => "INTEGER",
            (Bool, _) => "BOOLEAN",
            (SmallInt | Integer | BigInt, Sqlite) => "INTEGER",
            (SmallInt, _) => "SMALLINT",
            (Integer, Postgres) => "INTEGER",
            (Integer, Mysql) => "INT",
            (BigInt, _) => "BIGINT",
            (Real, Mysql) => "FLOAT",
            (Real, _) => "REAL",
            (Double, Postgres) => "DOUBLE PRECISION",
            (Double, Mysql) => "DOUBLE",
            (Double, Sqlite) => "REAL",
            (Text, _) => "TEXT",
            (Varchar { .. }, Sqlite) => "TEXT",
            (Varchar { len }, _) => return format!("VARCHAR({len})"),
            (Binary, Postgres) => "BYTEA",
            (Binary, _) => "BLOB",
            (Date | Time | Timestamp | Timestamptz, Sqlite) => "TEXT",
            (Date, _) => "DATE",
            (Time, _) => "TIME",
            (Timestamp, Postgres) => "TIMESTAMP",
            (Timestamp | Timestamptz, Mysql) => "DATETIME",
            (Timestamptz, Postgres) => "TIMESTAMPTZ",
            (Uuid, Postgres) => "UUID",
            (Uuid, Sqlite) => "BLOB",
            (Uuid, Mysql) => "BINARY(16)",
            (Json, Postgres) => "JSONB",
            (Json, Sqlite) => "TEXT",
            (Json, Mysql) => "JSON",
            (Numeric { precision, scale }, _) => {
                let kw = if dialect == Mysql { "DECIMAL" } else { "NUMERIC" };
                return match (precision, scale) {
                    (Some(p), Some(s)) => format!("{kw}({p},{s})"),
                    (Some(p), None) => format!("{kw}({p})"),
                    _ => kw.to_string(),
                };
            }
            (Array { of }, _) => return format!("{}[]", of.to_sql(dialect)),
            (Enum(e), Postgres) => return format!("\"{}\"", e.name.replace('"', "\"\"")),
            (Enum(_), Sqlite) => "TEXT",
            (Enum(e), Mysql) => {
                let values: Vec<String> = e
                    .values
                    .iter()
                    .map(|v| format!("'{}'", v.replace('\'', "''")))
                    .collect();
                return format!("ENUM({})", values.join(", "));
            }
            (Custom { sql }, _) => return sql.to_uppercase(),
        };
        s.to_string()
    }

    /// Read a SQL type as written in `sql_type = "..."` or reported by a database.
    /// Known spellings become the matching logical type; anything else is kept as [`ColumnType::Custom`].
    ///
    /// ```
    /// use model_core::ir::ColumnType;
    /// assert_eq!(ColumnType::parse_sql("numeric(12, 2)").unwrap(),
    ///            ColumnType::Numeric { precision: Some(12), scale: Some(2) });
    /// assert_eq!(ColumnType::parse_sql("character varying(40)").unwrap(), ColumnType::Varchar { len: 40 });
    /// assert_eq!(ColumnType::parse_sql("int8[]").unwrap(),
    ///            ColumnType::Array { of: Box::new(ColumnType::BigInt) });
    /// assert_eq!(ColumnType::parse_sql("citext").unwrap(), ColumnType::Custom { sql: "citext".into() });
    /// assert!(ColumnType::parse_sql("varchar(").is_err());
    /// ```
    pub fn parse_sql(sql: &str) -> Result<ColumnType, ParseTypeError> {
        let err = || ParseTypeError(sql.to_string());
        let norm = sql
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        if norm.is_empty() {
            return Err(err());
        }
        if let Some(inner) = norm.strip_suffix("[]") {
            let of = ColumnType::parse_sql(inner)?;
            return Ok(ColumnType::Array { of: Box::new(of) });
        }
        let (base, args) = match norm.find('(') {
            Some(open) => {
                let close = norm.rfind(')').ok_or_else(err)?;
                if close < open || !norm[close + 1..].trim().is_empty() {
                    return Err(err());
                }
                let args: Vec<&str> = norm[open + 1..close].split(',').map(str::trim).collect();
                (norm[..open].trim().to_string(), Some(args))
            }
            None => (norm.clone(), None),
        };
        let nums = |args: &Option<Vec<&str>>| -> Result<Vec<u32>, ParseTypeError> {
            match args {
                None => Ok(Vec::new()),
                Some(a) => a.iter().map(|x| x.parse::<u32>().map_err(|_| err())).collect(),
            }
        };
        let n = nums(&args);
        use ColumnType::*;
        let ty = match base.as_str() {
            "bool" | "boolean" => Bool,
            "smallint" | "int2" => SmallInt,
            "integer" | "int" | "int4" => Integer,
            "bigint" | "int8" => BigInt,
            "real" | "float4" => Real,
            "double precision" | "float8" | "double" => Double,
            "text" => Text,
            "varchar" | "character varying" => match n?.as_slice() {
                [len] => Varchar { len: *len },
                [] => Text,
                _ => return Err(err()),
            },
            "bytea" | "blob" => Binary,
            "date" => Date,
            "time" | "time without time zone" => Time,
            "timestamp" | "timestamp without time zone" | "datetime" => Timestamp,
            "timestamptz" | "timestamp with time zone" => Timestamptz,
            "uuid" => Uuid,
            "jsonb" => Json,
            "numeric" | "decimal" => match n?.as_slice() {
                [] => Numeric {
                    precision: None,
                    scale: None,
                },
                [p] => Numeric {
                    precision: Some(*p),
                    scale: None,
                },
                [p, s] => Numeric {
                    precision: Some(*p),
                    scale: Some(*s),
                },
                _ => return Err(err()),
            },
            _ => {
                if norm.contains('(') {
                    // keep it, but the parentheses must at least balance
                    n.ok();
                }
                Custom { sql: norm.clone() }
            }
        };
        if args.is_some() && !matches!(ty, Varchar { .. } | Numeric { .. } | Text | Custom { .. }) {
            return Err(err());
        }
        Ok(ty)
    }

    /// `true` for the integer types (which can be identity columns).
    pub fn is_integer(&self) -> bool {
        matches!(self, ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt)
    }

    /// `true` for text types (`max_length` applies, string defaults fit).
    pub fn is_text(&self) -> bool {
        matches!(self, ColumnType::Text | ColumnType::Varchar { .. })
    }
}
