//! Compare the recorded schema with the current models and list the [`Op`]s between them.
//!
//! Tables are matched by name, else by their `renamed_from` hint (a hint naming a table that is
//! still there, or nothing, is a no-op); columns likewise within a table. Constraints and indexes
//! are compared by name and definition, with old definitions read in the new names of renamed
//! tables and columns: same definition under another name is a rename (what a table rename
//! causes through the naming rule), a changed definition is a drop and an add.
//!
//! Each op carries the table name it has when it runs (see [`crate::order`]): drops of indexes,
//! foreign keys, constraints and generated columns run before table renames and carry the old name;
//! everything else carries the new one.

mod columns;
mod enums;
mod error;
mod foreign_keys;
mod guard;
mod hints;
mod keys;
mod objects;
mod pairing;
mod renames;
mod tables;
mod touched;

pub use error::DiffError;
pub use guard::guard;

use crate::ir::Schema;
use crate::ops::Op;
use keys::Pair;
use renames::Renames;
use touched::Touched;

/// The ops that turn `old` into `new`, table by table in name order (run [`crate::order::order`]
/// on them before rendering, and [`guard`] before writing them).
///
/// A table only in `new` gives [`Op::CreateTable`] then one [`Op::CreateIndex`] per index; a table
/// only in `old` gives exactly the reverse of creating it, reversed. A table on both sides gives
/// [`Op::MoveTable`] (another schema), [`Op::RenameTable`], column ops ([`Op::RenameColumn`], [`Op::AlterColumn`] with every change of
/// one column, [`Op::AddColumn`], [`Op::DropColumn`]), [`Op::SetTableComment`], and the drops,
/// renames and adds of its primary key, uniques, checks, indexes and foreign keys. A foreign key
/// over a column whose type changes, or referencing a key that is dropped or added, is dropped
/// first and added again last. Equal schemas give nothing.
///
/// ```
/// use model_core::diff::diff;
/// use model_core::ir::{Column, ColumnType, Schema, Table};
/// use model_core::ops::Op;
/// let mut posts = Table::new("posts");
/// posts.columns.push(Column::new("body", ColumnType::Text));
/// let old = Schema::new(vec![posts.clone()]);
/// posts.columns[0].name = "content".into();
/// posts.columns[0].renamed_from = Some("body".into());
/// let ops = diff(&old, &Schema::new(vec![posts])).unwrap();
/// assert_eq!(ops, [Op::RenameColumn { table: "posts".into(), from: "body".into(), to: "content".into() }]);
/// assert!(diff(&old, &old).unwrap().is_empty());
/// ```
///
/// # Errors
///
/// [`DiffError::DuplicateTable`] when a schema holds two tables of one name;
/// [`DiffError::TableRenamedTwice`] / [`DiffError::ColumnRenamedTwice`] when two tables (columns of
/// one table) are `renamed_from` the same old name; [`DiffError::EnumConflict`] when two columns of one
/// schema name one enum type with different values; [`DiffError::UnresolvedEnum`] for an enum column
/// without a type name or values.
///
/// Enum types (those of the columns, see [`crate::ir::EnumType`]) give [`Op::CreateEnum`] /
/// [`Op::DropEnum`] when they appear / disappear, [`Op::RenameEnum`] for an enum-level `renamed_from`,
/// [`Op::RenameEnumValues`] for the variants' `renamed_from` hints, and [`Op::ChangeEnumValues`] for
/// values added, removed or reordered; each column of a changed type also gets its
/// [`Op::AlterColumn`] (the type's values change), which PostgreSQL leaves to the enum ops. A column of
/// such a type whose default changes gets two: one dropping the old default (run before the type's
/// ops), one with the rest of its change (after them), so each default names a value that exists.
///
/// Extensions, functions, views and triggers (see [`crate::ir::Object`]) give [`Op::CreateObject`],
/// [`Op::DropObject`] and [`Op::ReplaceObject`]; a view or trigger whose tables, columns, functions
/// or views change under it is dropped and created again. A generated column whose definition
/// changes, or whose expression reads a column that changes type, is dropped and added again, with
/// the keys, indexes and checks over it.
pub fn diff(old: &Schema, new: &Schema) -> Result<Vec<Op>, DiffError> {
    let enums = enums::match_enums(old, new)?;
    let (old, new) = (enums::without_hints(old), enums::without_hints(new));
    let (old, new) = (old.as_ref(), new.as_ref());
    let mut renames = Renames::default();
    let tables = tables::match_tables(old, new, &mut renames)?;
    let mut touched = Touched::default();
    let mut ops = Vec::new();
    for (o, n) in &tables.pairs {
        if o.schema != n.schema {
            ops.push(Op::MoveTable {
                table: o.name.clone(),
                from: o.schema.clone(),
                to: n.schema.clone(),
            });
        }
        if o.name != n.name {
            ops.push(Op::RenameTable {
                from: o.name.clone(),
                to: n.name.clone(),
            });
        }
        // an unchanged table has no column op (most tables of a change are unchanged); with enum
        // types renamed its columns may still change type
        if o != n || !enums.renamed.is_empty() {
            ops.extend(columns::column_ops(o, n, &mut renames, &mut touched, &enums.renamed)?);
        }
        if o.comment != n.comment {
            ops.push(Op::SetTableComment {
                table: n.name.clone(),
                from: o.comment.clone(),
                to: n.comment.clone(),
            });
        }
    }
    let pairs: Vec<Pair> = tables.pairs.iter().map(|(o, n)| Pair::new(o, n, &renames)).collect();
    for p in &pairs {
        ops.extend(keys::key_ops(p, &mut touched));
    }
    for p in &pairs {
        ops.extend(foreign_keys::foreign_key_ops(p, &touched));
    }
    for table in &tables.dropped {
        ops.extend(tables::drop_ops(table, &renames, &touched));
    }
    for table in &tables.created {
        ops.extend(tables::creation_ops(table, &touched));
    }
    ops.extend(enums::enum_ops(&enums, &tables.pairs, &renames));
    ops.extend(objects::object_ops(old, new, &tables, &renames, &touched));
    Ok(enums::split_defaults(ops, &enums.renamed))
}

#[cfg(test)]
mod tests;
