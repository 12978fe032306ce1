//! Per-dialect adjustments of an ordered list of ops before rendering.

use super::sqlite::{self, Rebuild};
use crate::diff::DiffError;
use crate::ir::{Dialect, Schema};
use crate::ops::Op;
use crate::render::unsupported;

/// What to render: statements that must run first (each with a comment line), then the ops, with
/// SQLite's table rebuild (if any) run just before `ops[rebuild.at]`.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Steps {
    /// `(comment, statement)` pairs run before the ops.
    pub preamble: Vec<(String, String)>,
    /// The ops, adapted to the dialect.
    pub ops: Vec<Op>,
    /// SQLite only: the tables rebuilt in one block, and the ops that block carries out.
    pub rebuild: Option<Rebuild>,
}

/// Adapt `ops` (in order), which change `from` into `to`, to `dialect`. PostgreSQL takes them as
/// they are.
///
/// An op MySQL cannot run with its own statements (see [`unsupported`]: a constraint rename) is
/// refused with [`DiffError::NotSupportedOn`], which says why. On SQLite such ops are carried out
/// by one table rebuild (see [`super::sqlite`]), which needs the schemas before and after.
///
/// MySQL refuses to drop an index a foreign key relies on, even just before dropping the table,
/// so a `DropIndex` followed by the `DROP TABLE` of its table is left out there (dropping the
/// table drops its indexes).
///
/// SQLite cannot alter a table's foreign keys, but checks them only when rows change, so a
/// `CREATE TABLE` may reference a table created after it. There an `AddForeignKey` on a table
/// created earlier in the same list is folded back into that `CREATE TABLE`, and a
/// `DropForeignKey` followed by the `DROP TABLE` of its table is left out; the tables then
/// dropped reference each other, so `PRAGMA defer_foreign_keys = ON` comes first (legal inside the
/// transaction Diesel runs each migration in; it ends at commit).
pub(super) fn adapt(ops: &[Op], dialect: Dialect, from: &Schema, to: &Schema) -> Result<Steps, DiffError> {
    match dialect {
        Dialect::Postgres => Ok(Steps {
            ops: ops.to_vec(),
            ..Steps::default()
        }),
        Dialect::Mysql => mysql(ops),
        Dialect::Sqlite => sqlite::adapt(ops, from, to),
    }
}

/// [`DiffError::NotSupportedOn`] for `op`, with the reason when there is one.
pub(super) fn refuse(op: &Op, dialect: Dialect, why: Option<String>) -> DiffError {
    let change = match why {
        Some(why) => format!("{} ({why})", op.describe()),
        None => op.describe(),
    };
    DiffError::NotSupportedOn { dialect, change }
}

/// `Err` for the first op of `ops` that `dialect` cannot run natively.
fn check_native(ops: &[Op], dialect: Dialect) -> Result<(), DiffError> {
    for op in ops {
        if let Some(why) = unsupported(op, dialect) {
            return Err(refuse(op, dialect, Some(why)));
        }
    }
    Ok(())
}

/// `true` when a later op of `ops` (after position `i`) drops `table`.
pub(super) fn dropped_later(ops: &[Op], i: usize, table: &str) -> bool {
    ops[i + 1..]
        .iter()
        .any(|o| matches!(o, Op::DropTable { table: t } if t.name == table))
}

fn mysql(ops: &[Op]) -> Result<Steps, DiffError> {
    check_native(ops, Dialect::Mysql)?;
    let kept = ops.iter().enumerate().filter(|(i, op)| match op {
        Op::DropIndex { table, .. } => !dropped_later(ops, *i, table),
        _ => true,
    });
    Ok(Steps {
        preamble: Vec::new(),
        ops: kept.map(|(_, op)| op.clone()).collect(),
        rebuild: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::fixtures::{index, mutual, post_tags};

    /// `super::adapt` between empty schemas: enough for the dialects that need none.
    fn adapt(ops: &[Op], dialect: Dialect) -> Result<Steps, DiffError> {
        super::adapt(ops, dialect, &Schema::default(), &Schema::default())
    }

    fn cycle_ops() -> Vec<Op> {
        let [authors, mut books]: [_; 2] = mutual().try_into().unwrap();
        let closing = books.foreign_keys.remove(0);
        vec![
            Op::CreateTable { table: books },
            Op::CreateTable { table: authors },
            Op::AddForeignKey {
                table: "books".into(),
                fk: closing,
            },
        ]
    }

    #[test]
    fn postgres_and_mysql_keep_the_ops() {
        for d in [Dialect::Postgres, Dialect::Mysql] {
            assert_eq!(adapt(&cycle_ops(), d).unwrap().ops, cycle_ops());
        }
    }

    #[test]
    fn mysql_leaves_out_index_drops_of_dropped_tables() {
        let ix = index("post_tags", &["tag_id"], false);
        let drop_ix = Op::DropIndex {
            table: "post_tags".into(),
            index: ix.clone(),
        };
        let other = Op::DropIndex {
            table: "users".into(),
            index: index("users", &["a"], false),
        };
        let ops = vec![drop_ix.clone(), other.clone(), Op::DropTable { table: post_tags() }];
        let steps = adapt(&ops, Dialect::Mysql).unwrap();
        assert_eq!(steps.ops, [other, Op::DropTable { table: post_tags() }]);
        assert_eq!(adapt(&ops, Dialect::Postgres).unwrap().ops, ops);
    }

    #[test]
    fn mysql_refuses_constraint_renames() {
        let op = Op::RenameConstraint {
            table: "t".into(),
            from: "a".into(),
            to: "b".into(),
        };
        let err = adapt(std::slice::from_ref(&op), Dialect::Mysql).unwrap_err();
        assert!(err.to_string().contains("MySQL cannot rename a constraint"), "{err}");
        assert!(adapt(&[op], Dialect::Postgres).is_ok());
    }
}
