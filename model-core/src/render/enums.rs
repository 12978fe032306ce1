//! The enum type ops: PostgreSQL's `CREATE TYPE`, `ALTER TYPE` and the rename-and-recreate of a type;
//! MySQL's widening of a column around a value rename. SQLite renders none of them: its columns are
//! `TEXT` with a `CHECK`, changed by the table rebuild (which also maps renamed values).

use super::column::{column_def, default_sql};
use super::ident::quote_table;
use super::ident::{quote_ident, string_literal};
use crate::ir::{ColumnType, DefaultValue, Dialect, EnumRename, EnumType, Literal, Table};
use crate::ops::{only_adds, EnumUse};

const PG: Dialect = Dialect::Postgres;

/// `'a', 'b'` as SQL string literals.
fn values(values: &[String], dialect: Dialect) -> String {
    values
        .iter()
        .map(|v| string_literal(v, dialect))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE TYPE "s" AS ENUM ('a', 'b')` (PostgreSQL only).
pub(super) fn create(ty: &EnumType, dialect: Dialect) -> Vec<String> {
    if dialect != PG {
        return Vec::new();
    }
    vec![format!(
        "CREATE TYPE {} AS ENUM ({})",
        quote_ident(&ty.name, PG),
        values(&ty.values, PG)
    )]
}

/// `DROP TYPE "s"` (PostgreSQL only).
pub(super) fn drop(ty: &EnumType, dialect: Dialect) -> Vec<String> {
    if dialect != PG {
        return Vec::new();
    }
    vec![format!("DROP TYPE {}", quote_ident(&ty.name, PG))]
}

/// `ALTER TYPE "a" RENAME TO "b"` (PostgreSQL only).
pub(super) fn rename(from: &str, to: &str, dialect: Dialect) -> Vec<String> {
    if dialect != PG {
        return Vec::new();
    }
    vec![format!(
        "ALTER TYPE {} RENAME TO {}",
        quote_ident(from, PG),
        quote_ident(to, PG)
    )]
}

/// PostgreSQL: `ALTER TYPE "s" RENAME VALUE 'a' TO 'b'` per rename (the rows follow, nothing is
/// rewritten). MySQL: each column is widened to hold the old and the new values, its rows are
/// updated, and it is narrowed to the new values.
pub(super) fn rename_values(ty: &EnumType, renames: &[EnumRename], users: &[EnumUse], dialect: Dialect) -> Vec<String> {
    match dialect {
        Dialect::Postgres => renames
            .iter()
            .map(|r| {
                format!(
                    "ALTER TYPE {} RENAME VALUE {} TO {}",
                    quote_ident(&ty.name, PG),
                    string_literal(&r.from, PG),
                    string_literal(&r.to, PG)
                )
            })
            .collect(),
        Dialect::Mysql => mysql_rename_values(ty, renames, users),
        Dialect::Sqlite => Vec::new(),
    }
}

fn mysql_rename_values(ty: &EnumType, renames: &[EnumRename], users: &[EnumUse]) -> Vec<String> {
    let d = Dialect::Mysql;
    let mut both = Vec::new();
    for v in &ty.values {
        both.push(v.clone());
        both.extend(renames.iter().filter(|r| r.from == *v).map(|r| r.to.clone()));
    }
    let wide = EnumType::new(ty.name.clone(), both);
    let narrow = crate::ops::renamed(ty, renames);
    let mut out = Vec::new();
    for u in users {
        out.push(mysql_modify(u, &wide));
        let c = quote_ident(&u.column.name, d);
        for r in renames {
            out.push(format!(
                "UPDATE {} SET {c} = {} WHERE {c} = {}",
                quote_table(&u.table, d),
                string_literal(&r.to, d),
                string_literal(&r.from, d)
            ));
        }
        out.push(mysql_modify(u, &narrow));
    }
    out
}

/// `ALTER TABLE .. MODIFY COLUMN` restating the column `u` with type `ty` (MySQL). A default that is
/// not among the values is left out (the column's own change sets its new default).
fn mysql_modify(u: &EnumUse, ty: &EnumType) -> String {
    let d = Dialect::Mysql;
    let mut column = u.column.clone();
    column.ty = ColumnType::Enum(ty.clone());
    if matches!(&column.default, Some(DefaultValue::Literal(Literal::Str(v))) if !ty.values.contains(v)) {
        column.default = None;
    }
    format!(
        "ALTER TABLE {} MODIFY COLUMN {}",
        quote_table(&u.table, d),
        column_def(&Table::new(&u.table), &column, d)
    )
}

/// PostgreSQL: values only added become `ALTER TYPE .. ADD VALUE 'x' AFTER 'w'` (`BEFORE` the first
/// old value when `x` comes first); anything else (a value removed, values reordered) renames the
/// type to `<name>__old`, creates it anew, converts each column through text (its default dropped and
/// set again around it) and drops the old type. MySQL: each column is restated with the new values
/// (`MODIFY COLUMN`; MySQL refuses it when a row holds a removed value). SQLite: nothing (the table
/// rebuild does it).
pub(super) fn change(from: &EnumType, to: &EnumType, users: &[EnumUse], dialect: Dialect) -> Vec<String> {
    match dialect {
        Dialect::Postgres => {}
        Dialect::Mysql => return users.iter().map(|u| mysql_modify(u, to)).collect(),
        Dialect::Sqlite => return Vec::new(),
    }
    if only_adds(from, to) {
        return add_values(from, to);
    }
    let name = quote_ident(&to.name, PG);
    // cut like every generated name, so a long type name does not collide with itself once PostgreSQL
    // truncates it to 63 bytes
    let old = quote_ident(&crate::ir::limit_identifier(&format!("{}__old", to.name)), PG);
    let mut out = vec![
        format!("ALTER TYPE {name} RENAME TO {old}"),
        format!("CREATE TYPE {name} AS ENUM ({})", values(&to.values, PG)),
    ];
    for u in users {
        let alter = |what: String| {
            format!(
                "ALTER TABLE {} ALTER COLUMN {} {what}",
                quote_table(&u.table, PG),
                quote_ident(&u.column.name, PG)
            )
        };
        let default = u.column.default.as_ref().filter(|_| !u.column.identity);
        if default.is_some() {
            out.push(alter("DROP DEFAULT".into()));
        }
        let c = quote_ident(&u.column.name, PG);
        out.push(alter(format!("TYPE {name} USING {c}::text::{name}")));
        // a default naming a removed value stays dropped: the column's own change sets the new one
        let still_valid = |d: &&DefaultValue| match d {
            DefaultValue::Literal(Literal::Str(v)) => to.values.contains(v),
            _ => true,
        };
        if let Some(d) = default.filter(still_valid) {
            let ty = ColumnType::Enum(to.clone());
            out.push(alter(format!("SET DEFAULT {}", default_sql(d, &ty, PG))));
        }
    }
    out.push(format!("DROP TYPE {old}"));
    out
}

/// The `ADD VALUE` statements turning `from` into `to` (which only adds values), left to right.
fn add_values(from: &EnumType, to: &EnumType) -> Vec<String> {
    let name = quote_ident(&to.name, PG);
    let mut out = Vec::new();
    for (i, v) in to.values.iter().enumerate() {
        if from.values.contains(v) {
            continue;
        }
        let place = match i.checked_sub(1).and_then(|p| to.values.get(p)) {
            Some(prev) => format!("AFTER {}", string_literal(prev, PG)),
            None => match from.values.first() {
                Some(first) => format!("BEFORE {}", string_literal(first, PG)),
                None => String::new(),
            },
        };
        let stmt = format!("ALTER TYPE {name} ADD VALUE {} {place}", string_literal(v, PG));
        out.push(stmt.trim_end().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[&str]) -> EnumType {
        EnumType::new("s", v.iter().copied())
    }

    #[test]
    fn added_values_go_to_their_place() {
        let from = t(&["b", "d"]);
        let to = t(&["a", "z", "b", "c", "d", "e"]);
        assert_eq!(
            change(&from, &to, &[], PG),
            [
                r#"ALTER TYPE "s" ADD VALUE 'a' BEFORE 'b'"#,
                r#"ALTER TYPE "s" ADD VALUE 'z' AFTER 'a'"#,
                r#"ALTER TYPE "s" ADD VALUE 'c' AFTER 'b'"#,
                r#"ALTER TYPE "s" ADD VALUE 'e' AFTER 'd'"#,
            ]
        );
        assert!(change(&from, &to, &[], Dialect::Mysql).is_empty());
        assert!(change(&from, &to, &[], Dialect::Sqlite).is_empty());
    }

    #[test]
    fn a_reorder_recreates_the_type() {
        let sql = change(&t(&["a", "b"]), &t(&["b", "a"]), &[], PG);
        assert_eq!(sql[0], r#"ALTER TYPE "s" RENAME TO "s__old""#);
        assert_eq!(sql.last().map(String::as_str), Some(r#"DROP TYPE "s__old""#));
    }
}
