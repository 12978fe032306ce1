//! The error type of introspection.

use crate::ir::ParseTypeError;

/// Why a live database could not be read into a [`Schema`](crate::ir::Schema).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IntrospectError {
    /// A catalog query failed.
    #[error(
        "cannot read {what} from the database: {source}; check the connection and that the user may read the catalog"
    )]
    Query {
        /// What was being read, e.g. `the columns of table "users"`.
        what: String,
        /// Diesel's error.
        #[source]
        source: diesel::result::Error,
    },
    /// The database reported a column type the IR cannot read.
    #[error("table \"{table}\": column \"{column}\": cannot read its type `{ty}`: {source}")]
    Type {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The type as the database reported it.
        ty: String,
        /// The parser's error.
        #[source]
        source: ParseTypeError,
    },
    /// A foreign key uses an action the IR does not know.
    #[error(
        "table \"{table}\": foreign key \"{name}\": unknown referential action `{action}`; expected \
         CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION"
    )]
    FkAction {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
        /// The action code or text the database reported.
        action: String,
    },
}

impl IntrospectError {
    /// Wrap a Diesel error with what was being read.
    #[cfg_attr(
        not(any(feature = "postgres", feature = "sqlite", feature = "mysql")),
        allow(dead_code)
    )]
    pub(crate) fn query(what: impl Into<String>) -> impl FnOnce(diesel::result::Error) -> Self {
        let what = what.into();
        move |source| IntrospectError::Query { what, source }
    }
}
