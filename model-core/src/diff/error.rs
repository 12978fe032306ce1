//! The errors of diffing and planning a migration.

use crate::ir::Dialect;

/// Why no migration can be written for a change of the models.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// The migration would destroy data and the user did not allow it.
    #[error(
        "this migration would lose data:\n{}\nset MODEL_ALLOW_DATA_LOSS=1 to write it anyway (up.sql then says above \
         each such statement what is lost){}",
        bullets(.changes),
        hints(.suggestions)
    )]
    DataLoss {
        /// Each lossy change in words (`drops table "tags" and all its rows`).
        changes: Vec<String>,
        /// Likely renames written as drop + add, each as the attribute to write
        /// (`add #[model(renamed_from = "body")] to field `content` of table "posts" ...`).
        suggestions: Vec<String>,
    },
    /// The migration would rewrite a whole existing table (PostgreSQL, online forms on) and the user
    /// did not allow it: the rewrite holds an `ACCESS EXCLUSIVE` lock, blocking reads and writes of
    /// the table, for as long as it copies every row.
    #[error(
        "this migration would rewrite a whole table, blocking its reads and writes while every row is copied:\n{}\n\
         set MODEL_ALLOW_REWRITE=1 to write it anyway (up.sql then says above each such statement what it rewrites), \
         or make the change in steps that do not rewrite (add a new column, backfill it in batches, switch the code \
         over, drop the old one)",
        bullets(.changes)
    )]
    Rewrite {
        /// Each rewriting change in words (`change column "n" of "t": type INTEGER → BIGINT rewrites "t"`).
        changes: Vec<String>,
    },
    /// A `NOT NULL` column without a default is added to a table that may already have rows.
    /// Refused even when data loss is allowed: the database would refuse it on a non-empty table.
    #[error("{}{}", not_null_message(.columns), hints(.suggestions))]
    NotNullWithoutDefault {
        /// `(table, column)` of each such column.
        columns: Vec<(String, String)>,
        /// Likely renames written as drop + add (see [`DiffError::DataLoss`]).
        suggestions: Vec<String>,
    },
    /// Two new tables say they were renamed from the same old table.
    #[error(
        "tables \"{first}\" and \"{second}\" both say `renamed_from = \"{from}\"`: a table can only be renamed \
         once; remove `renamed_from` from one of them"
    )]
    TableRenamedTwice {
        /// The old table name both claim.
        from: String,
        /// The first claiming table (by name).
        first: String,
        /// The second claiming table.
        second: String,
    },
    /// Two columns of one table say they were renamed from the same old column.
    #[error(
        "columns \"{first}\" and \"{second}\" of table \"{table}\" both say `renamed_from = \"{from}\"`: a column \
         can only be renamed once; remove `renamed_from` from one of them"
    )]
    ColumnRenamedTwice {
        /// SQL name of the table (its new name).
        table: String,
        /// The old column name both claim.
        from: String,
        /// The first claiming column (declaration order).
        first: String,
        /// The second claiming column.
        second: String,
    },
    /// Two models of one schema use the same table name.
    #[error("table \"{table}\" is declared twice: give one of the models another `table_name`")]
    DuplicateTable {
        /// SQL name of the table.
        table: String,
    },
    /// Two columns name one enum type with different values.
    #[error(
        "enum type \"{name}\" has values ({}) at {first} but ({}) at {second}: one SQL type has one list of \
         values; give one of the Rust enums another `type_name`",
        first_values.join(", "),
        second_values.join(", ")
    )]
    EnumConflict {
        /// SQL name of the type.
        name: String,
        /// `table.column` of the first column naming it.
        first: String,
        /// Its values there.
        first_values: Vec<String>,
        /// `table.column` of the column that disagrees.
        second: String,
        /// Its values there.
        second_values: Vec<String>,
    },
    /// An enum column whose type has no name or no values: its Rust enum was not resolved (the build
    /// step fills in the `#[derive(ModelEnum)]` enum of each `#[model(enum)]` field).
    #[error(
        "column \"{column}\" of table \"{table}\" is an enum whose type is not known (no name or no values): the \
         build step must find its `#[derive(ModelEnum)]` enum among the model files"
    )]
    UnresolvedEnum {
        /// SQL name of the table.
        table: String,
        /// SQL name of the column.
        column: String,
    },
    /// A dialect cannot express a step of the migration yet.
    #[error("{change} is not supported on {dialect} yet: write that migration by hand")]
    NotSupportedOn {
        /// The dialect.
        dialect: Dialect,
        /// The step, in words (see [`crate::ops::Op::describe`]).
        change: String,
    },
}

/// One `  - item` line per item.
fn bullets(items: &[String]) -> String {
    items.iter().map(|i| format!("  - {i}")).collect::<Vec<_>>().join("\n")
}

/// The suggestions as a list appended to a message, or nothing.
fn hints(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        return String::new();
    }
    format!("\nif this is a rename:\n{}", bullets(suggestions))
}

fn not_null_message(columns: &[(String, String)]) -> String {
    let lines: Vec<String> = columns
        .iter()
        .map(|(table, column)| {
            format!(
                "table \"{table}\" may have rows: give \"{column}\" a default (`default = ...` / \
                 `default_sql = ...`), or make it `Option<T>` now and NOT NULL in a later change after filling it"
            )
        })
        .collect();
    format!(
        "a NOT NULL column without a default cannot be added to an existing table:\n{}",
        bullets(&lines)
    )
}
