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
    /// MySQL with online forms: index builds and drops and added columns of tables that existed
    /// before say how they run (`ALGORITHM=INPLACE, LOCK=NONE`, `ALGORITHM=INSTANT`), so the server
    /// refuses them instead of silently copying the table (see [`super::text::mysql_online`]).
    pub online: bool,
    /// PostgreSQL only: `ops[i]` adds enum values a later op uses, which PostgreSQL allows only once
    /// they are committed. The script then starts with `BEGIN` and commits after that op (the
    /// migration must run outside Diesel's transaction: see [`super::Migration::run_in_transaction`]).
    pub commit_after: Option<usize>,
}

/// Adapt `ops` (in order), which change `from` into `to`, to `dialect`. PostgreSQL takes them as
/// they are (and commits added enum values a later op uses, see [`Steps::commit_after`]). SQLite and
/// MySQL leave out the ops of named enum types (create, drop, rename), which they do not have; MySQL
/// changes enum columns at the place of their type's ops.
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
        Dialect::Postgres => Ok(postgres(ops.to_vec())),
        Dialect::Mysql => {
            let ops = super::enums::mysql_enum_columns(ops);
            mysql(&mysql_key_drops(&mysql_constraint_renames(&ops, to), from, to))
        }
        Dialect::Sqlite => sqlite::adapt(ops, from, to),
    }
}

/// [`adapt`] for PostgreSQL, which takes the ops as they are: they move into the steps.
pub(super) fn postgres(ops: Vec<Op>) -> Steps {
    Steps {
        commit_after: super::enums::commit_after(&ops),
        ops,
        ..Steps::default()
    }
}

/// `true` for the ops of named enum types (create, drop, rename), which only PostgreSQL has.
pub(super) fn named_enum_type_op(op: &Op) -> bool {
    matches!(op, Op::CreateEnum { .. } | Op::DropEnum { .. } | Op::RenameEnum { .. })
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

/// The name `table` (as named at `ops[i]`) has at the end of the migration: in down.sql, table
/// renames are undone after the other changes.
fn final_name(ops: &[Op], i: usize, table: &str) -> String {
    ops[i + 1..].iter().fold(table.to_string(), |name, later| match later {
        Op::RenameTable { from, to } if *from == name => to.clone(),
        _ => name,
    })
}

/// MySQL cannot rename a constraint. Its primary key is always called `PRIMARY` (the rename is
/// nothing), a unique constraint is a unique index (`RENAME INDEX`), and a foreign key or a check
/// is dropped where the rename stands and added again, under its new name, at the end of the
/// migration, where every table and column has its final name (in down.sql, constraint renames are
/// undone before table and column renames). A rename whose constraint is not found in `to` is left
/// for [`mysql`] to refuse.
fn mysql_constraint_renames(ops: &[Op], to: &Schema) -> Vec<Op> {
    let mut out = Vec::new();
    let mut at_end = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let Op::RenameConstraint { table, from, to: new } = op else {
            out.push(op.clone());
            continue;
        };
        let last = final_name(ops, i, table);
        let Some(t) = to.table(&last) else {
            out.push(op.clone());
            continue;
        };
        if t.primary_key.as_ref().is_some_and(|pk| pk.name == *new) {
            continue;
        }
        if t.uniques.iter().any(|u| u.name == *new) {
            out.push(Op::RenameIndex {
                table: table.clone(),
                from: from.clone(),
                to: new.clone(),
            });
        } else if let Some(fk) = t.foreign_keys.iter().find(|fk| fk.name == *new) {
            let old = crate::ir::ForeignKey {
                name: from.clone(),
                ..fk.clone()
            };
            out.push(Op::DropForeignKey {
                table: table.clone(),
                fk: old,
            });
            at_end.push(Op::AddForeignKey {
                table: last,
                fk: fk.clone(),
            });
        } else if let Some(check) = t.checks.iter().find(|c| c.name == *new) {
            let old = crate::ir::Check {
                name: from.clone(),
                ..check.clone()
            };
            out.push(Op::DropCheck {
                table: table.clone(),
                check: old,
            });
            at_end.push(Op::AddCheck {
                table: last,
                check: check.clone(),
            });
        } else {
            out.push(op.clone());
        }
    }
    out.extend(at_end);
    out
}

/// MySQL refuses to drop a primary key, unique key or index that one of the table's own foreign keys
/// uses as its index (its columns lead the key). Such a foreign key is dropped just before and added
/// again at the end of the migration (MySQL then gives it an index of its own if it needs one).
fn mysql_key_drops(ops: &[Op], from: &Schema, to: &Schema) -> Vec<Op> {
    let mut out = Vec::new();
    let mut at_end = Vec::new();
    // later drops of a foreign key moved up to here
    let mut moved = std::collections::BTreeSet::new();
    // foreign keys this pass already took off (two keys dropped that one foreign key relies on)
    let mut taken_off = std::collections::BTreeSet::new();
    for (i, op) in ops.iter().enumerate() {
        if moved.contains(&i) {
            continue;
        }
        let (table, columns) = match op {
            Op::DropPrimaryKey { table, pk } => (table, &pk.columns),
            Op::DropUnique { table, unique } => (table, &unique.columns),
            Op::DropIndex { table, index } if !dropped_later(ops, i, table) => (table, &index.columns),
            _ => {
                out.push(op.clone());
                continue;
            }
        };
        let last = final_name(ops, i, table);
        let drops = |name: &str, o: &Op| matches!(o, Op::DropForeignKey { fk, .. } if fk.name == name);
        for fk in from.table(table).map(|t| t.foreign_keys.as_slice()).unwrap_or_default() {
            if !columns.starts_with(&fk.columns)
                || ops[..i].iter().any(|o| drops(&fk.name, o))
                || !taken_off.insert((table.clone(), fk.name.clone()))
            {
                continue;
            }
            out.push(Op::DropForeignKey {
                table: table.clone(),
                fk: fk.clone(),
            });
            match ops[i + 1..].iter().position(|o| drops(&fk.name, o)) {
                // the migration drops it later anyway (and adds what it must): drop it here instead
                Some(later) => {
                    moved.insert(i + 1 + later);
                }
                None => {
                    if let Some(kept) = to
                        .table(&last)
                        .and_then(|t| t.foreign_keys.iter().find(|k| k.name == fk.name))
                    {
                        at_end.push(Op::AddForeignKey {
                            table: last.clone(),
                            fk: kept.clone(),
                        });
                    }
                }
            }
        }
        out.push(op.clone());
    }
    out.extend(at_end);
    out
}

fn mysql(ops: &[Op]) -> Result<Steps, DiffError> {
    check_native(ops, Dialect::Mysql)?;
    let kept = ops.iter().enumerate().filter(|(i, op)| match op {
        Op::DropIndex { table, .. } => !dropped_later(ops, *i, table),
        _ => !named_enum_type_op(op),
    });
    Ok(Steps {
        ops: kept.map(|(_, op)| op.clone()).collect(),
        ..Steps::default()
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
    fn mysql_refuses_renames_of_constraints_it_cannot_find() {
        let op = Op::RenameConstraint {
            table: "t".into(),
            from: "a".into(),
            to: "b".into(),
        };
        let err = adapt(std::slice::from_ref(&op), Dialect::Mysql).unwrap_err();
        assert!(err.to_string().contains("MySQL cannot rename a constraint"), "{err}");
        assert!(adapt(&[op], Dialect::Postgres).is_ok());
    }

    #[test]
    fn mysql_moves_foreign_keys_off_a_dropped_primary_key() {
        use crate::ops::fixtures::post_tags;
        let from = Schema::new(vec![post_tags()]);
        let mut changed = post_tags();
        let pk = changed.primary_key.clone().unwrap();
        changed.primary_key.as_mut().unwrap().columns.reverse();
        let to = Schema::new(vec![changed.clone()]);
        let ops = vec![
            Op::DropPrimaryKey {
                table: "post_tags".into(),
                pk,
            },
            Op::AddPrimaryKey {
                table: "post_tags".into(),
                pk: changed.primary_key.clone().unwrap(),
            },
        ];
        let steps = super::adapt(&ops, Dialect::Mysql, &from, &to).unwrap();
        let leading = &post_tags().foreign_keys[0];
        assert_eq!(
            steps.ops[0],
            Op::DropForeignKey {
                table: "post_tags".into(),
                fk: leading.clone()
            }
        );
        assert_eq!(
            steps.ops.last(),
            Some(&Op::AddForeignKey {
                table: "post_tags".into(),
                fk: leading.clone()
            })
        );
        assert_eq!(super::adapt(&ops, Dialect::Postgres, &from, &to).unwrap().ops, ops);
    }

    #[test]
    fn mysql_renames_constraints_its_own_ways() {
        use crate::ops::fixtures::{posts, users};
        let mut people = users();
        people.name = "people".into();
        let pk = people.primary_key.as_ref().unwrap().name.clone();
        let uq = people.uniques[0].name.clone();
        let mut posts2 = posts();
        posts2.foreign_keys[0].name = "fk_new".into();
        let fk_old = posts().foreign_keys[0].name.clone();
        let to = Schema::new(vec![people, posts2.clone()]);
        let rename = |table: &str, from: &str, to: &str| Op::RenameConstraint {
            table: table.into(),
            from: from.into(),
            to: to.into(),
        };
        let ops = vec![
            rename("people", "pk_old", &pk),
            rename("people", "uq_old", &uq),
            rename("posts", &fk_old, "fk_new"),
        ];
        let steps = super::adapt(&ops, Dialect::Mysql, &Schema::default(), &to).unwrap();
        let mut dropped = posts2.foreign_keys[0].clone();
        dropped.name = fk_old;
        assert_eq!(
            steps.ops,
            [
                Op::RenameIndex {
                    table: "people".into(),
                    from: "uq_old".into(),
                    to: uq
                },
                Op::DropForeignKey {
                    table: "posts".into(),
                    fk: dropped
                },
                Op::AddForeignKey {
                    table: "posts".into(),
                    fk: posts2.foreign_keys[0].clone()
                },
            ]
        );
    }
}
