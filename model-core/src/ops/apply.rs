//! Replay ops on a schema: what a database holding `schema` looks like after a migration.

use super::Op;
use crate::ir::{ColumnType, Object, Schema, Table};

/// Why an op cannot be replayed on a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{op}: {why}")]
pub struct ApplyError {
    /// The op, in words.
    pub op: String,
    /// What is missing or in the way.
    pub why: String,
}

/// The schema a database holding `schema` has after running `ops` (in run order, as
/// [`crate::order::order`] gives them): tables created, dropped and renamed, columns added (at the
/// end of their table, as `ALTER TABLE .. ADD COLUMN` does), dropped, renamed and changed,
/// constraints and indexes added, dropped and renamed, enum types changed in every column that uses
/// them. A rename carries over to what names the renamed object (keys, indexes and foreign keys of
/// the table; foreign keys of other tables). Rename hints are kept as the ops carry them.
///
/// ```
/// use model_core::diff::diff;
/// use model_core::ir::{Column, ColumnType, Schema, Table};
/// use model_core::ops::apply;
/// use model_core::order::order;
/// let mut t = Table::new("t");
/// t.columns.push(Column::new("a", ColumnType::Text));
/// let old = Schema::new(vec![t.clone()]);
/// t.columns.push(Column::new("b", ColumnType::Integer));
/// let new = Schema::new(vec![t]);
/// assert_eq!(apply(&old, &order(diff(&old, &new).unwrap())).unwrap(), new);
/// ```
///
/// # Errors
///
/// [`ApplyError`] when an op names a table, column, constraint or index that is not there, or
/// creates one that already is.
pub fn apply(schema: &Schema, ops: &[Op]) -> Result<Schema, ApplyError> {
    let mut tables = schema.tables.clone();
    let mut objects = schema.objects();
    for op in ops {
        let stepped = match op {
            Op::CreateObject { .. } | Op::DropObject { .. } | Op::ReplaceObject { .. } => object_step(&mut objects, op),
            _ => step(&mut tables, op),
        };
        stepped.map_err(|why| ApplyError { op: op.describe(), why })?;
    }
    Ok(Schema::new(tables).with_objects(objects))
}

/// An op on an object beyond tables (views, functions, triggers, extensions), matched by kind and
/// name.
fn object_step(objects: &mut Vec<Object>, op: &Op) -> Result<(), String> {
    let same = |a: &Object, b: &Object| a.kind() == b.kind() && a.name() == b.name();
    match op {
        Op::CreateObject { object } => {
            if objects.iter().any(|o| same(o, object)) {
                return Err(format!("{} \"{}\" exists", object.kind(), object.name()));
            }
            objects.push(object.clone());
        }
        Op::DropObject { object } | Op::ReplaceObject { from: object, .. } => {
            let Some(at) = objects.iter().position(|o| same(o, object)) else {
                return Err(format!("no {} \"{}\"", object.kind(), object.name()));
            };
            match op {
                Op::ReplaceObject { to, .. } => objects[at] = to.clone(),
                _ => {
                    objects.remove(at);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn table<'a>(tables: &'a mut [Table], name: &str) -> Result<&'a mut Table, String> {
    tables
        .iter_mut()
        .find(|t| t.name == name)
        .ok_or_else(|| format!("no table \"{name}\""))
}

fn remove<T>(list: &mut Vec<T>, what: &str, name: &str, key: impl Fn(&T) -> &str) -> Result<(), String> {
    let before = list.len();
    list.retain(|x| key(x) != name);
    if list.len() == before {
        return Err(format!("no {what} \"{name}\""));
    }
    Ok(())
}

fn add<T>(list: &mut Vec<T>, what: &str, item: T, key: impl Fn(&T) -> &str) -> Result<(), String> {
    if list.iter().any(|x| key(x) == key(&item)) {
        return Err(format!("{what} \"{}\" exists", key(&item)));
    }
    list.push(item);
    Ok(())
}

fn step(tables: &mut Vec<Table>, op: &Op) -> Result<(), String> {
    match op {
        Op::CreateTable { table: t } => add(tables, "table", t.clone(), |t| &t.name),
        Op::DropTable { table: t } => remove(tables, "table", &t.name, |t| &t.name),
        Op::RenameTable { from, to } => {
            if tables.iter().any(|t| t.name == *to) {
                return Err(format!("table \"{to}\" exists"));
            }
            table(tables, from)?.name = to.clone();
            for t in tables.iter_mut() {
                for fk in t.foreign_keys.iter_mut().filter(|fk| fk.ref_table == *from) {
                    fk.ref_table = to.clone();
                }
            }
            Ok(())
        }
        Op::MoveTable { table: t, to, .. } => {
            table(tables, t)?.schema = to.clone();
            Ok(())
        }
        Op::SetTableComment { table: t, to, .. } => {
            table(tables, t)?.comment = to.clone();
            Ok(())
        }
        Op::AddColumn { table: t, column } => {
            add(&mut table(tables, t)?.columns, "column", column.clone(), |c| &c.name)
        }
        Op::DropColumn { table: t, column } => {
            remove(&mut table(tables, t)?.columns, "column", &column.name, |c| &c.name)
        }
        Op::RenameColumn { table: t, from, to } => {
            let tb = table(tables, t)?;
            if tb.column(to).is_some() {
                return Err(format!("column \"{to}\" exists"));
            }
            let c = tb
                .columns
                .iter_mut()
                .find(|c| c.name == *from)
                .ok_or_else(|| format!("no column \"{from}\""))?;
            c.name = to.clone();
            let swap = |cols: &mut Vec<String>| cols.iter_mut().filter(|c| *c == from).for_each(|c| c.clone_from(to));
            tb.primary_key.iter_mut().for_each(|k| swap(&mut k.columns));
            tb.uniques.iter_mut().for_each(|u| swap(&mut u.columns));
            tb.indexes.iter_mut().for_each(|i| swap(&mut i.columns));
            tb.foreign_keys.iter_mut().for_each(|f| swap(&mut f.columns));
            for other in tables.iter_mut() {
                other
                    .foreign_keys
                    .iter_mut()
                    .filter(|f| f.ref_table == *t)
                    .for_each(|f| swap(&mut f.ref_columns));
            }
            Ok(())
        }
        Op::AlterColumn { table: t, to, .. } => {
            let c = table(tables, t)?
                .columns
                .iter_mut()
                .find(|c| c.name == to.name)
                .ok_or_else(|| format!("no column \"{}\"", to.name))?;
            *c = to.clone();
            Ok(())
        }
        Op::AddPrimaryKey { table: t, pk } => {
            let tb = table(tables, t)?;
            if tb.primary_key.is_some() {
                return Err("the table has a primary key".into());
            }
            tb.primary_key = Some(pk.clone());
            Ok(())
        }
        Op::DropPrimaryKey { table: t, .. } => table(tables, t)?
            .primary_key
            .take()
            .map(|_| ())
            .ok_or_else(|| "no primary key".to_string()),
        Op::AddUnique { table: t, unique } => {
            add(&mut table(tables, t)?.uniques, "unique", unique.clone(), |u| &u.name)
        }
        Op::DropUnique { table: t, unique } => {
            remove(&mut table(tables, t)?.uniques, "unique", &unique.name, |u| &u.name)
        }
        Op::AddCheck { table: t, check } => add(&mut table(tables, t)?.checks, "check", check.clone(), |c| &c.name),
        Op::DropCheck { table: t, check } => remove(&mut table(tables, t)?.checks, "check", &check.name, |c| &c.name),
        Op::CreateIndex { table: t, index } => add(&mut table(tables, t)?.indexes, "index", index.clone(), |i| &i.name),
        Op::DropIndex { table: t, index } => remove(&mut table(tables, t)?.indexes, "index", &index.name, |i| &i.name),
        Op::AddForeignKey { table: t, fk } => {
            add(&mut table(tables, t)?.foreign_keys, "foreign key", fk.clone(), |f| {
                &f.name
            })
        }
        Op::DropForeignKey { table: t, fk } => {
            remove(&mut table(tables, t)?.foreign_keys, "foreign key", &fk.name, |f| {
                &f.name
            })
        }
        Op::RenameIndex { table: t, from, to } => {
            let i = table(tables, t)?
                .indexes
                .iter_mut()
                .find(|i| i.name == *from)
                .ok_or_else(|| format!("no index \"{from}\""))?;
            i.name = to.clone();
            Ok(())
        }
        Op::RenameConstraint { table: t, from, to } => {
            let tb = table(tables, t)?;
            let name = tb
                .primary_key
                .iter_mut()
                .map(|k| &mut k.name)
                .chain(tb.uniques.iter_mut().map(|u| &mut u.name))
                .chain(tb.checks.iter_mut().map(|c| &mut c.name))
                .chain(tb.foreign_keys.iter_mut().map(|f| &mut f.name))
                .find(|n| **n == *from)
                .ok_or_else(|| format!("no constraint \"{from}\""))?;
            name.clone_from(to);
            Ok(())
        }
        Op::CreateEnum { .. } | Op::DropEnum { .. } => Ok(()),
        Op::CreateObject { .. } | Op::DropObject { .. } | Op::ReplaceObject { .. } => Ok(()),
        Op::RenameEnum { from, to } => {
            each_enum(tables, from, |e| e.name.clone_from(to));
            Ok(())
        }
        Op::RenameEnumValues { ty, renames, .. } => {
            each_enum(tables, &ty.name, |e| {
                for v in &mut e.values {
                    if let Some(r) = renames.iter().find(|r| r.from == *v) {
                        v.clone_from(&r.to);
                    }
                }
            });
            Ok(())
        }
        Op::ChangeEnumValues { from, to, .. } => {
            each_enum(tables, &from.name, |e| e.values.clone_from(&to.values));
            Ok(())
        }
    }
}

/// Change every column type that is the enum `name`.
fn each_enum(tables: &mut [Table], name: &str, f: impl Fn(&mut crate::ir::EnumType)) {
    for t in tables {
        for c in &mut t.columns {
            if let ColumnType::Enum(e) = &mut c.ty {
                if e.name == name {
                    f(e);
                }
            }
        }
    }
}
