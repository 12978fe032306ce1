//! The error type of [`migrate`](super::migrate).

/// The boxed error Diesel's migration API reports.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why [`migrate`](super::migrate) could not bring the database up to date.
///
/// The enum is `#[non_exhaustive]`: later versions add variants (locking, checksums).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The migration source could not be read (a missing folder, a migration without `up.sql`, ...).
    #[error(
        "cannot read the migrations: {source}; check that the migrations folder exists and that every \
         migration in it has an up.sql"
    )]
    Source {
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// The list of applied migrations could not be read from the database.
    #[error(
        "cannot read the applied migrations from the table `__diesel_schema_migrations`: {source}; check \
         the connection and that the database user may create and read that table"
    )]
    Applied {
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// One migration failed. Migrations applied before it stay applied; this one was rolled back if it
    /// runs in a transaction (the default).
    #[error(
        "migration {version} (`{name}`) failed: {source}; fix its up.sql (or the database) and start \
         again: the migrations before it are applied, this one and the later ones are not"
    )]
    Apply {
        /// Version of the failing migration (e.g. `20240101000000`).
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// MySQL only: a statement of a migration failed after the statements before it were committed
    /// (MySQL commits each DDL statement at once). The progress is recorded: the next run resumes at
    /// this statement.
    #[error("{}", partial_message(.version, .name, *.number, *.total, .statement, .source))]
    Partial {
        /// Version of the failing migration.
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Number of the failing statement in its `up.sql`, from 1.
        number: usize,
        /// How many statements the `up.sql` has.
        total: usize,
        /// The failing statement.
        statement: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// MySQL only: an earlier run applied the first statements of a migration and stopped, and those
    /// statements have changed since in `up.sql`, so the run cannot know where to resume.
    #[error(
        "migration {version} (`{name}`) was partly applied by an earlier run (its first {done} statements, as          recorded in `__model_migration_progress`), and those statements are not the same in its up.sql any          more: put them back as they were, or undo them by hand and delete the row of version {version} from          `__model_migration_progress`; then start again"
    )]
    Edited {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
        /// How many statements the earlier run applied.
        done: usize,
    },
    /// MySQL only: the progress of a migration could not be recorded (in `__model_migration_progress`
    /// or Diesel's `__diesel_schema_migrations`).
    #[error(
        "migration {version} (`{name}`): cannot record its progress in `__model_migration_progress` or          `__diesel_schema_migrations`: {source}; check that the database user may create, read and write          those tables"
    )]
    Progress {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
}

/// The message of [`Error::Partial`]: what failed, what is applied, how to recover.
fn partial_message(
    version: &str,
    name: &str,
    number: usize,
    total: usize,
    statement: &str,
    source: &BoxError,
) -> String {
    let applied = match number.saturating_sub(1) {
        0 => "no statement of it is applied".to_string(),
        1 => "statement 1 is applied (MySQL commits each DDL statement at once)".to_string(),
        n => format!("statements 1 to {n} are applied (MySQL commits each DDL statement at once)"),
    };
    format!(
        "migration {version} (`{name}`) failed at statement {number} of {total}: {source}\n\
         the statement:\n{statement}\n\
         {applied}, and the migration is not marked as applied. To recover, either fix the cause (the database, \
         e.g. rows that break a new constraint, or this statement in up.sql) and start again: the next run resumes at \
         statement {number}; or undo what is applied by hand (down.sql holds the reverse), delete the row of version \
         {version} from `__model_migration_progress`, and start again"
    )
}

impl Error {
    /// The version of the migration concerned, when the error is about one.
    ///
    /// ```
    /// use model_core::runtime::Error;
    /// let e = Error::Apply { version: "20240101000000".into(), name: "2024-01-01-000000_init".into(),
    ///                        source: "syntax error".into() };
    /// assert_eq!(e.version(), Some("20240101000000"));
    /// ```
    pub fn version(&self) -> Option<&str> {
        match self {
            Error::Apply { version, .. }
            | Error::Partial { version, .. }
            | Error::Edited { version, .. }
            | Error::Progress { version, .. } => Some(version),
            Error::Source { .. } | Error::Applied { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync_static() {
        assert_send_sync::<Error>();
    }

    #[test]
    fn apply_message_names_the_migration() {
        let e = Error::Apply {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            source: "near \"TABLEX\": syntax error".into(),
        };
        let msg = e.to_string();
        assert!(
            msg.starts_with("migration 20240101000000 (`2024-01-01-000000_init`) failed"),
            "{msg}"
        );
        assert!(msg.contains("syntax error"), "{msg}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn partial_message_names_the_statement_and_the_way_back() {
        let e = Error::Partial {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            number: 3,
            total: 4,
            statement: "ALTER TABLE `t` ADD CONSTRAINT `uq_t_a` UNIQUE (`a`)".into(),
            source: "Duplicate entry '1' for key 'uq_t_a'".into(),
        };
        insta::assert_snapshot!(e.to_string(), @r"
        migration 20240101000000 (`2024-01-01-000000_init`) failed at statement 3 of 4: Duplicate entry '1' for key 'uq_t_a'
        the statement:
        ALTER TABLE `t` ADD CONSTRAINT `uq_t_a` UNIQUE (`a`)
        statements 1 to 2 are applied (MySQL commits each DDL statement at once), and the migration is not marked as applied. To recover, either fix the cause (the database, e.g. rows that break a new constraint, or this statement in up.sql) and start again: the next run resumes at statement 3; or undo what is applied by hand (down.sql holds the reverse), delete the row of version 20240101000000 from `__model_migration_progress`, and start again
        ");
        assert_eq!(e.version(), Some("20240101000000"));
    }
}
