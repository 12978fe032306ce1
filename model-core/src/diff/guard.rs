//! Refuse migrations that would fail on a table with rows or lose data without permission.

use super::DiffError;
use crate::ir::{ColumnType, Table};
use crate::ops::Op;

/// Check the ops of a migration before it is written.
///
/// A `NOT NULL` column without a default (and not an identity) added to an existing table is
/// refused whatever `allow_data_loss` says: the database refuses it once the table has rows.
/// Ops that lose data ([`Op::data_loss`]) are refused unless `allow_data_loss`. Both errors
/// suggest `renamed_from` for each dropped column (or table) that looks like an added one.
///
/// ```
/// use model_core::diff::{guard, DiffError};
/// use model_core::ir::{Column, ColumnType};
/// use model_core::ops::Op;
/// let drop = Op::DropColumn { table: "posts".into(), column: Column::new("body", ColumnType::Text) };
/// assert!(guard(std::slice::from_ref(&drop), true).is_ok());
/// let add = Op::AddColumn { table: "posts".into(), column: Column::new("content", ColumnType::Text) };
/// match guard(&[drop, add], true) {
///     Err(DiffError::NotNullWithoutDefault { columns, suggestions }) => {
///         assert_eq!(columns, [("posts".to_string(), "content".to_string())]);
///         assert_eq!(suggestions.len(), 1);
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
///
/// # Errors
///
/// [`DiffError::NotNullWithoutDefault`], then [`DiffError::DataLoss`].
pub fn guard(ops: &[Op], allow_data_loss: bool) -> Result<(), DiffError> {
    let columns: Vec<(String, String)> = ops
        .iter()
        .filter_map(|op| match op {
            Op::AddColumn { table, column }
                if !column.nullable && column.default.is_none() && !column.identity && column.generated.is_none() =>
            {
                Some((table.clone(), column.name.clone()))
            }
            _ => None,
        })
        .collect();
    if !columns.is_empty() {
        return Err(DiffError::NotNullWithoutDefault {
            columns,
            suggestions: suggestions(ops),
        });
    }
    let changes: Vec<String> = ops.iter().filter_map(Op::data_loss).collect();
    if !changes.is_empty() && !allow_data_loss {
        return Err(DiffError::DataLoss {
            changes,
            suggestions: suggestions(ops),
        });
    }
    Ok(())
}

/// For each dropped column and added column of one table with the same type, and each dropped
/// table and created table with the same columns (names and types), the `renamed_from` to write.
pub(super) fn suggestions(ops: &[Op]) -> Vec<String> {
    let mut out = Vec::new();
    for op in ops {
        if let Op::DropColumn { table, column: old } = op {
            for added in ops {
                if let Op::AddColumn { table: t, column } = added {
                    if t == table && column.ty == old.ty {
                        out.push(format!(
                            "add #[model(renamed_from = \"{}\")] to field `{}` of table \"{table}\" to rename it and \
                             keep its data",
                            old.name, column.name
                        ));
                    }
                }
            }
        }
        if let Op::DropTable { table: old } = op {
            for created in ops {
                if let Op::CreateTable { table } = created {
                    if shape(table) == shape(old) {
                        out.push(format!(
                            "add #[model(renamed_from = \"{}\")] to the model of table \"{}\" to rename it and keep \
                             its rows",
                            old.name, table.name
                        ));
                    }
                }
            }
        }
    }
    out
}

/// Column names and types, sorted.
fn shape(table: &Table) -> Vec<(&str, &ColumnType)> {
    let mut v: Vec<(&str, &ColumnType)> = table.columns.iter().map(|c| (c.name.as_str(), &c.ty)).collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}
