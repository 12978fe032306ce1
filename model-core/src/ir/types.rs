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
    /// assert_eq!(ColumnType::Timestamp.to_sql(Dialect::Mysql), "DATETIME(6)"); // microseconds
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
            // MySQL's default precision is whole seconds; PostgreSQL's (and chrono's, time's) is finer
            (Time, Postgres) => "TIME",
            (Time, Mysql) => "TIME(6)",
            (Timestamp, Postgres) => "TIMESTAMP",
            (Timestamp | Timestamptz, Mysql) => "DATETIME(6)",
            (Timestamptz, Postgres) => "TIMESTAMPTZ",
            (Uuid, Postgres) => "UUID",
            (Uuid, Sqlite) => "BLOB",
            (Uuid, Mysql) => "BINARY(16)",
            (Json, Postgres) => "JSONB",
            (Json, Sqlite) => "TEXT",
            (Json, Mysql) => "JSON",
            // SQLite's NUMERIC stores a decimal as a float when it can: TEXT keeps every digit
            (Numeric { .. }, Sqlite) => "TEXT",
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
    /// A time or timestamp with precision 6 (microseconds) is the logical type, which has that
    /// precision on every backend; another precision is kept as written (`timestamp(3)`), and so is
    /// PostgreSQL's form with the precision before the zone (`timestamp(3) with time zone`).
    ///
    /// ```
    /// use model_core::ir::ColumnType;
    /// assert_eq!(ColumnType::parse_sql("numeric(12, 2)").unwrap(),
    ///            ColumnType::Numeric { precision: Some(12), scale: Some(2) });
    /// assert_eq!(ColumnType::parse_sql("character varying(40)").unwrap(), ColumnType::Varchar { len: 40 });
    /// assert_eq!(ColumnType::parse_sql("int8[]").unwrap(),
    ///            ColumnType::Array { of: Box::new(ColumnType::BigInt) });
    /// assert_eq!(ColumnType::parse_sql("citext").unwrap(), ColumnType::Custom { sql: "citext".into() });
    /// assert_eq!(ColumnType::parse_sql("DATETIME(6)").unwrap(), ColumnType::Timestamp);
    /// assert_eq!(ColumnType::parse_sql("timestamp(6) with time zone").unwrap(), ColumnType::Timestamptz);
    /// assert_eq!(ColumnType::parse_sql("timestamp(3)").unwrap(),
    ///            ColumnType::Custom { sql: "timestamp(3)".into() });
    /// assert!(ColumnType::parse_sql("varchar(").is_err());
    /// ```
    pub fn parse_sql(sql: &str) -> Result<ColumnType, ParseTypeError> {
        let err = || ParseTypeError(sql.to_string());
        let norm = normalized(sql);
        if norm.is_empty() {
            return Err(err());
        }
        if let Some(inner) = norm.strip_suffix("[]") {
            let of = ColumnType::parse_sql(inner)?;
            return Ok(ColumnType::Array { of: Box::new(of) });
        }
        let (base, args) = split_args(&norm).ok_or_else(err)?;
        let nums = |args: &Option<Vec<&str>>| -> Result<Vec<u32>, ParseTypeError> {
            match args {
                None => Ok(Vec::new()),
                Some(a) => a.iter().map(|x| x.parse::<u32>().map_err(|_| err())).collect(),
            }
        };
        let n = nums(&args);
        use ColumnType::*;
        let time = |ty: ColumnType| -> Result<ColumnType, ParseTypeError> {
            match n.clone()?.as_slice() {
                [] | [6] => Ok(ty),
                [_] => Ok(Custom { sql: norm.clone() }),
                _ => Err(err()),
            }
        };
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
            "time" | "time without time zone" => return time(Time),
            "timestamp" | "timestamp without time zone" | "datetime" => return time(Timestamp),
            "timestamptz" | "timestamp with time zone" => return time(Timestamptz),
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
            _ => Custom { sql: norm.clone() },
        };
        if args.is_some() && !matches!(ty, Varchar { .. } | Numeric { .. } | Text | Custom { .. }) {
            return Err(err());
        }
        Ok(ty)
    }

    /// Read a SQL type as `dialect` spells it and means it: [`ColumnType::parse_sql`], except where a
    /// spelling means something else there. On MySQL: display widths are dropped (`int(11)` is
    /// `INT`), `tinyint(1)` is the `BOOLEAN` MySQL stores, `binary(16)` the UUID mapping, `float`
    /// and `real` single and double precision, `decimal` without digits `DECIMAL(10,0)`, and only
    /// `datetime(6)` / `time(6)` are the crate's timestamp and time (`datetime` keeps whole seconds,
    /// and MySQL's `timestamp` is a type of its own): those are kept as written. On SQLite, a
    /// `NUMERIC` or `DECIMAL` column (which stores decimals as floats) is kept as written: the
    /// crate's decimal is `TEXT` there.
    ///
    /// Introspection reads types with it, and [`ColumnType::stored_as`] compares with it.
    ///
    /// ```
    /// use model_core::ir::{ColumnType, Dialect};
    /// let mysql = |sql| ColumnType::parse_sql_for(sql, Dialect::Mysql).unwrap();
    /// assert_eq!(mysql("int(11)"), ColumnType::Integer);
    /// assert_eq!(mysql("binary(16)"), ColumnType::Uuid);
    /// assert_eq!(mysql("datetime(6)"), ColumnType::Timestamp);
    /// assert_eq!(mysql("datetime"), ColumnType::Custom { sql: "datetime".into() });
    /// assert_eq!(mysql("decimal"), ColumnType::Numeric { precision: Some(10), scale: Some(0) });
    /// assert_eq!(ColumnType::parse_sql_for("numeric(12,2)", Dialect::Sqlite).unwrap(),
    ///            ColumnType::Custom { sql: "numeric(12,2)".into() });
    /// ```
    pub fn parse_sql_for(sql: &str, dialect: Dialect) -> Result<ColumnType, ParseTypeError> {
        let norm = normalized(sql);
        match dialect {
            Dialect::Postgres => ColumnType::parse_sql(sql),
            Dialect::Sqlite => match ColumnType::parse_sql(sql)? {
                ColumnType::Numeric { .. } => Ok(ColumnType::Custom { sql: norm }),
                ty => Ok(ty),
            },
            Dialect::Mysql => mysql_type(sql, &norm),
        }
    }

    /// The type as `dialect` stores it: two types that are one type there (on SQLite every integer
    /// is `INTEGER` and a `VARCHAR(n)` is `TEXT`; on MySQL a UUID is `BINARY(16)`, whatever the field
    /// says) have one stored form, so a change between them is no change for that backend. Read
    /// back from [`ColumnType::to_sql`] with [`ColumnType::parse_sql_for`]; an enum is kept whole
    /// (its values are part of what is stored).
    ///
    /// ```
    /// use model_core::ir::{ColumnType, Dialect};
    /// let sqlite = Dialect::Sqlite;
    /// assert_eq!(ColumnType::Varchar { len: 100 }.stored_as(sqlite), ColumnType::Text.stored_as(sqlite));
    /// assert_eq!(ColumnType::SmallInt.stored_as(sqlite), ColumnType::BigInt.stored_as(sqlite));
    /// let binary16 = ColumnType::Custom { sql: "binary(16)".into() };
    /// assert_eq!(binary16.stored_as(Dialect::Mysql), ColumnType::Uuid.stored_as(Dialect::Mysql));
    /// assert_ne!(binary16.stored_as(Dialect::Postgres), ColumnType::Uuid.stored_as(Dialect::Postgres));
    /// ```
    pub fn stored_as(&self, dialect: Dialect) -> ColumnType {
        match self {
            ColumnType::Enum(_) => self.clone(),
            ColumnType::Array { of } => ColumnType::Array {
                of: Box::new(of.stored_as(dialect)),
            },
            _ => {
                // a custom type spelled like a mapped one (`datetime` on SQLite) may take two steps
                let mut ty = self.clone();
                for _ in 0..3 {
                    let sql = ty.to_sql(dialect);
                    let next = ColumnType::parse_sql_for(&sql, dialect)
                        .unwrap_or(ColumnType::Custom { sql: normalized(&sql) });
                    if next == ty {
                        break;
                    }
                    ty = next;
                }
                ty
            }
        }
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

/// Lower case, single spaces.
fn normalized(sql: &str) -> String {
    sql.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// `("numeric", Some(["12", "2"]))` for `numeric(12,2)`; the words after the parentheses join the
/// base (`timestamp(3) with time zone` is `timestamp with time zone` with `["3"]`). `None` when the
/// parentheses do not close, or close twice.
fn split_args(norm: &str) -> Option<(String, Option<Vec<&str>>)> {
    let Some(open) = norm.find('(') else {
        return Some((norm.to_string(), None));
    };
    let close = open + norm[open..].find(')')?;
    let after = norm[close + 1..].trim();
    if after.contains(['(', ')']) {
        return None;
    }
    let args = norm[open + 1..close].split(',').map(str::trim).collect();
    let base = [norm[..open].trim(), after]
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    Some((base, Some(args)))
}

/// [`ColumnType::parse_sql_for`] on MySQL (`norm`: `sql` normalized).
fn mysql_type(sql: &str, norm: &str) -> Result<ColumnType, ParseTypeError> {
    let (base, width) = match norm.split_once('(') {
        Some((base, rest)) => match rest.strip_suffix(')') {
            Some(width) if width.chars().all(|c| c.is_ascii_digit()) => (base.trim(), Some(width)),
            _ => (norm, None),
        },
        None => (norm, None),
    };
    let custom = || ColumnType::Custom { sql: norm.to_string() };
    let digits = |w: Option<&str>| w.and_then(|w| w.parse::<u32>().ok());
    let ty = match (base, width) {
        ("tinyint", Some("1")) | ("bool" | "boolean", None) => ColumnType::Bool,
        ("smallint", _) => ColumnType::SmallInt,
        ("int" | "integer", _) => ColumnType::Integer,
        ("bigint", _) => ColumnType::BigInt,
        ("float", None) => ColumnType::Real,
        ("real", None) => ColumnType::Double,
        ("binary", Some("16")) => ColumnType::Uuid,
        ("json", None) => ColumnType::Json,
        ("datetime", Some("6")) => ColumnType::Timestamp,
        ("time", Some("6")) => ColumnType::Time,
        ("datetime" | "time" | "timestamp", _) => custom(),
        ("decimal" | "numeric", _) => ColumnType::Numeric {
            precision: Some(digits(width).unwrap_or(10)),
            scale: Some(0),
        },
        _ => {
            return match ColumnType::parse_sql(sql)? {
                // `decimal(12,2)`: MySQL spells the scale out
                ColumnType::Numeric { precision, scale } => Ok(ColumnType::Numeric {
                    precision: precision.or(Some(10)),
                    scale: scale.or(Some(0)),
                }),
                ty => Ok(ty),
            };
        }
    };
    Ok(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each type, sized and not.
    fn every_type() -> Vec<ColumnType> {
        use ColumnType::*;
        let mut all = vec![
            Bool,
            SmallInt,
            Integer,
            BigInt,
            Real,
            Double,
            Text,
            Varchar { len: 40 },
            Binary,
            Date,
            Time,
            Timestamp,
            Timestamptz,
            Uuid,
            Json,
            Numeric {
                precision: None,
                scale: None,
            },
            Numeric {
                precision: Some(12),
                scale: None,
            },
            Numeric {
                precision: Some(12),
                scale: Some(2),
            },
            Custom {
                sql: "binary(16)".into(),
            },
            Custom { sql: "citext".into() },
            Custom { sql: "datetime".into() },
            Custom {
                sql: "tinyint(1)".into(),
            },
        ];
        all.push(Array { of: Box::new(BigInt) });
        all
    }

    #[test]
    fn the_stored_form_of_a_mapped_type_renders_as_it_and_is_its_own_stored_form() {
        for dialect in Dialect::ALL {
            for ty in every_type() {
                if matches!(ty, ColumnType::Array { .. }) && dialect != Dialect::Postgres {
                    continue;
                }
                let stored = ty.stored_as(dialect);
                // (MySQL prints DECIMAL as DECIMAL(10,0) and DECIMAL(12) as DECIMAL(12,0))
                let bare_decimal = dialect == Dialect::Mysql && matches!(ty, ColumnType::Numeric { scale: None, .. });
                if !matches!(ty, ColumnType::Custom { .. }) && !bare_decimal {
                    assert_eq!(stored.to_sql(dialect), ty.to_sql(dialect), "{ty:?} on {dialect}");
                }
                assert_eq!(stored.stored_as(dialect), stored, "{ty:?} on {dialect}");
            }
        }
    }

    #[test]
    fn one_stored_type_per_spelling() {
        let same = |a: ColumnType, b: ColumnType, dialect: Dialect| a.stored_as(dialect) == b.stored_as(dialect);
        use ColumnType::*;
        let sqlite = Dialect::Sqlite;
        assert!(same(Bool, BigInt, sqlite));
        assert!(same(Varchar { len: 1 }, Text, sqlite));
        assert!(same(Date, Json, sqlite));
        assert!(same(Uuid, Binary, sqlite));
        assert!(same(Real, Double, sqlite));
        assert!(!same(Text, Binary, sqlite));
        let mysql = Dialect::Mysql;
        assert!(same(
            Uuid,
            Custom {
                sql: "binary(16)".into()
            },
            mysql
        ));
        assert!(same(
            Bool,
            Custom {
                sql: "tinyint(1)".into()
            },
            mysql
        ));
        assert!(same(Timestamp, Timestamptz, mysql));
        assert!(same(
            Custom {
                sql: "datetime(6)".into()
            },
            Timestamp,
            mysql
        ));
        assert!(!same(Custom { sql: "datetime".into() }, Timestamp, mysql));
        assert!(!same(Varchar { len: 1 }, Varchar { len: 2 }, mysql));
        assert!(same(
            Numeric {
                precision: Some(12),
                scale: None
            },
            Numeric {
                precision: Some(12),
                scale: Some(0)
            },
            mysql
        ));
        let pg = Dialect::Postgres;
        assert!(!same(
            Uuid,
            Custom {
                sql: "binary(16)".into()
            },
            pg
        ));
        assert!(!same(Timestamp, Timestamptz, pg));
        assert!(!same(Integer, BigInt, pg));
    }

    #[test]
    fn precisions_and_postgres_zone_forms() {
        let p = |s: &str| ColumnType::parse_sql(s);
        assert_eq!(p("time(6)"), Ok(ColumnType::Time));
        assert_eq!(p("time(6) without time zone"), Ok(ColumnType::Time));
        assert_eq!(p("timestamp(6) without time zone"), Ok(ColumnType::Timestamp));
        assert_eq!(
            p("timestamp(3) with time zone"),
            Ok(ColumnType::Custom {
                sql: "timestamp(3) with time zone".into()
            })
        );
        assert!(p("timestamp(a)").is_err());
        assert!(p("timestamp(6, 2)").is_err());
        assert!(p("numeric(1) (2)").is_err());
        assert_eq!(
            p("int(10) unsigned"),
            Ok(ColumnType::Custom {
                sql: "int(10) unsigned".into()
            })
        );
    }
}
