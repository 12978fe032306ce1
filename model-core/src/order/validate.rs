//! Test helper: replay ops on a model of the database and fail on any step the database would
//! refuse (a foreign key to a missing table, dropping a referenced table, a missing index...).

use crate::ir::Table;
use crate::ops::Op;
use std::collections::{BTreeMap, BTreeSet};

/// What exists: tables with their foreign keys as `(name, referenced table)`, and index names.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct State {
    pub tables: BTreeMap<String, BTreeSet<(String, String)>>,
    pub indexes: BTreeSet<(String, String)>,
}

impl State {
    /// Replay `ops`. `forward_refs`: a `CREATE TABLE` may reference a table created later
    /// (SQLite checks foreign keys only when rows change).
    pub(crate) fn apply(&mut self, ops: &[Op], forward_refs: bool) -> Result<(), String> {
        for op in ops {
            self.step(op, forward_refs)
                .map_err(|e| format!("{}: {e}", op.describe()))?;
        }
        Ok(())
    }

    fn step(&mut self, op: &Op, forward_refs: bool) -> Result<(), String> {
        match op {
            Op::CreateTable { table } => self.create(table, forward_refs),
            Op::DropTable { table } => {
                let fks = self.tables.remove(&table.name).ok_or("no such table")?;
                let _ = fks;
                for (name, fks) in &self.tables {
                    if fks.iter().any(|(_, r)| *r == table.name) {
                        return Err(format!("still referenced by \"{name}\""));
                    }
                }
                self.indexes.retain(|(t, _)| *t != table.name);
                Ok(())
            }
            Op::CreateIndex { table, index } => {
                if !self.tables.contains_key(table) {
                    return Err("no such table".into());
                }
                if !self.indexes.insert((table.clone(), index.name.clone())) {
                    return Err("index exists".into());
                }
                Ok(())
            }
            Op::DropIndex { table, index } => {
                if !self.indexes.remove(&(table.clone(), index.name.clone())) {
                    return Err("no such index".into());
                }
                Ok(())
            }
            Op::AddForeignKey { table, fk } => {
                if !self.tables.contains_key(&fk.ref_table) {
                    return Err("referenced table missing".into());
                }
                let fks = self.tables.get_mut(table).ok_or("no such table")?;
                if !fks.insert((fk.name.clone(), fk.ref_table.clone())) {
                    return Err("foreign key exists".into());
                }
                Ok(())
            }
            Op::DropForeignKey { table, fk } => {
                let fks = self.tables.get_mut(table).ok_or("no such table")?;
                if !fks.remove(&(fk.name.clone(), fk.ref_table.clone())) {
                    return Err("no such foreign key".into());
                }
                Ok(())
            }
            other => Err(format!("the replay does not model `{}` yet", other.describe())),
        }
    }

    fn create(&mut self, table: &Table, forward_refs: bool) -> Result<(), String> {
        if self.tables.contains_key(&table.name) {
            return Err("table exists".into());
        }
        for fk in &table.foreign_keys {
            let known = fk.ref_table == table.name || self.tables.contains_key(&fk.ref_table);
            if !known && !forward_refs {
                return Err(format!("references missing table \"{}\"", fk.ref_table));
            }
        }
        let fks = table
            .foreign_keys
            .iter()
            .map(|fk| (fk.name.clone(), fk.ref_table.clone()))
            .collect();
        self.tables.insert(table.name.clone(), fks);
        Ok(())
    }
}
