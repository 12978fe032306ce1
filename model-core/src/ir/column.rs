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
