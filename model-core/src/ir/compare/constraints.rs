//! Comparison of keys, constraints and indexes: by name and by content, in any order.

use super::normalize::normalize_expr;
use crate::ir::{Check, ForeignKey, Index, PrimaryKey, Table, UniqueConstraint};

/// Compare the primary key, uniques, indexes, foreign keys and checks of two versions of one table.
pub(super) fn compare_constraints(model: &Table, live: &Table, out: &mut Vec<String>) {
    let (mk, lk) = (model.primary_key.as_slice(), live.primary_key.as_slice());
    named(
        "primary key",
        mk,
        lk,
        |k: &PrimaryKey| &k.name,
        |k| cols(&k.columns),
        |k| cols(&k.columns),
        out,
    );
    let (mu, lu) = (&model.uniques, &live.uniques);
    named(
        "unique constraint",
        mu,
        lu,
        |u: &UniqueConstraint| &u.name,
        |u| cols(&u.columns),
        |u| cols(&u.columns),
        out,
    );
    let (mi, li) = (&model.indexes, &live.indexes);
    named(
        "index",
        mi,
        li,
        |i: &Index| &i.name,
        |i| show_index(i, |w| w.to_string()),
        |i| show_index(i, normalize_expr),
        out,
    );
    let (mf, lf) = (&model.foreign_keys, &live.foreign_keys);
    named("foreign key", mf, lf, |f: &ForeignKey| &f.name, show_fk, show_fk, out);
    let (mc, lc) = (&model.checks, &live.checks);
    named(
        "check",
        mc,
        lc,
        |c: &Check| &c.name,
        |c| c.sql.clone(),
        |c| normalize_expr(&c.sql),
        out,
    );
}

/// Match the items of both lists by name; report the missing, the extra and those whose content
/// differs. `show` is the content for messages, `key` the content compared.
fn named<T>(
    kind: &str,
    model: &[T],
    live: &[T],
    name: impl Fn(&T) -> &String,
    show: impl Fn(&T) -> String,
    key: impl Fn(&T) -> String,
    out: &mut Vec<String>,
) {
    for m in model {
        match live.iter().find(|l| name(l) == name(m)) {
            Some(l) if key(m) != key(l) => out.push(format!(
                "{kind} \"{}\": {} in the model, {} in the database",
                name(m),
                show(m),
                show(l)
            )),
            Some(_) => {}
            None => out.push(format!("{kind} \"{}\" {}: missing in the database", name(m), show(m))),
        }
    }
    for l in live {
        if !model.iter().any(|m| name(m) == name(l)) {
            out.push(format!(
                "{kind} \"{}\" {}: in the database but not in the model",
                name(l),
                show(l)
            ));
        }
    }
}

fn cols(columns: &[String]) -> String {
    format!("({})", columns.join(", "))
}

fn show_index(i: &Index, predicate: impl Fn(&str) -> String) -> String {
    let mut s = if i.unique {
        format!("UNIQUE {}", cols(&i.columns))
    } else {
        cols(&i.columns)
    };
    if let Some(w) = &i.where_sql {
        s.push_str(" WHERE ");
        s.push_str(&predicate(w));
    }
    s
}

fn show_fk(f: &ForeignKey) -> String {
    format!(
        "{} REFERENCES {}{} ON DELETE {} ON UPDATE {}",
        cols(&f.columns),
        f.ref_table,
        cols(&f.ref_columns),
        f.on_delete.sql(),
        f.on_update.sql()
    )
}
