//! Put ops in an order the database accepts.
//!
//! Phases, in this order: drop triggers and views (a view before the views it reads), drop indexes,
//! drop foreign keys, drop constraints (primary keys, uniques, checks), drop generated columns (before
//! the renames, so that down.sql adds them back once the columns they read have their old names
//! again), rename tables, rename columns,
//! rename constraints and indexes, drop columns, drop tables (referencing tables first), drop defaults
//! of enum columns, rename enum types, rename enum values, create extensions, create (or replace)
//! functions, create enum types, change enum values, create tables (referenced tables first), add
//! columns, alter columns, add generated columns (after the columns they read change), drop enum types, drop functions, drop extensions, set table comments, add
//! constraints, add foreign keys, create indexes, create (or replace) views (a view after the views it
//! reads), create (or replace) triggers.
//!
//! So an extension exists before any column, function or view uses it and goes after the last; a
//! function exists before the defaults, checks, generated columns, views and triggers that call it
//! and is dropped after them; views and triggers are dropped before anything they read changes and
//! created once everything they read is there.
//!
//! So an enum type exists before any column uses it and is dropped after its last column went
//! (dropped, or altered to another type); its values change while exactly the columns the
//! migration keeps use it (those its op carries), in down.sql too.
//!
//! So an op names its table as it is when the op runs: the drops of indexes, foreign keys and
//! constraints run before a table rename and carry the old table name; the later ones carry the
//! new name. What a dropped column carries goes before it; what an added column needs comes after.
//!
//! Within the table phases tables are sorted by their foreign key dependencies with ties broken
//! by name; a cycle of references is broken by moving the foreign keys that close it out of
//! `CreateTable` into `AddForeignKey` ops after every create (and, for drops, into
//! `DropForeignKey` ops before them). In every other phase ops are sorted by table name, then by
//! the name of the constraint, index or column they change (backwards in the drop phases, which
//! mirror an add phase); added and dropped columns keep their input order within one table, which
//! the diff makes the declaration order (so added columns land in the order of the model).
//!
//! The phases mirror each other (renames, alters and comments are their own mirror), so the
//! reverse of an ordered list (each op reversed, in reverse order) is in a valid order too: that
//! is how `down.sql` is made.

mod graph;
mod objects;

use crate::ir::Object;
use crate::ops::Op;

/// Phases, in execution order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    MoveTable,
    DropViewOrTrigger,
    DropIndex,
    DropForeignKey,
    DropConstraint,
    DropGenerated,
    RenameTable,
    RenameColumn,
    RenameConstraint,
    DropColumn,
    DropTable,
    DropEnumDefault,
    RenameEnum,
    RenameEnumValues,
    CreateExtension,
    CreateFunction,
    CreateEnum,
    ChangeEnumValues,
    CreateTable,
    AddColumn,
    AlterColumn,
    AddGenerated,
    DropEnum,
    DropFunction,
    DropExtension,
    SetTableComment,
    AddConstraint,
    AddForeignKey,
    CreateIndex,
    CreateView,
    CreateTrigger,
}

const PHASES: usize = 31;

/// The phases that undo another phase: sorted by table name backwards, so the reverse of an
/// ordered list is ordered too.
const DROPS: [usize; 5] = [
    Phase::DropIndex as usize,
    Phase::DropForeignKey as usize,
    Phase::DropConstraint as usize,
    Phase::DropGenerated as usize,
    Phase::DropColumn as usize,
];

fn phase(op: &Op) -> Phase {
    match op {
        Op::DropIndex { .. } => Phase::DropIndex,
        Op::DropForeignKey { .. } => Phase::DropForeignKey,
        Op::DropPrimaryKey { .. } | Op::DropUnique { .. } | Op::DropCheck { .. } => Phase::DropConstraint,
        Op::RenameTable { .. } => Phase::RenameTable,
        Op::MoveTable { .. } => Phase::MoveTable,
        Op::RenameColumn { .. } => Phase::RenameColumn,
        Op::RenameConstraint { .. } | Op::RenameIndex { .. } => Phase::RenameConstraint,
        Op::DropColumn { column, .. } if column.generated.is_some() => Phase::DropGenerated,
        Op::DropColumn { .. } => Phase::DropColumn,
        Op::DropTable { .. } => Phase::DropTable,
        Op::CreateTable { .. } => Phase::CreateTable,
        Op::AddColumn { column, .. } if column.generated.is_some() => Phase::AddGenerated,
        Op::AddColumn { .. } => Phase::AddColumn,
        Op::AlterColumn { from, to, .. } if drops_enum_default(from, to) => Phase::DropEnumDefault,
        Op::AlterColumn { .. } => Phase::AlterColumn,
        Op::SetTableComment { .. } => Phase::SetTableComment,
        Op::AddPrimaryKey { .. } | Op::AddUnique { .. } | Op::AddCheck { .. } => Phase::AddConstraint,
        Op::AddForeignKey { .. } => Phase::AddForeignKey,
        Op::CreateIndex { .. } => Phase::CreateIndex,
        Op::RenameEnum { .. } => Phase::RenameEnum,
        Op::RenameEnumValues { .. } => Phase::RenameEnumValues,
        Op::CreateEnum { .. } => Phase::CreateEnum,
        Op::ChangeEnumValues { .. } => Phase::ChangeEnumValues,
        Op::DropEnum { .. } => Phase::DropEnum,
        Op::DropObject { object } => match object {
            Object::Extension(_) => Phase::DropExtension,
            Object::Function(_) => Phase::DropFunction,
            Object::View(_) | Object::Trigger(_) => Phase::DropViewOrTrigger,
        },
        Op::CreateObject { object } | Op::ReplaceObject { to: object, .. } => match object {
            Object::Extension(_) => Phase::CreateExtension,
            Object::Function(_) => Phase::CreateFunction,
            Object::View(_) => Phase::CreateView,
            Object::Trigger(_) => Phase::CreateTrigger,
        },
    }
}

/// `true` when the change only drops the default of an enum column: it runs before the enum types
/// change (see [`crate::diff::diff`]), so the old default never names a value that is gone.
fn drops_enum_default(from: &crate::ir::Column, to: &crate::ir::Column) -> bool {
    matches!(from.ty, crate::ir::ColumnType::Enum(_))
        && from.default.is_some()
        && *to
            == crate::ir::Column {
                default: None,
                ..from.clone()
            }
}

/// The sort key of an op within its phase: its table, then the name of what it changes. Added and
/// dropped columns have no name here: they keep their input (declaration) order within a table,
/// which is the column order of the table.
fn key(op: &Op) -> (&str, &str) {
    let name = match op {
        Op::CreateIndex { index, .. } | Op::DropIndex { index, .. } => &index.name,
        Op::AddForeignKey { fk, .. } | Op::DropForeignKey { fk, .. } => &fk.name,
        Op::AddPrimaryKey { pk, .. } | Op::DropPrimaryKey { pk, .. } => &pk.name,
        Op::AddUnique { unique, .. } | Op::DropUnique { unique, .. } => &unique.name,
        Op::AddCheck { check, .. } | Op::DropCheck { check, .. } => &check.name,
        Op::RenameTable { from, .. }
        | Op::RenameColumn { from, .. }
        | Op::RenameConstraint { from, .. }
        | Op::RenameIndex { from, .. } => from,
        Op::AlterColumn { to, .. } => &to.name,
        Op::CreateTable { .. }
        | Op::DropTable { .. }
        | Op::AddColumn { .. }
        | Op::DropColumn { .. }
        | Op::SetTableComment { .. }
        | Op::MoveTable { .. }
        | Op::CreateEnum { .. }
        | Op::DropEnum { .. }
        | Op::RenameEnum { .. }
        | Op::RenameEnumValues { .. }
        | Op::ChangeEnumValues { .. }
        | Op::CreateObject { .. }
        | Op::DropObject { .. }
        | Op::ReplaceObject { .. } => "",
    };
    (op.table_name(), name)
}

/// Sort `ops` into an order the database accepts (see the module docs). Deterministic: the same
/// set of ops gives the same order whatever the input order, except added (dropped) columns of
/// one table, which keep their relative order.
///
/// ```
/// use model_core::ir::Table;
/// use model_core::ops::Op;
/// use model_core::order::order;
/// let ops = vec![Op::CreateTable { table: Table::new("b") }, Op::DropTable { table: Table::new("a") }];
/// let names: Vec<String> = order(ops).iter().map(Op::describe).collect();
/// assert_eq!(names, [r#"drop table "a" (its rows are lost)"#, r#"create table "b""#]);
/// ```
pub fn order(ops: Vec<Op>) -> Vec<Op> {
    let mut phases: [Vec<Op>; PHASES] = Default::default();
    let (mut created, mut dropped) = (Vec::new(), Vec::new());
    for op in ops {
        match op {
            Op::CreateTable { table } => created.push(table),
            Op::DropTable { table } => dropped.push(table),
            other => phases[phase(&other) as usize].push(other),
        }
    }

    let creates = graph::creation_sequence(created);
    phases[Phase::CreateTable as usize] = creates
        .tables
        .into_iter()
        .map(|table| Op::CreateTable { table })
        .collect();
    let added = creates
        .deferred
        .into_iter()
        .map(|(table, fk)| Op::AddForeignKey { table, fk });
    phases[Phase::AddForeignKey as usize].splice(0..0, added);

    let drops = graph::creation_sequence(dropped);
    phases[Phase::DropTable as usize] = drops
        .tables
        .into_iter()
        .rev()
        .map(|table| Op::DropTable { table })
        .collect();
    let removed = drops
        .deferred
        .into_iter()
        .rev()
        .map(|(table, fk)| Op::DropForeignKey { table, fk });
    phases[Phase::DropForeignKey as usize].extend(removed);

    for (i, ops) in phases.iter_mut().enumerate() {
        if DROPS.contains(&i) {
            ops.sort_by(|a, b| key(b).cmp(&key(a)));
        } else if i != Phase::CreateTable as usize && i != Phase::DropTable as usize {
            ops.sort_by(|a, b| key(a).cmp(&key(b)));
        }
    }
    let views = std::mem::take(&mut phases[Phase::CreateView as usize]);
    phases[Phase::CreateView as usize] = objects::readers_last(views);
    let dropped = std::mem::take(&mut phases[Phase::DropViewOrTrigger as usize]);
    let (triggers, views): (Vec<Op>, Vec<Op>) = dropped
        .into_iter()
        .partition(|op| matches!(op.object(), Some(Object::Trigger(_))));
    let mut views = objects::readers_last(views);
    views.reverse();
    phases[Phase::DropViewOrTrigger as usize] = triggers.into_iter().chain(views).collect();
    phases.into_iter().flatten().collect()
}

/// The ops that undo `ops`: each reversed, in reverse order.
///
/// ```
/// use model_core::ir::Table;
/// use model_core::ops::Op;
/// use model_core::order::reversed;
/// let up = vec![Op::CreateTable { table: Table::new("a") }];
/// assert_eq!(reversed(&up), vec![Op::DropTable { table: Table::new("a") }]);
/// ```
pub fn reversed(ops: &[Op]) -> Vec<Op> {
    ops.iter().rev().map(Op::reverse).collect()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod validate;
