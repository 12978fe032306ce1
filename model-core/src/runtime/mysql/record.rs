//! Read the SQL text of a migration through Diesel's [`Migration::run`], without running it.

use diesel::backend::Backend;
use diesel::connection::{BoxableConnection, SimpleConnection};
use diesel::migration::Migration;
use diesel::QueryResult;

/// A stand-in connection that keeps what it is asked to execute.
#[derive(Debug, Default)]
struct Recorder {
    sql: String,
}

impl SimpleConnection for Recorder {
    fn batch_execute(&mut self, query: &str) -> QueryResult<()> {
        self.sql.push_str(query);
        self.sql.push('\n');
        Ok(())
    }
}

impl<DB: Backend> BoxableConnection<DB> for Recorder {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// The text of `migration`'s `up.sql`: Diesel's migrations (file-based and embedded) run it with
/// one `batch_execute`, which the recorder keeps instead of executing.
pub(super) fn up_sql<DB: Backend>(
    migration: &dyn Migration<DB>,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let mut recorder = Recorder::default();
    migration.run(&mut recorder)?;
    Ok(recorder.sql)
}
