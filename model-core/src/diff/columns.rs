//! The column ops of a table present on both sides.

use super::hints::{origins, Origin};
use super::renames::Renames;
use super::touched::Touched;
use super::DiffError;
use crate::ir::{mentioned, Column, Table};
use crate::ops::Op;
use std::collections::BTreeSet;

/// Renames, alters, adds and drops turning the columns of `old` into those of `new` (ops carry
/// the new table name: they run after the table's rename). Records column renames in `renames`
/// and added, dropped and retyped columns in `touched`. `enum_renames` maps old to new names of the
/// enum types renamed by the migration.
///
/// A generated column whose definition changes, or whose expression reads a column that changes
/// type or is dropped, is dropped and added again (its values are computed, so nothing is lost):
/// PostgreSQL cannot change a generation expression in place, nor retype a column a generated
/// column reads. Its drop comes first among the table's drops, so it goes before what it reads, and
/// runs before the renames of the migration (it carries the old table name).
pub(super) fn column_ops(
    old: &Table,
    new: &Table,
    renames: &mut Renames,
    touched: &mut Touched,
    enum_renames: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<Op>, DiffError> {
    let table = new.name.as_str();
    let old_names: Vec<&str> = old.columns.iter().map(|c| c.name.as_str()).collect();
    let claims: Vec<(&str, Option<&str>)> = new
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.renamed_from.as_deref()))
        .collect();
    let found = origins(&old_names, &claims).map_err(|(from, first, second)| DiffError::ColumnRenamedTwice {
        table: table.to_string(),
        from,
        first,
        second,
    })?;
    let mut kept = vec![false; old.columns.len()];
    let mut matched: Vec<(&Column, Option<usize>)> = Vec::with_capacity(new.columns.len());
    for (column, origin) in new.columns.iter().zip(found) {
        let i = match origin {
            Origin::New => None,
            Origin::Same(i) | Origin::Renamed(i) => Some(i),
        };
        if let Some(i) = i {
            kept[i] = true;
        }
        matched.push((column, i));
    }
    // the old names of the columns that change type or go: generated columns reading them are recreated
    let mut shaken: BTreeSet<String> = BTreeSet::new();
    for (column, i) in &matched {
        if let Some(i) = i {
            let from = renamed_type(&old.columns[*i], enum_renames);
            if from.ty != column.ty {
                shaken.insert(old.columns[*i].name.to_lowercase());
            }
        }
    }
    for (c, kept) in old.columns.iter().zip(&kept) {
        if !kept {
            shaken.insert(c.name.to_lowercase());
        }
    }
    let recreate = |before: &Column, after: &Column| {
        before.generated != after.generated
            || after.generated.as_ref().is_some_and(|g| {
                shaken.contains(&before.name.to_lowercase()) || mentioned(&g.sql).iter().any(|m| shaken.contains(m))
            })
    };

    let (mut first, mut ops, mut last) = (Vec::new(), Vec::new(), Vec::new());
    for (column, i) in &matched {
        let to = bare(column);
        let Some(i) = *i else {
            touched.column(table, &column.name);
            ops.push(Op::AddColumn {
                table: table.to_string(),
                column: to,
            });
            continue;
        };
        let before = &old.columns[i];
        if (before.generated.is_some() || column.generated.is_some()) && recreate(before, column) {
            touched.recreated(table, &before.name);
            touched.recreated(table, &column.name);
            // before the renames of the migration: it carries the old table name
            first.push(Op::DropColumn {
                table: old.name.clone(),
                column: bare(before),
            });
            last.push(Op::AddColumn {
                table: table.to_string(),
                column: to,
            });
            continue;
        }
        if before.name != column.name {
            renames.column_renamed(table, &before.name, &column.name);
            ops.push(Op::RenameColumn {
                table: table.to_string(),
                from: before.name.clone(),
                to: column.name.clone(),
            });
        }
        // an enum type renamed by the migration has its new name by the time the column changes
        let from = Column {
            name: column.name.clone(),
            ..renamed_type(before, enum_renames)
        };
        if from.ty != to.ty {
            touched.column(table, &column.name);
        }
        if from != to {
            ops.push(Op::AlterColumn {
                table: table.to_string(),
                from,
                to,
            });
        }
    }
    // Last declared first, mirroring how the reverse adds them back; generated columns before the
    // columns they may read.
    let mut dropped: Vec<&Column> = old
        .columns
        .iter()
        .zip(kept)
        .rev()
        .filter(|(_, k)| !k)
        .map(|(c, _)| c)
        .collect();
    dropped.sort_by_key(|c| c.generated.is_none());
    for column in dropped {
        touched.column(table, &column.name);
        // a generated column goes before the renames (see `crate::order`), under the old table name
        let at = if column.generated.is_some() { &old.name } else { table };
        ops.push(Op::DropColumn {
            table: at.to_string(),
            column: bare(column),
        });
    }
    first.extend(ops);
    first.extend(last);
    Ok(first)
}

/// The column without its rename hint, with the type it has once the enum types it names are
/// renamed.
fn renamed_type(column: &Column, enum_renames: &std::collections::BTreeMap<String, String>) -> Column {
    Column {
        ty: super::enums::renamed_type(&column.ty, enum_renames),
        ..bare(column)
    }
}

/// The column without its rename hint, which is not part of the database.
fn bare(column: &Column) -> Column {
    Column {
        renamed_from: None,
        ..column.clone()
    }
}
