//! The online pass for PostgreSQL: lock-safe forms for changes of tables that already exist.
//!
//! A plain `CREATE INDEX`, `ADD FOREIGN KEY`, `ADD CHECK`, `ADD UNIQUE` or `SET NOT NULL` holds a
//! lock that blocks writes (or reads and writes) for as long as it scans the table, and every query
//! that comes after it queues behind it. The online pass writes one model change as several
//! migrations, run in order, each a node of the history following the one before:
//!
//! - an index is created or dropped `CONCURRENTLY`, in a migration of its own that runs outside a
//!   transaction (`run_in_transaction = false`: PostgreSQL refuses `CONCURRENTLY` in one), one
//!   statement per migration so that Diesel's own runner can run it too;
//! - a unique constraint is a unique index built concurrently, then `ADD CONSTRAINT .. UNIQUE USING
//!   INDEX` (no scan);
//! - a foreign key or check is added `NOT VALID` (no scan; new rows are checked), then validated by
//!   the next migration, a transaction of its own whose lock (`SHARE UPDATE EXCLUSIVE`) lets reads and
//!   writes go on;
//! - `SET NOT NULL` is a `CHECK (c IS NOT NULL) NOT VALID`; with a default, a migration of its own
//!   (outside a transaction) fills the `NULL`s in batches, each committed; then the check is
//!   validated, `SET NOT NULL` (which uses the valid check instead of scanning) and the check dropped.
//!
//! A table created by the same migration is empty and nobody uses it yet: it gets the plain forms.
//! A change that rewrites a whole table ([`rewrite`]) cannot be made online by one statement: it is
//! said above its statement in `up.sql` and refused unless allowed.

use super::text::{notes, Direction};
use crate::ir::{Column, ColumnType, DefaultValue, Dialect, Object};
use crate::ops::Op;
use crate::render::online as sql;
use crate::render::{comment_line, render_op};
use std::collections::BTreeSet;

const PG: Dialect = Dialect::Postgres;

/// One change inside a migration: its description and its statements each way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// For the header.
    pub describe: String,
    /// Statements of `up.sql` (comment lines may lead).
    pub up: Vec<String>,
    /// Statements of `down.sql` that undo `up` (comment lines may lead).
    pub down: Vec<String>,
}

impl Entry {
    /// `op` as it is, with its notes (data loss, rewrite).
    fn plain(op: &Op) -> Entry {
        let reverse = op.reverse();
        let mut up_notes = notes(op, Direction::Up);
        if let Some(what) = rewrite(op) {
            up_notes.push(comment_line(&format!(
                "REWRITE: {what} (allowed with MODEL_ALLOW_REWRITE)"
            )));
        }
        Entry {
            describe: op.describe(),
            up: with_notes(up_notes, render_op(op, PG)),
            down: with_notes(notes(&reverse, Direction::Down), render_op(&reverse, PG)),
        }
    }
}

/// `notes` above the first of `statements`.
fn with_notes(notes: Vec<String>, mut statements: Vec<String>) -> Vec<String> {
    if let Some(first) = statements.first_mut() {
        if !notes.is_empty() {
            *first = format!("{}\n{first}", notes.join("\n"));
        }
    }
    statements
}

/// One migration of the change, before it gets its name and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Draft {
    /// Its name when it is not the first (the first takes the change's name).
    pub name_hint: Option<String>,
    /// `false` for a `CONCURRENTLY` statement.
    pub in_transaction: bool,
    /// The model ops it carries out (the schema after it is the schema before with these applied).
    pub ops: Vec<Op>,
    /// What it runs.
    pub entries: Vec<Entry>,
}

/// The text of a draft's `up.sql` or `down.sql`, in the format of the plan's other scripts.
pub(super) fn script(name: &str, draft: &Draft, direction: Direction) -> String {
    let title = match direction {
        Direction::Up => comment_line(name),
        Direction::Down => comment_line(&format!("undo {name}")),
    };
    let mut header = vec![title];
    header.extend(
        draft
            .entries
            .iter()
            .map(|e| comment_line(&format!("  - {}", e.describe))),
    );
    if !draft.in_transaction {
        let backfill = draft
            .entries
            .iter()
            .any(|e| e.up.iter().any(|s| s.starts_with("DO $model_backfill$")));
        header.push(comment_line(if backfill {
            "runs outside a transaction (metadata.toml): the backfill commits each batch"
        } else {
            "runs outside a transaction (metadata.toml): PostgreSQL builds and drops indexes CONCURRENTLY only there"
        }));
    }
    let mut blocks = vec![header.join("\n")];
    let entries: Vec<&Entry> = match direction {
        Direction::Up => draft.entries.iter().collect(),
        Direction::Down => draft.entries.iter().rev().collect(),
    };
    for e in entries {
        let statements = match direction {
            Direction::Up => &e.up,
            Direction::Down => &e.down,
        };
        // a block of comment lines only runs nothing: no `;`
        blocks.extend(statements.iter().map(|s| match s.lines().all(|l| l.starts_with("--")) {
            true => s.clone(),
            false => format!("{s};"),
        }));
    }
    let mut text = blocks.join("\n\n");
    text.push('\n');
    text
}

/// What `op` rewrites on PostgreSQL, in words, when it rewrites a whole existing table: a type change
/// other than the ones PostgreSQL makes without touching the rows (a longer `VARCHAR`, `VARCHAR` to
/// `TEXT`, more `NUMERIC` precision at the same scale), or a new column whose default is volatile
/// (`random()`, `gen_random_uuid()`, `clock_timestamp()`, `nextval(..)`: each row gets its own value)
/// or that is an identity column, or a generated column (PostgreSQL stores each, computed for every
/// row). `None` for everything else (`now()` is stable: PostgreSQL 11+ stores
/// one value in the catalog and writes no row).
///
/// The caller asks only about tables that existed before the migration.
///
/// ```
/// use model_core::ir::{Column, ColumnType};
/// use model_core::ops::Op;
/// use model_core::plan::rewrite;
/// let alter = |from, to| Op::AlterColumn {
///     table: "t".into(),
///     from: Column::new("a", from),
///     to: Column::new("a", to),
/// };
/// assert!(rewrite(&alter(ColumnType::Integer, ColumnType::BigInt)).is_some());
/// assert!(rewrite(&alter(ColumnType::Varchar { len: 10 }, ColumnType::Varchar { len: 20 })).is_none());
/// ```
pub fn rewrite(op: &Op) -> Option<String> {
    match op {
        Op::AlterColumn { table, from, to } if type_rewrites(&from.ty, &to.ty) => Some(format!(
            "changing the type of \"{}\".\"{}\" from {} to {} rewrites table \"{table}\"",
            table,
            to.name,
            from.ty.to_sql(PG),
            to.ty.to_sql(PG)
        )),
        Op::AddColumn { table, column } if column.identity => Some(format!(
            "adding identity column \"{}\" gives every row of \"{table}\" a value: the table is rewritten",
            column.name
        )),
        Op::AddColumn { table, column } if column.generated.is_some() => Some(format!(
            "adding generated column \"{}\" computes and stores it for every row of \"{table}\": the table is \
             rewritten",
            column.name
        )),
        Op::AddColumn { table, column } if volatile_default(column) => Some(format!(
            "the default of new column \"{}\" is volatile, so every row of \"{table}\" is written with its own value: \
             the table is rewritten",
            column.name
        )),
        _ => None,
    }
}

/// MySQL/MariaDB: what `op` copies, in words, when the server copies the whole existing table to run
/// it (`ALGORITHM=COPY`, writes blocked meanwhile): a column type change (other than a longer
/// `VARCHAR`, which may still copy when it crosses 255 bytes: allow it then), a foreign key added
/// while `foreign_key_checks` is on, a primary key added or dropped, a stored generated column added.
pub(crate) fn mysql_copy(op: &Op) -> Option<String> {
    match op {
        Op::AlterColumn { table, from, to }
            if from.ty != to.ty
                && !matches!((&from.ty, &to.ty), (ColumnType::Varchar { len: a }, ColumnType::Varchar { len: b }) if b >= a)
                && !matches!((&from.ty, &to.ty), (ColumnType::Enum(a), ColumnType::Enum(b)) if a.name == b.name) =>
        {
            Some(format!(
                "MySQL copies table \"{table}\" to change the type of \"{}\" from {} to {}",
                to.name,
                from.ty.to_sql(Dialect::Mysql),
                to.ty.to_sql(Dialect::Mysql)
            ))
        }
        Op::AddForeignKey { table, fk } => Some(format!(
            "MySQL copies table \"{table}\" to add foreign key \"{}\" (in place only with foreign_key_checks off)",
            fk.name
        )),
        Op::AddPrimaryKey { table, .. } | Op::DropPrimaryKey { table, .. } => {
            Some(format!("MySQL copies table \"{table}\" to change its primary key"))
        }
        Op::AddColumn { table, column } if column.generated.as_ref().is_some_and(|g| !g.is_virtual) => Some(format!(
            "MySQL copies table \"{table}\" to add stored generated column \"{}\"",
            column.name
        )),
        _ => None,
    }
}

/// `true` when PostgreSQL rewrites the table to change a column of type `from` into `to`.
pub(crate) fn type_rewrites(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::{Enum, Numeric, Text, Varchar};
    match (from, to) {
        _ if from == to => false,
        // one enum type whose values change: the type's ops change it, not the column
        (Enum(a), Enum(b)) if a.name == b.name => false,
        (Varchar { len: a }, Varchar { len: b }) => b < a,
        (Varchar { .. }, Text) => false,
        (
            Numeric {
                precision: Some(p1),
                scale: s1,
            },
            Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => !(p2 >= p1 && s1 == s2),
        (
            Numeric { .. },
            Numeric {
                precision: None,
                scale: None,
            },
        ) => false,
        _ => true,
    }
}

/// Functions whose value differs per row: a default calling one makes `ADD COLUMN` rewrite.
const VOLATILE: &[&str] = &[
    "random(",
    "gen_random_uuid(",
    "uuid_generate_v1(",
    "uuid_generate_v1mc(",
    "uuid_generate_v4(",
    "clock_timestamp(",
    "timeofday(",
    "nextval(",
    "setseed(",
];

/// `true` when `sql` calls a volatile function (see [`VOLATILE`]).
pub(crate) fn calls_volatile(sql: &str) -> bool {
    let flat: String = sql.to_ascii_lowercase().split_whitespace().collect();
    VOLATILE.iter().any(|f| flat.contains(f))
}

fn volatile_default(column: &Column) -> bool {
    matches!(&column.default, Some(DefaultValue::Sql(s)) if calls_volatile(s))
}

/// The name of the temporary check that makes `SET NOT NULL` online.
pub(super) fn not_null_check_name(table: &str, column: &str) -> String {
    crate::ir::limit_identifier(&format!("ck_{table}_{column}_not_null"))
}

/// `NULL` allowed: an identity column never allows it.
fn allows_null(c: &Column) -> bool {
    c.nullable && !c.identity
}

/// The tables `ops` create.
fn created(ops: &[Op]) -> BTreeSet<&str> {
    ops.iter()
        .filter_map(|op| match op {
            Op::CreateTable { table } => Some(table.name.as_str()),
            _ => None,
        })
        .collect()
}

/// `true` when no op after `ops[i]` renames or drops `table`, one of the constraints `names` or the
/// column `column` of it: the validation that follows the migration's first transaction names them.
fn stable(ops: &[Op], i: usize, table: &str, names: &[&str], column: Option<&str>) -> bool {
    !ops[i + 1..].iter().any(|o| match o {
        Op::RenameTable { from, .. } => from == table,
        Op::DropTable { table: t } => t.name == table,
        Op::RenameConstraint { table: t, from, .. } => t == table && names.contains(&from.as_str()),
        Op::DropForeignKey { table: t, fk } => t == table && names.contains(&fk.name.as_str()),
        Op::DropCheck { table: t, check } => t == table && names.contains(&check.name.as_str()),
        Op::DropUnique { table: t, unique } => t == table && names.contains(&unique.name.as_str()),
        Op::RenameColumn { table: t, from, .. } => t == table && Some(from.as_str()) == column,
        Op::DropColumn { table: t, column: c } => t == table && Some(c.name.as_str()) == column,
        Op::AlterColumn { table: t, from, .. } => t == table && Some(from.name.as_str()) == column,
        _ => false,
    })
}

/// A `SET NOT NULL` the pass makes online: the column before, in between (`NULL` still allowed) and
/// after.
fn not_null_change(op: &Op) -> Option<(&str, &Column, Column, &Column)> {
    let Op::AlterColumn { table, from, to } = op else {
        return None;
    };
    if !allows_null(from) || allows_null(to) || from.identity || to.identity {
        return None;
    }
    let mid = Column {
        nullable: true,
        ..to.clone()
    };
    Some((table, from, mid, to))
}

/// The migrations of the change `ops` (ordered) in online form, or `None` when no op of it needs
/// one (nor rewrites a table): the caller then writes the plain migration.
pub(super) fn split(ops: &[Op]) -> Option<Vec<Draft>> {
    let new_tables = created(ops);
    let existing = |t: &str| !new_tables.contains(t);
    let dropped_later = |i: usize, t: &str| super::dialect::dropped_later(ops, i, t);
    let mut out = Vec::new();
    let mut cur = Draft {
        name_hint: None,
        in_transaction: true,
        ops: Vec::new(),
        entries: Vec::new(),
    };
    let mut checks = Draft {
        name_hint: None,
        in_transaction: true,
        ops: Vec::new(),
        entries: Vec::new(),
    };
    // backfills of columns becoming NOT NULL, each a migration of its own
    let mut fills: Vec<Draft> = Vec::new();
    let mut online = false;
    // the transaction so far, then the backfills and the validations its constraints wait for
    // where the last plain op went: `None` for `cur`, else its draft in `out`
    let mut plain_at: Option<usize> = None;
    let flush = |out: &mut Vec<Draft>, cur: &mut Draft, fills: &mut Vec<Draft>, checks: &mut Draft| {
        let mut landed = None;
        if !cur.entries.is_empty() || !cur.ops.is_empty() {
            let hint = (!out.is_empty()).then(|| format!("part{}", out.len() + 1));
            landed = Some(out.len());
            out.push(Draft {
                name_hint: hint,
                ..std::mem::replace(cur, empty(true))
            });
        }
        out.append(fills);
        if !checks.entries.is_empty() {
            out.push(std::mem::replace(checks, empty(true)));
        }
        landed
    };
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::CreateIndex { table, index } if existing(table) && !dropped_later(i, table) => {
                online = true;
                if let Some(k) = flush(&mut out, &mut cur, &mut fills, &mut checks) {
                    plain_at = Some(k);
                }
                out.push(Draft {
                    name_hint: Some("index".into()),
                    in_transaction: false,
                    ops: vec![op.clone()],
                    entries: vec![Entry {
                        describe: format!("{} (concurrently: writes go on)", op.describe()),
                        up: vec![sql::create_index_concurrently(table, index)],
                        down: vec![sql::drop_index_concurrently(table, &index.name)],
                    }],
                });
            }
            Op::DropIndex { table, index } if !dropped_later(i, table) => {
                online = true;
                if let Some(k) = flush(&mut out, &mut cur, &mut fills, &mut checks) {
                    plain_at = Some(k);
                }
                out.push(Draft {
                    name_hint: Some("drop_index".into()),
                    in_transaction: false,
                    ops: vec![op.clone()],
                    entries: vec![Entry {
                        describe: format!("{} (concurrently: writes go on)", op.describe()),
                        up: vec![sql::drop_index_concurrently(table, &index.name)],
                        down: vec![sql::create_index_concurrently(table, index)],
                    }],
                });
            }
            Op::AddUnique { table, unique } if existing(table) && stable(ops, i, table, &[&unique.name], None) => {
                online = true;
                if let Some(k) = flush(&mut out, &mut cur, &mut fills, &mut checks) {
                    plain_at = Some(k);
                }
                out.push(Draft {
                    name_hint: Some("unique_index".into()),
                    in_transaction: false,
                    ops: Vec::new(),
                    entries: vec![Entry {
                        describe: format!(
                            "build the unique index of {} concurrently (writes go on)",
                            op.describe()
                        ),
                        up: vec![sql::unique_index_concurrently(table, unique)],
                        down: vec![sql::drop_index_concurrently(table, &unique.name)],
                    }],
                });
                cur.ops.push(op.clone());
                cur.entries.push(Entry {
                    describe: format!("{} (using the index built before: no scan)", op.describe()),
                    up: vec![sql::unique_using_index(table, unique)],
                    down: render_op(&op.reverse(), PG),
                });
            }
            Op::AddForeignKey { table, fk } if existing(table) && stable(ops, i, table, &[&fk.name], None) => {
                online = true;
                add_not_valid(op, table, &fk.name, &mut cur, &mut checks);
            }
            Op::AddCheck { table, check } if existing(table) && stable(ops, i, table, &[&check.name], None) => {
                online = true;
                add_not_valid(op, table, &check.name, &mut cur, &mut checks);
            }
            Op::AlterColumn { table, from, .. }
                if existing(table) && not_null_change(op).is_some() && stable(ops, i, table, &[], Some(&from.name)) =>
            {
                let Some((table, from, mid, to)) = not_null_change(op) else {
                    continue;
                };
                online = true;
                let first = Op::AlterColumn {
                    table: table.to_string(),
                    from: from.clone(),
                    to: mid.clone(),
                };
                if *from != mid {
                    cur.entries.push(Entry::plain(&first));
                    cur.ops.push(first);
                    plain_at = None;
                }
                let check = not_null_check_name(table, &to.name);
                cur.entries.push(Entry {
                    describe: format!(
                        "check \"{}\" IS NOT NULL in \"{table}\" (NOT VALID: the rows are checked by the next migration)",
                        to.name
                    ),
                    up: vec![sql::not_null_check(table, &to.name, &check)],
                    down: vec![sql::drop_constraint_if_exists(table, &check)],
                });
                let last = Op::AlterColumn {
                    table: table.to_string(),
                    from: mid.clone(),
                    to: to.clone(),
                };
                if let Some(fill) = sql::batched_backfill(table, from, to) {
                    fills.push(Draft {
                        name_hint: Some("backfill".into()),
                        in_transaction: false,
                        ops: Vec::new(),
                        entries: vec![Entry {
                            describe: format!(
                                "fill the NULLs of \"{}\" in \"{table}\" with its default, in batches of {} rows, each \
                                 committed (only those rows are locked, for a moment)",
                                to.name,
                                sql::BACKFILL_BATCH
                            ),
                            up: vec![fill],
                            down: vec![format!(
                                "{}\nSELECT 1",
                                comment_line("the filled values stay: nothing tells them from values written since")
                            )],
                        }],
                    });
                }
                let up = vec![
                    sql::validate(table, &check),
                    sql::not_null(table, &to.name, true),
                    sql::drop_constraint_if_exists(table, &check),
                ];
                let lost = op.data_loss().map(|l| comment_line(&format!("DATA LOSS: {l}")));
                let up = with_notes(lost.into_iter().collect(), up);
                checks.entries.push(Entry {
                    describe: format!(
                        "{} (the check validated first: SET NOT NULL then needs no scan)",
                        last.describe()
                    ),
                    up,
                    down: vec![
                        sql::not_null(table, &to.name, false),
                        sql::not_null_check(table, &to.name, &check),
                    ],
                });
                checks.name_hint = Some("validate".into());
                checks.ops.push(last);
            }
            // a view or trigger (created, or created again around a change of a column it reads)
            // needs no index nor constraint: it comes back in the transaction of the plain ops
            // before it, not after the indexes built concurrently meanwhile
            _ if reader_created(op) && cur.ops.is_empty() && plain_at.is_some() => {
                if let Some(draft) = plain_at.and_then(|k| out.get_mut(k)) {
                    draft.entries.push(Entry::plain(op));
                    draft.ops.push(op.clone());
                }
            }
            _ => {
                if existing(op.table_name()) && rewrite(op).is_some() {
                    online = true;
                }
                cur.entries.push(Entry::plain(op));
                cur.ops.push(op.clone());
                plain_at = None;
            }
        }
    }
    flush(&mut out, &mut cur, &mut fills, &mut checks);
    online.then_some(out)
}

/// `op` creates (or replaces) a view or a trigger.
fn reader_created(op: &Op) -> bool {
    matches!(
        op,
        Op::CreateObject {
            object: Object::View(_) | Object::Trigger(_)
        } | Op::ReplaceObject {
            to: Object::View(_) | Object::Trigger(_),
            ..
        }
    )
}

fn empty(in_transaction: bool) -> Draft {
    Draft {
        name_hint: None,
        in_transaction,
        ops: Vec::new(),
        entries: Vec::new(),
    }
}

/// `op` (adding the constraint `name` to `table`) `NOT VALID` in the current transaction, and its
/// validation in the next.
fn add_not_valid(op: &Op, table: &str, name: &str, cur: &mut Draft, checks: &mut Draft) {
    let plain = render_op(op, PG);
    cur.entries.push(Entry {
        describe: format!(
            "{} (NOT VALID: the rows are checked by the next migration)",
            op.describe()
        ),
        up: plain.iter().map(|s| sql::not_valid(s)).collect(),
        down: render_op(&op.reverse(), PG),
    });
    cur.ops.push(op.clone());
    checks.entries.push(Entry {
        describe: format!("validate constraint \"{name}\" of \"{table}\" (reads and writes go on)"),
        up: vec![sql::validate(table, name)],
        // a statement all the same: Diesel refuses a down.sql without one ("empty query")
        down: vec![format!(
            "{}\nSELECT 1",
            comment_line("validating a constraint changes nothing to undo")
        )],
    });
    checks.name_hint = Some("validate".into());
}
