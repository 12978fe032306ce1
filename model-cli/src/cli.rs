//! The command line (clap). `model --help` and `model <command> --help` print what is here.

use crate::diagram::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Migrations and diagrams of a crate whose models are `#[derive(model::Model)]` structs.
///
/// The crate is found from the current folder (or --manifest-path) and configured by its
/// `[package.metadata.model]`. Commands that talk to a database read DATABASE_URL (or --database-url):
/// postgres://…, mysql://…, or a SQLite file path (sqlite://path also works).
///
/// Exit codes: 0 ok; 1 something needs attention (check failed, pending/edited/missing migrations,
/// drift, models that cannot become a migration); 2 usage or configuration error; 3 database, file or
/// Graphviz error.
#[derive(Debug, Parser)]
#[command(name = "model", version, propagate_version = true)]
pub struct Cli {
    /// The crate's Cargo.toml (default: found from the current folder upwards).
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// The database (default: the DATABASE_URL variable).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show each migration (applied, pending, edited since applied, missing from the folder) and
    /// whether the live database drifted from what its applied migrations made. Exit 1 when something
    /// needs attention.
    Status,
    /// List the migrations applied to the database, oldest first, with when they were applied.
    History,
    /// Apply pending migrations (all of them, or up to and including --to), one line per migration.
    Upgrade(Upgrade),
    /// Revert applied migrations, newest first: down to a version (--to) or a number of them (--steps).
    Downgrade(Downgrade),
    /// Accept the edit of an applied migration: record the checksum of its SQL as it is now.
    Accept(Accept),
    /// Undo on the database a draft migration the build step rewrote (or removed) after the database
    /// applied it, with the down.sql of the text it applied (kept by the build step).
    RevertDraft(RevertDraft),
    /// Fail (exit 1) when the models need a migration that is not in the migrations folder, or when the
    /// migration history has branches no merge brings together — for CI. Writes nothing.
    Check,
    /// Print the up.sql and down.sql the next migration would contain. Writes nothing.
    Sql(Loss),
    /// Write the next migration now (what `cargo build` does), if the models changed.
    Generate(Generate),
    /// Draw an ER diagram of the models: tables, columns with types and keys, relationships with
    /// cardinality.
    Diagram(Diagram),
}

/// `model upgrade`.
#[derive(Debug, Args)]
pub struct Upgrade {
    /// Stop after this version (e.g. 20261124010203 or 2026-11-24-010203).
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// How long to wait for the migration lock when another process holds it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,
    /// PostgreSQL: the lock_timeout each migration runs with, so that a statement waiting for a
    /// table lock gives up instead of queueing the table's queries behind it (0: the server's).
    #[arg(long, value_name = "MILLISECONDS", default_value_t = 2000)]
    pub ddl_lock_timeout_ms: u64,
    /// How many times a migration that gave up waiting for a lock is tried again (with backoff).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub retries: u32,
}

/// `model downgrade`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["to", "steps"])))]
pub struct Downgrade {
    /// Revert every applied migration newer than this version (this one stays applied).
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// Revert this many of the newest applied migrations.
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// How long to wait for the migration lock when another process holds it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,
}

/// `model accept`.
#[derive(Debug, Args)]
pub struct Accept {
    /// The applied migration whose edit to accept (its version, e.g. 20261124010203).
    #[arg(value_name = "VERSION")]
    pub migration: String,
}

/// `model revert-draft`.
#[derive(Debug, Args)]
pub struct RevertDraft {
    /// The draft's version (default: the newest replaced draft the database applied).
    #[arg(value_name = "VERSION")]
    pub version: Option<String>,
    /// How long to wait for the migration lock when another process holds it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,
}

/// `model check` and `model sql`.
#[derive(Debug, Args)]
pub struct Loss {
    /// Allow drops and narrowing changes (like MODEL_ALLOW_DATA_LOSS=1).
    #[arg(long)]
    pub allow_data_loss: bool,
}

/// `model generate`.
#[derive(Debug, Args)]
pub struct Generate {
    /// Name of the migration (the folder is `<version>_<name>`) instead of the one made from the changes.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Allow drops and narrowing changes (like MODEL_ALLOW_DATA_LOSS=1).
    #[arg(long)]
    pub allow_data_loss: bool,
}

/// `model diagram`.
#[derive(Debug, Args)]
pub struct Diagram {
    /// Output format.
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
