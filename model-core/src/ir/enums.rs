//! Database enums: the type behind a `#[derive(ModelEnum)]` Rust enum.

use serde::{Deserialize, Serialize};

/// A database enum type: its SQL name and its values, in declaration order.
///
/// On PostgreSQL it is a named type (`CREATE TYPE "post_status" AS ENUM (...)`); on MySQL an inline
/// `ENUM(...)` column type; on SQLite a `TEXT` column with a `CHECK` listing the values. Columns of the
/// same enum carry equal `EnumType`s; the type exists in the database while at least one column uses it.
///
/// ```
/// use model_core::ir::EnumType;
/// let t = EnumType::new("post_status", ["draft", "published"]);
/// assert_eq!(t.values, vec!["draft".to_string(), "published".to_string()]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnumType {
    /// SQL name of the type (PostgreSQL); default: snake_case of the Rust enum.
    pub name: String,
    /// SQL values, in declaration order (their order is the type's sort order on PostgreSQL and MySQL).
    pub values: Vec<String>,
    /// Rename hints from `#[model(renamed_from = "old")]` on variants: value `to` used to be `from`.
    /// Like every `renamed_from`, a hint whose rename is already applied is a no-op.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renames: Vec<EnumRename>,
    /// `#[model(renamed_from = "old_type")]` on the enum: the type used to be called this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// A rename hint of one enum value: `to` used to be called `from`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnumRename {
    /// The old SQL value.
    pub from: String,
    /// The new SQL value (one of [`EnumType::values`]).
    pub to: String,
}

impl EnumType {
    /// An enum type with these values and no rename hints.
    pub fn new<S: Into<String>>(name: impl Into<String>, values: impl IntoIterator<Item = S>) -> Self {
        EnumType {
            name: name.into(),
            values: values.into_iter().map(Into::into).collect(),
            renames: Vec::new(),
            renamed_from: None,
        }
    }

    /// `true` when both have the same name and values (rename hints are not part of the type).
    ///
    /// ```
    /// use model_core::ir::{EnumRename, EnumType};
    /// let a = EnumType::new("s", ["x", "y"]);
    /// let mut b = a.clone();
    /// b.renames.push(EnumRename { from: "w".into(), to: "y".into() });
    /// assert!(a.same_type(&b));
    /// ```
    pub fn same_type(&self, other: &EnumType) -> bool {
        self.name == other.name && self.values == other.values
    }
}
