//! Plan a whole migration: diff, order, per-dialect adjustments, and the text of `up.sql` and
//! `down.sql`.

mod dialect;
mod enums;
mod invisible;
mod mysql_keys;
mod name;
mod sqlite;
mod text;

pub use name::migration_name;

use crate::diff::{diff, guard, DiffError};
use crate::ir::{Dialect, Schema};
use crate::ops::Op;
use crate::order::{order, reversed};
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
    let old = &invisible::align(old, new, dialect);
    let ops = order(diff(old, new)?);
    if ops.is_empty() {
        return Ok(None);
    }
    guard(&ops, allow_data_loss)?;
    if dialect == Dialect::Mysql {
        mysql_keys::check_keys(new)?;
    }
    let name = migration_name(&ops);
    let up = dialect::adapt(&ops, dialect, old, new)?;
    let down = dialect::adapt(&reversed(&ops), dialect, new, old)?;
    let up_sql = text::script(&name, Direction::Up, &up, dialect);
    let down_sql = text::script(&name, Direction::Down, &down, dialect);
    let run_in_transaction = up.commit_after.is_none() && down.commit_after.is_none();
    Ok(Some(Migration {
        name,
        ops,
        up_sql,
        down_sql,
        run_in_transaction,
    }))
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
