//! The database the CLI talks to: the backend read from the URL's scheme, checked against the
//! crate's dialect, and a connection of the matching Diesel type.

use crate::error::{redact, CliError};
use diesel::mysql::MysqlConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use model_core::config::Config;
use model_core::ir::Dialect;
use std::path::PathBuf;

/// Where the database is, per backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `postgres://` or `postgresql://`.
    Postgres(String),
    /// `mysql://`.
    Mysql(String),
    /// A SQLite file (`sqlite://path`, `sqlite:path`, `file:…` or a plain path).
    Sqlite(PathBuf),
}

impl Target {
    /// Read a database URL.
    pub fn parse(url: &str) -> Result<Target, CliError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(CliError::NoDatabaseUrl);
        }
        if let Some((scheme, rest)) = url.split_once("://") {
            return match scheme.to_ascii_lowercase().as_str() {
                "postgres" | "postgresql" => Ok(Target::Postgres(url.to_string())),
                "mysql" | "mariadb" => Ok(Target::Mysql(format!("mysql://{rest}"))),
                "sqlite" | "file" => Ok(Target::Sqlite(PathBuf::from(rest))),
                other => Err(CliError::UnknownScheme {
                    url: redact(url),
                    scheme: other.to_string(),
                }),
            };
        }
        let path = url
            .strip_prefix("sqlite:")
            .or_else(|| url.strip_prefix("file:"))
            .unwrap_or(url);
        Ok(Target::Sqlite(PathBuf::from(path)))
    }

    /// The backend's dialect.
    pub fn dialect(&self) -> Dialect {
        match self {
            Target::Postgres(_) => Dialect::Postgres,
            Target::Mysql(_) => Dialect::Mysql,
            Target::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// The URL for messages, password hidden.
    pub fn shown(&self) -> String {
        match self {
            Target::Postgres(u) | Target::Mysql(u) => redact(u),
            Target::Sqlite(p) => p.display().to_string(),
        }
    }
}

/// An open connection of one of the three backends.
pub enum Db {
    /// PostgreSQL.
    Pg(PgConnection),
    /// MySQL / MariaDB.
    Mysql(MysqlConnection),
    /// SQLite.
    Sqlite(SqliteConnection),
}

/// Whether connecting may create a missing SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// `upgrade`: a new file is a new, empty database.
    Allowed,
    /// Commands that only read or that undo: a missing file is an error (a typo in the path).
    Refused,
}

/// The target of `url` (or `DATABASE_URL`), checked against the crate's dialect.
pub fn target(url: Option<&str>, config: &Config) -> Result<Target, CliError> {
    let target = Target::parse(url.ok_or(CliError::NoDatabaseUrl)?)?;
    if target.dialect() != config.dialect {
        return Err(CliError::DialectMismatch {
            url: target.shown(),
            backend: target.dialect(),
            dialect: config.dialect,
            manifest: config.manifest_dir.join("Cargo.toml"),
        });
    }
    Ok(target)
}

/// Connect to `target`. SQLite connections enforce foreign keys, as services do.
pub fn connect(target: &Target, create: Create) -> Result<Db, CliError> {
    let error = |e: diesel::ConnectionError| CliError::Connect {
        url: target.shown(),
        message: e.to_string(),
    };
    match target {
        Target::Postgres(url) => PgConnection::establish(url).map(Db::Pg).map_err(error),
        Target::Mysql(url) => MysqlConnection::establish(url).map(Db::Mysql).map_err(error),
        Target::Sqlite(path) => {
            if create == Create::Refused && !path.exists() {
                return Err(CliError::NoSqliteFile { path: path.clone() });
            }
            let mut conn = SqliteConnection::establish(&path.to_string_lossy()).map_err(error)?;
            diesel::RunQueryDsl::execute(diesel::sql_query("PRAGMA foreign_keys = ON"), &mut conn).map_err(|e| {
                CliError::Connect {
                    url: target.shown(),
                    message: e.to_string(),
                }
            })?;
            Ok(Db::Sqlite(conn))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_from_urls() {
        assert_eq!(
            Target::parse("postgresql://u@h/db").unwrap().dialect(),
            Dialect::Postgres
        );
        assert_eq!(Target::parse("postgres://u@h/db").unwrap().dialect(), Dialect::Postgres);
        assert_eq!(Target::parse("mysql://root@h/db").unwrap().dialect(), Dialect::Mysql);
        assert_eq!(
            Target::parse("sqlite:///tmp/a.db").unwrap(),
            Target::Sqlite("/tmp/a.db".into())
        );
        assert_eq!(Target::parse("sqlite:a.db").unwrap(), Target::Sqlite("a.db".into()));
        assert_eq!(
            Target::parse("data/app.db").unwrap(),
            Target::Sqlite("data/app.db".into())
        );
        let e = Target::parse("oracle://x:pw@h/db").unwrap_err().to_string();
        assert!(e.contains("oracle") && !e.contains("pw"), "{e}");
        assert!(matches!(Target::parse(" "), Err(CliError::NoDatabaseUrl)));
    }

    #[test]
    fn a_url_of_another_backend_than_the_crate_is_an_error() {
        let cfg = Config::from_manifest(
            std::path::Path::new("/app"),
            "[package]\nname = \"a\"\n[package.metadata.model]\ndialect = \"sqlite\"\n",
        )
        .unwrap();
        let e = target(Some("postgres://u:pw@h/db"), &cfg).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("postgres database") && text.contains("dialect = \"sqlite\"") && !text.contains("pw"),
            "{text}"
        );
        assert_eq!(e.exit_code(), crate::error::USAGE);
        assert!(target(Some("app.db"), &cfg).is_ok());
    }
}
