//! Changes a dialect cannot see, taken out before the diff so they write nothing: a column whose
//! type changes between two types the dialect stores alike (on SQLite `VARCHAR(100)` →
//! `VARCHAR(200)`, `i32` → `i64`, `bool` → `i64`: all `TEXT` or `INTEGER` there; on MySQL a UUID
//! and `sql_type = "binary(16)"`), and on SQLite, which has no comments, a comment.
//!
//! Such a change is in the models and in the next recorded state, but it gives no op: no migration
//! for it alone, no table rebuild on SQLite, no data-loss refusal.

use crate::ir::{Dialect, Schema, Table};

/// `old` (the recorded state) with what `dialect` cannot tell apart from `new` (the models) made
/// as in `new`: the type of each column both have when both types are stored alike
/// ([`ColumnType::stored_as`](crate::ir::ColumnType::stored_as)), and on SQLite the comments of
/// tables and columns. Tables and columns are paired by name, else by their `renamed_from`, as the
/// diff pairs them.
pub(super) fn align(old: &Schema, new: &Schema, dialect: Dialect) -> Schema {
    let mut aligned = old.clone();
    for table in &new.tables {
        let Some(before) = paired_table(&mut aligned, old, table) else {
            continue;
        };
        if dialect == Dialect::Sqlite {
            before.comment.clone_from(&table.comment);
        }
        for column in &table.columns {
            let name = if before.column(&column.name).is_some() {
                Some(column.name.as_str())
            } else {
                column.renamed_from.as_deref()
            };
            let Some(c) = name.and_then(|n| before.columns.iter_mut().find(|c| c.name == n)) else {
                continue;
            };
            if c.ty != column.ty && c.ty.stored_as(dialect) == column.ty.stored_as(dialect) {
                c.ty = column.ty.clone();
            }
            if dialect == Dialect::Sqlite {
                c.comment.clone_from(&column.comment);
            }
        }
    }
    aligned
}

/// The table of `aligned` (a copy of `old`) that `table` of the models continues: the one of its
/// name, else the one it is `renamed_from` (when no table of `old` has its name).
fn paired_table<'a>(aligned: &'a mut Schema, old: &Schema, table: &Table) -> Option<&'a mut Table> {
    let name = if old.table(&table.name).is_some() {
        table.name.as_str()
    } else {
        table.renamed_from.as_deref()?
    };
    aligned.tables.iter_mut().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Column, ColumnType};

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
        assert_eq!(align(&old, &new, Dialect::Sqlite), new);
        assert_eq!(align(&old, &new, Dialect::Postgres), old);
        let uuid = schema(ColumnType::Uuid, None);
        let binary = schema(
            ColumnType::Custom {
                sql: "binary(16)".into(),
            },
            None,
        );
        assert_eq!(align(&uuid, &binary, Dialect::Mysql), binary);
        assert_eq!(align(&uuid, &binary, Dialect::Postgres), uuid);
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
