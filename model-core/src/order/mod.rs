//! Put ops in an order the database accepts.
//!
//! Phases, in this order: drop indexes, drop foreign keys, drop tables (referencing tables first),
//! create tables (referenced tables first), add foreign keys, create indexes. Within the table
//! phases tables are sorted by their foreign key dependencies with ties broken by name; a cycle of
//! references is broken by moving the foreign keys that close it out of `CreateTable` into
//! `AddForeignKey` ops after every create (and, for drops, into `DropForeignKey` ops before them).
//! Index ops are grouped by table (created indexes by table name, dropped ones in the opposite
//! order), keeping their input order within one table; other ops keep their input order.
//!
//! The phases mirror each other, so the reverse of an ordered list (each op reversed, in reverse
//! order) is in a valid order too: that is how `down.sql` is made.

mod graph;

use crate::ops::Op;

/// Phases, in execution order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    DropIndex,
    DropForeignKey,
    DropConstraint,
    RenameTable,
    RenameColumn,
    RenameConstraint,
    DropColumn,
    DropTable,
    CreateTable,
    AddColumn,
    AlterColumn,
    SetTableComment,
    AddConstraint,
    AddForeignKey,
    CreateIndex,
}

const PHASES: usize = 15;

fn phase(op: &Op) -> Phase {
    match op {
        Op::DropIndex { .. } => Phase::DropIndex,
        Op::DropForeignKey { .. } => Phase::DropForeignKey,
        Op::DropPrimaryKey { .. } | Op::DropUnique { .. } | Op::DropCheck { .. } => Phase::DropConstraint,
        Op::RenameTable { .. } => Phase::RenameTable,
        Op::RenameColumn { .. } => Phase::RenameColumn,
        Op::RenameConstraint { .. } | Op::RenameIndex { .. } => Phase::RenameConstraint,
        Op::DropColumn { .. } => Phase::DropColumn,
        Op::DropTable { .. } => Phase::DropTable,
        Op::CreateTable { .. } => Phase::CreateTable,
        Op::AddColumn { .. } => Phase::AddColumn,
        Op::AlterColumn { .. } => Phase::AlterColumn,
        Op::SetTableComment { .. } => Phase::SetTableComment,
        Op::AddPrimaryKey { .. } | Op::AddUnique { .. } | Op::AddCheck { .. } => Phase::AddConstraint,
        Op::AddForeignKey { .. } => Phase::AddForeignKey,
        Op::CreateIndex { .. } => Phase::CreateIndex,
    }
}

/// Sort `ops` into an order the database accepts (see the module docs). Deterministic: the same
/// set of table ops gives the same order whatever the input order.
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

    phases[Phase::CreateIndex as usize].sort_by(|a, b| a.table_name().cmp(b.table_name()));
    phases[Phase::DropIndex as usize].sort_by(|a, b| b.table_name().cmp(a.table_name()));
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
