//! Per-dialect adjustments of an ordered list of ops before rendering.

use crate::diff::DiffError;
use crate::ir::Dialect;
use crate::ops::Op;

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
        Dialect::Mysql => Ok(mysql(ops)),
        Dialect::Sqlite => sqlite(ops),
    }
}

/// `true` when a later op of `ops` (after position `i`) drops `table`.
fn dropped_later(ops: &[Op], i: usize, table: &str) -> bool {
    ops[i + 1..]
        .iter()
        .any(|o| matches!(o, Op::DropTable { table: t } if t.name == table))
}

fn mysql(ops: &[Op]) -> Steps {
    let kept = ops.iter().enumerate().filter(|(i, op)| match op {
        Op::DropIndex { table, .. } => !dropped_later(ops, *i, table),
        _ => true,
    });
    Steps {
        preamble: Vec::new(),
        ops: kept.map(|(_, op)| op.clone()).collect(),
    }
}

fn sqlite(ops: &[Op]) -> Result<Steps, DiffError> {
    let dialect = Dialect::Sqlite;
    let mut steps = Steps::default();
    let mut defer = false;
    for (i, op) in ops.iter().enumerate() {
        let unsupported = || DiffError::NotSupportedOn {
            dialect,
            change: op.describe(),
        };
        match op {
            Op::AddForeignKey { table, fk } => {
                let created = steps.ops.iter_mut().find_map(|o| match o {
                    Op::CreateTable { table: t } if t.name == *table => Some(t),
                    _ => None,
                });
                created.ok_or_else(unsupported)?.foreign_keys.push(fk.clone());
            }
            Op::DropForeignKey { table, .. } => {
                if !dropped_later(ops, i, table) {
                    return Err(unsupported());
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
}
