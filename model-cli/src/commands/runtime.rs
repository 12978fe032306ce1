//! What the database commands share: the connection, the migration source, versions as the user
//! writes them, the runtime's errors, and one macro running code on whichever connection is open.

use crate::database::{self, Create, Db};
use crate::error::CliError;
use diesel_migrations::FileBasedMigrations;
use model_core::config::Config;

/// Run `$body` with `$conn` bound to the open connection, whatever its backend.
macro_rules! with_conn {
    ($db:expr, $conn:ident => $body:expr) => {
        match $db {
            $crate::database::Db::Pg($conn) => $body,
            $crate::database::Db::Mysql($conn) => $body,
            $crate::database::Db::Sqlite($conn) => $body,
        }
    };
}
pub(crate) use with_conn;

/// The crate's database, from `--database-url` / `DATABASE_URL`, checked against its dialect.
pub fn open(url: Option<&str>, config: &Config, create: Create) -> Result<(Db, String), CliError> {
    let target = database::target(url, config)?;
    let db = database::connect(&target, create)?;
    Ok((db, target.shown()))
}

/// The crate's migrations folder as a Diesel migration source.
pub fn source(config: &Config) -> Result<FileBasedMigrations, CliError> {
    FileBasedMigrations::from_path(&config.migrations).map_err(|e| CliError::Migrations {
        path: config.migrations.clone(),
        message: e.to_string(),
    })
}

/// A version as Diesel stores it: `2026-11-24-010203`, `20261124010203` and the folder name
/// `2026-11-24-010203_add_tags` all mean `20261124010203`.
pub fn version(text: &str) -> String {
    let text = text.trim();
    let head = text.split('_').next().unwrap_or(text);
    head.replace('-', "")
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_as_diesel_stores_them() {
        assert_eq!(super::version("2026-11-24-010203"), "20261124010203");
        assert_eq!(super::version("20261124010203"), "20261124010203");
        assert_eq!(super::version("2026-11-24-010203_add_tags"), "20261124010203");
    }
}
