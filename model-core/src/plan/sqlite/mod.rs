//! SQLite: which ops run as they are, and which tables are rebuilt.
//!
//! SQLite's `ALTER TABLE` renames a table or a column, adds a column (not a key column, and a
//! `NOT NULL` one only with a constant default) and drops a column (not a key column). Every
//! other change of an existing table — a column's type, nullability, default or identity; a
//! primary key, unique, check or foreign key added, dropped or renamed; a column SQLite refuses to
//! add or drop — is made by rebuilding the table ([SQLite's own procedure], "Making Other Kinds Of
//! Table Schema Changes"). Renaming an index is a `DROP INDEX` and a `CREATE INDEX`.
//!
//! **One rebuild per migration.** Every op of a rebuilt table (native ones included, e.g. an added
//! column next to a type change) is carried out by one block that takes the table from its state
//! before the migration to its state after, so five column changes rebuild the table once. The
//! block runs after every other op of the migration but the dropped tables: the names it uses are
//! the final ones (in down.sql too, where table renames are undone after the other changes), a table
//! it starts referencing exists when its rows are copied back (SQLite refuses to write rows whose
//! foreign key names a missing table), and a table it stops referencing is still there when the old
//! table is dropped.
//!
//! **Foreign keys.** Diesel runs each migration in a transaction, where `PRAGMA foreign_keys`
//! cannot change, and enforcement may be on or off on the connection (Diesel leaves it off;
//! many services turn it on). The block is therefore correct either way, without renaming tables:
//!
//! 1. `PRAGMA defer_foreign_keys = ON` (legal in a transaction; it ends at commit): foreign keys
//!    are checked at commit, not after each statement, and `RESTRICT` waits like `NO ACTION`.
//! 2. The rows of each rebuilt table are copied to a `TEMP` table, the old table is dropped, the
//!    new one is created **under its final name**, the rows are copied back (columns mapped, see
//!    [`rebuild`]), then its indexes are created.
//!
//! No table is ever renamed, so references in other tables keep naming the rebuilt table and
//! `legacy_alter_table` plays no part. Dropping a table deletes its rows first when enforcement is
//! on: a referencing row whose key says `NO ACTION` or `RESTRICT` is then a deferred violation, and
//! copying the rows back repairs it (SQLite re-counts when a parent row appears). A key that says
//! `ON DELETE CASCADE`, `SET NULL` or `SET DEFAULT` would change the referencing rows for good, so
//! those referencing tables are rebuilt in the same block (and theirs, transitively): their rows are
//! saved before anything is dropped. Tables are dropped referencing tables first, so no action fires
//! outside a cycle of references, and inside one it only touches rows already saved.
//!
//! Enum columns are `TEXT` with a `CHECK` listing the values: a change of the values rebuilds the
//! tables of the columns (the new `CHECK` then checks every copied row, so a removed value still held
//! by a row fails the migration), and values renamed by the migration are mapped while the rows are
//! copied back (`CASE "c" WHEN 'old' THEN 'new' ELSE "c" END`).
//!
//! **Triggers and views.** Dropping a table drops its triggers: the block creates the managed
//! triggers of each rebuilt table again (those of the objects folder, as the migration leaves them)
//! once its rows are back, so they do not fire on the copy and fire on every change after it. A
//! trigger the crate does not manage (written by hand) cannot be re-created: the block refuses to
//! run when a rebuilt table has one. Views are kept: they are stored as text and read the rebuilt
//! table under its unchanged name.
//!
//! 3. At the end of the script, `pragma_foreign_key_check` over every rebuilt table must be empty,
//!    and no unmanaged trigger may have been on one: each check inserts into a `TEMP` table whose
//!    `CHECK` constraint is named after the problem, so a failure aborts the migration with
//!    `CHECK constraint failed: <what is wrong and what to do>`, and Diesel rolls it back.
//!
//! [SQLite's own procedure]: https://www.sqlite.org/lang_altertable.html#otheralter

mod rebuild;
mod tables;
#[cfg(test)]
mod tests;

pub(in crate::plan) use rebuild::Rebuild;

use super::dialect::{dropped_later, named_enum_type_op, refuse, Steps};
use crate::diff::DiffError;
use crate::ir::{Dialect, Object, Schema};
use crate::ops::Op;
use crate::render::unsupported;
use std::collections::BTreeSet;
use tables::Names;

/// The statement that defers foreign key checks to the commit.
const DEFER: &str = "PRAGMA defer_foreign_keys = ON";
/// Why, when tables that reference each other are dropped.
const DEFER_DROPS: &str = "-- the tables dropped below reference each other: check foreign keys at commit";
/// Why, when tables are rebuilt.
const DEFER_REBUILD: &str = "-- the tables rebuilt below are dropped and refilled: check foreign keys at commit";

/// What becomes of one op on SQLite.
#[derive(Debug, PartialEq)]
enum Fate {
    /// Rendered as it is.
    Keep,
    /// Folded into the `CREATE TABLE` of its table, earlier in the list.
    Fold,
    /// Nothing to run: its table is dropped later, or the change is invisible on SQLite.
    Skip,
    /// The first op here and the second at the end of the migration.
    Recreate(Box<(Op, Op)>),
    /// Its table is rebuilt.
    Rebuild,
}

/// Adapt `ops` (in order), which change `from` into `to`, to SQLite.
///
/// # Errors
///
/// [`DiffError::NotSupportedOn`] for a change of a table that is not in both `from` and `to`
/// (which the diff does not produce).
pub(in crate::plan) fn adapt(ops: &[Op], from: &Schema, to: &Schema) -> Result<Steps, DiffError> {
    for op in ops {
        if let (Some(_), Some(why)) = (op.object(), unsupported(op, Dialect::Sqlite)) {
            return Err(refuse(op, Dialect::Sqlite, Some(why)));
        }
    }
    let names = Names::new(ops);
    let fates: Vec<Fate> = ops
        .iter()
        .enumerate()
        .map(|(i, op)| fate(ops, i, op, from, to, &names))
        .collect();
    let mut rebuilt = BTreeSet::new();
    for (i, op) in ops.iter().enumerate() {
        if fates[i] == Fate::Rebuild {
            let name = names.now(ops, i);
            if from.table(names.before(&name)).is_none() || to.table(&name).is_none() {
                return Err(refuse(
                    op,
                    Dialect::Sqlite,
                    Some("its table is not in the schemas".into()),
                ));
            }
            rebuilt.insert(name);
        }
    }
    let rebuilt = tables::with_dependents(rebuilt, from, to, &names, ops);

    let mut steps = Steps::default();
    let mut absorbed = Vec::new();
    let mut at_end = Vec::new();
    let mut dropped_after = Vec::new();
    // views and triggers created once the rebuilt tables are there in their final form
    let mut after_rebuild = Vec::new();
    for ((i, op), fate) in ops.iter().enumerate().zip(fates) {
        if let Some(object) = op.object() {
            // a trigger created on a table the block rebuilds is created by the block, after the rows
            // are back (dropping the old table dropped the old trigger)
            let creates = matches!(op, Op::CreateObject { .. } | Op::ReplaceObject { .. });
            match object {
                Object::Trigger(t) if creates && rebuilt.contains(&t.table) => {
                    absorbed.push((names.now(ops, i), op.clone()))
                }
                Object::Trigger(_) | Object::View(_) if creates && !rebuilt.is_empty() => {
                    after_rebuild.push(op.clone())
                }
                _ => steps.ops.push(op.clone()),
            }
            continue;
        }
        if op.is_enum_op() {
            // nothing to run: SQLite has no named types, and enum columns change with their tables
            // (renamed values are mapped there); the value changes stay listed in the header
            if !named_enum_type_op(op) {
                steps.ops.push(op.clone());
            }
            continue;
        }
        let table = names.now(ops, i);
        if rebuilt.contains(&table) {
            absorbed.push((table, op.clone()));
            continue;
        }
        if !rebuilt.is_empty() && matches!(op, Op::DropTable { .. }) && matches!(fate, Fate::Keep) {
            // after the block: a rebuilt table may still reference it until it is rebuilt
            dropped_after.push(op.clone());
            continue;
        }
        match fate {
            Fate::Keep | Fate::Rebuild => steps.ops.push(op.clone()),
            Fate::Fold => fold(&mut steps.ops, op),
            Fate::Skip => {
                if matches!(op, Op::DropForeignKey { .. }) {
                    push_defer(&mut steps, DEFER_DROPS);
                }
            }
            Fate::Recreate(pair) => {
                let (drop, create) = *pair;
                steps.ops.push(drop);
                at_end.push(create);
            }
        }
    }
    steps.ops.extend(at_end);
    if !rebuilt.is_empty() {
        push_defer(&mut steps, DEFER_REBUILD);
        // last but for dropped tables: after every rename (in down.sql, table renames are undone
        // after the other changes) and every created table
        let at = steps.ops.len();
        steps.ops.extend(after_rebuild);
        steps.ops.extend(dropped_after);
        let values = rebuild::value_renames(ops);
        steps.rebuild = Some(Rebuild::new(at, &absorbed, &rebuilt, (from, to), &names, &values));
    }
    Ok(steps)
}

/// What to do with `ops[i]`.
fn fate(ops: &[Op], i: usize, op: &Op, from: &Schema, to: &Schema, names: &Names) -> Fate {
    let table_now = || names.now(ops, i);
    match op {
        Op::CreateObject { .. } | Op::DropObject { .. } | Op::ReplaceObject { .. } => Fate::Keep,
        Op::AddForeignKey { table, .. } => {
            let created = ops[..i]
                .iter()
                .any(|o| matches!(o, Op::CreateTable { table: t } if t.name == *table));
            if created {
                Fate::Fold
            } else {
                Fate::Rebuild
            }
        }
        Op::DropForeignKey { table, .. } if dropped_later(ops, i, table) => Fate::Skip,
        // SQLite cannot drop a foreign key in place (and refuses to drop a column one still uses).
        Op::DropForeignKey { .. } => Fate::Rebuild,
        Op::RenameConstraint { to: name, .. } => {
            // An `INTEGER PRIMARY KEY` is written without its name: renaming it changes nothing.
            let rowid_key = to.table(&table_now()).is_some_and(|t| {
                t.primary_key.as_ref().is_some_and(|pk| {
                    pk.name == *name && pk.columns.len() == 1 && t.column(&pk.columns[0]).is_some_and(|c| c.identity)
                })
            });
            if rowid_key {
                Fate::Skip
            } else {
                Fate::Rebuild
            }
        }
        Op::RenameIndex {
            table,
            from: old,
            to: new,
        } => {
            let index = to
                .table(&table_now())
                .and_then(|t| t.indexes.iter().find(|x| x.name == *new));
            // Dropped here, created again at the end: at this point of the migration a column of the
            // index may still have the name it has before a later rename (in down.sql, renames of
            // columns are undone after renames of indexes).
            match index {
                Some(index) => Fate::Recreate(Box::new((
                    Op::DropIndex {
                        table: table.clone(),
                        index: crate::ir::Index {
                            name: old.clone(),
                            ..index.clone()
                        },
                    },
                    Op::CreateIndex {
                        // the table's name at the end of the migration (down.sql renames it back later)
                        table: table_now(),
                        index: index.clone(),
                    },
                ))),
                None => Fate::Rebuild,
            }
        }
        Op::DropColumn { column, .. } => {
            let in_key = from.table(names.before(&table_now())).is_some_and(|t| {
                t.primary_key
                    .as_ref()
                    .is_some_and(|pk| pk.columns.contains(&column.name))
            });
            if in_key || unsupported(op, Dialect::Sqlite).is_some() {
                Fate::Rebuild
            } else {
                Fate::Keep
            }
        }
        _ if unsupported(op, Dialect::Sqlite).is_some() => Fate::Rebuild,
        _ => Fate::Keep,
    }
}

/// Put the foreign key of `op` (an [`Op::AddForeignKey`]) into the `CREATE TABLE` of its table.
fn fold(kept: &mut [Op], op: &Op) {
    let Op::AddForeignKey { table, fk } = op else { return };
    let created = kept.iter_mut().find_map(|o| match o {
        Op::CreateTable { table: t } if t.name == *table => Some(t),
        _ => None,
    });
    if let Some(t) = created {
        t.foreign_keys.push(fk.clone());
    }
}

/// `PRAGMA defer_foreign_keys = ON` first, once, with the comment `why`.
fn push_defer(steps: &mut Steps, why: &str) {
    if !steps.preamble.iter().any(|(_, s)| s == DEFER) {
        steps.preamble.push((why.to_string(), DEFER.to_string()));
    }
}
