//! Words for the enum type ops, what they lose, and the column of a type they carry.

use super::quoted;
use crate::ir::{Column, EnumRename, EnumType};

/// A column whose type is an enum type, as it is when an enum op runs (its table and column under
/// the names they have then, its old definition: default, nullability). The ops that convert the
/// column's values carry these (PostgreSQL's rename-and-recreate, MySQL's `MODIFY COLUMN`).
///
/// ```
/// use model_core::ir::{Column, ColumnType, EnumType};
/// use model_core::ops::EnumUse;
/// let u = EnumUse { table: "posts".into(), column: Column::new("status", ColumnType::Enum(EnumType::new("s", ["a"]))) };
/// assert_eq!(u.column.name, "status");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumUse {
    /// SQL name of the table.
    pub table: String,
    /// The column.
    pub column: Column,
}

/// `'a', 'b'`, for messages.
pub(super) fn listed(values: &[String]) -> String {
    values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")
}

/// The values of `from` that are not in `to`.
fn removed<'a>(from: &'a EnumType, to: &EnumType) -> Vec<&'a String> {
    from.values.iter().filter(|v| !to.values.contains(v)).collect()
}

/// The values of `to` that are not in `from`.
pub(crate) fn added<'a>(from: &EnumType, to: &'a EnumType) -> Vec<&'a String> {
    to.values.iter().filter(|v| !from.values.contains(v)).collect()
}

/// `true` when `to` is `from` with values inserted (the old ones kept, in their order): PostgreSQL
/// then adds them with `ALTER TYPE .. ADD VALUE`, without rewriting anything.
///
/// ```
/// use model_core::ir::EnumType;
/// use model_core::ops::only_adds;
/// let t = |v: &[&str]| EnumType::new("s", v.iter().copied());
/// assert!(only_adds(&t(&["a", "c"]), &t(&["a", "b", "c"])));
/// assert!(!only_adds(&t(&["a", "c"]), &t(&["c", "a"])));
/// assert!(!only_adds(&t(&["a", "c"]), &t(&["a"])));
/// ```
pub fn only_adds(from: &EnumType, to: &EnumType) -> bool {
    let kept: Vec<&String> = to.values.iter().filter(|v| from.values.contains(v)).collect();
    kept.len() == from.values.len() && kept.iter().zip(&from.values).all(|(a, b)| *a == b)
}

pub(super) fn describe_create(ty: &EnumType) -> String {
    format!("create enum type {} ({})", quoted(&ty.name), listed(&ty.values))
}

pub(super) fn describe_drop(ty: &EnumType) -> String {
    format!("drop enum type {}", quoted(&ty.name))
}

pub(super) fn describe_rename_values(ty: &EnumType, renames: &[EnumRename]) -> String {
    let each: Vec<String> = renames.iter().map(|r| format!("'{}' to '{}'", r.from, r.to)).collect();
    format!("rename value {} of enum type {}", each.join(", "), quoted(&ty.name))
}

pub(super) fn describe_change(from: &EnumType, to: &EnumType) -> String {
    let (added, removed) = (added(from, to), removed(from, to));
    let mut parts = Vec::new();
    if !added.is_empty() {
        let values: Vec<String> = added.into_iter().cloned().collect();
        parts.push(format!("add value {}", listed(&values)));
    }
    if !removed.is_empty() {
        let values: Vec<String> = removed.into_iter().cloned().collect();
        parts.push(format!("remove value {}", listed(&values)));
    }
    if parts.is_empty() {
        parts.push(format!("reorder values to ({})", listed(&to.values)));
    }
    format!("{} of enum type {}", parts.join(" and "), quoted(&to.name))
}

/// The loss of removing values: none are lost silently, but rows holding them make it fail.
pub(super) fn data_loss_of_change(from: &EnumType, to: &EnumType) -> Option<String> {
    let removed: Vec<String> = removed(from, to).into_iter().cloned().collect();
    if removed.is_empty() {
        return None;
    }
    Some(format!(
        "removes value {} from enum type {}: the migration fails if rows still hold {} (update or delete those \
         rows first)",
        listed(&removed),
        quoted(&to.name),
        if removed.len() == 1 { "it" } else { "them" }
    ))
}

/// `ty` with each rename applied to its values.
pub(crate) fn renamed(ty: &EnumType, renames: &[EnumRename]) -> EnumType {
    let values = ty
        .values
        .iter()
        .map(|v| {
            renames
                .iter()
                .find(|r| r.from == *v)
                .map_or(v.clone(), |r| r.to.clone())
        })
        .collect();
    EnumType { values, ..ty.clone() }
}
