//! The primary key, unique, check and index ops of a table present on both sides.

use super::pairing::{pair, Pairing};
use super::renames::{Object, Renames};
use super::touched::Touched;
use crate::ir::Table;
use crate::ops::Op;
use std::collections::BTreeSet;

/// One table pair being compared: old and new table, the renames of the whole diff, and the
/// names the old table's constraints and indexes use (see [`pair`]).
pub(super) struct Pair<'a> {
    /// The table as recorded.
    pub old: &'a Table,
    /// The table as modelled now.
    pub new: &'a Table,
    /// Every rename of the diff.
    pub renames: &'a Renames,
    /// Names of the old table's constraints and indexes.
    pub taken: BTreeSet<String>,
}

impl<'a> Pair<'a> {
    /// Compare `old` and `new`.
    pub(super) fn new(old: &'a Table, new: &'a Table, renames: &'a Renames) -> Self {
        let mut taken: BTreeSet<String> = old.primary_key.iter().map(|k| k.name.clone()).collect();
        taken.extend(old.uniques.iter().map(|u| u.name.clone()));
        taken.extend(old.checks.iter().map(|c| c.name.clone()));
        taken.extend(old.indexes.iter().map(|i| i.name.clone()));
        taken.extend(old.foreign_keys.iter().map(|f| f.name.clone()));
        Pair {
            old,
            new,
            renames,
            taken,
        }
    }

    /// Pair the objects of one kind.
    pub(super) fn pair<T: Object>(&self, old: &[T], new: &[T]) -> Pairing<T> {
        pair(old, new, self.renames, &self.new.name, &self.taken)
    }

    /// `RenameConstraint` on the new table.
    pub(super) fn rename_constraint(&self, from: &str, to: &str) -> Op {
        Op::RenameConstraint {
            table: self.new.name.clone(),
            from: from.to_string(),
            to: to.to_string(),
        }
    }
}

/// Drops (on the old table name: they run before a table rename), renames and adds (on the new
/// name) of the primary key, uniques, checks and indexes. Keys (primary key, unique constraints,
/// unique indexes) dropped or added are recorded in `touched`.
///
/// Those over a generated column that is dropped and added again (see [`Touched`]) are dropped
/// and added again with it.
pub(super) fn key_ops(p: &Pair, touched: &mut Touched) -> Vec<Op> {
    let (old_t, new_t) = (&p.old.name, &p.new.name);
    let mut pk = p.pair(p.old.primary_key.as_slice(), p.new.primary_key.as_slice());
    let mut uniques = p.pair(&p.old.uniques, &p.new.uniques);
    let mut checks = p.pair(&p.old.checks, &p.new.checks);
    let mut indexes = p.pair(&p.old.indexes, &p.new.indexes);
    pk.release(|k| touched.any_recreated(new_t, &k.columns));
    uniques.release(|u| touched.any_recreated(new_t, &u.columns));
    checks.release(|c| touched.mentions_recreated(new_t, &c.sql));
    indexes.release(|i| {
        touched.any_recreated(new_t, &i.columns)
            || i.where_sql
                .as_ref()
                .is_some_and(|w| touched.mentions_recreated(new_t, w))
    });
    let mut ops = Vec::new();
    let mut key = |cols: &[String], translate: bool| {
        let cols = if translate {
            p.renames.columns(new_t, cols)
        } else {
            cols.to_vec()
        };
        touched.key(new_t, &cols);
    };

    ops.extend(pk.renamed.iter().map(|(o, n)| p.rename_constraint(&o.name, &n.name)));
    for o in pk.dropped {
        key(&o.columns, true);
        ops.push(Op::DropPrimaryKey {
            table: old_t.clone(),
            pk: o,
        });
    }
    for n in pk.added {
        key(&n.columns, false);
        ops.push(Op::AddPrimaryKey {
            table: new_t.clone(),
            pk: n,
        });
    }

    ops.extend(
        uniques
            .renamed
            .iter()
            .map(|(o, n)| p.rename_constraint(&o.name, &n.name)),
    );
    for o in uniques.dropped.into_iter().rev() {
        key(&o.columns, true);
        ops.push(Op::DropUnique {
            table: old_t.clone(),
            unique: o,
        });
    }
    for n in uniques.added {
        key(&n.columns, false);
        ops.push(Op::AddUnique {
            table: new_t.clone(),
            unique: n,
        });
    }

    ops.extend(
        checks
            .renamed
            .iter()
            .map(|(o, n)| p.rename_constraint(&o.name, &n.name)),
    );
    ops.extend(checks.dropped.into_iter().rev().map(|check| Op::DropCheck {
        table: old_t.clone(),
        check,
    }));
    ops.extend(checks.added.into_iter().map(|check| Op::AddCheck {
        table: new_t.clone(),
        check,
    }));

    ops.extend(indexes.renamed.iter().map(|(o, n)| Op::RenameIndex {
        table: new_t.clone(),
        from: o.name.clone(),
        to: n.name.clone(),
    }));
    for o in indexes.dropped.into_iter().rev() {
        if o.unique {
            key(&o.columns, true);
        }
        ops.push(Op::DropIndex {
            table: old_t.clone(),
            index: o,
        });
    }
    for n in indexes.added {
        if n.unique {
            key(&n.columns, false);
        }
        ops.push(Op::CreateIndex {
            table: new_t.clone(),
            index: n,
        });
    }
    ops
}
