//! Plan a whole migration: diff, order, per-dialect adjustments, and the text of `up.sql` and
//! `down.sql`.

mod dialect;
mod enums;
mod invisible;
mod mysql_keys;
mod name;
mod online;
mod sqlite;
mod text;

pub use name::migration_name;
pub use online::rewrite;
#[allow(unused_imports)]
pub(crate) use online::{calls_volatile, type_rewrites};

use crate::diff::{diff, guard, DiffError};
use crate::ir::{Dialect, Schema};
use crate::ops::Op;
use crate::order::{order, reversed};
use crate::render::TableSchemas;
#[cfg(doc)]
use dialect::Steps;
use text::Direction;

/// A migration ready to be written to `migrations/<version>_<name>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The name part of the folder name (see [`migration_name`]).
    pub name: String,
    /// The ops of `up.sql`, in order, before any dialect adjustment.
    pub ops: Vec<Op>,
    /// The text of `up.sql`.
    pub up_sql: String,
    /// The text of `down.sql`, which undoes `up.sql`.
    pub down_sql: String,
    /// `false` when the migration must run outside a transaction (`run_in_transaction = false` in its
    /// `metadata.toml`): on PostgreSQL, when enum values added by `ALTER TYPE .. ADD VALUE` are used
    /// later in the same script (a default naming one), which PostgreSQL allows only once they are
    /// committed. The script then runs `BEGIN`, the statements up to the `ADD VALUE`s, `COMMIT`, and
    /// the rest in a second transaction.
    pub run_in_transaction: bool,
}

/// The migration from `old` (the recorded state) to `new` (the models), or `None` when they
/// are equal for `dialect`: a change the dialect cannot see (on SQLite a `VARCHAR` length, an
/// integer width or a comment; a type spelled two ways, such as `sql_type = "binary(16)"` and a
/// UUID on MySQL) writes nothing and is no data loss. Deterministic: the same inputs give
/// byte-identical SQL (no timestamps).
///
/// `up.sql` runs the ordered ops ([`crate::order::order`]); `down.sql` runs each op's
/// [`Op::reverse`] in reverse order. Both start with a `-- ` header line naming the changes.
///
/// ```
/// use model_core::ir::{Dialect, Schema, Table};
/// use model_core::plan::plan_migration;
/// let empty = Schema::default();
/// let mut tags = Table::new("tags");
/// tags.columns.push(model_core::ir::Column::new("label", model_core::ir::ColumnType::Text));
/// let new = Schema::new(vec![tags]);
/// let m = plan_migration(&empty, &new, Dialect::Sqlite, false).unwrap().unwrap();
/// assert_eq!(m.name, "create_tags");
/// assert!(m.up_sql.contains("CREATE TABLE \"tags\""));
/// assert!(plan_migration(&new, &new, Dialect::Sqlite, false).unwrap().is_none());
/// assert!(plan_migration(&new, &empty, Dialect::Sqlite, false).is_err()); // drops need allow_data_loss
///
/// // SQLite stores VARCHAR(n) as TEXT: a length is no change there, but one on PostgreSQL
/// let (mut short, mut longer) = (new.clone(), new.clone());
/// short.tables[0].columns[0].ty = model_core::ir::ColumnType::Varchar { len: 100 };
/// longer.tables[0].columns[0].ty = model_core::ir::ColumnType::Varchar { len: 200 };
/// assert!(plan_migration(&short, &longer, Dialect::Sqlite, false).unwrap().is_none());
/// assert!(plan_migration(&short, &longer, Dialect::Postgres, false).unwrap().is_some());
/// ```
///
/// # Errors
///
/// [`DiffError::NotNullWithoutDefault`] when a `NOT NULL` column without a default is added to an
/// existing table; [`DiffError::DataLoss`] when an op loses data and `allow_data_loss` is `false`
/// (the build step passes `MODEL_ALLOW_DATA_LOSS=1` here), see [`guard`]; the errors of [`diff`]; and
/// [`DiffError::NotSupportedOn`] for a step the dialect cannot express yet (on MySQL also for a key
/// over a `TEXT`, `BLOB` or `JSON` column, which MySQL cannot index whole: the message says to give
/// the field a `max_length`).
///
/// On SQLite, changes `ALTER TABLE` cannot make are done by rebuilding the tables concerned, in one
/// block inside the migration's transaction, with foreign keys kept valid and checked before commit
/// (see the `plan::sqlite` module's source documentation).
pub fn plan_migration(
    old: &Schema,
    new: &Schema,
    dialect: Dialect,
    allow_data_loss: bool,
) -> Result<Option<Migration>, DiffError> {
    plan_one(old, new, dialect, allow_data_loss, false)
}

/// [`plan_migration`], with MySQL's online clauses when `online` (see [`Steps::online`]).
fn plan_one(
    old: &Schema,
    new: &Schema,
    dialect: Dialect,
    allow_data_loss: bool,
    online: bool,
) -> Result<Option<Migration>, DiffError> {
    crate::render::with_schemas(&TableSchemas::of(old, new), || {
        plan_one_in(old, new, dialect, allow_data_loss, online)
    })
}

fn plan_one_in(
    old: &Schema,
    new: &Schema,
    dialect: Dialect,
    allow_data_loss: bool,
    online: bool,
) -> Result<Option<Migration>, DiffError> {
    let old = &invisible::align(old, new, dialect);
    let ops = order(diff(old, new)?);
    if ops.is_empty() {
        return Ok(None);
    }
    guard(&ops, allow_data_loss)?;
    migration_of(old, new, ops, dialect, online).map(Some)
}

/// The migration of `ops` (ordered, guarded, not empty), the change from `old` (aligned, see
/// [`invisible::align`]) to `new`.
fn migration_of(
    old: &Schema,
    new: &Schema,
    ops: Vec<Op>,
    dialect: Dialect,
    online: bool,
) -> Result<Migration, DiffError> {
    if dialect == Dialect::Mysql {
        mysql_keys::check_keys(new)?;
    }
    let name = migration_name(&ops);
    let down_ops = reversed(&ops);
    // PostgreSQL renders the ops as they are: the steps own them (no copy) and give them back
    let (mut up, mut down, kept) = if dialect == Dialect::Postgres {
        (dialect::postgres(ops), dialect::postgres(down_ops), None)
    } else {
        let up = dialect::adapt(&ops, dialect, old, new)?;
        let down = dialect::adapt(&down_ops, dialect, new, old)?;
        (up, down, Some(ops))
    };
    up.online = online;
    down.online = online;
    let up_sql = text::script(&name, Direction::Up, &up, dialect);
    let down_sql = text::script(&name, Direction::Down, &down, dialect);
    let run_in_transaction = up.commit_after.is_none() && down.commit_after.is_none();
    let ops = kept.unwrap_or_else(|| std::mem::take(&mut up.ops));
    Ok(Migration {
        name,
        ops,
        up_sql,
        down_sql,
        run_in_transaction,
    })
}

/// How [`plan_change`] plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    /// The database's dialect.
    pub dialect: Dialect,
    /// Let ops that lose data through (see [`guard`]; `MODEL_ALLOW_DATA_LOSS=1` in the build step).
    pub allow_data_loss: bool,
    /// Use the lock-safe forms for tables that already exist (`online` in
    /// `[package.metadata.model]`, default `true`): PostgreSQL's several migrations, MySQL's
    /// `ALGORITHM`/`LOCK` clauses; ignored on SQLite.
    pub online: bool,
    /// With `online`: let a change that rewrites a whole existing table through (see [`rewrite`];
    /// `MODEL_ALLOW_REWRITE=1` in the build step). Without `online` rewrites are not looked for.
    pub allow_rewrite: bool,
}

impl PlanOptions {
    /// Online forms on, nothing lossy or rewriting allowed.
    pub fn new(dialect: Dialect) -> Self {
        PlanOptions {
            dialect,
            allow_data_loss: false,
            online: true,
            allow_rewrite: false,
        }
    }
}

/// One migration folder of a change, and the schema after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The migration (its `ops` are the model changes this folder carries out).
    pub migration: Migration,
    /// The schema after it (the models' schema after the last part).
    pub schema: Schema,
}

/// The change `old → new` as the migration folders to write, in order (each follows the one
/// before), or `None` when the schemas are equal.
///
/// Without online forms (SQLite, MySQL, `online = false`, or no change of an existing table that
/// needs one) it is the one migration of [`plan_migration`]. With them (PostgreSQL) a change of a
/// table that already exists is split so that no statement blocks the table's readers and writers
/// while it scans the table: indexes `CONCURRENTLY` in folders of their own that run outside a
/// transaction, constraints `NOT VALID` then validated by the next folder, `SET NOT NULL` through a
/// validated check (see the `plan::online` module's source documentation); a change that rewrites
/// a whole existing table ([`rewrite`]) is noted in `up.sql` and refused unless
/// [`PlanOptions::allow_rewrite`]. A change that uses enum values it adds (which PostgreSQL needs
/// committed first) keeps the plain form.
///
/// ```
/// use model_core::ir::{Column, ColumnType, Dialect, Index, Schema, Table};
/// use model_core::plan::{plan_change, PlanOptions};
/// let mut t = Table::new("t");
/// t.columns.push(Column::new("a", ColumnType::Text));
/// let old = Schema::new(vec![t.clone()]);
/// t.indexes.push(Index { name: "ix_t_a".into(), columns: vec!["a".into()], unique: false, where_sql: None });
/// let new = Schema::new(vec![t]);
/// let parts = plan_change(&old, &new, &PlanOptions::new(Dialect::Postgres)).unwrap().unwrap();
/// assert_eq!(parts.len(), 1);
/// assert!(parts[0].migration.up_sql.contains("CREATE INDEX CONCURRENTLY"));
/// assert!(!parts[0].migration.run_in_transaction);
/// assert_eq!(parts[0].schema, new);
/// ```
///
/// # Errors
///
/// Those of [`plan_migration`], and [`DiffError::Rewrite`].
pub fn plan_change(old: &Schema, new: &Schema, options: &PlanOptions) -> Result<Option<Vec<Part>>, DiffError> {
    crate::render::with_schemas(&TableSchemas::of(old, new), || plan_change_in(old, new, options))
}

fn plan_change_in(old: &Schema, new: &Schema, options: &PlanOptions) -> Result<Option<Vec<Part>>, DiffError> {
    let old = &invisible::align(old, new, options.dialect);
    let ops = order(diff(old, new)?);
    if ops.is_empty() {
        return Ok(None);
    }
    guard(&ops, options.allow_data_loss)?;
    if options.online && options.dialect == Dialect::Postgres && enums::commit_after(&ops).is_none() {
        if let Some(parts) = online_parts(old, new, &ops, options)? {
            return Ok(Some(parts));
        }
    }
    let mysql_online = options.online && options.dialect == Dialect::Mysql;
    if mysql_online && !options.allow_rewrite {
        let created: Vec<&str> = ops
            .iter()
            .filter_map(|op| match op {
                Op::CreateTable { table } => Some(table.name.as_str()),
                _ => None,
            })
            .collect();
        let copies: Vec<String> = ops
            .iter()
            .filter(|op| !created.contains(&op.table_name()))
            .filter_map(online::mysql_copy)
            .collect();
        if !copies.is_empty() {
            return Err(DiffError::Rewrite { changes: copies });
        }
    }
    // the ops above are the plain migration's (planned once: diffing is most of the planning)
    let migration = migration_of(old, new, ops, options.dialect, mysql_online)?;
    Ok(Some(vec![Part {
        migration,
        schema: new.clone(),
    }]))
}

/// The parts of the online form of `ops`, or `None` when the plain migration is as good.
fn online_parts(old: &Schema, new: &Schema, ops: &[Op], options: &PlanOptions) -> Result<Option<Vec<Part>>, DiffError> {
    let Some(drafts) = online::split(ops) else {
        return Ok(None);
    };
    let created: Vec<&str> = ops
        .iter()
        .filter_map(|op| match op {
            Op::CreateTable { table } => Some(table.name.as_str()),
            _ => None,
        })
        .collect();
    let rewrites: Vec<String> = ops
        .iter()
        .filter(|op| !created.contains(&op.table_name()))
        .filter_map(online::rewrite)
        .collect();
    if !rewrites.is_empty() && !options.allow_rewrite {
        return Err(DiffError::Rewrite { changes: rewrites });
    }
    let base = migration_name(ops);
    let last = drafts.len() - 1;
    let mut schema = old.clone();
    let mut parts = Vec::with_capacity(drafts.len());
    for (k, draft) in drafts.into_iter().enumerate() {
        schema = if k == last {
            new.clone()
        } else {
            match crate::ops::apply(&schema, &draft.ops) {
                Ok(s) => s,
                // the ops come from the diff of these schemas: replaying them cannot fail; if it
                // did, the plain migration is still right
                Err(_) => return Ok(None),
            }
        };
        let name = match (&draft.name_hint, k) {
            (Some(hint), k) if k > 0 => format!("{base}_{hint}"),
            _ => base.clone(),
        };
        parts.push(Part {
            migration: Migration {
                up_sql: online::script(&name, &draft, Direction::Up),
                down_sql: online::script(&name, &draft, Direction::Down),
                run_in_transaction: draft.in_transaction,
                ops: draft.ops,
                name,
            },
            schema: schema.clone(),
        });
    }
    Ok(Some(parts))
}

/// The tables the migration `old → new` rebuilds as a whole on `dialect` — SQLite, for the changes
/// its `ALTER TABLE` cannot make (see [`plan_migration`]) — named as after the migration; empty on
/// PostgreSQL and MySQL, which change tables in place. A rebuilt table is created again from the
/// migration's idea of it, so a change another branch made to it meanwhile would be lost: the build
/// step's merge of branches counts a rebuild as a change of the whole table.
///
/// ```
/// use model_core::ir::{Column, ColumnType, Dialect, Schema, Table};
/// use model_core::plan::rebuilt_tables;
/// let mut t = Table::new("t");
/// t.columns.push(Column::new("a", ColumnType::Integer));
/// let old = Schema::new(vec![t.clone()]);
/// t.columns[0].nullable = true;
/// let new = Schema::new(vec![t]);
/// assert_eq!(rebuilt_tables(&old, &new, Dialect::Sqlite).unwrap(), ["t"]);
/// assert!(rebuilt_tables(&old, &new, Dialect::Postgres).unwrap().is_empty());
/// ```
///
/// # Errors
///
/// The errors of [`diff`] and of the SQLite adaptation (see [`plan_migration`]).
pub fn rebuilt_tables(old: &Schema, new: &Schema, dialect: Dialect) -> Result<Vec<String>, DiffError> {
    if dialect != Dialect::Sqlite {
        return Ok(Vec::new());
    }
    let ops = order(diff(old, new)?);
    let steps = dialect::adapt(&ops, dialect, old, new)?;
    Ok(steps.rebuild.map(|r| r.tables).unwrap_or_default())
}

#[cfg(test)]
mod tests;
