//! Words for the column ops, and what a column change can lose.

use super::quoted;
use crate::ir::{Column, ColumnType, Dialect};

pub(super) fn describe_add(table: &str, column: &Column) -> String {
    format!("add column {} to {}", quoted(&column.name), quoted(table))
}

pub(super) fn describe_drop(table: &str, column: &Column) -> String {
    format!(
        "drop column {} from {} (its values are lost)",
        quoted(&column.name),
        quoted(table)
    )
}

pub(super) fn data_loss_of_drop(table: &str, column: &Column) -> String {
    format!(
        "drops column {} of {} and all its values",
        quoted(&column.name),
        quoted(table)
    )
}

/// `alter column "c" of "t": type BIGINT → INTEGER, NOT NULL, default 0`, naming each aspect changed.
pub(super) fn describe_alter(table: &str, from: &Column, to: &Column) -> String {
    let mut what = Vec::new();
    if from.ty != to.ty {
        // PostgreSQL spelling: the words are dialect-neutral enough to read.
        what.push(format!(
            "type {} → {}",
            from.ty.to_sql(Dialect::Postgres),
            to.ty.to_sql(Dialect::Postgres)
        ));
    }
    if from.nullable != to.nullable {
        what.push(if to.nullable { "allow NULL" } else { "NOT NULL" }.to_string());
    }
    if from.default != to.default {
        what.push(match &to.default {
            Some(_) => "set default".to_string(),
            None => "drop default".to_string(),
        });
    }
    if from.identity != to.identity {
        what.push(if to.identity { "add identity" } else { "drop identity" }.to_string());
    }
    if from.comment != to.comment {
        what.push(
            if to.comment.is_some() {
                "set comment"
            } else {
                "remove comment"
            }
            .to_string(),
        );
    }
    format!(
        "alter column {} of {}: {}",
        quoted(&to.name),
        quoted(table),
        what.join(", ")
    )
}

/// What changing `from` into `to` can lose, or `None` when every value survives and the reverse
/// change restores it. Conservative: a type change is lossless only when it widens
/// (see [`widens`]).
pub(super) fn data_loss_of_alter(table: &str, from: &Column, to: &Column) -> Option<String> {
    let mut lost = Vec::new();
    if from.ty != to.ty && !widens(&from.ty, &to.ty) {
        lost.push(format!(
            "converts column {} of {} from {} to {}, which can fail or truncate values",
            quoted(&to.name),
            quoted(table),
            from.ty.to_sql(Dialect::Postgres),
            to.ty.to_sql(Dialect::Postgres)
        ));
    }
    if from.nullable && !to.nullable && to.default.is_none() {
        lost.push(format!(
            "makes column {} of {} NOT NULL without a default: rows holding NULL make it fail",
            quoted(&to.name),
            quoted(table)
        ));
    }
    (!lost.is_empty()).then(|| lost.join("; "))
}

/// `true` when every value of `from` converts to `to` exactly (and back).
pub(crate) fn widens(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    let rank = |t: &ColumnType| match t {
        SmallInt => Some(1),
        Integer => Some(2),
        BigInt => Some(3),
        _ => None,
    };
    match (from, to) {
        (a, b) if a == b => true,
        (a, b) if rank(a).is_some() && rank(b).is_some() => rank(a) <= rank(b),
        (Real, Double) => true,
        (Varchar { len: a }, Varchar { len: b }) => a <= b,
        (Varchar { .. }, Text) => true,
        (
            Numeric {
                precision: Some(p1),
                scale: s1,
            },
            Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            s2 >= s1 && p2.saturating_sub(s2) >= p1.saturating_sub(s1)
        }
        (Numeric { .. }, Numeric { precision: None, .. }) => true,
        (SmallInt | Integer | BigInt, Numeric { precision: None, .. }) => true,
        (Timestamp, Timestamptz) => false,
        _ => false,
    }
}
