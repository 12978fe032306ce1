//! The SQL of one SQLite table rebuild block (see the [module docs](super)).

use super::tables::Names;
use crate::ir::{Column, ColumnType, DefaultValue, Dialect, EnumRename, Schema, Table};
use crate::ops::Op;
use crate::render::{comment_line, quote_ident, render_op};
use std::collections::{BTreeMap, BTreeSet};

const SQLITE: Dialect = Dialect::Sqlite;
/// The `TEMP` table whose `CHECK` constraints abort a migration that would go wrong.
const GUARD: &str = "__model_rebuild_check";
/// Its constraint on triggers, named after the problem (SQLite prints the name when it fails).
const NO_TRIGGER: &str = "a table this migration rebuilds has a trigger the crate does not manage, which dropping \
                          the table would lose: put it in the objects folder, or drop it before migrating and \
                          create it again after";
/// Its constraint on foreign keys.
const FK_OK: &str = "after rebuilding, some rows reference rows that do not exist: see PRAGMA foreign_key_check";

/// Tables rebuilt in one block, and the statements that do it.
#[derive(Debug, PartialEq)]
pub(in crate::plan) struct Rebuild {
    /// The block runs just before the op at this position of the other ops (at the end when it is
    /// their number).
    pub at: usize,
    /// The ops the block carries out, in their order.
    pub ops: Vec<Op>,
    /// The statements of the block, without `;`, each may start with `-- ` lines.
    pub statements: Vec<String>,
    /// Statements run at the very end of the script: the foreign key check.
    pub checks: Vec<String>,
    /// The tables rebuilt, named as after the migration.
    pub tables: Vec<String>,
}

/// One rebuilt table: before, after, and which old column each new one is copied from.
struct Pair<'a> {
    old: &'a Table,
    new: &'a Table,
    /// New column name → old column name, for renamed columns.
    renamed: BTreeMap<&'a str, &'a str>,
}

impl Rebuild {
    /// The block rebuilding `tables` (named as after the migration) from `from` to `to`, carrying
    /// out `ops` (each with the name after the migration of its table), run before `ops[at]`.
    pub(super) fn new(
        at: usize,
        ops: &[(String, Op)],
        tables: &BTreeSet<String>,
        (from, to): (&Schema, &Schema),
        names: &Names,
        values: &ValueRenames,
    ) -> Rebuild {
        let pairs: Vec<Pair> = tables
            .iter()
            .filter_map(|name| {
                let old = from.table(names.before(name))?;
                let new = to.table(name)?;
                let renamed = ops
                    .iter()
                    .filter(|(t, _)| t == name)
                    .filter_map(|(_, op)| match op {
                        Op::RenameColumn { from, to, .. } => Some((to.as_str(), from.as_str())),
                        _ => None,
                    })
                    .collect();
                Some(Pair { old, new, renamed })
            })
            .collect();
        let order = drop_order(&pairs);
        let listed = pairs
            .iter()
            .map(|p| format!("\"{}\"", p.new.name))
            .collect::<Vec<_>>()
            .join(", ");
        let mut statements = vec![
            commented(
                &format!(
                    "SQLite cannot make these changes in place: rebuild {listed} (rows saved to TEMP tables, \
                     tables dropped and created again, rows copied back)"
                ),
                guard_table(),
            ),
            trigger_check(&pairs, from),
        ];
        // a renamed table is renamed in place first: SQLite then points the other tables' foreign
        // keys (one created earlier in the migration under the old name too) at the new name,
        // which dropping and creating it again would leave dangling (not when the new name is
        // still another table's before the migration: two tables swapping names)
        let in_place = |p: &Pair| p.old.name != p.new.name && from.table(&p.new.name).is_none();
        for p in order.iter().filter(|p| in_place(p)) {
            statements.push(format!(
                "ALTER TABLE {} RENAME TO {}",
                quote_ident(&p.old.name, SQLITE),
                quote_ident(&p.new.name, SQLITE)
            ));
        }
        let current = |p: &Pair| quote_ident(if in_place(p) { &p.new.name } else { &p.old.name }, SQLITE);
        statements.extend(
            order
                .iter()
                .map(|p| format!("CREATE TABLE {} AS SELECT * FROM {}", saved(p.old), current(p))),
        );
        statements.extend(order.iter().map(|p| format!("DROP TABLE {}", current(p))));
        for p in order.iter().rev() {
            statements.extend(render_op(&Op::CreateTable { table: p.new.clone() }, SQLITE));
        }
        statements.extend(order.iter().rev().map(|p| copy(p, values)));
        statements.extend(order.iter().map(|p| format!("DROP TABLE {}", saved(p.old))));
        for p in order.iter().rev() {
            for index in &p.new.indexes {
                let op = Op::CreateIndex {
                    table: p.new.name.clone(),
                    index: index.clone(),
                };
                statements.extend(render_op(&op, SQLITE));
            }
        }
        // the managed triggers of the rebuilt tables, as the migration leaves them
        let triggers = to.triggers.iter().filter(|t| tables.contains(&t.table));
        for (n, t) in triggers.enumerate() {
            let op = Op::CreateObject {
                object: crate::ir::Object::Trigger(t.clone()),
            };
            for s in render_op(&op, SQLITE) {
                statements.push(if n == 0 {
                    commented("dropping the tables dropped their triggers: create them again", s)
                } else {
                    s
                });
            }
        }
        Rebuild {
            tables: tables.iter().cloned().collect(),
            at,
            ops: ops.iter().map(|(_, op)| op.clone()).collect(),
            statements,
            checks: vec![
                commented(
                    "no row of a rebuilt table may reference a missing row",
                    fk_check(&pairs),
                ),
                format!("DROP TABLE temp.{}", quote_ident(GUARD, SQLITE)),
            ],
        }
    }
}

/// Referencing tables before the tables they reference (a cycle is broken by name), so dropping
/// a table fires no foreign key action on rows of another old table when it can be helped.
fn drop_order<'a, 'p>(pairs: &'p [Pair<'a>]) -> Vec<&'p Pair<'a>> {
    let mut left: Vec<&Pair> = pairs.iter().collect();
    let mut order = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let referenced = |p: &Pair| {
            left.iter().any(|other| {
                other.old.name != p.old.name && other.old.foreign_keys.iter().any(|fk| fk.ref_table == p.old.name)
            })
        };
        let next = left.iter().position(|p| !referenced(p)).unwrap_or(0);
        order.push(left.remove(next));
    }
    order
}

/// `-- why` above `statement`.
fn commented(why: &str, statement: String) -> String {
    format!("{}\n{statement}", comment_line(why))
}

/// The `TEMP` table a rebuilt table's rows wait in.
fn saved(old: &Table) -> String {
    format!("temp.{}", quote_ident(&format!("__model_old_{}", old.name), SQLITE))
}

fn guard_table() -> String {
    let column = |name: &str, constraint: &str| {
        format!(
            "    {} INTEGER CONSTRAINT {} CHECK ({})",
            quote_ident(name, SQLITE),
            quote_ident(constraint, SQLITE),
            quote_ident(name, SQLITE)
        )
    };
    format!(
        "CREATE TEMP TABLE {} (\n{},\n{}\n)",
        quote_ident(GUARD, SQLITE),
        column("no_trigger", NO_TRIGGER),
        column("fk_ok", FK_OK)
    )
}

/// A string literal of a table name.
fn literal(name: &str) -> String {
    crate::ir::Literal::Str(name.to_string()).to_sql(SQLITE)
}

/// No trigger on a rebuilt table but the managed ones (of `from`, which the block creates again).
fn trigger_check(pairs: &[Pair], from: &Schema) -> String {
    let names = pairs
        .iter()
        .map(|p| literal(&p.old.name))
        .collect::<Vec<_>>()
        .join(", ");
    let managed: Vec<String> = from
        .triggers
        .iter()
        .filter(|t| pairs.iter().any(|p| p.old.name == t.table))
        .map(|t| literal(&t.name))
        .collect();
    let unmanaged = if managed.is_empty() {
        String::new()
    } else {
        format!(" AND name COLLATE NOCASE NOT IN ({})", managed.join(", "))
    };
    format!(
        "INSERT INTO temp.{} (\"no_trigger\") SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'trigger' \
         AND tbl_name COLLATE NOCASE IN ({names}){unmanaged})",
        quote_ident(GUARD, SQLITE)
    )
}

fn fk_check(pairs: &[Pair]) -> String {
    let each = pairs
        .iter()
        .map(|p| format!("SELECT 1 FROM pragma_foreign_key_check({})", literal(&p.new.name)))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    format!(
        "INSERT INTO temp.{} (\"fk_ok\") SELECT NOT EXISTS ({each})",
        quote_ident(GUARD, SQLITE)
    )
}

/// `INSERT INTO "new" (..) SELECT .. FROM <saved old>`: every new column that existed before
/// (under its old name when renamed) gets its old value, converted (see [`value`]); new columns
/// get their default.
fn copy(p: &Pair, values: &ValueRenames) -> String {
    let (targets, values): (Vec<String>, Vec<String>) = p
        .new
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old_name = p.renamed.get(c.name.as_str()).copied().unwrap_or(&c.name);
            let old = p.old.column(old_name)?;
            Some((quote_ident(&c.name, SQLITE), mapped(value(old, c), c, values)))
        })
        .unzip();
    if targets.is_empty() {
        return comment_line(&format!(
            "no column of \"{}\" is kept, so none of its rows is copied",
            p.new.name
        ));
    }
    format!(
        "INSERT INTO {} ({}) SELECT {} FROM {}",
        quote_ident(&p.new.name, SQLITE),
        targets.join(", "),
        values.join(", "),
        saved(p.old)
    )
}

/// The value renames of the enum types of one migration, by type name (under each name the type has
/// in the migration).
pub(super) type ValueRenames = BTreeMap<String, Vec<EnumRename>>;

/// The [`Op::RenameEnumValues`] of `ops`, by type name (also under the other names of types that
/// [`Op::RenameEnum`] renames).
pub(super) fn value_renames(ops: &[Op]) -> ValueRenames {
    let mut out = ValueRenames::new();
    for op in ops {
        if let Op::RenameEnumValues { ty, renames, .. } = op {
            out.entry(ty.name.clone()).or_default().extend(renames.iter().cloned());
            for other in ops {
                if let Op::RenameEnum { from, to } = other {
                    if *from == ty.name || *to == ty.name {
                        let alias = if *from == ty.name { to } else { from };
                        out.entry(alias.clone()).or_default().extend(renames.iter().cloned());
                    }
                }
            }
        }
    }
    out
}

/// `value` with the renamed values of `new`'s enum type mapped to their new names.
fn mapped(value: String, new: &Column, values: &ValueRenames) -> String {
    let ColumnType::Enum(e) = &new.ty else { return value };
    let Some(renames) = values.get(&e.name).filter(|r| !r.is_empty()) else {
        return value;
    };
    let lit = |v: &str| crate::ir::Literal::Str(v.to_string()).to_sql(SQLITE);
    let whens: Vec<String> = renames
        .iter()
        .map(|r| format!("WHEN {} THEN {}", lit(&r.from), lit(&r.to)))
        .collect();
    format!("CASE {value} {} ELSE {value} END", whens.join(" "))
}

/// The value of `new` from the old column: `CAST(.. AS <type>)` when SQLite's type changes, and
/// `COALESCE(.., <default>)` when the column becomes `NOT NULL` with a default.
fn value(old: &Column, new: &Column) -> String {
    let mut value = quote_ident(&old.name, SQLITE);
    let ty = new.ty.to_sql(SQLITE);
    if old.ty.to_sql(SQLITE) != ty {
        value = format!("CAST({value} AS {ty})");
    }
    if let (true, false, Some(default)) = (old.nullable, new.nullable, &new.default) {
        let default = match default {
            DefaultValue::Literal(lit) => lit.to_sql(SQLITE),
            DefaultValue::Sql(sql) => format!("({sql})"),
        };
        value = format!("COALESCE({value}, {default})");
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ColumnType, Literal};
    use crate::ops::fixtures::{col, nullable};

    #[test]
    fn values_are_converted() {
        let a = nullable("a", ColumnType::Text);
        assert_eq!(value(&a, &a), r#""a""#);
        let int = Column {
            default: Some(DefaultValue::Literal(Literal::Int(0))),
            ..col("a", ColumnType::BigInt)
        };
        assert_eq!(value(&a, &int), r#"COALESCE(CAST("a" AS INTEGER), 0)"#);
        let raw = Column {
            default: Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into())),
            ..col("a", ColumnType::Timestamp)
        };
        assert_eq!(value(&a, &raw), r#"COALESCE("a", (CURRENT_TIMESTAMP))"#);
        // bool, i16, i32 and i64 are all INTEGER on SQLite: nothing to convert.
        assert_eq!(
            value(&col("b", ColumnType::Bool), &col("b", ColumnType::BigInt)),
            r#""b""#
        );
    }
}
