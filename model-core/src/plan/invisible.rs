//! Changes a dialect cannot see, taken out before the diff so they write nothing: a column whose
//! type changes between two types the dialect stores alike (on SQLite `VARCHAR(100)` →
//! `VARCHAR(200)`, `i32` → `i64`, `bool` → `i64`: all `TEXT` or `INTEGER` there; on MySQL a UUID
//! and `sql_type = "binary(16)"`), and on SQLite, which has no comments, a comment.
//!
//! Such a change is in the models and in the next recorded state, but it gives no op: no migration
//! for it alone, no table rebuild on SQLite, no data-loss refusal.

use crate::ir::{ColumnType, Dialect, Schema};
use std::borrow::Cow;
use std::collections::HashMap;

/// One difference [`align`] takes out of the recorded state.
enum Fix<'n> {
    /// `(table)`'s comment becomes the models' (SQLite).
    TableComment(usize, &'n Option<String>),
    /// `(table, column)`'s type becomes the models' (stored alike).
    ColumnType(usize, usize, &'n ColumnType),
    /// `(table, column)`'s comment becomes the models' (SQLite).
    ColumnComment(usize, usize, &'n Option<String>),
}

/// `old` (the recorded state) with what `dialect` cannot tell apart from `new` (the models) made
/// as in `new`: the type of each column both have when both types are stored alike
/// ([`ColumnType::stored_as`](crate::ir::ColumnType::stored_as)), and on SQLite the comments of
/// tables and columns. Tables and columns are paired by name, else by their `renamed_from`, as the
/// diff pairs them. Borrowed when there is nothing to align (no copy of the schema); tables are
/// looked up by name in a map, so the cost is linear in the tables.
pub(super) fn align<'a>(old: &'a Schema, new: &Schema, dialect: Dialect) -> Cow<'a, Schema> {
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(old.tables.len());
    for (i, t) in old.tables.iter().enumerate() {
        by_name.entry(t.name.as_str()).or_insert(i);
    }
    let mut fixes = Vec::new();
    for table in &new.tables {
        // the one of its name, else the one it is `renamed_from`
        let paired = match by_name.get(table.name.as_str()) {
            Some(i) => Some(*i),
            None => table.renamed_from.as_deref().and_then(|r| by_name.get(r).copied()),
        };
        let Some(ti) = paired else { continue };
        let before = &old.tables[ti];
        if dialect == Dialect::Sqlite && before.comment != table.comment {
            fixes.push(Fix::TableComment(ti, &table.comment));
        }
        for column in &table.columns {
            let name = if before.column(&column.name).is_some() {
                Some(column.name.as_str())
            } else {
                column.renamed_from.as_deref()
            };
            let Some(ci) = name.and_then(|n| before.columns.iter().position(|c| c.name == n)) else {
                continue;
            };
            let c = &before.columns[ci];
            if c.ty != column.ty && c.ty.stored_as(dialect) == column.ty.stored_as(dialect) {
                fixes.push(Fix::ColumnType(ti, ci, &column.ty));
            }
            if dialect == Dialect::Sqlite && c.comment != column.comment {
                fixes.push(Fix::ColumnComment(ti, ci, &column.comment));
            }
        }
    }
    if fixes.is_empty() {
        return Cow::Borrowed(old);
    }
    let mut aligned = old.clone();
    for fix in fixes {
        match fix {
            Fix::TableComment(t, comment) => aligned.tables[t].comment.clone_from(comment),
            Fix::ColumnType(t, c, ty) => aligned.tables[t].columns[c].ty = ty.clone(),
            Fix::ColumnComment(t, c, comment) => aligned.tables[t].columns[c].comment.clone_from(comment),
        }
    }
    Cow::Owned(aligned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Column, Table};

    fn schema(ty: ColumnType, comment: Option<&str>) -> Schema {
        let mut t = Table::new("posts");
        t.columns.push(Column {
            comment: comment.map(String::from),
            ..Column::new("slug", ty)
        });
        Schema::new(vec![t])
    }

    #[test]
    fn types_stored_alike_and_sqlite_comments_are_aligned() {
        let old = schema(ColumnType::Varchar { len: 100 }, None);
        let new = schema(ColumnType::Varchar { len: 200 }, Some("the slug"));
        assert_eq!(*align(&old, &new, Dialect::Sqlite), new);
        assert_eq!(*align(&old, &new, Dialect::Postgres), old);
        let uuid = schema(ColumnType::Uuid, None);
        let binary = schema(
            ColumnType::Custom {
                sql: "binary(16)".into(),
            },
            None,
        );
        assert_eq!(*align(&uuid, &binary, Dialect::Mysql), binary);
        assert_eq!(*align(&uuid, &binary, Dialect::Postgres), uuid);
    }

    #[test]
    fn renamed_tables_and_columns_are_followed() {
        let old = schema(ColumnType::Integer, None);
        let mut new = schema(ColumnType::BigInt, None);
        new.tables[0].name = "articles".into();
        new.tables[0].renamed_from = Some("posts".into());
        new.tables[0].columns[0].name = "handle".into();
        new.tables[0].columns[0].renamed_from = Some("slug".into());
        let aligned = align(&old, &new, Dialect::Sqlite);
        assert_eq!(aligned.tables[0].name, "posts");
        assert_eq!(aligned.tables[0].columns[0].ty, ColumnType::BigInt);
    }
}
