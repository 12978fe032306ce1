use super::{ColumnType, Dialect};
use serde::{Deserialize, Serialize};

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// SQL name.
    pub name: String,
    /// Logical type (rendered per dialect).
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// `NULL` allowed (`Option<T>`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// Default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    /// An identity / autoincrement column (single integer primary key unless `identity = false`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity: bool,
    /// Old SQL name (`renamed_from`): a hint for the diff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Column comment (from `comment = "..."` or the field's doc comment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// A generated column (`generated = "lower(email)"`): computed by the database from this
    /// expression, read-only for inserts and updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
}

/// How a generated column is computed.
///
/// ```
/// use model_core::ir::Generated;
/// let g = Generated::stored("lower(email)");
/// assert!(!g.is_virtual);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Generated {
    /// The SQL expression, as written (names in it are SQL column names).
    pub sql: String,
    /// Computed when read instead of stored (SQLite and MySQL; PostgreSQL stores every generated
    /// column).
    #[serde(default, rename = "virtual", skip_serializing_if = "std::ops::Not::not")]
    pub is_virtual: bool,
}

impl Generated {
    /// A stored generated column computed by `sql`.
    pub fn stored(sql: impl Into<String>) -> Self {
        Generated {
            sql: sql.into(),
            is_virtual: false,
        }
    }

    /// `GENERATED ALWAYS AS (<sql>) STORED` (or `VIRTUAL`), as every dialect writes it.
    ///
    /// ```
    /// use model_core::ir::Generated;
    /// assert_eq!(Generated::stored("a + 1").clause(), "GENERATED ALWAYS AS (a + 1) STORED");
    /// ```
    pub fn clause(&self) -> String {
        let how = if self.is_virtual { "VIRTUAL" } else { "STORED" };
        format!("GENERATED ALWAYS AS ({}) {how}", self.sql)
    }
}

impl Column {
    /// A `NOT NULL` column with no default.
    ///
    /// ```
    /// use model_core::ir::{Column, ColumnType};
    /// let c = Column::new("email", ColumnType::Text);
    /// assert!(!c.nullable);
    /// ```
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: false,
            default: None,
            identity: false,
            renamed_from: None,
            comment: None,
            generated: None,
        }
    }
}

/// A column default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultValue {
    /// `default = <literal>`: rendered as a safely quoted SQL literal.
    Literal(Literal),
    /// `default_sql = "now()"`: a raw SQL expression.
    Sql(String),
}

/// A literal default value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point or decimal number, kept as written (e.g. `"1.5"`, `"-0.25"`).
    Float(String),
    /// A string.
    Str(String),
}

impl Literal {
    /// The literal as SQL text for `dialect`, strings quoted safely: `'` doubled everywhere, and `\`
    /// doubled on MySQL (where it is an escape character). SQLite booleans are `1`/`0`.
    ///
    /// ```
    /// use model_core::ir::{Dialect, Literal};
    /// assert_eq!(Literal::Str("it's".into()).to_sql(Dialect::Postgres), "'it''s'");
    /// assert_eq!(Literal::Str("a\\b".into()).to_sql(Dialect::Mysql), "'a\\\\b'");
    /// assert_eq!(Literal::Bool(true).to_sql(Dialect::Sqlite), "1");
    /// ```
    pub fn to_sql(&self, dialect: Dialect) -> String {
        match self {
            Literal::Bool(b) if dialect == Dialect::Sqlite => if *b { "1" } else { "0" }.to_string(),
            Literal::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Literal::Int(i) => i.to_string(),
            Literal::Float(f) => f.clone(),
            Literal::Str(s) => {
                let mut q = s.replace('\'', "''");
                if dialect == Dialect::Mysql {
                    q = q.replace('\\', "\\\\");
                }
                format!("'{q}'")
            }
        }
    }
}
