//! The validator's rules for the objects beyond tables, as PostgreSQL applies them: a view or
//! trigger needs what it reads (tables, views, functions) when it is created, and nothing it reads
//! may be dropped, renamed or retyped under it; a function cannot go while a view, trigger, default,
//! check or generated column calls it.

use super::{State, Step};
use crate::ir::{mentioned, normalize_sql, selects_all, Column, Object, Schema};
use crate::ops::Op;
use std::collections::BTreeSet;

/// Names met so far (tables, views, functions): a name an object mentions that is one of them must
/// exist when the object is created. Not part of a state's equality.
#[derive(Debug, Default, Clone)]
pub(crate) struct Known(pub BTreeSet<String>);

impl PartialEq for Known {
    fn eq(&self, _: &Known) -> bool {
        true
    }
}

/// `object` as the state holds it: its SQL normalized (a definition that only differs in layout is
/// the same definition).
fn held(object: &Object) -> Object {
    let mut o = object.clone();
    match &mut o {
        Object::View(v) => v.sql = normalize_sql(&v.sql),
        Object::Function(f) => f.sql = normalize_sql(&f.sql),
        Object::Trigger(t) => t.sql = normalize_sql(&t.sql),
        Object::Extension(_) => {}
    }
    o
}

/// The key of an object in [`State::objects`]: tables and views share one namespace.
pub(super) fn key(object: &Object) -> String {
    let kind = match object {
        Object::Extension(_) => "extension",
        Object::View(_) => "relation",
        Object::Function(_) => "function",
        Object::Trigger(_) => "trigger",
    };
    format!("{kind}:{}", object.name().to_lowercase())
}

impl State {
    /// The objects of `schema` into the state.
    pub(super) fn add_objects(&mut self, schema: &Schema) {
        for o in schema.objects() {
            self.known.0.insert(o.name().to_lowercase());
            self.objects.insert(key(&o), held(&o));
        }
        for t in &schema.tables {
            self.known.0.insert(t.name.to_lowercase());
            self.know_columns(&t.name, t.columns.iter().map(|c| c.name.as_str()));
        }
    }

    /// Remember the columns of `table` (as `table.column`).
    pub(super) fn know_columns<'a>(&mut self, table: &str, columns: impl Iterator<Item = &'a str>) {
        for c in columns {
            self.known
                .0
                .insert(format!("{}.{}", table.to_lowercase(), c.to_lowercase()));
        }
    }

    /// A generated column of `table` reads only columns the table has now (of those met so far).
    pub(super) fn generated_reads_exist(&self, table: &str, column: &Column) -> Step {
        let Some(g) = &column.generated else { return Ok(()) };
        let Some(t) = self.tables.get(table) else { return Ok(()) };
        for m in mentioned(&g.sql) {
            let known = self.known.0.contains(&format!("{}.{m}", table.to_lowercase()));
            if known && !t.columns.keys().any(|c| c.to_lowercase() == m) {
                return Err(format!(
                    "generated column \"{}\" reads \"{m}\", which the table does not have now",
                    column.name
                ));
            }
        }
        Ok(())
    }

    pub(super) fn object_step(&mut self, op: &Op) -> Step {
        match op {
            Op::CreateObject { object } => self.create_object(object),
            Op::DropObject { object } => {
                let current = self.objects.get(&key(object)).ok_or("no such object")?;
                super::expect(current, &held(object))?;
                if let Object::Function(f) = object {
                    self.not_called(&f.name)?;
                }
                if let Object::View(v) = object {
                    self.not_read(&v.name, None)?;
                }
                self.objects.remove(&key(object));
                Ok(())
            }
            Op::ReplaceObject { from, to } => {
                let current = self.objects.get(&key(from)).ok_or("no such object")?;
                super::expect(current, &held(from))?;
                self.objects.remove(&key(from));
                self.create_object(to)
            }
            _ => Ok(()),
        }
    }

    fn create_object(&mut self, object: &Object) -> Step {
        let k = key(object);
        if self.objects.contains_key(&k) || (k.starts_with("relation:") && self.tables.contains_key(object.name())) {
            return Err(format!("\"{}\" exists", object.name()));
        }
        if let Object::Trigger(t) = object {
            let on_view = self
                .objects
                .contains_key(&format!("relation:{}", t.table.to_lowercase()));
            if !self.tables.contains_key(&t.table) && !on_view {
                return Err(format!("no table \"{}\" to put the trigger on", t.table));
            }
        }
        if !matches!(object, Object::Extension(_)) {
            self.reads_exist(object.name(), &object.mentions())?;
        }
        self.known.0.insert(object.name().to_lowercase());
        self.objects.insert(k, held(object));
        Ok(())
    }

    /// Every known table, view or function that `mentions` names exists now.
    fn reads_exist(&self, who: &str, mentions: &BTreeSet<String>) -> Step {
        for m in mentions
            .iter()
            .filter(|m| self.known.0.contains(*m) && **m != who.to_lowercase())
        {
            let table = self.tables.keys().any(|t| t.to_lowercase() == *m);
            let object = ["relation", "function"]
                .iter()
                .any(|kind| self.objects.contains_key(&format!("{kind}:{m}")));
            if !table && !object {
                return Err(format!(
                    "\"{who}\" reads \"{m}\", which does not exist yet (or any more)"
                ));
            }
        }
        Ok(())
    }

    /// The functions a column's default, check or generation expression calls exist.
    pub(super) fn calls_exist(&self, table: &str, sql: &str) -> Step {
        self.reads_exist(table, &mentioned(sql))
    }

    /// The functions a column of `table` calls (default, generation expression) exist.
    pub(super) fn column_calls_exist(&self, table: &str, column: &Column) -> Step {
        if let Some(crate::ir::DefaultValue::Sql(sql)) = &column.default {
            self.calls_exist(table, sql)?;
        }
        if let Some(g) = &column.generated {
            self.calls_exist(table, &g.sql)?;
        }
        Ok(())
    }

    /// No view or trigger reads relation `name` (its `column`, when given: one that mentions it or
    /// selects `*`); triggers on the relation itself do not count when it goes whole.
    pub(super) fn not_read(&self, name: &str, column: Option<&str>) -> Step {
        let lower = name.to_lowercase();
        for o in self.objects.values() {
            let (mentions, on_it) = match o {
                Object::View(v) if v.name != name => (v.mentions(), false),
                Object::Trigger(t) => (o.mentions(), t.table == name),
                _ => continue,
            };
            if !mentions.contains(&lower) && !on_it {
                continue;
            }
            let hit = match column {
                None => !on_it,
                Some(c) => mentions.contains(&c.to_lowercase()) || selects_all(o.sql()),
            };
            if hit {
                return Err(format!("{} \"{}\" reads it", o.kind(), o.name()));
            }
        }
        Ok(())
    }

    /// No view, trigger, default, check or generated column calls function `name`.
    fn not_called(&self, name: &str) -> Step {
        let lower = name.to_lowercase();
        for o in self
            .objects
            .values()
            .filter(|o| !matches!(o, Object::Function(f) if f.name == name))
        {
            if o.mentions().contains(&lower) {
                return Err(format!("{} \"{}\" calls it", o.kind(), o.name()));
            }
        }
        for (t, ts) in &self.tables {
            let texts = ts
                .columns
                .values()
                .filter_map(|c| match (&c.default, &c.generated) {
                    (_, Some(g)) => Some(g.sql.clone()),
                    (Some(crate::ir::DefaultValue::Sql(s)), _) => Some(s.clone()),
                    _ => None,
                })
                .chain(ts.checks.values().map(|c| c.sql.clone()));
            for text in texts {
                if mentioned(&text).contains(&lower) {
                    return Err(format!("table \"{t}\" calls it"));
                }
            }
        }
        Ok(())
    }

    /// The triggers on `table` go with it.
    pub(super) fn drop_triggers_of(&mut self, table: &str) {
        self.objects
            .retain(|_, o| !matches!(o, Object::Trigger(t) if t.table == table));
    }
}
