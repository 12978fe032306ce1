//! What can go wrong, in plain words, and the exit code of each (see [`CliError::exit_code`]).

use model_core::build::BuildError;
use model_core::config::ConfigError;
use model_core::ir::Dialect;
use model_core::runtime::Error as RuntimeError;
use std::path::PathBuf;

/// Exit code: the command did what was asked and nothing needs attention.
pub const OK: i32 = 0;
/// Exit code: something needs attention — `check` found models without their migration, `status` found
/// pending, edited or missing migrations or drift, or the models cannot become a migration.
pub const ATTENTION: i32 = 1;
/// Exit code: the command line or the project's configuration is wrong (clap uses 2 as well).
pub const USAGE: i32 = 2;
/// Exit code: the database, a file or Graphviz failed.
pub const FAILURE: i32 = 3;

/// An error of the `model` command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// No `Cargo.toml` with a `[package]` in the current folder or above.
    #[error("no crate found in {dir} or any folder above it (a Cargo.toml with a [package] section); run `model` inside the crate that holds your models or pass --manifest-path path/to/Cargo.toml")]
    NoCrate {
        /// Where the search started.
        dir: PathBuf,
    },
    /// `--manifest-path` does not name a `Cargo.toml`.
    #[error("--manifest-path {path}: {message}")]
    ManifestPath {
        /// The path given.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `[package.metadata.model]` cannot be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// No database URL.
    #[error(
        "no database given: set DATABASE_URL or pass --database-url (postgres://…, mysql://…, or a SQLite file path)"
    )]
    NoDatabaseUrl,
    /// The URL's scheme is none the CLI knows.
    #[error("database URL `{url}`: unknown scheme `{scheme}`; use postgres://, postgresql://, mysql://, sqlite:// or a SQLite file path")]
    UnknownScheme {
        /// The URL, password hidden.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// The URL's backend is not the crate's dialect.
    #[error("database URL `{url}` is a {backend} database, but {manifest} says dialect = \"{dialect}\": point DATABASE_URL at a {dialect} database (or fix the dialect)")]
    DialectMismatch {
        /// The URL, password hidden.
        url: String,
        /// The URL's backend.
        backend: Dialect,
        /// The crate's dialect.
        dialect: Dialect,
        /// The crate's `Cargo.toml`.
        manifest: PathBuf,
    },
    /// A command-line value is wrong.
    #[error("{0}")]
    Usage(String),
    /// The SQLite file does not exist (commands that only read do not create it).
    #[error("SQLite database {path} does not exist: check DATABASE_URL (`model upgrade` creates it)")]
    NoSqliteFile {
        /// The path.
        path: PathBuf,
    },
    /// The database cannot be reached.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL, password hidden.
        url: String,
        /// The driver's message.
        message: String,
    },
    /// The migrations folder cannot be read.
    #[error("cannot read the migrations in {path}: {message}")]
    Migrations {
        /// The folder.
        path: PathBuf,
        /// Diesel's message.
        message: String,
    },
    /// The build step failed (models, migrations folder, data loss refused).
    #[error("{0}")]
    Build(#[from] BuildError),
    /// A file cannot be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The runtime failed (a migration, the lock, checksums, an unknown version, ...); its message says
    /// which migration and what to do.
    #[error("{}", runtime_message(.0))]
    Runtime(#[from] RuntimeError),
    /// `downgrade` would run down.sql statements that drop data, and `--allow-data-loss` was not given.
    #[error(
        "this downgrade would lose data:\n{}\npass --allow-data-loss (or set MODEL_ALLOW_DATA_LOSS=1) to revert \
         anyway; nothing was reverted",
        .0.iter().map(|l| format!("  - {l}")).collect::<Vec<_>>().join("\n")
    )]
    DownDataLoss(Vec<String>),
    /// Tenants failed (`upgrade --tenants`, `status --tenants`); each one's error is printed above.
    #[error("{} of {total} tenant(s) failed: {}", .failed.len(), .failed.join(", "))]
    Tenants {
        /// The failed tenants, in the order given.
        failed: Vec<String>,
        /// How many tenants there were.
        total: usize,
        /// The exit code: the worst of the failed tenants'.
        code: i32,
    },
    /// Graphviz is not installed.
    #[error("`dot` (Graphviz) is not on PATH, and SVG is made with it: install Graphviz (e.g. `apt-get install graphviz`, `brew install graphviz`) or use `--format dot` or `--format mermaid`")]
    GraphvizMissing,
    /// Graphviz failed.
    #[error("{0}")]
    Graphviz(String),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::NoCrate { .. }
            | CliError::ManifestPath { .. }
            | CliError::Config(_)
            | CliError::NoDatabaseUrl
            | CliError::UnknownScheme { .. }
            | CliError::DialectMismatch { .. }
            | CliError::Usage(_) => USAGE,
            CliError::DownDataLoss(_) => ATTENTION,
            CliError::Build(e) => match e {
                BuildError::Config(_) | BuildError::Env { .. } => USAGE,
                BuildError::Io { .. } | BuildError::Emit(_) => FAILURE,
                _ => ATTENTION,
            },
            CliError::Runtime(e) => runtime_code(e),
            CliError::Tenants { code, .. } => *code,
            CliError::NoSqliteFile { .. }
            | CliError::Connect { .. }
            | CliError::Migrations { .. }
            | CliError::Write { .. }
            | CliError::GraphvizMissing
            | CliError::Graphviz(_) => FAILURE,
        }
    }
}

/// The exit code of a runtime error.
pub fn runtime_code(e: &RuntimeError) -> i32 {
    match e {
        RuntimeError::Checksum { .. }
        | RuntimeError::Edited { .. }
        | RuntimeError::NoDown { .. }
        | RuntimeError::Baseline { .. }
        | RuntimeError::NotInSource { .. }
        | RuntimeError::RewrittenDraft { .. }
        | RuntimeError::OutOfOrder { .. } => ATTENTION,
        RuntimeError::UnknownVersion { .. } => USAGE,
        _ => FAILURE,
    }
}

/// The runtime's message, with the CLI's way to wait longer for the lock.
pub fn runtime_message(e: &RuntimeError) -> String {
    match e {
        RuntimeError::LockTimeout { .. } => format!("{e} (here: `--lock-timeout SECONDS`)"),
        RuntimeError::LockLost { .. } => e
            .to_string()
            .replace("`Options::lock_lease` (`--lock-lease`)", "`--lock-lease SECONDS`"),
        _ => e.to_string(),
    }
}

/// `url` with its password replaced by `***`, for messages.
pub use model_core::runtime::redact_url as redact;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_by_kind() {
        assert_eq!(CliError::NoDatabaseUrl.exit_code(), USAGE);
        assert_eq!(CliError::GraphvizMissing.exit_code(), FAILURE);
        let checksum = RuntimeError::Checksum {
            version: "1".into(),
            name: "1_a".into(),
            recorded: "a".into(),
            current: "b".into(),
        };
        assert_eq!(CliError::from(checksum).exit_code(), ATTENTION);
        let unknown = RuntimeError::UnknownVersion {
            version: "1".into(),
            why: "not applied",
        };
        assert_eq!(CliError::from(unknown).exit_code(), USAGE);
        let connect = CliError::Connect {
            url: "x".into(),
            message: "refused".into(),
        };
        assert_eq!(connect.exit_code(), FAILURE);
        let pending = BuildError::Pending {
            folder: "m".into(),
            changes: vec![],
        };
        assert_eq!(CliError::from(pending).exit_code(), ATTENTION);
    }
    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            super::redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("/tmp/a.db"), "/tmp/a.db");
    }
}
