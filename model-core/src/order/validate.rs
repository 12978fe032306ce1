//! Test helper: replay ops on a model of the database and fail on any step PostgreSQL would
//! refuse: a name already taken or missing, a foreign key to a missing table or to columns no key
//! covers, dropping a table, column or key something still depends on, retyping a column a
//! foreign key uses, an alter or comment change whose "before" is not what the table holds.
//!
//! [`State::of`] builds the state a schema describes, so tests can check that replaying a diff
//! from the old schema gives exactly the new one.

mod enums;
mod objects;

use crate::ir::{Check, Column, ForeignKey, Index, PrimaryKey, Schema, Table, UniqueConstraint};
use crate::ops::Op;
use std::collections::BTreeMap;

/// What exists, by table name.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct State {
    pub tables: BTreeMap<String, TableState>,
    /// Enum types and their values, by name.
    pub enums: BTreeMap<String, Vec<String>>,
    /// Extensions, views, functions and triggers, by kind and name (see `objects::key`).
    pub objects: BTreeMap<String, crate::ir::Object>,
    /// Names met so far (see [`objects::Known`]).
    pub known: objects::Known,
}

/// One table: every object by name (columns without rename hints).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct TableState {
    pub comment: Option<String>,
    pub columns: BTreeMap<String, Column>,
    pub pk: Option<PrimaryKey>,
    pub uniques: BTreeMap<String, UniqueConstraint>,
    pub checks: BTreeMap<String, Check>,
    pub indexes: BTreeMap<String, Index>,
    pub fks: BTreeMap<String, ForeignKey>,
}

type Step = Result<(), String>;

impl State {
    /// The database `schema` describes.
    pub(crate) fn of(schema: &Schema) -> State {
        let mut state = State::default();
        for t in &schema.tables {
            let mut ts = TableState::from_table(t);
            for i in &t.indexes {
                ts.indexes.insert(i.name.clone(), i.clone());
            }
            state.tables.insert(t.name.clone(), ts);
        }
        state.enums = state.enums_of_columns();
        state.add_objects(schema);
        state
    }

    /// Replay `ops`. `forward_refs`: a `CREATE TABLE` may reference a table created later
    /// (SQLite checks foreign keys only when rows change).
    pub(crate) fn apply(&mut self, ops: &[Op], forward_refs: bool) -> Step {
        for op in ops {
            self.step(op, forward_refs)
                .map_err(|e| format!("{}: {e}", op.describe()))?;
        }
        Ok(())
    }

    fn table(&mut self, name: &str) -> Result<&mut TableState, String> {
        self.tables.get_mut(name).ok_or_else(|| format!("no table \"{name}\""))
    }

    fn step(&mut self, op: &Op, forward_refs: bool) -> Step {
        match op {
            op if op.is_enum_op() => self.enum_step(op),
            op if op.object().is_some() => self.object_step(op),
            Op::CreateTable { table } => {
                table.columns.iter().try_for_each(|c| self.enum_exists(c))?;
                for c in &table.columns {
                    self.column_calls_exist(&table.name, c)?;
                }
                for c in &table.checks {
                    self.calls_exist(&table.name, &c.sql)?;
                }
                self.known.0.insert(table.name.to_lowercase());
                self.know_columns(&table.name, table.columns.iter().map(|c| c.name.as_str()));
                self.create(table, forward_refs)
            }
            Op::DropTable { table } => {
                expect(self.table(&table.name)?, &TableState::from_table(table))?;
                self.not_referenced(&table.name, None, None)?;
                self.not_read(&table.name, None)?;
                self.drop_triggers_of(&table.name);
                self.tables.remove(&table.name);
                Ok(())
            }
            Op::RenameTable { from, to } => {
                if self.tables.contains_key(to) {
                    return Err("new name taken".into());
                }
                self.not_read(from, None)?;
                self.known.0.insert(to.to_lowercase());
                let t = self.tables.remove(from).ok_or("no such table")?;
                self.tables.insert(to.clone(), t);
                for t in self.tables.values_mut() {
                    for fk in t.fks.values_mut().filter(|fk| fk.ref_table == *from) {
                        fk.ref_table = to.clone();
                    }
                }
                Ok(())
            }
            Op::MoveTable { table, .. } => self.table(table).map(|_| ()),
            Op::SetTableComment { table, from, to } => {
                let t = self.table(table)?;
                expect(&t.comment, from)?;
                t.comment = to.clone();
                Ok(())
            }
            Op::AddColumn { table, column } => {
                self.enum_exists(column)?;
                self.column_calls_exist(table, column)?;
                self.generated_reads_exist(table, column)?;
                self.know_columns(table, std::iter::once(column.name.as_str()));
                let t = self.table(table)?;
                if t.columns.insert(column.name.clone(), column.clone()).is_some() {
                    return Err("column exists".into());
                }
                Ok(())
            }
            Op::DropColumn { table, column } => {
                let t = self.table(table)?;
                expect(t.columns.get(&column.name).ok_or("no such column")?, column)?;
                if t.uses(&column.name) {
                    return Err("a key, index or foreign key of the table uses it".into());
                }
                self.not_referenced(table, Some(&column.name), None)?;
                self.not_read(table, Some(&column.name))?;
                self.table(table)?.columns.remove(&column.name);
                Ok(())
            }
            Op::RenameColumn { table, from, to } => {
                self.not_read(table, Some(from))?;
                self.know_columns(table, std::iter::once(to.as_str()));
                self.rename_column(table, from, to)
            }
            Op::AlterColumn { table, from, to } => {
                if from.name != to.name {
                    return Err("an alter cannot rename".into());
                }
                if let Some(follows) = self.follows_its_type(from, to) {
                    // the column follows its enum type, whose own ops change the values: it has the
                    // values before or after them, whichever runs first
                    let t = self.table(table)?;
                    let current = t.columns.get_mut(&from.name).ok_or("no such column")?;
                    if current.ty != from.ty && current.ty != to.ty {
                        return Err(format!("the column's enum values are {:?}", current.ty));
                    }
                    expect(
                        &Column {
                            ty: from.ty.clone(),
                            ..current.clone()
                        },
                        from,
                    )?;
                    *current = Column {
                        ty: follows,
                        ..to.clone()
                    };
                    return Ok(());
                }
                self.enum_exists(to)?;
                self.column_calls_exist(table, to)?;
                if from.ty != to.ty && self.in_foreign_key(table, &from.name) {
                    return Err("a foreign key uses the column: its type cannot change".into());
                }
                if from.ty != to.ty {
                    self.not_read(table, Some(&from.name))?;
                    let generated_reader = self.table(table)?.columns.values().any(|c| {
                        c.name != from.name
                            && c.generated
                                .as_ref()
                                .is_some_and(|g| crate::ir::mentioned(&g.sql).contains(&from.name.to_lowercase()))
                    });
                    if generated_reader {
                        return Err("a generated column reads the column: its type cannot change".into());
                    }
                }
                let t = self.table(table)?;
                let current = t.columns.get_mut(&from.name).ok_or("no such column")?;
                expect(current, from)?;
                *current = to.clone();
                Ok(())
            }
            Op::CreateIndex { table, index } => {
                self.free_relation(&index.name)?;
                let t = self.table(table)?;
                t.has_columns(&index.columns)?;
                t.indexes.insert(index.name.clone(), index.clone());
                Ok(())
            }
            Op::DropIndex { table, index } => {
                let t = self.table(table)?;
                expect(t.indexes.get(&index.name).ok_or("no such index")?, index)?;
                if index.unique && index.where_sql.is_none() {
                    self.key_not_needed(table, &index.columns)?;
                }
                self.table(table)?.indexes.remove(&index.name);
                Ok(())
            }
            Op::RenameIndex { table, from, to } => {
                self.free_relation(to)?;
                let t = self.table(table)?;
                let mut index = t.indexes.remove(from).ok_or("no such index")?;
                index.name = to.clone();
                t.indexes.insert(to.clone(), index);
                Ok(())
            }
            Op::AddPrimaryKey { table, pk } => {
                self.free_relation(&pk.name)?;
                let t = self.table(table)?;
                t.free_constraint(&pk.name)?;
                t.has_columns(&pk.columns)?;
                if t.pk.replace(pk.clone()).is_some() {
                    return Err("the table has a primary key".into());
                }
                Ok(())
            }
            Op::DropPrimaryKey { table, pk } => {
                expect(self.table(table)?.pk.as_ref().ok_or("no primary key")?, pk)?;
                self.key_not_needed(table, &pk.columns)?;
                self.table(table)?.pk = None;
                Ok(())
            }
            Op::AddUnique { table, unique } => {
                self.free_relation(&unique.name)?;
                let t = self.table(table)?;
                t.free_constraint(&unique.name)?;
                t.has_columns(&unique.columns)?;
                t.uniques.insert(unique.name.clone(), unique.clone());
                Ok(())
            }
            Op::DropUnique { table, unique } => {
                expect(
                    self.table(table)?.uniques.get(&unique.name).ok_or("no such unique")?,
                    unique,
                )?;
                self.key_not_needed(table, &unique.columns)?;
                self.table(table)?.uniques.remove(&unique.name);
                Ok(())
            }
            Op::AddCheck { table, check } => {
                self.calls_exist(table, &check.sql)?;
                let t = self.table(table)?;
                t.free_constraint(&check.name)?;
                t.checks.insert(check.name.clone(), check.clone());
                Ok(())
            }
            Op::DropCheck { table, check } => {
                let t = self.table(table)?;
                expect(&t.checks.remove(&check.name).ok_or("no such check")?, check)
            }
            Op::AddForeignKey { table, fk } => {
                self.references_key(fk, false)?;
                let t = self.table(table)?;
                t.free_constraint(&fk.name)?;
                t.has_columns(&fk.columns)?;
                t.fks.insert(fk.name.clone(), fk.clone());
                Ok(())
            }
            Op::DropForeignKey { table, fk } => {
                let t = self.table(table)?;
                expect(&t.fks.remove(&fk.name).ok_or("no such foreign key")?, fk)
            }
            Op::RenameConstraint { table, from, to } => self.rename_constraint(table, from, to),
            Op::CreateEnum { .. }
            | Op::DropEnum { .. }
            | Op::RenameEnum { .. }
            | Op::RenameEnumValues { .. }
            | Op::ChangeEnumValues { .. } => self.enum_step(op),
            Op::CreateObject { .. } | Op::DropObject { .. } | Op::ReplaceObject { .. } => self.object_step(op),
        }
    }

    fn create(&mut self, table: &Table, forward_refs: bool) -> Step {
        if self.tables.contains_key(&table.name) {
            return Err("table exists".into());
        }
        let ts = TableState::from_table(table);
        for name in ts.pk.iter().map(|k| &k.name).chain(ts.uniques.keys()) {
            self.free_relation(name)?;
        }
        self.tables.insert(table.name.clone(), ts);
        for fk in &table.foreign_keys {
            if let Err(e) = self.references_key(fk, forward_refs) {
                self.tables.remove(&table.name);
                return Err(e);
            }
        }
        Ok(())
    }

    fn rename_column(&mut self, table: &str, from: &str, to: &str) -> Step {
        let t = self.table(table)?;
        if t.columns.contains_key(to) {
            return Err("new name taken".into());
        }
        let mut column = t.columns.remove(from).ok_or("no such column")?;
        column.name = to.to_string();
        t.columns.insert(to.to_string(), column);
        let swap = |cols: &mut Vec<String>| cols.iter_mut().filter(|c| *c == from).for_each(|c| *c = to.to_string());
        t.pk.iter_mut().for_each(|k| swap(&mut k.columns));
        t.uniques.values_mut().for_each(|u| swap(&mut u.columns));
        t.indexes.values_mut().for_each(|i| swap(&mut i.columns));
        t.fks.values_mut().for_each(|f| swap(&mut f.columns));
        for t in self.tables.values_mut() {
            t.fks
                .values_mut()
                .filter(|f| f.ref_table == table)
                .for_each(|f| swap(&mut f.ref_columns));
        }
        Ok(())
    }

    fn rename_constraint(&mut self, table: &str, from: &str, to: &str) -> Step {
        let relation = {
            let t = self.table(table)?;
            t.free_constraint(to)?;
            t.pk.as_ref().is_some_and(|k| k.name == from) || t.uniques.contains_key(from)
        };
        if relation {
            self.free_relation(to)?;
        }
        let t = self.table(table)?;
        if let Some(k) = t.pk.as_mut().filter(|k| k.name == from) {
            k.name = to.to_string();
        } else if let Some(mut u) = t.uniques.remove(from) {
            u.name = to.to_string();
            t.uniques.insert(to.to_string(), u);
        } else if let Some(mut c) = t.checks.remove(from) {
            c.name = to.to_string();
            t.checks.insert(to.to_string(), c);
        } else if let Some(mut f) = t.fks.remove(from) {
            f.name = to.to_string();
            t.fks.insert(to.to_string(), f);
        } else {
            return Err("no such constraint".into());
        }
        Ok(())
    }

    /// Indexes, primary keys and unique constraints share one namespace (PostgreSQL relations).
    fn free_relation(&self, name: &str) -> Step {
        let taken = self.tables.values().any(|t| {
            t.indexes.contains_key(name)
                || t.uniques.contains_key(name)
                || t.pk.as_ref().is_some_and(|k| k.name == name)
        });
        if taken {
            return Err(format!("relation name \"{name}\" taken"));
        }
        Ok(())
    }

    /// No foreign key references `table` (or its `column`, or exactly the key `key`).
    fn not_referenced(&self, table: &str, column: Option<&str>, key: Option<&[String]>) -> Step {
        for (name, t) in &self.tables {
            for fk in t.fks.values().filter(|fk| fk.ref_table == table) {
                let self_ref = name == table && column.is_none() && key.is_none();
                let hit = match (column, key) {
                    (Some(c), _) => fk.ref_columns.iter().any(|r| r == c),
                    (None, Some(k)) => sorted(&fk.ref_columns) == sorted(k),
                    (None, None) => !self_ref,
                };
                if hit {
                    return Err(format!("foreign key \"{}\" of \"{name}\" depends on it", fk.name));
                }
            }
        }
        Ok(())
    }

    fn key_not_needed(&self, table: &str, columns: &[String]) -> Step {
        self.not_referenced(table, None, Some(columns))
    }

    fn in_foreign_key(&self, table: &str, column: &str) -> bool {
        self.tables.iter().any(|(name, t)| {
            t.fks.values().any(|fk| {
                (name == table && fk.columns.iter().any(|c| c == column))
                    || (fk.ref_table == table && fk.ref_columns.iter().any(|c| c == column))
            })
        })
    }

    /// The referenced table exists and a key covers the referenced columns.
    fn references_key(&self, fk: &ForeignKey, forward_refs: bool) -> Step {
        let Some(target) = self.tables.get(&fk.ref_table) else {
            if forward_refs {
                return Ok(());
            }
            return Err(format!("references missing table \"{}\"", fk.ref_table));
        };
        target.has_columns(&fk.ref_columns)?;
        if !target.keys().any(|k| sorted(k) == sorted(&fk.ref_columns)) {
            return Err(format!("no key of \"{}\" covers the referenced columns", fk.ref_table));
        }
        Ok(())
    }
}

impl TableState {
    fn from_table(t: &Table) -> TableState {
        TableState {
            comment: t.comment.clone(),
            columns: t
                .columns
                .iter()
                .map(|c| {
                    let ty = match &c.ty {
                        crate::ir::ColumnType::Enum(e) => crate::ir::ColumnType::Enum(crate::ir::EnumType::new(
                            e.name.clone(),
                            e.values.iter().cloned(),
                        )),
                        ty => ty.clone(),
                    };
                    let c = Column {
                        renamed_from: None,
                        ty,
                        ..c.clone()
                    };
                    (c.name.clone(), c)
                })
                .collect(),
            pk: t.primary_key.clone(),
            uniques: t.uniques.iter().map(|u| (u.name.clone(), u.clone())).collect(),
            checks: t.checks.iter().map(|c| (c.name.clone(), c.clone())).collect(),
            indexes: BTreeMap::new(),
            fks: t.foreign_keys.iter().map(|f| (f.name.clone(), f.clone())).collect(),
        }
    }

    fn has_columns(&self, columns: &[String]) -> Step {
        match columns.iter().find(|c| !self.columns.contains_key(*c)) {
            Some(c) => Err(format!("no column \"{c}\"")),
            None => Ok(()),
        }
    }

    fn uses(&self, column: &str) -> bool {
        let has = |cols: &[String]| cols.iter().any(|c| c == column);
        self.pk.as_ref().is_some_and(|k| has(&k.columns))
            || self.uniques.values().any(|u| has(&u.columns))
            || self.indexes.values().any(|i| has(&i.columns))
            || self.fks.values().any(|f| has(&f.columns))
    }

    /// Constraint names are unique per table.
    fn free_constraint(&self, name: &str) -> Step {
        let taken = self.pk.as_ref().is_some_and(|k| k.name == name)
            || self.uniques.contains_key(name)
            || self.checks.contains_key(name)
            || self.fks.contains_key(name);
        if taken {
            return Err(format!("constraint name \"{name}\" taken"));
        }
        Ok(())
    }

    /// Column lists of the primary key, uniques and full unique indexes.
    fn keys(&self) -> impl Iterator<Item = &Vec<String>> {
        self.pk
            .iter()
            .map(|k| &k.columns)
            .chain(self.uniques.values().map(|u| &u.columns))
            .chain(
                self.indexes
                    .values()
                    .filter(|i| i.unique && i.where_sql.is_none())
                    .map(|i| &i.columns),
            )
    }
}

/// The table holds `actual`, the op says it holds `expected`.
pub(super) fn expect<T: PartialEq + std::fmt::Debug>(actual: &T, expected: &T) -> Step {
    if actual != expected {
        return Err(format!("the database holds {actual:?}, the op expects {expected:?}"));
    }
    Ok(())
}

fn sorted(columns: &[String]) -> Vec<String> {
    let mut v = columns.to_vec();
    v.sort();
    v
}
