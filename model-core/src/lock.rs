//! How the migration lock is taken: [`LockStrategy`], chosen in the runtime's `Options::lock`, in
//! `[package.metadata.model]` (`lock = "table"`, read by the `model` CLI) or with the CLI's
//! `--lock`. Here (not in the runtime) so the configuration can name it without the runtime.

use std::fmt;
use std::str::FromStr;

/// How the runtime keeps two runs from migrating one database at the same time.
///
/// ```
/// use model_core::lock::LockStrategy;
/// assert_eq!("table".parse::<LockStrategy>().unwrap(), LockStrategy::Table);
/// assert_eq!(LockStrategy::default(), LockStrategy::Auto);
/// assert_eq!(LockStrategy::Advisory.to_string(), "advisory");
/// assert!("row".parse::<LockStrategy>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LockStrategy {
    /// The engine's own lock where it holds for every client of the database — a PostgreSQL
    /// advisory lock, MySQL's `GET_LOCK`, SQLite's write lock — and the table lock where it does
    /// not: on a MariaDB Galera cluster (`wsrep_on`), where `GET_LOCK` is local to one node, and on
    /// CockroachDB and YugabyteDB, whose advisory locks are no-ops or missing. The default.
    #[default]
    Auto,
    /// The engine's own lock, always (on a Galera cluster it only keeps out runs through the same
    /// node: a warning is logged).
    Advisory,
    /// A row in the table `__model_migration_lock`, which the database itself certifies: the run
    /// whose `INSERT` of the one key commits first holds the lock, cluster-wide; the others wait.
    /// The row names its owner and is renewed (a heartbeat) while the run works; a row whose
    /// holder stopped renewing it for longer than its lease is taken over, so a crashed holder
    /// does not block forever. Where the engine has a lock of its own that holds, it is taken too
    /// (after the row), so runs with [`LockStrategy::Advisory`] on the same server are kept out.
    /// SQLite keeps its write lock, which is the whole file's.
    Table,
}

impl LockStrategy {
    /// The name used in configuration and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LockStrategy::Auto => "auto",
            LockStrategy::Advisory => "advisory",
            LockStrategy::Table => "table",
        }
    }
}

impl fmt::Display for LockStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A lock strategy name that is none of `auto`, `advisory`, `table`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown lock strategy `{0}`: use \"auto\" (the default), \"advisory\" or \"table\"")]
pub struct UnknownLockStrategy(pub String);

impl FromStr for LockStrategy {
    type Err = UnknownLockStrategy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(LockStrategy::Auto),
            "advisory" => Ok(LockStrategy::Advisory),
            "table" => Ok(LockStrategy::Table),
            _ => Err(UnknownLockStrategy(s.to_string())),
        }
    }
}
