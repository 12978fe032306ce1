use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A SQL dialect the crate renders and introspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// PostgreSQL (12 or newer).
    Postgres,
    /// SQLite (3.35 or newer).
    Sqlite,
    /// MySQL 8 / MariaDB 10.5 or newer.
    Mysql,
}

impl Dialect {
    /// Every dialect, in a fixed order.
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql];

    /// The name used in `[package.metadata.model] dialect = "..."`.
    ///
    /// ```
    /// assert_eq!(model_core::ir::Dialect::Sqlite.as_str(), "sqlite");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Sqlite => "sqlite",
            Dialect::Mysql => "mysql",
        }
    }

    /// Longest identifier the dialect accepts (PostgreSQL truncates at 63 bytes, MySQL refuses past 64).
    pub fn max_identifier_len(self) -> usize {
        match self {
            Dialect::Postgres => 63,
            Dialect::Mysql => 64,
            Dialect::Sqlite => 1024,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of [`Dialect::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dialect `{0}`: write \"postgres\", \"sqlite\" or \"mysql\"")]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;

    /// ```
    /// use model_core::ir::Dialect;
    /// assert_eq!("postgres".parse::<Dialect>().unwrap(), Dialect::Postgres);
    /// assert!("oracle".parse::<Dialect>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            "sqlite" => Ok(Dialect::Sqlite),
            "mysql" | "mariadb" => Ok(Dialect::Mysql),
            other => Err(UnknownDialect(other.to_string())),
        }
    }
}
