//! The enum types of two schemas, matched, and the ops of the types.
//!
//! The enum types of a schema are those of its columns: columns naming one type must agree on its
//! values. A type is matched by name, else by its `renamed_from` hint; its values are renamed by the
//! variants' `renamed_from` hints (a hint already applied is a no-op), then added, removed or
//! reordered.

use super::renames::Renames;
use super::DiffError;
use crate::ir::{Column, ColumnType, EnumRename, EnumType, Schema, Table};
use crate::ops::{renamed, EnumUse, Op};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The enum types of two schemas, matched.
#[derive(Debug, Default)]
pub(super) struct Enums {
    /// `(old, new)` of each type on both sides, the new one with its hints.
    pairs: Vec<(EnumType, EnumType)>,
    /// Types only in the new schema.
    created: Vec<EnumType>,
    /// Types only in the old schema.
    dropped: Vec<EnumType>,
    /// Old name → new name of each renamed type.
    pub renamed: BTreeMap<String, String>,
}

/// Every enum type of `schema` by name, with the rename hints of its columns merged.
///
/// # Errors
///
/// [`DiffError::EnumConflict`] when two columns name one type with different values;
/// [`DiffError::UnresolvedEnum`] for an enum column without a type name or values.
fn types_of(schema: &Schema) -> Result<BTreeMap<String, EnumType>, DiffError> {
    let mut out: BTreeMap<String, (EnumType, String)> = BTreeMap::new();
    for table in &schema.tables {
        for column in &table.columns {
            let ColumnType::Enum(ty) = &column.ty else { continue };
            if ty.name.is_empty() || ty.values.is_empty() {
                return Err(DiffError::UnresolvedEnum {
                    table: table.name.clone(),
                    column: column.name.clone(),
                });
            }
            let at = format!("{}.{}", table.name, column.name);
            match out.get_mut(&ty.name) {
                None => {
                    out.insert(ty.name.clone(), (ty.clone(), at));
                }
                Some((known, first)) => {
                    if known.values != ty.values {
                        return Err(DiffError::EnumConflict {
                            name: ty.name.clone(),
                            first: first.clone(),
                            first_values: known.values.clone(),
                            second: at,
                            second_values: ty.values.clone(),
                        });
                    }
                    for r in &ty.renames {
                        if !known.renames.contains(r) {
                            known.renames.push(r.clone());
                        }
                    }
                    if known.renamed_from.is_none() {
                        known.renamed_from.clone_from(&ty.renamed_from);
                    }
                }
            }
        }
    }
    Ok(out.into_iter().map(|(k, (ty, _))| (k, ty)).collect())
}

/// Match the enum types of `old` and `new`.
pub(super) fn match_enums(old: &Schema, new: &Schema) -> Result<Enums, DiffError> {
    let old_types = types_of(old)?;
    let new_types = types_of(new)?;
    let mut out = Enums::default();
    let mut claimed: Vec<&str> = Vec::new();
    for (name, ty) in &new_types {
        let origin = if old_types.contains_key(name) {
            Some(name.as_str())
        } else {
            ty.renamed_from.as_deref().filter(|from| {
                old_types.contains_key(*from) && !new_types.contains_key(*from) && !claimed.contains(from)
            })
        };
        match origin.and_then(|o| old_types.get_key_value(o)) {
            Some((o, old_ty)) => {
                claimed.push(o);
                if o != name {
                    out.renamed.insert(o.clone(), name.clone());
                }
                out.pairs.push((old_ty.clone(), ty.clone()));
            }
            None => out.created.push(bare(ty)),
        }
    }
    out.dropped = old_types
        .iter()
        .filter(|(name, _)| !claimed.contains(&name.as_str()))
        .map(|(_, ty)| bare(ty))
        .collect();
    Ok(out)
}

/// The type without its rename hints, which are not part of the database.
fn bare(ty: &EnumType) -> EnumType {
    EnumType::new(ty.name.clone(), ty.values.iter().cloned())
}

/// `schema` without the rename hints of its enum types (borrowed when it has none).
pub(super) fn without_hints(schema: &Schema) -> Cow<'_, Schema> {
    let hinted = |c: &Column| matches!(&c.ty, ColumnType::Enum(e) if !e.renames.is_empty() || e.renamed_from.is_some());
    if !schema.tables.iter().any(|t| t.columns.iter().any(hinted)) {
        return Cow::Borrowed(schema);
    }
    let mut s = schema.clone();
    for t in &mut s.tables {
        for c in &mut t.columns {
            if let ColumnType::Enum(e) = &c.ty {
                c.ty = ColumnType::Enum(bare(e));
            }
        }
    }
    Cow::Owned(s)
}

/// `ty` under its new name when its enum type is renamed: an altered column's old type, as it is
/// once the type's rename has run.
pub(super) fn renamed_type(ty: &ColumnType, renamed: &BTreeMap<String, String>) -> ColumnType {
    match ty {
        ColumnType::Enum(e) => match renamed.get(&e.name) {
            Some(name) => ColumnType::Enum(EnumType {
                name: name.clone(),
                ..e.clone()
            }),
            None => ty.clone(),
        },
        _ => ty.clone(),
    }
}

/// The ops of the enum types: created, dropped, renamed, their values renamed and changed. `pairs`
/// are the tables on both sides (old, new), whose kept columns of a type are its users.
pub(super) fn enum_ops(enums: &Enums, pairs: &[(&Table, &Table)], renames: &Renames) -> Vec<Op> {
    let mut ops: Vec<Op> = enums
        .created
        .iter()
        .map(|ty| Op::CreateEnum { ty: ty.clone() })
        .collect();
    ops.extend(enums.dropped.iter().map(|ty| Op::DropEnum { ty: ty.clone() }));
    for (old, new) in &enums.pairs {
        if old.name != new.name {
            ops.push(Op::RenameEnum {
                from: old.name.clone(),
                to: new.name.clone(),
            });
        }
        let users = users(&old.name, &new.name, pairs, renames);
        let before = EnumType::new(new.name.clone(), old.values.iter().cloned());
        let value_renames: Vec<EnumRename> = new
            .renames
            .iter()
            .filter(|r| old.values.contains(&r.from) && !old.values.contains(&r.to) && new.values.contains(&r.to))
            .fold(Vec::new(), |mut acc: Vec<EnumRename>, r| {
                if !acc.iter().any(|a| a.from == r.from || a.to == r.to) {
                    acc.push(r.clone());
                }
                acc
            });
        let after = renamed(&before, &value_renames);
        if !value_renames.is_empty() {
            ops.push(Op::RenameEnumValues {
                ty: before,
                renames: value_renames,
                users: users.clone(),
            });
        }
        if after.values != new.values {
            ops.push(Op::ChangeEnumValues {
                from: after,
                to: bare(new),
                users,
            });
        }
    }
    ops
}

/// The columns of type `old_name` in the old tables that the migration keeps, under their new
/// table and column names, with their type named `new_name`.
fn users(old_name: &str, new_name: &str, pairs: &[(&Table, &Table)], renames: &Renames) -> Vec<EnumUse> {
    let mut out = Vec::new();
    for (o, n) in pairs {
        for c in &o.columns {
            let ColumnType::Enum(e) = &c.ty else { continue };
            if e.name != old_name {
                continue;
            }
            let Some(name) = renames.columns(&n.name, std::slice::from_ref(&c.name)).pop() else {
                continue;
            };
            if n.column(&name).is_none() {
                continue;
            }
            out.push(EnumUse {
                table: n.name.clone(),
                column: Column {
                    name,
                    renamed_from: None,
                    ty: ColumnType::Enum(EnumType {
                        name: new_name.to_string(),
                        ..bare(e)
                    }),
                    ..c.clone()
                },
            });
        }
    }
    out
}

/// Split the change of each column whose enum type changes values and whose default changes: its
/// old default is dropped before the type's ops, and the new one set after them. Otherwise down.sql,
/// which undoes the column's change before the type's, would set the old default while its value
/// does not exist yet (or up.sql the new one before it exists). The columns the type's ops carry
/// then have no default.
pub(super) fn split_defaults(ops: Vec<Op>, renamed: &BTreeMap<String, String>) -> Vec<Op> {
    let changed: Vec<String> = ops
        .iter()
        .filter_map(|op| match op {
            Op::RenameEnumValues { ty, .. } => Some(ty.name.clone()),
            Op::ChangeEnumValues { to, .. } => Some(to.name.clone()),
            _ => None,
        })
        .collect();
    if changed.is_empty() {
        return ops;
    }
    let split = |from: &Column, to: &Column| {
        matches!((&from.ty, &to.ty), (ColumnType::Enum(a), ColumnType::Enum(b)) if a.name == b.name && changed.contains(&b.name))
            && from.default.is_some()
            && from.default != to.default
    };
    let mut cleared: Vec<(String, String)> = Vec::new();
    let mut out = Vec::with_capacity(ops.len());
    for op in &ops {
        match op {
            Op::AlterColumn { table, from, to } if split(from, to) => {
                let old_name = |ty: &ColumnType| match ty {
                    ColumnType::Enum(e) => {
                        renamed
                            .iter()
                            .find(|(_, new)| **new == e.name)
                            .map_or(ty.clone(), |(old, _)| {
                                ColumnType::Enum(EnumType {
                                    name: old.clone(),
                                    ..e.clone()
                                })
                            })
                    }
                    _ => ty.clone(),
                };
                let before = Column {
                    ty: old_name(&from.ty),
                    ..from.clone()
                };
                out.push(Op::AlterColumn {
                    table: table.clone(),
                    from: before.clone(),
                    to: Column {
                        default: None,
                        ..before
                    },
                });
                let between = Column {
                    default: None,
                    ..from.clone()
                };
                if between != *to {
                    out.push(Op::AlterColumn {
                        table: table.clone(),
                        from: between,
                        to: to.clone(),
                    });
                }
                cleared.push((table.clone(), to.name.clone()));
            }
            _ => out.push(op.clone()),
        }
    }
    for op in &mut out {
        if let Op::RenameEnumValues { users, .. } | Op::ChangeEnumValues { users, .. } = op {
            for u in users.iter_mut() {
                if cleared.contains(&(u.table.clone(), u.column.name.clone())) {
                    u.column.default = None;
                }
            }
        }
    }
    out
}
