//! Compare the recorded schema with the current models and list the [`Op`]s between them.
//!
//! This version creates and drops whole tables. Changes to a table that exists on both sides
//! (columns, constraints, renames) are reported as [`DiffError::Unsupported`], naming each
//! difference, until the next version migrates them.

mod changes;
mod error;

pub use error::DiffError;

use crate::ir::{Schema, Table};
use crate::ops::Op;
use std::collections::BTreeMap;

/// The ops that turn `old` into `new`, table by table in name order (run [`crate::order::order`]
/// on them before rendering).
///
/// A table only in `new` gives [`Op::CreateTable`] then one [`Op::CreateIndex`] per index; a table
/// only in `old` gives exactly the reverse of creating it, reversed (its [`Op::DropIndex`]es, last
/// index first, then [`Op::DropTable`]). Equal tables give nothing.
///
/// ```
/// use model_core::diff::diff;
/// use model_core::ir::{Schema, Table};
/// use model_core::ops::Op;
/// let new = Schema::new(vec![Table::new("tags")]);
/// let ops = diff(&Schema::default(), &new).unwrap();
/// assert_eq!(ops, vec![Op::CreateTable { table: Table::new("tags") }]);
/// assert!(diff(&new, &new).unwrap().is_empty());
/// ```
///
/// # Errors
///
/// [`DiffError::Unsupported`] when a table present on both sides changed (the first such table by
/// name, with all its differences) or a table is `renamed_from` a table of `old`;
/// [`DiffError::DuplicateTable`] when a schema holds two tables of one name.
pub fn diff(old: &Schema, new: &Schema) -> Result<Vec<Op>, DiffError> {
    let old_tables = by_name(old)?;
    let new_tables = by_name(new)?;
    let mut ops = Vec::new();
    for (name, table) in &old_tables {
        if !new_tables.contains_key(name) {
            let mut creation = creation_ops(table);
            creation.reverse();
            ops.extend(creation.iter().map(Op::reverse));
        }
    }
    for (name, table) in &new_tables {
        match old_tables.get(name) {
            Some(previous) => check_unchanged(previous, table)?,
            None => {
                check_not_renamed(table, &old_tables)?;
                ops.extend(creation_ops(table));
            }
        }
    }
    Ok(ops)
}

/// `CreateTable` then one `CreateIndex` per index, in declaration order.
fn creation_ops(table: &Table) -> Vec<Op> {
    let mut bare = table.clone();
    let indexes = std::mem::take(&mut bare.indexes);
    let mut ops = vec![Op::CreateTable { table: bare }];
    ops.extend(indexes.into_iter().map(|index| Op::CreateIndex {
        table: table.name.clone(),
        index,
    }));
    ops
}

fn by_name(schema: &Schema) -> Result<BTreeMap<&str, &Table>, DiffError> {
    let mut map = BTreeMap::new();
    for t in &schema.tables {
        if map.insert(t.name.as_str(), t).is_some() {
            return Err(DiffError::DuplicateTable { table: t.name.clone() });
        }
    }
    Ok(map)
}

fn check_unchanged(old: &Table, new: &Table) -> Result<(), DiffError> {
    let found = changes::table_changes(old, new);
    if found.is_empty() {
        return Ok(());
    }
    Err(DiffError::Unsupported {
        table: new.name.clone(),
        change: found.join("; "),
    })
}

/// A new table `renamed_from` a table that still exists in `old` is a rename: not supported yet.
fn check_not_renamed(table: &Table, old: &BTreeMap<&str, &Table>) -> Result<(), DiffError> {
    match &table.renamed_from {
        Some(from) if old.contains_key(from.as_str()) => Err(DiffError::Unsupported {
            table: table.name.clone(),
            change: format!("renamed from \"{from}\""),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
