//! The column ops of a table present on both sides.

use super::hints::{origins, Origin};
use super::renames::Renames;
use super::touched::Touched;
use super::DiffError;
use crate::ir::{Column, Table};
use crate::ops::Op;

/// Renames, alters, adds and drops turning the columns of `old` into those of `new` (ops carry
/// the new table name: they run after the table's rename). Records column renames in `renames`
/// and added, dropped and retyped columns in `touched`. `enum_renames` maps old to new names of the
/// enum types renamed by the migration.
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
    let mut ops = Vec::new();
    let mut kept = vec![false; old.columns.len()];
    for (column, origin) in new.columns.iter().zip(found) {
        let to = bare(column);
        let i = match origin {
            Origin::New => {
                touched.column(table, &column.name);
                ops.push(Op::AddColumn {
                    table: table.to_string(),
                    column: to,
                });
                continue;
            }
            Origin::Same(i) | Origin::Renamed(i) => i,
        };
        kept[i] = true;
        let before = &old.columns[i];
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
            ty: super::enums::renamed_type(&before.ty, enum_renames),
            ..bare(before)
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
    // Last declared first, mirroring how the reverse adds them back.
    for (column, kept) in old.columns.iter().zip(kept).rev() {
        if !kept {
            touched.column(table, &column.name);
            ops.push(Op::DropColumn {
                table: table.to_string(),
                column: bare(column),
            });
        }
    }
    Ok(ops)
}

/// The column without its rename hint, which is not part of the database.
fn bare(column: &Column) -> Column {
    Column {
        renamed_from: None,
        ..column.clone()
    }
}
