//! The foreign key ops of a table present on both sides.

use super::keys::Pair;
use super::touched::Touched;
use crate::ops::Op;

/// Drops (old table name), renames and adds (new table name) of the foreign keys. A foreign key
/// that is unchanged or only renamed is dropped and added again when a column it uses or the key
/// it references changes (see [`Touched`]).
pub(super) fn foreign_key_ops(p: &Pair, touched: &Touched) -> Vec<Op> {
    let (old_t, new_t) = (&p.old.name, &p.new.name);
    let fks = p.pair(&p.old.foreign_keys, &p.new.foreign_keys);
    let mut dropped = fks.dropped;
    let mut added = fks.added;
    let mut ops = Vec::new();
    let kept = fks.kept.into_iter().map(|pair| (pair, false));
    for ((o, n), renamed) in kept.chain(fks.renamed.into_iter().map(|pair| (pair, true))) {
        if touched.any_column(new_t, &n.columns) || touched.reference(&n.ref_table, &n.ref_columns) {
            dropped.push(o);
            added.push(n);
        } else if renamed {
            ops.push(p.rename_constraint(&o.name, &n.name));
        }
    }
    ops.extend(dropped.into_iter().rev().map(|fk| Op::DropForeignKey {
        table: old_t.clone(),
        fk,
    }));
    ops.extend(added.into_iter().map(|fk| Op::AddForeignKey {
        table: new_t.clone(),
        fk,
    }));
    ops
}
