//! Per-dialect adjustments of an ordered list of ops before rendering.

use crate::diff::DiffError;
use crate::ir::Dialect;
use crate::ops::Op;
use crate::render::unsupported;

/// What to render: statements that must run first (each with a comment line), then the ops.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Steps {
    /// `(comment, statement)` pairs run before the ops.
    pub preamble: Vec<(String, String)>,
    /// The ops, adapted to the dialect.
    pub ops: Vec<Op>,
}

/// Adapt `ops` (in order) to `dialect`. PostgreSQL takes them as they are.
///
/// An op the dialect cannot run with its own statements (see [`unsupported`]: on SQLite most
/// changes of an existing table, which need a table rebuild this version does not do yet; on MySQL
/// a constraint rename) is refused with [`DiffError::NotSupportedOn`], which says why.
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
pub(super) fn adapt(ops: &[Op], dialect: Dialect) -> Result<Steps, DiffError> {
    match dialect {
        Dialect::Postgres => Ok(Steps {
            preamble: Vec::new(),
            ops: ops.to_vec(),
        }),
        Dialect::Mysql => mysql(ops),
        Dialect::Sqlite => sqlite(ops),
    }
}

/// [`DiffError::NotSupportedOn`] for `op`, with the reason when there is one.
fn refuse(op: &Op, dialect: Dialect, why: Option<String>) -> DiffError {
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
fn dropped_later(ops: &[Op], i: usize, table: &str) -> bool {
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
    })
}

fn sqlite(ops: &[Op]) -> Result<Steps, DiffError> {
    let dialect = Dialect::Sqlite;
    check_native(ops, dialect)?;
    let mut steps = Steps::default();
    let mut defer = false;
    for (i, op) in ops.iter().enumerate() {
        let refused = || refuse(op, dialect, None);
        match op {
            Op::AddForeignKey { table, fk } => {
                let created = steps.ops.iter_mut().find_map(|o| match o {
                    Op::CreateTable { table: t } if t.name == *table => Some(t),
                    _ => None,
                });
                created.ok_or_else(refused)?.foreign_keys.push(fk.clone());
            }
            Op::DropForeignKey { table, .. } => {
                if !dropped_later(ops, i, table) {
                    return Err(refused());
                }
                defer = true;
            }
            other => steps.ops.push(other.clone()),
        }
    }
    if defer {
        steps.preamble.push((
            "-- the tables dropped below reference each other: check foreign keys at commit".to_string(),
            "PRAGMA defer_foreign_keys = ON".to_string(),
        ));
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::fixtures::{fk, index, mutual, post_tags};

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
    fn sqlite_folds_foreign_keys_into_create_table() {
        let steps = adapt(&cycle_ops(), Dialect::Sqlite).unwrap();
        let [authors, books]: [_; 2] = mutual().try_into().unwrap();
        assert_eq!(
            steps.ops,
            [Op::CreateTable { table: books }, Op::CreateTable { table: authors }]
        );
        assert!(steps.preamble.is_empty());
    }

    #[test]
    fn sqlite_drops_foreign_keys_with_their_table_and_defers_checks() {
        let down: Vec<Op> = cycle_ops().iter().rev().map(Op::reverse).collect();
        let steps = adapt(&down, Dialect::Sqlite).unwrap();
        assert_eq!(steps.ops.len(), 2);
        assert!(steps.ops.iter().all(|o| matches!(o, Op::DropTable { .. })));
        assert_eq!(steps.preamble[0].1, "PRAGMA defer_foreign_keys = ON");
    }

    #[test]
    fn sqlite_refuses_foreign_key_changes_on_kept_tables() {
        let add = Op::AddForeignKey {
            table: "posts".into(),
            fk: fk("posts", &["user_id"], "users", &["id"]),
        };
        let err = adapt(std::slice::from_ref(&add), Dialect::Sqlite).unwrap_err();
        assert_eq!(
            err.to_string(),
            "add foreign key \"fk_posts_user_id_users\" on \"posts\" referencing \"users\" is not supported on \
             sqlite yet: write that migration by hand"
        );
        assert!(adapt(&[add.reverse()], Dialect::Sqlite).is_err());
    }

    #[test]
    fn sqlite_refuses_changes_that_need_a_table_rebuild() {
        use crate::ir::ColumnType;
        use crate::ops::fixtures::{col, nullable};
        let alter = Op::AlterColumn {
            table: "t".into(),
            from: nullable("a", ColumnType::Text),
            to: col("a", ColumnType::Text),
        };
        let err = adapt(std::slice::from_ref(&alter), Dialect::Sqlite).unwrap_err();
        assert_eq!(
            err.to_string(),
            "alter column \"a\" of \"t\": NOT NULL (changing a column: SQLite can only do this by rebuilding the \
             table, which this version does not do yet) is not supported on sqlite yet: write that migration by hand"
        );
        assert!(adapt(std::slice::from_ref(&alter), Dialect::Mysql).is_ok());
        let native = vec![
            Op::RenameTable {
                from: "a".into(),
                to: "b".into(),
            },
            Op::SetTableComment {
                table: "b".into(),
                from: None,
                to: Some("x".into()),
            },
        ];
        assert_eq!(adapt(&native, Dialect::Sqlite).unwrap().ops, native);
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
