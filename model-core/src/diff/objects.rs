//! The ops of the objects beyond tables: extensions, functions, views and triggers.
//!
//! Objects are matched by name (a trigger by name too: names are unique per schema on SQLite and
//! MySQL, and the crate keeps them so on PostgreSQL). An object only in the new schema is created,
//! one only in the old is dropped, one whose definition changed is replaced ([`Op::ReplaceObject`]:
//! `CREATE OR REPLACE` where the dialect can).
//!
//! A view or trigger is **dropped before and created again after** the migration (two ops, not a
//! replace) when something it reads changes under it: its table is dropped or renamed; a column it
//! mentions (any column, for `SELECT *`) is dropped, renamed or changes type (PostgreSQL refuses to
//! retype a column a view uses, SQLite to drop one); a function it calls changes signature or goes;
//! a view it reads is itself dropped or re-created (transitively); a view whose columns change or
//! that is (or stops being) materialized is re-created too (PostgreSQL's `CREATE OR REPLACE VIEW`
//! keeps the columns).

use super::renames::Renames;
use super::tables::Tables;
use super::touched::Touched;
use crate::ir::{mentioned, selects_all, Dialect, Function, Object, Schema, Table, Trigger, View};
use crate::ops::Op;
use std::collections::{BTreeMap, BTreeSet};

/// What becomes of one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    Replace,
    Recreate,
    Drop,
}

/// The ops turning the objects of `old` into those of `new`, given what the table diff does.
pub(super) fn object_ops(old: &Schema, new: &Schema, tables: &Tables, renames: &Renames, touched: &Touched) -> Vec<Op> {
    let mut ops = Vec::new();
    let names = |e: &[crate::ir::Extension]| e.iter().map(|e| e.name.clone()).collect::<BTreeSet<_>>();
    let (was, now) = (names(&old.extensions), names(&new.extensions));
    for e in old.extensions.iter().filter(|e| !now.contains(&e.name)) {
        ops.push(Op::DropObject {
            object: Object::Extension(e.clone()),
        });
    }
    for e in new.extensions.iter().filter(|e| !was.contains(&e.name)) {
        ops.push(Op::CreateObject {
            object: Object::Extension(e.clone()),
        });
    }

    // functions: a changed signature or a drop breaks what calls them (PostgreSQL drops the old one)
    let mut fragile: BTreeSet<String> = BTreeSet::new();
    let new_functions: BTreeMap<&str, &Function> = new.functions.iter().map(|f| (f.name.as_str(), f)).collect();
    for f in &old.functions {
        match new_functions.get(f.name.as_str()) {
            None => {
                fragile.insert(f.name.to_lowercase());
                ops.push(Op::DropObject {
                    object: Object::Function(f.clone()),
                });
            }
            Some(n) => {
                let (a, b) = (Object::Function(f.clone()), Object::Function((*n).clone()));
                if !a.same_definition(&b) {
                    if f.drop_arguments() != n.drop_arguments() || f.returns() != n.returns() {
                        fragile.insert(f.name.to_lowercase());
                    }
                    ops.push(Op::ReplaceObject { from: a, to: b });
                }
            }
        }
    }
    for f in new
        .functions
        .iter()
        .filter(|f| old.functions.iter().all(|o| o.name != f.name))
    {
        ops.push(Op::CreateObject {
            object: Object::Function(f.clone()),
        });
    }

    let shaken = Shaken {
        old,
        tables,
        renames,
        touched,
        fragile,
    };
    let views = view_fates(old, new, &shaken);
    let gone_views: BTreeSet<String> = views
        .iter()
        .filter(|(_, f)| matches!(f, Fate::Recreate | Fate::Drop))
        .map(|(n, _)| n.to_lowercase())
        .collect();
    for v in &old.views {
        match views.get(&v.name) {
            Some(Fate::Drop) | Some(Fate::Recreate) => ops.push(Op::DropObject {
                object: Object::View(v.clone()),
            }),
            Some(Fate::Replace) => {
                if let Some(n) = new.view(&v.name) {
                    ops.push(Op::ReplaceObject {
                        from: Object::View(v.clone()),
                        to: Object::View(n.clone()),
                    });
                }
            }
            _ => {}
        }
    }
    for v in &new.views {
        let recreated = views.get(&v.name) == Some(&Fate::Recreate);
        if recreated || old.view(&v.name).is_none() {
            ops.push(Op::CreateObject {
                object: Object::View(v.clone()),
            });
        }
    }

    let new_triggers: BTreeMap<&str, &Trigger> = new.triggers.iter().map(|t| (t.name.as_str(), t)).collect();
    for t in &old.triggers {
        let Some(n) = new_triggers.get(t.name.as_str()) else {
            ops.push(Op::DropObject {
                object: Object::Trigger(t.clone()),
            });
            continue;
        };
        let (a, b) = (Object::Trigger(t.clone()), Object::Trigger((*n).clone()));
        let on_gone_view = gone_views.contains(&t.table.to_lowercase());
        if t.table != n.table || on_gone_view || shaken.trigger(t) {
            ops.push(Op::DropObject { object: a });
            ops.push(Op::CreateObject { object: b });
        } else if !a.same_definition(&b) {
            ops.push(Op::ReplaceObject { from: a, to: b });
        }
    }
    for t in new
        .triggers
        .iter()
        .filter(|t| old.triggers.iter().all(|o| o.name != t.name))
    {
        ops.push(Op::CreateObject {
            object: Object::Trigger(t.clone()),
        });
    }
    ops
}

/// What the rest of the migration changes under the old objects.
struct Shaken<'a> {
    old: &'a Schema,
    tables: &'a Tables<'a>,
    renames: &'a Renames,
    touched: &'a Touched,
    /// Functions dropped or changing signature, lower-cased.
    fragile: BTreeSet<String>,
}

impl Shaken<'_> {
    /// `true` when old `table` goes or is renamed, or a column of it that `sql` mentions (every
    /// column when it selects `*`) is dropped, renamed or retyped.
    fn under(&self, table: &Table, sql: &str, mentions: &BTreeSet<String>) -> bool {
        if self.tables.dropped.iter().any(|t| t.name == table.name) {
            return true;
        }
        let now = self.renames.table(&table.name);
        if now != table.name {
            return true;
        }
        let all = selects_all(sql);
        table
            .columns
            .iter()
            .filter(|c| all || mentions.contains(&c.name.to_lowercase()))
            .any(|c| {
                let name = std::slice::from_ref(&c.name);
                self.touched.any_column(now, name) || self.renames.columns(now, name)[0] != c.name
            })
    }

    /// `true` when `sql` calls a function that is dropped or changes signature.
    fn calls_fragile(&self, mentions: &BTreeSet<String>) -> bool {
        mentions.iter().any(|m| self.fragile.contains(m))
    }

    /// `true` when something old `view` reads changes under it (views it reads aside).
    fn view(&self, view: &View) -> bool {
        let mentions = view.mentions();
        self.calls_fragile(&mentions)
            || self
                .old
                .tables
                .iter()
                .filter(|t| mentions.contains(&t.name.to_lowercase()))
                .any(|t| self.under(t, &view.sql, &mentions))
    }

    /// `true` when something old `trigger` reads changes under it.
    fn trigger(&self, trigger: &Trigger) -> bool {
        let mentions = mentioned(&trigger.sql);
        if self.calls_fragile(&mentions) {
            return true;
        }
        let on = self.old.table(&trigger.table).into_iter();
        let read = self
            .old
            .tables
            .iter()
            .filter(|t| mentions.contains(&t.name.to_lowercase()));
        on.chain(read).any(|t| self.under(t, &trigger.sql, &mentions))
    }
}

/// The fate of each view (by name) on either side.
fn view_fates(old: &Schema, new: &Schema, shaken: &Shaken) -> BTreeMap<String, Fate> {
    let mut fates: BTreeMap<String, Fate> = BTreeMap::new();
    for v in &old.views {
        let fate = match new.view(&v.name) {
            None => Fate::Drop,
            Some(_) if shaken.view(v) => Fate::Recreate,
            Some(n) if Object::View(v.clone()).same_definition(&Object::View(n.clone())) => Fate::Keep,
            Some(n) if replaceable(v, n) => Fate::Replace,
            Some(_) => Fate::Recreate,
        };
        fates.insert(v.name.clone(), fate);
    }
    // a view reading a view that is dropped (or dropped and created again) is re-created too
    loop {
        let gone: BTreeSet<String> = fates
            .iter()
            .filter(|(_, f)| matches!(f, Fate::Recreate | Fate::Drop))
            .map(|(n, _)| n.to_lowercase())
            .collect();
        let mut changed = false;
        for v in &old.views {
            let fate = fates.get(&v.name).copied();
            if matches!(fate, Some(Fate::Keep | Fate::Replace)) && v.mentions().iter().any(|m| gone.contains(m)) {
                fates.insert(v.name.clone(), Fate::Recreate);
                changed = true;
            }
        }
        if !changed {
            return fates;
        }
    }
}

/// `true` when `CREATE OR REPLACE VIEW` can turn `old` into `new`: neither is materialized and the
/// model reads the same columns from both (PostgreSQL keeps a view's columns when it replaces it).
fn replaceable(old: &View, new: &View) -> bool {
    let shape = |v: &View| -> Vec<(String, String)> {
        v.column_shape()
            .into_iter()
            .map(|(name, _, ty)| (name, ty.to_sql(Dialect::Postgres)))
            .collect()
    };
    !old.materialized && !new.materialized && shape(old) == shape(new)
}
