//! Schema change operations: what a migration does, one step at a time.
//!
//! Every [`Op`] carries the state it replaces (a dropped table keeps its full definition), so
//! [`Op::reverse`] can always produce the step that undoes it. `down.sql` is the reverse of each
//! `up.sql` op, in reverse order — Alembic's design.
//!
//! The enum grows with the diff: column, constraint, rename and type changes are added next. One
//! file per op family holds the words for that family.

mod apply;
mod column;
mod constraint;
mod enums;
mod foreign_key;
mod index;
mod objects;
mod table;

pub use apply::{apply, ApplyError};
pub(crate) use enums::{added, renamed};
pub use enums::{only_adds, EnumUse};

use crate::ir::{Check, Column, EnumRename, EnumType, ForeignKey, Index, Object, PrimaryKey, Table, UniqueConstraint};

/// One schema change.
///
/// ```
/// use model_core::ir::Table;
/// use model_core::ops::Op;
/// let op = Op::CreateTable { table: Table::new("posts") };
/// assert_eq!(op.describe(), r#"create table "posts""#);
/// assert_eq!(op.reverse().reverse(), op);
/// assert!(op.reverse().data_loss().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
// a migration holds a few dozen ops: their size does not matter, boxing would only add noise
#[allow(clippy::large_enum_variant)]
pub enum Op {
    /// Create a table with its columns, primary key, unique constraints, checks, comments and
    /// foreign keys inline. Indexes are separate [`Op::CreateIndex`] ops.
    CreateTable {
        /// The table as created.
        table: Table,
    },
    /// Drop a table (and its rows).
    DropTable {
        /// The table as it was, so the drop can be reversed.
        table: Table,
    },
    /// Create an index on an existing table.
    CreateIndex {
        /// SQL name of the table.
        table: String,
        /// The index.
        index: Index,
    },
    /// Drop an index.
    DropIndex {
        /// SQL name of the table.
        table: String,
        /// The index as it was.
        index: Index,
    },
    /// Add a foreign key constraint to an existing table.
    AddForeignKey {
        /// SQL name of the referencing table.
        table: String,
        /// The foreign key.
        fk: ForeignKey,
    },
    /// Drop a foreign key constraint.
    DropForeignKey {
        /// SQL name of the referencing table.
        table: String,
        /// The foreign key as it was.
        fk: ForeignKey,
    },
    /// Rename a table (`renamed_from` on the struct); its data is kept.
    RenameTable {
        /// Old SQL name.
        from: String,
        /// New SQL name.
        to: String,
    },
    /// Move a table to another PostgreSQL schema (`ALTER TABLE .. SET SCHEMA`); its data, indexes
    /// and constraints go with it. Runs first in a migration, under the table's name at that time.
    MoveTable {
        /// SQL name of the table.
        table: String,
        /// The schema before (`None`: the default schema).
        from: Option<String>,
        /// The schema after (`None`: the default schema).
        to: Option<String>,
    },
    /// Set, change or remove a table's comment.
    SetTableComment {
        /// SQL name of the table.
        table: String,
        /// The comment before.
        from: Option<String>,
        /// The comment after.
        to: Option<String>,
    },
    /// Add a column to an existing table.
    AddColumn {
        /// SQL name of the table.
        table: String,
        /// The column.
        column: Column,
    },
    /// Drop a column (and its values).
    DropColumn {
        /// SQL name of the table.
        table: String,
        /// The column as it was.
        column: Column,
    },
    /// Rename a column (`renamed_from` on the field); its values are kept.
    RenameColumn {
        /// SQL name of the table.
        table: String,
        /// Old column name.
        from: String,
        /// New column name.
        to: String,
    },
    /// Change a column in place: any of type (values converted), nullability, default, identity and
    /// comment. `from` and `to` have the same name.
    AlterColumn {
        /// SQL name of the table.
        table: String,
        /// The column before.
        from: Column,
        /// The column after.
        to: Column,
    },
    /// Add a primary key to an existing table.
    AddPrimaryKey {
        /// SQL name of the table.
        table: String,
        /// The key.
        pk: PrimaryKey,
    },
    /// Drop a table's primary key.
    DropPrimaryKey {
        /// SQL name of the table.
        table: String,
        /// The key as it was.
        pk: PrimaryKey,
    },
    /// Add a UNIQUE constraint to an existing table.
    AddUnique {
        /// SQL name of the table.
        table: String,
        /// The constraint.
        unique: UniqueConstraint,
    },
    /// Drop a UNIQUE constraint.
    DropUnique {
        /// SQL name of the table.
        table: String,
        /// The constraint as it was.
        unique: UniqueConstraint,
    },
    /// Add a CHECK constraint to an existing table.
    AddCheck {
        /// SQL name of the table.
        table: String,
        /// The constraint.
        check: Check,
    },
    /// Drop a CHECK constraint.
    DropCheck {
        /// SQL name of the table.
        table: String,
        /// The constraint as it was.
        check: Check,
    },
    /// Rename a constraint (primary key, unique, check or foreign key) whose definition is unchanged,
    /// e.g. after its table was renamed and the naming rule gives it a new name.
    RenameConstraint {
        /// SQL name of the table (its name at the time this op runs).
        table: String,
        /// Old constraint name.
        from: String,
        /// New constraint name.
        to: String,
    },
    /// Rename an index whose definition is unchanged.
    RenameIndex {
        /// SQL name of the table (its name at the time this op runs).
        table: String,
        /// Old index name.
        from: String,
        /// New index name.
        to: String,
    },
    /// Create an enum type before its first column (PostgreSQL `CREATE TYPE .. AS ENUM`; nothing on
    /// SQLite and MySQL, where the values live in the column).
    CreateEnum {
        /// The type.
        ty: EnumType,
    },
    /// Drop an enum type after its last column went.
    DropEnum {
        /// The type as it was.
        ty: EnumType,
    },
    /// Rename an enum type (`renamed_from` on the Rust enum); nothing on SQLite and MySQL.
    RenameEnum {
        /// Old type name.
        from: String,
        /// New type name.
        to: String,
    },
    /// Rename values of an enum type (`renamed_from` on variants), keeping the rows: PostgreSQL
    /// `ALTER TYPE .. RENAME VALUE`; MySQL widens each column to both values, updates the rows and
    /// narrows it; SQLite maps the values while rebuilding the tables.
    RenameEnumValues {
        /// The type before (named as when the op runs).
        ty: EnumType,
        /// Each value's old and new name.
        renames: Vec<EnumRename>,
        /// The columns of the type at that time.
        users: Vec<EnumUse>,
    },
    /// Add, remove or reorder values of an enum type. When `to` only adds values (see
    /// [`only_adds`]) PostgreSQL runs `ALTER TYPE .. ADD VALUE` at each value's place; otherwise it
    /// renames the type away, creates it anew and converts each column (`USING "c"::text::"t"`). MySQL
    /// restates each column (`MODIFY COLUMN`); SQLite rebuilds their tables.
    ChangeEnumValues {
        /// The type before (named as when the op runs).
        from: EnumType,
        /// The type after.
        to: EnumType,
        /// The columns of the type at that time.
        users: Vec<EnumUse>,
    },
    /// Create an object beyond tables: an extension (PostgreSQL: only when it is not there yet), a
    /// view, a function or a trigger.
    CreateObject {
        /// The object.
        object: Object,
    },
    /// Drop an object beyond tables (an extension only when this crate's migrations created it).
    DropObject {
        /// The object as it was.
        object: Object,
    },
    /// Change an object's definition in place, same kind and name: `CREATE OR REPLACE` where the
    /// dialect has it for that kind and the change allows it, else a drop and a create in one step
    /// (see [`crate::render::render_op`]).
    ReplaceObject {
        /// The object before.
        from: Object,
        /// The object after.
        to: Object,
    },
}

impl Op {
    /// The op that undoes this one (`reverse(reverse(op)) == op`).
    ///
    /// ```
    /// use model_core::ir::Index;
    /// use model_core::ops::Op;
    /// let index = Index { name: "ix_t_a".into(), columns: vec!["a".into()], unique: false, where_sql: None };
    /// let op = Op::CreateIndex { table: "t".into(), index: index.clone() };
    /// assert_eq!(op.reverse(), Op::DropIndex { table: "t".into(), index });
    /// ```
    pub fn reverse(&self) -> Op {
        match self {
            Op::CreateTable { table } => Op::DropTable { table: table.clone() },
            Op::DropTable { table } => Op::CreateTable { table: table.clone() },
            Op::CreateIndex { table, index } => Op::DropIndex {
                table: table.clone(),
                index: index.clone(),
            },
            Op::DropIndex { table, index } => Op::CreateIndex {
                table: table.clone(),
                index: index.clone(),
            },
            Op::AddForeignKey { table, fk } => Op::DropForeignKey {
                table: table.clone(),
                fk: fk.clone(),
            },
            Op::DropForeignKey { table, fk } => Op::AddForeignKey {
                table: table.clone(),
                fk: fk.clone(),
            },
            Op::RenameTable { from, to } => Op::RenameTable {
                from: to.clone(),
                to: from.clone(),
            },
            Op::MoveTable { table, from, to } => Op::MoveTable {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Op::SetTableComment { table, from, to } => Op::SetTableComment {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Op::AddColumn { table, column } => Op::DropColumn {
                table: table.clone(),
                column: column.clone(),
            },
            Op::DropColumn { table, column } => Op::AddColumn {
                table: table.clone(),
                column: column.clone(),
            },
            Op::RenameColumn { table, from, to } => Op::RenameColumn {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Op::AlterColumn { table, from, to } => Op::AlterColumn {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Op::AddPrimaryKey { table, pk } => Op::DropPrimaryKey {
                table: table.clone(),
                pk: pk.clone(),
            },
            Op::DropPrimaryKey { table, pk } => Op::AddPrimaryKey {
                table: table.clone(),
                pk: pk.clone(),
            },
            Op::AddUnique { table, unique } => Op::DropUnique {
                table: table.clone(),
                unique: unique.clone(),
            },
            Op::DropUnique { table, unique } => Op::AddUnique {
                table: table.clone(),
                unique: unique.clone(),
            },
            Op::AddCheck { table, check } => Op::DropCheck {
                table: table.clone(),
                check: check.clone(),
            },
            Op::DropCheck { table, check } => Op::AddCheck {
                table: table.clone(),
                check: check.clone(),
            },
            Op::RenameConstraint { table, from, to } => Op::RenameConstraint {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Op::RenameIndex { table, from, to } => Op::RenameIndex {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Op::CreateEnum { ty } => Op::DropEnum { ty: ty.clone() },
            Op::DropEnum { ty } => Op::CreateEnum { ty: ty.clone() },
            Op::RenameEnum { from, to } => Op::RenameEnum {
                from: to.clone(),
                to: from.clone(),
            },
            Op::RenameEnumValues { ty, renames, users } => Op::RenameEnumValues {
                ty: renamed(ty, renames),
                renames: renames
                    .iter()
                    .map(|r| EnumRename {
                        from: r.to.clone(),
                        to: r.from.clone(),
                    })
                    .collect(),
                users: users.clone(),
            },
            Op::ChangeEnumValues { from, to, users } => Op::ChangeEnumValues {
                from: to.clone(),
                to: from.clone(),
                users: users.clone(),
            },
            Op::CreateObject { object } => Op::DropObject { object: object.clone() },
            Op::DropObject { object } => Op::CreateObject { object: object.clone() },
            Op::ReplaceObject { from, to } => Op::ReplaceObject {
                from: to.clone(),
                to: from.clone(),
            },
        }
    }

    /// The change in words, for migration headers and error messages, e.g. `create table "posts"`
    /// or `drop table "tags" (its rows are lost)`.
    pub fn describe(&self) -> String {
        match self {
            Op::CreateTable { table } => table::describe_create(table),
            Op::DropTable { table } => table::describe_drop(table),
            Op::CreateIndex { table, index } => index::describe_create(table, index),
            Op::DropIndex { table, index } => index::describe_drop(table, index),
            Op::AddForeignKey { table, fk } => foreign_key::describe_add(table, fk),
            Op::DropForeignKey { table, fk } => foreign_key::describe_drop(table, fk),
            Op::RenameTable { from, to } => format!("rename table {} to {}", quoted(from), quoted(to)),
            Op::MoveTable { table, from, to } => {
                let schema = |s: &Option<String>| {
                    s.as_deref()
                        .map_or_else(|| "the default schema".to_string(), |s| format!("schema {}", quoted(s)))
                };
                format!("move table {} from {} to {}", quoted(table), schema(from), schema(to))
            }
            Op::SetTableComment { table, to, .. } => match to {
                Some(_) => format!("set the comment of table {}", quoted(table)),
                None => format!("remove the comment of table {}", quoted(table)),
            },
            Op::AddColumn { table, column } => column::describe_add(table, column),
            Op::DropColumn { table, column } => column::describe_drop(table, column),
            Op::RenameColumn { table, from, to } => {
                format!("rename column {} to {} in {}", quoted(from), quoted(to), quoted(table))
            }
            Op::AlterColumn { table, from, to } => column::describe_alter(table, from, to),
            Op::AddPrimaryKey { table, pk } => constraint::describe("add", "primary key", table, &pk.name, &pk.columns),
            Op::DropPrimaryKey { table, pk } => {
                constraint::describe("drop", "primary key", table, &pk.name, &pk.columns)
            }
            Op::AddUnique { table, unique } => {
                constraint::describe("add", "unique constraint", table, &unique.name, &unique.columns)
            }
            Op::DropUnique { table, unique } => {
                constraint::describe("drop", "unique constraint", table, &unique.name, &unique.columns)
            }
            Op::AddCheck { table, check } => constraint::describe("add", "check", table, &check.name, &[]),
            Op::DropCheck { table, check } => constraint::describe("drop", "check", table, &check.name, &[]),
            Op::RenameConstraint { table, from, to } => {
                format!(
                    "rename constraint {} to {} on {}",
                    quoted(from),
                    quoted(to),
                    quoted(table)
                )
            }
            Op::RenameIndex { table, from, to } => {
                format!("rename index {} to {} on {}", quoted(from), quoted(to), quoted(table))
            }
            Op::CreateEnum { ty } => enums::describe_create(ty),
            Op::DropEnum { ty } => enums::describe_drop(ty),
            Op::RenameEnum { from, to } => format!("rename enum type {} to {}", quoted(from), quoted(to)),
            Op::RenameEnumValues { ty, renames, .. } => enums::describe_rename_values(ty, renames),
            Op::ChangeEnumValues { from, to, .. } => enums::describe_change(from, to),
            Op::CreateObject { object } => objects::describe_create(object),
            Op::DropObject { object } => objects::describe_drop(object),
            Op::ReplaceObject { from, to } => objects::describe_replace(from, to),
        }
    }

    /// What data this op destroys, in words (`drops table "tags" and all its rows`), or `None`
    /// when it loses nothing. Ops that lose data need `MODEL_ALLOW_DATA_LOSS=1`.
    ///
    /// ```
    /// use model_core::ir::Table;
    /// use model_core::ops::Op;
    /// let drop = Op::DropTable { table: Table::new("tags") };
    /// assert_eq!(drop.data_loss().as_deref(), Some(r#"drops table "tags" and all its rows"#));
    /// assert_eq!(drop.reverse().data_loss(), None);
    /// ```
    pub fn data_loss(&self) -> Option<String> {
        match self {
            Op::DropTable { table } => Some(table::data_loss_of_drop(table)),
            // a generated column's values are computed again when it is added back
            Op::DropColumn { column, .. } if column.generated.is_some() => None,
            Op::DropColumn { table, column } => Some(column::data_loss_of_drop(table, column)),
            Op::AlterColumn { table, from, to } => column::data_loss_of_alter(table, from, to),
            Op::ChangeEnumValues { from, to, .. } => enums::data_loss_of_change(from, to),
            Op::CreateEnum { .. }
            | Op::DropEnum { .. }
            | Op::RenameEnum { .. }
            | Op::RenameEnumValues { .. }
            | Op::CreateTable { .. }
            | Op::CreateIndex { .. }
            | Op::DropIndex { .. }
            | Op::AddForeignKey { .. }
            | Op::DropForeignKey { .. }
            | Op::RenameTable { .. }
            | Op::SetTableComment { .. }
            | Op::MoveTable { .. }
            | Op::AddColumn { .. }
            | Op::RenameColumn { .. }
            | Op::AddPrimaryKey { .. }
            | Op::DropPrimaryKey { .. }
            | Op::AddUnique { .. }
            | Op::DropUnique { .. }
            | Op::AddCheck { .. }
            | Op::DropCheck { .. }
            | Op::RenameConstraint { .. }
            | Op::RenameIndex { .. }
            // views, functions and triggers hold no rows (a materialized view's can be computed again)
            | Op::CreateObject { .. }
            | Op::DropObject { .. }
            | Op::ReplaceObject { .. } => None,
        }
    }

    /// SQL name of the table this op changes; for an enum op, the name of its type (as when it runs);
    /// for an object op, the object's name (see [`Op::object`]).
    ///
    /// ```
    /// use model_core::ir::Table;
    /// use model_core::ops::Op;
    /// assert_eq!(Op::CreateTable { table: Table::new("posts") }.table_name(), "posts");
    /// ```
    pub fn table_name(&self) -> &str {
        match self {
            Op::CreateTable { table } | Op::DropTable { table } => &table.name,
            Op::RenameTable { to, .. } | Op::RenameEnum { to, .. } => to,
            Op::CreateEnum { ty } | Op::DropEnum { ty } | Op::RenameEnumValues { ty, .. } => &ty.name,
            Op::ChangeEnumValues { to, .. } => &to.name,
            Op::CreateObject { object } | Op::DropObject { object } | Op::ReplaceObject { to: object, .. } => {
                object.name()
            }
            Op::CreateIndex { table, .. }
            | Op::DropIndex { table, .. }
            | Op::AddForeignKey { table, .. }
            | Op::DropForeignKey { table, .. }
            | Op::SetTableComment { table, .. }
            | Op::MoveTable { table, .. }
            | Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::RenameColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::AddPrimaryKey { table, .. }
            | Op::DropPrimaryKey { table, .. }
            | Op::AddUnique { table, .. }
            | Op::DropUnique { table, .. }
            | Op::AddCheck { table, .. }
            | Op::DropCheck { table, .. }
            | Op::RenameConstraint { table, .. }
            | Op::RenameIndex { table, .. } => table,
        }
    }

    /// `true` for the ops of enum types ([`Op::CreateEnum`], [`Op::DropEnum`], [`Op::RenameEnum`],
    /// [`Op::RenameEnumValues`], [`Op::ChangeEnumValues`]), which change no table themselves.
    ///
    /// ```
    /// use model_core::ir::{EnumType, Table};
    /// use model_core::ops::Op;
    /// assert!(Op::CreateEnum { ty: EnumType::new("s", ["a"]) }.is_enum_op());
    /// assert!(!Op::CreateTable { table: Table::new("t") }.is_enum_op());
    /// ```
    pub fn is_enum_op(&self) -> bool {
        matches!(
            self,
            Op::CreateEnum { .. }
                | Op::DropEnum { .. }
                | Op::RenameEnum { .. }
                | Op::RenameEnumValues { .. }
                | Op::ChangeEnumValues { .. }
        )
    }
}

/// The changes of `ops` in words, one line per change, for migration headers and `model check`:
/// [`Op::describe`] of each, except that a foreign key dropped and added again with other actions
/// reads as one change naming them.
///
/// ```
/// use model_core::ir::{FkAction, ForeignKey};
/// use model_core::ops::{describe_all, Op};
/// let old = ForeignKey {
///     name: "fk_posts_user_id_users".into(),
///     columns: vec!["user_id".into()],
///     ref_table: "users".into(),
///     ref_columns: vec!["id".into()],
///     on_delete: FkAction::Cascade,
///     on_update: FkAction::NoAction,
/// };
/// let new = ForeignKey { on_delete: FkAction::SetNull, ..old.clone() };
/// let ops = [
///     Op::DropForeignKey { table: "posts".into(), fk: old },
///     Op::AddForeignKey { table: "posts".into(), fk: new },
/// ];
/// assert_eq!(
///     describe_all(&ops),
///     [r#"change foreign key "fk_posts_user_id_users" on "posts": on_delete cascade → set null"#]
/// );
/// ```
pub fn describe_all<'a>(ops: impl IntoIterator<Item = &'a Op>) -> Vec<String> {
    let ops: Vec<&Op> = ops.into_iter().collect();
    let mut merged = vec![false; ops.len()];
    let mut lines = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        if merged[i] {
            continue;
        }
        if let Op::DropForeignKey { table, fk: from } = op {
            let pair = ops.iter().enumerate().skip(i + 1).find_map(|(j, other)| match other {
                Op::AddForeignKey { table: t, fk: to } if !merged[j] && t == table && to.name == from.name => {
                    foreign_key::describe_change(table, from, to).map(|line| (j, line))
                }
                _ => None,
            });
            if let Some((j, line)) = pair {
                merged[j] = true;
                lines.push(line);
                continue;
            }
        }
        lines.push(op.describe());
    }
    lines
}

impl Op {
    /// The object of an op on an object beyond tables ([`Op::CreateObject`], [`Op::DropObject`], and
    /// the new definition of [`Op::ReplaceObject`]); `None` for the ops of tables and enum types.
    ///
    /// ```
    /// use model_core::ir::{Object, View};
    /// use model_core::ops::Op;
    /// let op = Op::CreateObject { object: Object::View(View::new("v", "SELECT 1")) };
    /// assert_eq!(op.object().map(|o| o.name()), Some("v"));
    /// assert_eq!(op.reverse().describe(), r#"drop view "v""#);
    /// ```
    pub fn object(&self) -> Option<&Object> {
        match self {
            Op::CreateObject { object } | Op::DropObject { object } | Op::ReplaceObject { to: object, .. } => {
                Some(object)
            }
            _ => None,
        }
    }
}

/// `"name"` as written in descriptions and messages.
fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
