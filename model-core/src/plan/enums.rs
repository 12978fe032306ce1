//! PostgreSQL's rule for new enum values: usable only once committed.

use crate::ir::{Column, ColumnType, DefaultValue, Literal};
use crate::ops::{added, only_adds, Op};

/// The position of the last op of `ops` that adds enum values (`ALTER TYPE .. ADD VALUE`) which a
/// later op uses, or `None`. A use is a default naming an added value on a column of that type (in
/// a created table, an added column, or a column's change), or a later op on the same type.
pub(super) fn commit_after(ops: &[Op]) -> Option<usize> {
    let mut last = None;
    for (i, op) in ops.iter().enumerate() {
        let Op::ChangeEnumValues { from, to, .. } = op else {
            continue;
        };
        if !only_adds(from, to) {
            continue;
        }
        let new: Vec<&String> = added(from, to);
        // the type's name as the later ops see it (a later op may rename the type)
        let mut name = to.name.clone();
        let mut used = false;
        for later in &ops[i + 1..] {
            let uses = |c: &Column| match (&c.ty, &c.default) {
                (ColumnType::Enum(e), Some(DefaultValue::Literal(Literal::Str(v)))) => {
                    e.name == name && new.contains(&v)
                }
                _ => false,
            };
            used |= match later {
                Op::CreateTable { table } => table.columns.iter().any(uses),
                Op::AddColumn { column, .. } => uses(column),
                Op::AlterColumn { to: column, .. } => uses(column),
                Op::ChangeEnumValues { from: t, .. } | Op::RenameEnumValues { ty: t, .. } => t.name == name,
                Op::RenameEnum { from: old, to: renamed } if *old == name => {
                    name = renamed.clone();
                    false
                }
                _ => false,
            };
        }
        if used {
            last = Some(i);
        }
    }
    last
}

/// MySQL: the enum type ops restate each column of the type with its new values, so a column's own
/// change ([`Op::AlterColumn`], which restates the whole column too) keeps the values the column has
/// when it runs: the new ones after the type's ops, the old ones before (in down.sql). A change left
/// with nothing else to do is dropped.
pub(super) fn mysql_enum_columns(ops: &[Op]) -> Vec<Op> {
    let changes = |op: &Op, name: &str| match op {
        Op::RenameEnumValues { ty, .. } => ty.name == name,
        Op::ChangeEnumValues { to, .. } => to.name == name,
        _ => false,
    };
    let mut out = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        let Op::AlterColumn { table, from, to } = op else {
            out.push(op.clone());
            continue;
        };
        let (ColumnType::Enum(a), ColumnType::Enum(b)) = (&from.ty, &to.ty) else {
            out.push(op.clone());
            continue;
        };
        if a.name != b.name || a.values == b.values {
            out.push(op.clone());
            continue;
        }
        let ty = if ops[..i].iter().any(|o| changes(o, &b.name)) {
            &to.ty
        } else {
            &from.ty
        };
        let (from, to) = (
            Column {
                ty: ty.clone(),
                ..from.clone()
            },
            Column {
                ty: ty.clone(),
                ..to.clone()
            },
        );
        if from != to {
            out.push(Op::AlterColumn {
                table: table.clone(),
                from,
                to,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::EnumType;

    #[test]
    fn a_default_naming_a_new_value_needs_a_commit() {
        let from = EnumType::new("s", ["a"]);
        let to = EnumType::new("s", ["a", "b"]);
        let add = Op::ChangeEnumValues {
            from: from.clone(),
            to: to.clone(),
            users: Vec::new(),
        };
        let column = |v: &str| Column {
            default: Some(DefaultValue::Literal(Literal::Str(v.into()))),
            ..Column::new("c", ColumnType::Enum(to.clone()))
        };
        let set = |v: &str| Op::AlterColumn {
            table: "t".into(),
            from: Column::new("c", ColumnType::Enum(to.clone())),
            to: column(v),
        };
        assert_eq!(commit_after(&[add.clone(), set("b")]), Some(0));
        assert_eq!(commit_after(&[add.clone(), set("a")]), None);
        assert_eq!(commit_after(&[set("b"), add.clone()]), None);
        assert_eq!(commit_after(&[add.reverse(), set("b")]), None, "a removal adds nothing");
    }

    #[test]
    fn a_default_naming_a_new_value_after_the_type_is_renamed_needs_a_commit() {
        let to = EnumType::new("s", ["a", "b"]);
        let add = Op::ChangeEnumValues {
            from: EnumType::new("s", ["a"]),
            to: to.clone(),
            users: Vec::new(),
        };
        let rename = Op::RenameEnum {
            from: "s".into(),
            to: "r".into(),
        };
        let renamed = EnumType::new("r", ["a", "b"]);
        let set = Op::AlterColumn {
            table: "t".into(),
            from: Column::new("c", ColumnType::Enum(renamed.clone())),
            to: Column {
                default: Some(DefaultValue::Literal(Literal::Str("b".into()))),
                ..Column::new("c", ColumnType::Enum(renamed))
            },
        };
        assert_eq!(commit_after(&[add, rename, set]), Some(0));
    }
}
