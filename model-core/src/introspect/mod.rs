//! Introspection: read a live database into the IR ([`Schema`](crate::ir::Schema)), to check that a
//! migrated database holds the models (see [`compare`](crate::ir::compare)).
//!
//! Diesel's `__diesel_schema_migrations` table and every table whose name starts with `__` or
//! `sqlite_` are skipped. Defaults that are plain literals (`0`, `1.5`, `true`, `'draft'`, with or
//! without a `::type` cast) are read as [`Literal`](crate::ir::Literal)s, anything else as raw SQL.

mod default;
mod error;
#[cfg(feature = "mysql")]
mod mysql;
pub mod objects;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use error::IntrospectError;
#[cfg(feature = "mysql")]
pub use mysql::mysql;
#[cfg(feature = "postgres")]
pub use postgres::{postgres, postgres_schema};
#[cfg(feature = "sqlite")]
pub use sqlite::sqlite;

/// Tables introspection leaves out: Diesel's bookkeeping and internal tables.
#[cfg_attr(
    not(any(feature = "postgres", feature = "sqlite", feature = "mysql")),
    allow(dead_code)
)]
fn skipped_table(name: &str) -> bool {
    name.starts_with("__") || name.starts_with("sqlite_")
}

#[cfg(test)]
mod tests {
    #[test]
    fn skips_bookkeeping_tables() {
        assert!(super::skipped_table("__diesel_schema_migrations"));
        assert!(super::skipped_table("sqlite_sequence"));
        assert!(!super::skipped_table("users"));
    }
}
