//! An in-memory migration source that behaves like `diesel_migrations::embed_migrations!` (static
//! SQL text, boxes of references, `batch_execute`), so the startup benchmarks measure the runners and
//! the database, not file reading. `embed_migrations!` itself needs the folder at compile time.

use diesel::backend::Backend;
use diesel::connection::BoxableConnection;
use diesel::migration::{Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion};
use std::fmt;

/// One migration: its version, folder name and SQL.
pub struct MemoryMigration {
    version: String,
    name: String,
    up: String,
    down: String,
}

/// A set of migrations living for the whole benchmark run (like the `static` of `embed_migrations!`).
#[derive(Clone, Copy)]
pub struct MemoryMigrations(pub &'static [MemoryMigration]);

impl MemoryMigrations {
    /// `count` migrations that work on PostgreSQL and SQLite alike: every third one creates a table
    /// with an index, the two after it add a column to that table.
    pub fn generate(count: usize) -> MemoryMigrations {
        let list: Vec<MemoryMigration> = (0..count)
            .map(|k| {
                let table = format!("bench_t{:04}", k - k % 3);
                let (up, down) = if k % 3 == 0 {
                    (
                        format!(
                            "CREATE TABLE {table} (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, note TEXT);\n\
                             CREATE INDEX ix_{table}_name ON {table} (name);\n"
                        ),
                        format!("DROP TABLE {table};\n"),
                    )
                } else {
                    (
                        format!("ALTER TABLE {table} ADD COLUMN c{k:04} TEXT;\n"),
                        format!("ALTER TABLE {table} DROP COLUMN c{k:04};\n"),
                    )
                };
                let version = format!("20260101{k:06}");
                MemoryMigration {
                    name: format!("{version}_step_{k}"),
                    version,
                    up,
                    down,
                }
            })
            .collect();
        MemoryMigrations(Vec::leak(list))
    }
}

struct Name<'a>(&'a MemoryMigration);

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.name)
    }
}

impl MigrationName for Name<'_> {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(self.0.version.as_str())
    }
}

struct InTransaction;

impl MigrationMetadata for InTransaction {}

/// A migration as `embed_migrations!` hands it out: a reference into static data.
struct Entry {
    migration: &'static MemoryMigration,
    name: Name<'static>,
}

impl<DB: Backend> Migration<DB> for Entry {
    fn run(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        Ok(conn.batch_execute(&self.migration.up)?)
    }

    fn revert(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        Ok(conn.batch_execute(&self.migration.down)?)
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        &InTransaction
    }

    fn name(&self) -> &dyn MigrationName {
        &self.name
    }
}

impl<DB: Backend> MigrationSource<DB> for MemoryMigrations {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        Ok(self
            .0
            .iter()
            .map(|migration| {
                Box::new(Entry {
                    migration,
                    name: Name(migration),
                }) as Box<dyn Migration<DB>>
            })
            .collect())
    }
}
