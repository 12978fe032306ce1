use super::Column;
use serde::{Deserialize, Serialize};

/// One table: columns and every constraint and index on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// SQL name.
    pub name: String,
    /// PostgreSQL schema (`#[model(schema = "billing")]`, `table_name = "billing.invoices"`, or the
    /// crate's configured `schema`); `None` is the connection's default (`search_path`, usually
    /// `public`), written unqualified. Table names stay unique across schemas in one crate (Diesel's
    /// `table!` names its module after the table), so the name alone identifies a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Old SQL name this table had (`#[model(renamed_from = "...")]`): a hint for the diff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Table comment (from `comment = "..."` or the struct's doc comment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// The primary key, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// UNIQUE constraints (single-column `unique` and struct-level `unique(a, b)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<UniqueConstraint>,
    /// Indexes (plain, unique, partial). Unique *indexes* are kept apart from unique *constraints*.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Foreign keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// CHECK constraints (column checks get a generated name, see [`super::column_check_name`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
}

impl Table {
    /// An empty table called `name`.
    ///
    /// ```
    /// let t = model_core::ir::Table::new("users");
    /// assert!(t.columns.is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            schema: None,
            renamed_from: None,
            comment: None,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// The table's name as SQL writes it for `dialect`: `"billing"."invoices"` with a schema,
    /// `"invoices"` without.
    ///
    /// ```
    /// use model_core::ir::{Dialect, Table};
    /// let mut t = Table::new("invoices");
    /// assert_eq!(t.qualified(Dialect::Postgres), r#""invoices""#);
    /// t.schema = Some("billing".into());
    /// assert_eq!(t.qualified(Dialect::Postgres), r#""billing"."invoices""#);
    /// ```
    pub fn qualified(&self, dialect: super::Dialect) -> String {
        qualified_name(self.schema.as_deref(), &self.name, dialect)
    }

    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Names of the tables this one references through foreign keys (itself included if it does).
    pub fn referenced_tables(&self) -> impl Iterator<Item = &str> {
        self.foreign_keys.iter().map(|fk| fk.ref_table.as_str())
    }
}

/// `"schema"."name"` (or `"name"` without a schema), each part quoted for `dialect`.
///
/// ```
/// use model_core::ir::{qualified_name, Dialect};
/// assert_eq!(qualified_name(Some("billing"), "ix_a", Dialect::Postgres), r#""billing"."ix_a""#);
/// assert_eq!(qualified_name(None, "t", Dialect::Mysql), "`t`");
/// ```
pub fn qualified_name(schema: Option<&str>, name: &str, dialect: super::Dialect) -> String {
    let name = crate::render::quote_ident(name, dialect);
    match schema {
        Some(s) => format!("{}.{name}", crate::render::quote_ident(s, dialect)),
        None => name,
    }
}

/// A primary key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    /// Constraint name (see [`super::pk_name`]).
    pub name: String,
    /// Column names, in key order.
    pub columns: Vec<String>,
}

/// A UNIQUE constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueConstraint {
    /// Constraint name (see [`super::unique_name`]).
    pub name: String,
    /// Column names.
    pub columns: Vec<String>,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Index name (given with `name = "..."`, else [`super::index_name`]).
    pub name: String,
    /// Column names, in index order.
    pub columns: Vec<String>,
    /// A unique index.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// Predicate of a partial index (`where_sql = "..."`), SQL text as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_sql: Option<String>,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Constraint name (see [`super::fk_name`]).
    pub name: String,
    /// Referencing columns of this table.
    pub columns: Vec<String>,
    /// Referenced table (SQL name).
    pub ref_table: String,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_delete: FkAction,
    /// `ON UPDATE` action.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_update: FkAction,
}

/// A referential action of a foreign key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    /// `NO ACTION` (the SQL default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// Parse the attribute spelling (`"cascade"`, `"set null"`, ...), case-insensitive.
    ///
    /// ```
    /// use model_core::ir::FkAction;
    /// assert_eq!(FkAction::parse("set null"), Some(FkAction::SetNull));
    /// assert_eq!(FkAction::parse("explode"), None);
    /// ```
    pub fn parse(s: &str) -> Option<FkAction> {
        let norm: String = s
            .trim()
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match norm.replace('_', " ").as_str() {
            "cascade" => Some(FkAction::Cascade),
            "set null" => Some(FkAction::SetNull),
            "set default" => Some(FkAction::SetDefault),
            "restrict" => Some(FkAction::Restrict),
            "no action" => Some(FkAction::NoAction),
            _ => None,
        }
    }

    /// The SQL keywords (`ON DELETE <this>`).
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    /// `true` for `NO ACTION`, the default.
    pub fn is_default(&self) -> bool {
        *self == FkAction::NoAction
    }
}

/// A CHECK constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Constraint name.
    pub name: String,
    /// The boolean SQL expression, as written by the user.
    pub sql: String,
}
