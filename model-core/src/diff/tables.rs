//! Which tables are created, dropped, kept or renamed, and the ops of whole tables.

use super::hints::{origins, Origin};
use super::renames::{Object, Renames};
use super::touched::Touched;
use super::DiffError;
use crate::ir::{ForeignKey, Schema, Table};
use crate::ops::Op;
use std::collections::BTreeSet;

/// The tables of two schemas, matched.
#[derive(Debug, Default)]
pub(super) struct Tables<'a> {
    /// `(old, new)` of each table on both sides (same name or renamed), by new name.
    pub pairs: Vec<(&'a Table, &'a Table)>,
    /// Tables only in the new schema, by name.
    pub created: Vec<&'a Table>,
    /// Tables only in the old schema, by name.
    pub dropped: Vec<&'a Table>,
}

/// Match the tables of `old` and `new` by name, else by `renamed_from` (see
/// [`super::hints::origins`]); table renames are recorded in `renames`.
pub(super) fn match_tables<'a>(
    old: &'a Schema,
    new: &'a Schema,
    renames: &mut Renames,
) -> Result<Tables<'a>, DiffError> {
    let old_tables = sorted(old)?;
    let new_tables = sorted(new)?;
    let old_names: Vec<&str> = old_tables.iter().map(|t| t.name.as_str()).collect();
    let claims: Vec<(&str, Option<&str>)> = new_tables
        .iter()
        .map(|t| (t.name.as_str(), t.renamed_from.as_deref()))
        .collect();
    let found = origins(&old_names, &claims).map_err(|(from, first, second)| DiffError::TableRenamedTwice {
        from,
        first,
        second,
    })?;
    let mut out = Tables::default();
    let mut kept = vec![false; old_tables.len()];
    for (table, origin) in new_tables.iter().zip(found) {
        match origin {
            Origin::New => out.created.push(*table),
            Origin::Same(i) | Origin::Renamed(i) => {
                kept[i] = true;
                if old_tables[i].name != table.name {
                    renames.table_renamed(&old_tables[i].name, &table.name);
                }
                out.pairs.push((old_tables[i], *table));
            }
        }
    }
    out.dropped = old_tables
        .iter()
        .zip(kept)
        .filter(|(_, kept)| !kept)
        .map(|(t, _)| *t)
        .collect();
    Ok(out)
}

/// The tables by name; two of one name are an error.
fn sorted(schema: &Schema) -> Result<Vec<&Table>, DiffError> {
    let mut tables: Vec<&Table> = schema.tables.iter().collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let mut names = BTreeSet::new();
    for t in &tables {
        if !names.insert(t.name.as_str()) {
            return Err(DiffError::DuplicateTable { table: t.name.clone() });
        }
    }
    Ok(tables)
}

/// `CreateTable` (without its indexes and rename hints), then one `AddForeignKey` per foreign key
/// that must wait for a change of the table it references (see [`Touched`]; `table` is in new
/// names), then one `CreateIndex` per index, in declaration order.
pub(super) fn creation_ops(table: &Table, touched: &Touched) -> Vec<Op> {
    let mut bare = bare(table);
    let (apart, inline): (Vec<ForeignKey>, Vec<ForeignKey>) = std::mem::take(&mut bare.foreign_keys)
        .into_iter()
        .partition(|fk| fk.ref_table != table.name && touched.reference(&fk.ref_table, &fk.ref_columns));
    bare.foreign_keys = inline;
    let name = &table.name;
    let mut ops = vec![Op::CreateTable { table: bare }];
    ops.extend(apart.into_iter().map(|fk| Op::AddForeignKey {
        table: name.clone(),
        fk,
    }));
    ops.extend(table.indexes.iter().map(|index| Op::CreateIndex {
        table: name.clone(),
        index: index.clone(),
    }));
    ops
}

/// The ops dropping the old `table`: its `DropIndex`es (last first), the `DropForeignKey`s that
/// must go before a change of the table they reference, then `DropTable`. The `DropTable` runs
/// after the renames of the migration, so the foreign keys it carries (which `down.sql` creates
/// again before undoing the renames) reference tables and columns by their new names.
pub(super) fn drop_ops(table: &Table, renames: &Renames, touched: &Touched) -> Vec<Op> {
    let mut bare = bare(table);
    let (apart, inline): (Vec<ForeignKey>, Vec<ForeignKey>) =
        std::mem::take(&mut bare.foreign_keys).into_iter().partition(|fk| {
            let now = fk.translated(renames, &table.name);
            fk.ref_table != table.name && touched.reference(&now.ref_table, &now.ref_columns)
        });
    bare.foreign_keys = inline.iter().map(|fk| fk.translated(renames, &table.name)).collect();
    let name = &table.name;
    let mut ops: Vec<Op> = table
        .indexes
        .iter()
        .rev()
        .map(|index| Op::DropIndex {
            table: name.clone(),
            index: index.clone(),
        })
        .collect();
    ops.extend(apart.into_iter().rev().map(|fk| Op::DropForeignKey {
        table: name.clone(),
        fk,
    }));
    ops.push(Op::DropTable { table: bare });
    ops
}

/// The table without indexes and rename hints.
fn bare(table: &Table) -> Table {
    let mut bare = table.clone();
    bare.renamed_from = None;
    bare.indexes.clear();
    for c in &mut bare.columns {
        c.renamed_from = None;
    }
    bare
}
