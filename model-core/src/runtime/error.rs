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
            Error::Apply { version, .. } => Some(version),
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
}
