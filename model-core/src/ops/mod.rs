//! Schema change operations: what a migration does, one step at a time.
//!
//! Every [`Op`] carries the state it replaces (a dropped table keeps its full definition), so
//! [`Op::reverse`] can always produce the step that undoes it. `down.sql` is the reverse of each
//! `up.sql` op, in reverse order — Alembic's design.
//!
//! The enum grows with the diff: column, constraint, rename and type changes are added next. One
//! file per op family holds the words for that family.

mod foreign_key;
mod index;
mod table;

use crate::ir::{ForeignKey, Index, Table};

/// One schema change.
///
/// ```
/// use model_core::ir::Table;
/// use model_core::ops::Op;
/// let op = Op::CreateTable { table: Table::new("posts") };
/// assert_eq!(op.describe(), r#"create table "posts""#);
/// assert_eq!(op.reverse().reverse(), op);
/// assert!(op.reverse().data_loss().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Create a table with its columns, primary key, unique constraints, checks, comments and
    /// foreign keys inline. Indexes are separate [`Op::CreateIndex`] ops.
    CreateTable {
        /// The table as created.
        table: Table,
    },
    /// Drop a table (and its rows).
    DropTable {
        /// The table as it was, so the drop can be reversed.
        table: Table,
    },
    /// Create an index on an existing table.
    CreateIndex {
        /// SQL name of the table.
        table: String,
        /// The index.
        index: Index,
    },
    /// Drop an index.
    DropIndex {
        /// SQL name of the table.
        table: String,
        /// The index as it was.
        index: Index,
    },
    /// Add a foreign key constraint to an existing table.
    AddForeignKey {
        /// SQL name of the referencing table.
        table: String,
        /// The foreign key.
        fk: ForeignKey,
    },
    /// Drop a foreign key constraint.
    DropForeignKey {
        /// SQL name of the referencing table.
        table: String,
        /// The foreign key as it was.
        fk: ForeignKey,
    },
}

impl Op {
    /// The op that undoes this one (`reverse(reverse(op)) == op`).
    ///
    /// ```
    /// use model_core::ir::Index;
    /// use model_core::ops::Op;
    /// let index = Index { name: "ix_t_a".into(), columns: vec!["a".into()], unique: false, where_sql: None };
    /// let op = Op::CreateIndex { table: "t".into(), index: index.clone() };
    /// assert_eq!(op.reverse(), Op::DropIndex { table: "t".into(), index });
    /// ```
    pub fn reverse(&self) -> Op {
        match self {
            Op::CreateTable { table } => Op::DropTable { table: table.clone() },
            Op::DropTable { table } => Op::CreateTable { table: table.clone() },
            Op::CreateIndex { table, index } => Op::DropIndex {
                table: table.clone(),
                index: index.clone(),
            },
            Op::DropIndex { table, index } => Op::CreateIndex {
                table: table.clone(),
                index: index.clone(),
            },
            Op::AddForeignKey { table, fk } => Op::DropForeignKey {
                table: table.clone(),
                fk: fk.clone(),
            },
            Op::DropForeignKey { table, fk } => Op::AddForeignKey {
                table: table.clone(),
                fk: fk.clone(),
            },
        }
    }

    /// The change in words, for migration headers and error messages, e.g. `create table "posts"`
    /// or `drop table "tags" (its rows are lost)`.
    pub fn describe(&self) -> String {
        match self {
            Op::CreateTable { table } => table::describe_create(table),
            Op::DropTable { table } => table::describe_drop(table),
            Op::CreateIndex { table, index } => index::describe_create(table, index),
            Op::DropIndex { table, index } => index::describe_drop(table, index),
            Op::AddForeignKey { table, fk } => foreign_key::describe_add(table, fk),
            Op::DropForeignKey { table, fk } => foreign_key::describe_drop(table, fk),
        }
    }

    /// What data this op destroys, in words (`drops table "tags" and all its rows`), or `None`
    /// when it loses nothing. Ops that lose data need `MODEL_ALLOW_DATA_LOSS=1`.
    ///
    /// ```
    /// use model_core::ir::Table;
    /// use model_core::ops::Op;
    /// let drop = Op::DropTable { table: Table::new("tags") };
    /// assert_eq!(drop.data_loss().as_deref(), Some(r#"drops table "tags" and all its rows"#));
    /// assert_eq!(drop.reverse().data_loss(), None);
    /// ```
    pub fn data_loss(&self) -> Option<String> {
        match self {
            Op::DropTable { table } => Some(table::data_loss_of_drop(table)),
            Op::CreateTable { .. }
            | Op::CreateIndex { .. }
            | Op::DropIndex { .. }
            | Op::AddForeignKey { .. }
            | Op::DropForeignKey { .. } => None,
        }
    }

    /// SQL name of the table this op changes.
    ///
    /// ```
    /// use model_core::ir::Table;
    /// use model_core::ops::Op;
    /// assert_eq!(Op::CreateTable { table: Table::new("posts") }.table_name(), "posts");
    /// ```
    pub fn table_name(&self) -> &str {
        match self {
            Op::CreateTable { table } | Op::DropTable { table } => &table.name,
            Op::CreateIndex { table, .. }
            | Op::DropIndex { table, .. }
            | Op::AddForeignKey { table, .. }
            | Op::DropForeignKey { table, .. } => table,
        }
    }
}

/// `"name"` as written in descriptions and messages.
fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
