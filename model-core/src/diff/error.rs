//! The errors of diffing and planning a migration.

use crate::ir::Dialect;

/// Why no migration can be written for a change of the models.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// The migration would destroy data and the user did not allow it.
    #[error(
        "this migration would lose data: {}; set MODEL_ALLOW_DATA_LOSS=1 to write this migration anyway",
        .changes.join("; ")
    )]
    DataLoss {
        /// Each lossy change in words (`drops table "tags" and all its rows`).
        changes: Vec<String>,
    },
    /// An existing table changed in a way this version cannot migrate yet.
    #[error(
        "changing table \"{table}\" ({change}) is not supported yet: this version only creates and drops \
         whole tables; undo that change in the model, or write the migration by hand"
    )]
    Unsupported {
        /// SQL name of the table.
        table: String,
        /// Every difference found, in words, separated by `; `.
        change: String,
    },
    /// Two models of one schema use the same table name.
    #[error("table \"{table}\" is declared twice: give one of the models another `table_name`")]
    DuplicateTable {
        /// SQL name of the table.
        table: String,
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
