//! Column-level comparison.

use super::normalize::{normalize_default, normalize_expr};
use super::{has_comments, rendered, show_opt};
use crate::ir::{Column, Dialect, Table};

/// Compare the columns of two versions of one table, ignoring their order.
pub(super) fn compare_columns(model: &Table, live: &Table, dialect: Dialect, out: &mut Vec<String>) {
    for m in &model.columns {
        match live.column(&m.name) {
            Some(l) => compare_column(m, l, dialect, out),
            None => out.push(format!("column \"{}\": missing in the database", m.name)),
        }
    }
    for l in &live.columns {
        if model.column(&l.name).is_none() {
            out.push(format!("column \"{}\": in the database but not in the model", l.name));
        }
    }
}

fn compare_column(m: &Column, l: &Column, dialect: Dialect, out: &mut Vec<String>) {
    let mut push = |what: String| out.push(format!("column \"{}\": {what}", m.name));
    let (mt, lt) = (rendered(&m.ty, dialect), rendered(&l.ty, dialect));
    if mt != lt {
        push(format!("type {mt} in the model, {lt} in the database"));
    }
    if m.nullable != l.nullable {
        push(format!(
            "{} in the model, {} in the database",
            null_word(m),
            null_word(l)
        ));
    }
    // On SQLite the identity column is the single INTEGER PRIMARY KEY: it follows from the type and
    // the key, which are compared on their own.
    if dialect != Dialect::Sqlite && m.identity != l.identity {
        push(format!(
            "{} in the model, {} in the database",
            identity_word(m),
            identity_word(l)
        ));
    }
    let generation = |c: &Column| {
        c.generated.as_ref().map(|g| {
            let how = if g.is_virtual { "VIRTUAL" } else { "STORED" };
            (normalize_expr(&g.sql), format!("generated as ({}) {how}", g.sql))
        })
    };
    match (generation(m), generation(l)) {
        (Some((a, words)), Some((b, live))) if a != b || words.ends_with("VIRTUAL") != live.ends_with("VIRTUAL") => {
            push(format!("{words} in the model, {live} in the database"))
        }
        (Some((_, words)), None) => push(format!("{words} in the model, not generated in the database")),
        (None, Some((_, live))) => push(format!("not generated in the model, {live} in the database")),
        _ => {}
    }
    let md = m.default.as_ref().map(|d| normalize_default(d, dialect));
    let ld = l.default.as_ref().map(|d| normalize_default(d, dialect));
    if md != ld {
        push(format!(
            "default {} in the model, {} in the database",
            show_opt(&md),
            show_opt(&ld)
        ));
    }
    if has_comments(dialect) && m.comment != l.comment {
        push(format!(
            "comment {} in the model, {} in the database",
            show_opt(&m.comment),
            show_opt(&l.comment)
        ));
    }
}

fn null_word(c: &Column) -> &'static str {
    if c.nullable {
        "NULL"
    } else {
        "NOT NULL"
    }
}

fn identity_word(c: &Column) -> &'static str {
    if c.identity {
        "identity"
    } else {
        "not identity"
    }
}
