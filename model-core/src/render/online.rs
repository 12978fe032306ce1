//! The lock-safe forms of PostgreSQL statements, which the plan's online pass uses for tables that
//! already exist (see `crate::plan::plan_change`).
//!
//! | plain statement | lock it holds while it scans | safe form |
//! |---|---|---|
//! | `CREATE INDEX` | `SHARE` (blocks writes) | `CREATE INDEX CONCURRENTLY`, outside a transaction |
//! | `DROP INDEX` | `ACCESS EXCLUSIVE` | `DROP INDEX CONCURRENTLY`, outside a transaction |
//! | `ADD CONSTRAINT .. UNIQUE` | `ACCESS EXCLUSIVE` | unique index concurrently, then `UNIQUE USING INDEX` |
//! | `ADD CONSTRAINT .. FOREIGN KEY` / `CHECK` | `SHARE ROW EXCLUSIVE` / `ACCESS EXCLUSIVE` | `NOT VALID`, then `VALIDATE CONSTRAINT` in another transaction |
//! | `SET NOT NULL` | `ACCESS EXCLUSIVE` | `CHECK (c IS NOT NULL) NOT VALID`, `VALIDATE`, `SET NOT NULL` (no scan), drop the check |

use super::alter_column::fill_nulls;
use super::ident::quote_table;
use super::ident::{quote_ident, quote_list};
use crate::ir::{Column, Dialect, Index, UniqueConstraint};

const PG: Dialect = Dialect::Postgres;

/// `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS "ix" ON "t" (..) [WHERE ..]`: `IF NOT EXISTS`
/// so a run interrupted after the build (before the migration was recorded) completes; an index
/// an interrupted build left `INVALID` is dropped by the runtime before this runs again.
pub(crate) fn create_index_concurrently(table: &str, index: &Index) -> String {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let mut sql = format!(
        "CREATE {unique}INDEX CONCURRENTLY IF NOT EXISTS {} ON {} ({})",
        quote_ident(&index.name, PG),
        quote_table(table, PG),
        quote_list(&index.columns, PG)
    );
    if let Some(predicate) = &index.where_sql {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    sql
}

/// `DROP INDEX CONCURRENTLY IF EXISTS "ix"`.
pub(crate) fn drop_index_concurrently(table: &str, name: &str) -> String {
    format!(
        "DROP INDEX CONCURRENTLY IF EXISTS {}",
        super::ident::quote_in_schema_of(table, name, PG)
    )
}

/// The unique index a unique constraint is then made from, built concurrently (same name).
pub(crate) fn unique_index_concurrently(table: &str, unique: &UniqueConstraint) -> String {
    create_index_concurrently(
        table,
        &Index {
            name: unique.name.clone(),
            columns: unique.columns.clone(),
            unique: true,
            where_sql: None,
        },
    )
}

/// `ALTER TABLE "t" ADD CONSTRAINT "uq" UNIQUE USING INDEX "uq"`: no scan, the index exists.
pub(crate) fn unique_using_index(table: &str, unique: &UniqueConstraint) -> String {
    let name = quote_ident(&unique.name, PG);
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}",
        quote_table(table, PG)
    )
}

/// `statement` (an `ALTER TABLE .. ADD CONSTRAINT`) with ` NOT VALID`: existing rows are not
/// checked (no scan), new ones are.
pub(crate) fn not_valid(statement: &str) -> String {
    format!("{statement} NOT VALID")
}

/// `ALTER TABLE "t" VALIDATE CONSTRAINT "c"`: scans under `SHARE UPDATE EXCLUSIVE`, which lets
/// reads and writes go on.
pub(crate) fn validate(table: &str, name: &str) -> String {
    format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        quote_table(table, PG),
        quote_ident(name, PG)
    )
}

/// `ALTER TABLE "t" ADD CONSTRAINT "n" CHECK ("c" IS NOT NULL) NOT VALID`.
pub(crate) fn not_null_check(table: &str, column: &str, name: &str) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
        quote_table(table, PG),
        quote_ident(name, PG),
        quote_ident(column, PG)
    )
}

/// `ALTER TABLE "t" ALTER COLUMN "c" SET NOT NULL` (or `DROP NOT NULL`).
pub(crate) fn not_null(table: &str, column: &str, set: bool) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {} {} NOT NULL",
        quote_table(table, PG),
        quote_ident(column, PG),
        if set { "SET" } else { "DROP" }
    )
}

/// `ALTER TABLE "t" DROP CONSTRAINT IF EXISTS "n"`.
pub(crate) fn drop_constraint_if_exists(table: &str, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
        quote_table(table, PG),
        quote_ident(name, PG)
    )
}

/// The rows one batch of a backfill updates.
pub(crate) const BACKFILL_BATCH: u32 = 10_000;

/// The `NULL`s of column `from` filled with the default of `to` in batches of [`BACKFILL_BATCH`] rows,
/// each committed, as one `DO` block (run outside a transaction: PostgreSQL 11+ lets a `DO` block
/// commit then). `None` without a default.
pub(crate) fn batched_backfill(table: &str, from: &Column, to: &Column) -> Option<String> {
    let update = fill_nulls(table, from, to, PG)?;
    let c = quote_ident(&to.name, PG);
    let t = quote_table(table, PG);
    // `UPDATE "t" SET "c" = <default> WHERE "c" IS NULL`, one batch of rows at a time
    let batch = update.replacen(
        &format!("WHERE {c} IS NULL"),
        &format!("WHERE ctid IN (SELECT ctid FROM {t} WHERE {c} IS NULL LIMIT {BACKFILL_BATCH})"),
        1,
    );
    Some(format!(
        "DO $model_backfill$\nDECLARE\n    n bigint;\nBEGIN\n    LOOP\n        {batch};\n        GET DIAGNOSTICS n = ROW_COUNT;\n        \
         EXIT WHEN n = 0;\n        COMMIT;\n    END LOOP;\nEND\n$model_backfill$"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let ix = Index {
            name: "ix_t_a".into(),
            columns: vec!["a".into()],
            unique: false,
            where_sql: Some("a > 0".into()),
        };
        assert_eq!(
            create_index_concurrently("t", &ix),
            r#"CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_t_a" ON "t" ("a") WHERE a > 0"#
        );
        let uq = UniqueConstraint {
            name: "uq_t_a".into(),
            columns: vec!["a".into()],
        };
        assert_eq!(
            unique_index_concurrently("t", &uq),
            r#"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "uq_t_a" ON "t" ("a")"#
        );
        assert_eq!(
            unique_using_index("t", &uq),
            r#"ALTER TABLE "t" ADD CONSTRAINT "uq_t_a" UNIQUE USING INDEX "uq_t_a""#
        );
        assert_eq!(
            not_null("t", "a", false),
            r#"ALTER TABLE "t" ALTER COLUMN "a" DROP NOT NULL"#
        );
    }
}
