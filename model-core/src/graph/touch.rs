//! What a migration reads and writes, object by object: two migrations made on different branches
//! can run in either order only when neither writes what the other reads or writes.

use crate::ir::{ColumnType, Table};
use crate::ops::Op;
use std::fmt;

/// A schema object a migration can touch.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Object {
    /// A table as a name that exists (created, dropped and renamed as a whole).
    Table(String),
    /// A column of a table.
    Column(String, String),
    /// A table's comment.
    Comment(String),
    /// A table's primary key (whatever its name).
    PrimaryKey(String),
    /// A named constraint of a table (primary key, unique, check, foreign key).
    Constraint(String, String),
    /// A named index of a table.
    Index(String, String),
    /// An enum type (its name and values).
    Enum(String),
    /// The whole content of a table, which the migration rebuilds from its own idea of it (SQLite).
    Rebuild(String),
    /// An object beyond tables: its kind (`view`, `function`, `trigger`, `extension`, ...) and name.
    Other(String, String),
    /// Every name the SQL of a view, function or trigger mentions, lower-cased: it reads each table,
    /// view or function so named, and each column of those so named (a write of one clashes).
    Mentioned(std::collections::BTreeSet<String>),
}

impl Object {
    /// The table the object belongs to (`None` for an enum type).
    pub fn table(&self) -> Option<&str> {
        match self {
            Object::Table(t)
            | Object::Column(t, _)
            | Object::Comment(t)
            | Object::PrimaryKey(t)
            | Object::Constraint(t, _)
            | Object::Index(t, _)
            | Object::Rebuild(t) => Some(t),
            Object::Enum(_) | Object::Other(..) | Object::Mentioned(_) => None,
        }
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Object::Table(t) => write!(f, "table \"{t}\""),
            Object::Column(t, c) => write!(f, "column \"{t}\".\"{c}\""),
            Object::Comment(t) => write!(f, "the comment of table \"{t}\""),
            Object::PrimaryKey(t) => write!(f, "the primary key of table \"{t}\""),
            Object::Constraint(t, n) => write!(f, "constraint \"{n}\" of table \"{t}\""),
            Object::Index(t, n) => write!(f, "index \"{n}\" of table \"{t}\""),
            Object::Enum(e) => write!(f, "enum type \"{e}\""),
            Object::Rebuild(t) => write!(f, "table \"{t}\" as a whole"),
            Object::Other(kind, name) => write!(f, "{kind} \"{name}\""),
            Object::Mentioned(names) => {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                write!(f, "what the SQL names ({})", names.join(", "))
            }
        }
    }
}

/// One object a migration reads (needs as it is) or writes (creates, drops, renames or changes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// The object.
    pub object: Object,
    /// `true` when the migration changes it.
    pub write: bool,
    /// The change that touches it, in words (an op's description).
    pub change: String,
}

impl Access {
    /// `true` when the two accesses, made by migrations of two branches, keep those migrations
    /// from running in either order: one writes an object the other reads or writes, or one
    /// rebuilds a table the other changes.
    ///
    /// ```
    /// use model_core::graph::{Access, Object};
    /// let add = |c: &str| Access { object: Object::Column("t".into(), c.into()), write: true, change: String::new() };
    /// assert!(!add("a").clashes(&add("b")));
    /// assert!(add("a").clashes(&add("a")));
    /// let rebuild = Access { object: Object::Rebuild("t".into()), write: true, change: String::new() };
    /// assert!(rebuild.clashes(&add("b")));
    /// // a view over `t.a` reads it: changing `t.a` clashes, `t.b` does not
    /// let names = ["select", "a", "from", "t"].map(String::from).into_iter().collect();
    /// let view = Access { object: Object::Mentioned(names), write: false, change: String::new() };
    /// assert!(view.clashes(&add("a")) && !view.clashes(&add("b")));
    /// ```
    pub fn clashes(&self, other: &Access) -> bool {
        if self.object == other.object {
            return self.write || other.write;
        }
        let rebuilds = |a: &Access, b: &Access| matches!(&a.object, Object::Rebuild(t) if b.write && b.object.table() == Some(t.as_str()));
        let names = |a: &Access, b: &Access| match &a.object {
            Object::Mentioned(names) if b.write => {
                let named = |n: &str| names.contains(&n.to_lowercase());
                match &b.object {
                    Object::Table(t) | Object::Enum(t) | Object::Other(_, t) => named(t),
                    Object::Column(t, c) => named(t) && named(c),
                    _ => false,
                }
            }
            _ => false,
        };
        rebuilds(self, other) || rebuilds(other, self) || names(self, other) || names(other, self)
    }
}

/// Every object `ops` (one migration, in order) touch, and the tables it rebuilds as a whole
/// (`rebuilt`, see [`crate::plan::rebuilt_tables`]).
///
/// ```
/// use model_core::graph::{touched, Object};
/// use model_core::ir::{Column, ColumnType};
/// use model_core::ops::Op;
/// let op = Op::AddColumn { table: "t".into(), column: Column::new("c", ColumnType::Text) };
/// let acc = touched(&[op], &[]);
/// assert!(acc.iter().any(|a| a.object == Object::Column("t".into(), "c".into()) && a.write));
/// assert!(acc.iter().any(|a| a.object == Object::Table("t".into()) && !a.write));
/// ```
pub fn touched(ops: &[Op], rebuilt: &[String]) -> Vec<Access> {
    let mut out = Vec::new();
    for op in ops {
        let change = op.describe();
        let mut reads = Vec::new();
        let mut writes = Vec::new();
        let col = |t: &str, c: &str| Object::Column(t.to_string(), c.to_string());
        let tab = |t: &str| Object::Table(t.to_string());
        match op {
            Op::CreateTable { table } | Op::DropTable { table } => {
                writes.push(tab(&table.name));
                reads.extend(table_needs(table));
            }
            Op::CreateIndex { table, index } | Op::DropIndex { table, index } => {
                reads.push(tab(table));
                writes.push(Object::Index(table.clone(), index.name.clone()));
                reads.extend(index.columns.iter().map(|c| col(table, c)));
            }
            Op::AddForeignKey { table, fk } | Op::DropForeignKey { table, fk } => {
                reads.push(tab(table));
                writes.push(Object::Constraint(table.clone(), fk.name.clone()));
                reads.extend(fk.columns.iter().map(|c| col(table, c)));
                reads.push(tab(&fk.ref_table));
                reads.extend(fk.ref_columns.iter().map(|c| col(&fk.ref_table, c)));
            }
            Op::RenameTable { from, to } => writes.extend([tab(from), tab(to)]),
            Op::MoveTable { table, .. } => writes.push(tab(table)),
            Op::SetTableComment { table, .. } => {
                reads.push(tab(table));
                writes.push(Object::Comment(table.clone()));
            }
            Op::AddColumn { table, column } | Op::DropColumn { table, column } => {
                reads.push(tab(table));
                writes.push(col(table, &column.name));
                reads.extend(enum_of(&column.ty));
            }
            Op::RenameColumn { table, from, to } => {
                reads.push(tab(table));
                writes.extend([col(table, from), col(table, to)]);
            }
            Op::AlterColumn { table, to, .. } => {
                reads.push(tab(table));
                writes.push(col(table, &to.name));
                reads.extend(enum_of(&to.ty));
            }
            Op::AddPrimaryKey { table, pk } | Op::DropPrimaryKey { table, pk } => {
                reads.push(tab(table));
                writes.push(Object::PrimaryKey(table.clone()));
                writes.push(Object::Constraint(table.clone(), pk.name.clone()));
                reads.extend(pk.columns.iter().map(|c| col(table, c)));
            }
            Op::AddUnique { table, unique } | Op::DropUnique { table, unique } => {
                reads.push(tab(table));
                writes.push(Object::Constraint(table.clone(), unique.name.clone()));
                reads.extend(unique.columns.iter().map(|c| col(table, c)));
            }
            Op::AddCheck { table, check } | Op::DropCheck { table, check } => {
                reads.push(tab(table));
                writes.push(Object::Constraint(table.clone(), check.name.clone()));
            }
            Op::RenameConstraint { table, from, to } => {
                reads.push(tab(table));
                writes.push(Object::Constraint(table.clone(), from.clone()));
                writes.push(Object::Constraint(table.clone(), to.clone()));
            }
            Op::RenameIndex { table, from, to } => {
                reads.push(tab(table));
                writes.push(Object::Index(table.clone(), from.clone()));
                writes.push(Object::Index(table.clone(), to.clone()));
            }
            Op::CreateEnum { ty } | Op::DropEnum { ty } => writes.push(Object::Enum(ty.name.clone())),
            Op::RenameEnum { from, to } => writes.extend([Object::Enum(from.clone()), Object::Enum(to.clone())]),
            Op::RenameEnumValues { ty, users, .. } | Op::ChangeEnumValues { from: ty, users, .. } => {
                writes.push(Object::Enum(ty.name.clone()));
                writes.extend(users.iter().map(|u| col(&u.table, &u.column.name)));
            }
            Op::CreateObject { object } | Op::DropObject { object } | Op::ReplaceObject { to: object, .. } => {
                writes.push(other(object));
                if let Op::ReplaceObject { from, .. } = op {
                    reads.extend(object_needs(from));
                }
                reads.extend(object_needs(object));
            }
        }
        out.extend(reads.into_iter().map(|object| Access {
            object,
            write: false,
            change: change.clone(),
        }));
        out.extend(writes.into_iter().map(|object| Access {
            object,
            write: true,
            change: change.clone(),
        }));
    }
    out.extend(rebuilt.iter().map(|t| Access {
        object: Object::Rebuild(t.clone()),
        write: true,
        change: format!("rebuild table \"{t}\" (SQLite cannot make the change in place)"),
    }));
    out
}

/// An object beyond tables as a touched object.
fn other(object: &crate::ir::Object) -> Object {
    Object::Other(object.kind().to_string(), object.name().to_string())
}

/// What a view, function or trigger needs: every table, view and function its SQL may name, and
/// the columns of those tables it may name, as one [`Object::Mentioned`] (a branch that changes one
/// of them, such as a column type under a view, must not run on either side of it unmerged); a
/// trigger its table.
fn object_needs(object: &crate::ir::Object) -> Vec<Object> {
    let mut mentions = object.mentions();
    mentions.remove(&object.name().to_lowercase());
    let mut needs = vec![Object::Mentioned(mentions)];
    if let crate::ir::Object::Trigger(t) = object {
        needs.push(Object::Table(t.table.clone()));
    }
    needs
}

/// What a created or dropped table needs: the tables and columns its foreign keys reference, and
/// the enum types of its columns.
fn table_needs(table: &Table) -> Vec<Object> {
    let mut out = Vec::new();
    for fk in table.foreign_keys.iter().filter(|fk| fk.ref_table != table.name) {
        out.push(Object::Table(fk.ref_table.clone()));
        out.extend(
            fk.ref_columns
                .iter()
                .map(|c| Object::Column(fk.ref_table.clone(), c.clone())),
        );
    }
    out.extend(table.columns.iter().filter_map(|c| enum_of(&c.ty)));
    out
}

fn enum_of(ty: &ColumnType) -> Option<Object> {
    match ty {
        ColumnType::Enum(e) => Some(Object::Enum(e.name.clone())),
        _ => None,
    }
}
