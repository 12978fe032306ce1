//! A baseline: the first migration of an adopted database, whose `up.sql` creates the schema the
//! database held when it was adopted (`model import`).
//!
//! The runtime cannot see the recorded snapshots (Diesel embeds only `up.sql`, `down.sql` and
//! `metadata.toml`), so what it needs travels in a comment header of `up.sql` (checksums ignore
//! comments): the marker line `-- model:baseline`, the schema as one line of JSON and the tables the
//! crate owns. `model::migrate` then records the baseline as applied **without running it** when
//! introspection shows the database already holds exactly that schema, runs it on a database that
//! holds none of its tables, and refuses a database that holds part of it, naming each difference.
//!
//! ```
//! use model_core::baseline::Baseline;
//! use model_core::ir::{Column, ColumnType, Schema, Table, TableFilter};
//! let mut t = Table::new("users");
//! t.columns.push(Column::new("id", ColumnType::BigInt));
//! let b = Baseline { schema: Schema::new(vec![t]), tables: TableFilter::default() };
//! let up = format!("{}CREATE TABLE users (id BIGINT NOT NULL);\n", b.header());
//! assert_eq!(Baseline::from_sql(&up).unwrap().unwrap(), b);
//! assert!(Baseline::from_sql("CREATE TABLE t (a INT);").is_none());
//! ```

use crate::ir::{Schema, TableFilter};

/// The marker line of a baseline's `up.sql`.
pub const MARKER: &str = "-- model:baseline";
const SCHEMA: &str = "-- model:baseline-schema ";
const TABLES: &str = "-- model:baseline-tables ";

/// What a baseline's `up.sql` header carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// The schema the migration creates (the adopted database's).
    pub schema: Schema,
    /// The tables the crate owns: the others are not compared.
    pub tables: TableFilter,
}

impl Baseline {
    /// The comment header of the baseline's `up.sql` (ends with a newline).
    pub fn header(&self) -> String {
        let schema = serde_json::to_string(&self.schema).unwrap_or_default();
        let tables = serde_json::to_string(&self.tables).unwrap_or_default();
        format!(
            "{MARKER}\n\
             -- The schema the database held when it was adopted (`model import`). `model::migrate` and\n\
             -- `model upgrade` record this migration as applied without running it on a database that\n\
             -- already holds exactly this schema (checked by introspection), run it on a database that\n\
             -- holds none of its tables, and refuse a database that holds part of it. The two lines below\n\
             -- are what they compare with: keep them.\n\
             {SCHEMA}{schema}\n{TABLES}{tables}\n\n"
        )
    }

    /// The baseline described by `up_sql`'s header: `None` for an ordinary migration, an error when
    /// the header is there but unreadable.
    pub fn from_sql(up_sql: &str) -> Option<Result<Baseline, String>> {
        let mut lines = up_sql.lines().map(str::trim_end);
        if !lines.clone().take_while(|l| l.starts_with("--")).any(|l| l == MARKER) {
            return None;
        }
        let mut schema = None;
        let mut tables = TableFilter::default();
        for l in lines.by_ref().take_while(|l| l.starts_with("--")) {
            if let Some(json) = l.strip_prefix(SCHEMA) {
                schema = Some(serde_json::from_str::<Schema>(json).map_err(|e| e.to_string()));
            } else if let Some(json) = l.strip_prefix(TABLES) {
                match serde_json::from_str::<TableFilter>(json) {
                    Ok(t) => tables = t,
                    Err(e) => return Some(Err(e.to_string())),
                }
            }
        }
        Some(match schema {
            Some(Ok(schema)) => Ok(Baseline { schema, tables }),
            Some(Err(e)) => Err(e),
            None => Err(format!("no `{}` line", SCHEMA.trim_end())),
        })
    }
}
