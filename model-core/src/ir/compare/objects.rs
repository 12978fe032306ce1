//! Comparison of the objects beyond tables: extensions, views, functions, triggers.

use super::Difference;
use crate::ir::{normalize_sql, Dialect, ObjectKind, Schema};
use std::collections::BTreeMap;

/// Every difference between the objects of `model` and `live`, by kind then name. The SQL of views,
/// functions and triggers is compared after [`normalize_sql`], so `model` should hold the forms the
/// database gives them (see [`crate::introspect::canonical`]).
pub(super) fn compare_objects(model: &Schema, live: &Schema, dialect: Dialect, out: &mut Vec<Difference>) {
    let push = |out: &mut Vec<Difference>, kind: ObjectKind, name: &str, what: String| {
        out.push(Difference {
            kind,
            table: name.to_string(),
            what,
        })
    };
    // an extension the model does not declare may be another application's: only missing ones count
    for e in &model.extensions {
        if live.extensions.iter().all(|l| l.name != e.name) {
            push(out, ObjectKind::Extension, &e.name, "missing in the database".into());
        }
    }

    let views = |s: &Schema| -> BTreeMap<String, crate::ir::View> {
        s.views.iter().map(|v| (v.name.clone(), v.clone())).collect()
    };
    let (mv, lv) = (views(model), views(live));
    for (name, m) in &mv {
        let Some(l) = lv.get(name) else {
            push(out, m.kind(), name, "missing in the database".into());
            continue;
        };
        if m.materialized != l.materialized {
            push(
                out,
                m.kind(),
                name,
                format!("a {} in the model, a {} in the database", m.kind(), l.kind()),
            );
        }
        if normalize_sql(&m.sql) != normalize_sql(&l.sql) {
            push(out, m.kind(), name, definitions(&m.sql, &l.sql));
        }
        if !l.columns.is_empty() {
            for c in m.columns.iter().filter(|c| l.columns.iter().all(|x| x.name != c.name)) {
                push(
                    out,
                    m.kind(),
                    name,
                    format!(
                        "column \"{}\": the model reads it, and the view does not return it",
                        c.name
                    ),
                );
            }
        }
        if dialect == Dialect::Postgres && m.comment != l.comment {
            push(
                out,
                m.kind(),
                name,
                format!("comment {:?} in the model, {:?} in the database", m.comment, l.comment),
            );
        }
    }
    for (name, l) in lv.iter().filter(|(n, _)| !mv.contains_key(*n)) {
        push(out, l.kind(), name, "in the database but not in the model".into());
    }

    // PostgreSQL may hold several functions of one name: they compare as one text
    let functions = |s: &Schema| -> BTreeMap<String, String> {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in &s.functions {
            by_name.entry(f.name.clone()).or_default().push(f.sql.clone());
        }
        by_name
            .into_iter()
            .map(|(n, mut texts)| {
                texts.sort();
                (n, texts.join("\n"))
            })
            .collect()
    };
    let (mf, lf) = (functions(model), functions(live));
    for (name, m) in &mf {
        match lf.get(name) {
            None => push(out, ObjectKind::Function, name, "missing in the database".into()),
            Some(l) if normalize_sql(m) != normalize_sql(l) => push(out, ObjectKind::Function, name, definitions(m, l)),
            Some(_) => {}
        }
    }
    for name in lf.keys().filter(|n| !mf.contains_key(*n)) {
        push(
            out,
            ObjectKind::Function,
            name,
            "in the database but not in the model".into(),
        );
    }

    for m in &model.triggers {
        match live.triggers.iter().find(|l| l.name == m.name) {
            None => push(out, ObjectKind::Trigger, &m.name, "missing in the database".into()),
            Some(l) if l.table != m.table => push(
                out,
                ObjectKind::Trigger,
                &m.name,
                format!("on \"{}\" in the model, on \"{}\" in the database", m.table, l.table),
            ),
            Some(l) if normalize_sql(&m.sql) != normalize_sql(&l.sql) => {
                push(out, ObjectKind::Trigger, &m.name, definitions(&m.sql, &l.sql))
            }
            Some(_) => {}
        }
    }
    for l in live
        .triggers
        .iter()
        .filter(|l| model.triggers.iter().all(|m| m.name != l.name))
    {
        push(
            out,
            ObjectKind::Trigger,
            &l.name,
            "in the database but not in the model".into(),
        );
    }
}

/// `its definition differs: in the model `..`, in the database `..``, each on one line.
fn definitions(model: &str, live: &str) -> String {
    format!(
        "its definition differs from the model's: the model says `{}`, the database `{}`",
        normalize_sql(model),
        normalize_sql(live)
    )
}
