//! The command line (clap). `model --help` and `model <command> --help` print what is here.

use crate::diagram::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use model_core::lock::LockStrategy;
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
    /// whether the live database drifted from what its applied migrations made; with --tenants, a
    /// summary over the tenants. Exit 1 when something needs attention.
    Status(Status),
    /// List the migrations applied to the database, oldest first, with when they were applied.
    History,
    /// Apply pending migrations (all of them, or up to and including --to), one line per migration;
    /// with --tenants, in every tenant, N at a time, with a progress bar.
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
    /// Read a live database and write its models (one `#[derive(Model)]` struct per table and per
    /// view, enums, Diesel's derives) and, inside a crate, its functions and triggers (one file each
    /// in the objects folder, `db/objects` unless `objects` names one), its extensions (`extensions`
    /// in Cargo.toml) and a baseline migration that records the database as the starting state. What
    /// the models cannot say (procedures, exclusion constraints, ...) is listed on stderr and at the
    /// top of the file. Exit 1 when something was not expressible. Works outside a crate too (then
    /// without a baseline, and functions, triggers and extensions are listed).
    Import(Import),
}

/// `model import`.
#[derive(Debug, Args)]
pub struct Import {
    /// Tables to import (globs, comma-separated or repeated; default: the crate's `include`, else all).
    #[arg(long, value_name = "GLOBS")]
    pub tables: Vec<String>,
    /// Tables to leave out (globs, comma-separated or repeated; added to the crate's `exclude`).
    #[arg(long, value_name = "GLOBS")]
    pub exclude: Vec<String>,
    /// Write the models to this file (`src/models.rs`) or folder (its `mod.rs`); default: standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Do not write the baseline migration.
    #[arg(long)]
    pub no_baseline: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// The module of the crate's `schema.rs` (`diesel print-schema`), e.g. `crate::schema`: the models
    /// then use its `table!`s (`diesel_table`) instead of declaring their own, so both work side by side.
    #[arg(long, value_name = "MODULE")]
    pub diesel_schema: Option<String>,
    /// PostgreSQL: schemas to read besides `public` (comma-separated or repeated); their tables are
    /// written with `schema = "…"`. The crate's `schema` setting is read too.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub schemas: Vec<String>,
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
    /// How the lock is taken.
    #[command(flatten)]
    pub lock: Lock,
    /// Many tenants.
    #[command(flatten)]
    pub tenants: Tenants,
}

/// `model status`.
#[derive(Debug, Args)]
pub struct Status {
    /// Many tenants.
    #[command(flatten)]
    pub tenants: Tenants,
}

/// How the migration lock is taken (`upgrade`, `downgrade`, `accept`, `revert-draft`).
#[derive(Debug, Args)]
pub struct Lock {
    /// How to take the migration lock: `advisory` (the engine's own: PostgreSQL advisory lock, MySQL
    /// GET_LOCK), `table` (a row in __model_migration_lock that the database certifies: Galera,
    /// CockroachDB, YugabyteDB, Vitess), `auto` (advisory, or table where advisory does not hold).
    /// Default: `lock` in [package.metadata.model], else auto.
    #[arg(long, value_enum, value_name = "STRATEGY")]
    pub lock: Option<LockStrategyArg>,
    /// The table lock's lease: a holder that has not renewed its row for this long is taken to have
    /// crashed, and its lock is taken over. Longer than the longest statement (MySQL) or migration.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub lock_lease: u64,
}

/// A lock strategy on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LockStrategyArg {
    /// The engine's own lock, or the table where it does not hold.
    Auto,
    /// The engine's own lock.
    Advisory,
    /// A row in __model_migration_lock.
    Table,
}

impl From<LockStrategyArg> for LockStrategy {
    fn from(a: LockStrategyArg) -> Self {
        match a {
            LockStrategyArg::Auto => LockStrategy::Auto,
            LockStrategyArg::Advisory => LockStrategy::Advisory,
            LockStrategyArg::Table => LockStrategy::Table,
        }
    }
}

/// Many tenants (`upgrade`, `status`).
#[derive(Debug, Args)]
pub struct Tenants {
    /// Work on many tenants of DATABASE_URL: their names, comma-separated (`acme,globex`), or
    /// `@FILE` with one name per line. A name is a schema of the database (PostgreSQL; MySQL: a
    /// database of the server), or with --tenant-kind database a database on the same server (or a
    /// whole URL; SQLite: a file path).
    #[arg(long, value_name = "LIST", conflicts_with = "tenants_query")]
    pub tenants: Option<String>,
    /// Work on the tenants this SQL query lists (one column of names, as --tenants takes them), run
    /// on DATABASE_URL, e.g. "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant%'".
    #[arg(long, value_name = "SQL")]
    pub tenants_query: Option<String>,
    /// What a tenant's name is: a schema of DATABASE_URL's database (PostgreSQL: search_path; MySQL:
    /// a database used on the same connection) or a database of its own (one connection each).
    /// Default: schema, except on SQLite.
    #[arg(long, value_enum, value_name = "KIND")]
    pub tenant_kind: Option<TenantKind>,
    /// How many tenants at a time, each on its own connection.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub parallel: usize,
    /// PostgreSQL: schemas put after the tenant's in search_path, comma-separated (e.g. `public`,
    /// where extensions keep their types).
    #[arg(long, value_name = "SCHEMAS", value_delimiter = ',')]
    pub shared_schemas: Vec<String>,
}

/// What a tenant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TenantKind {
    /// A schema of DATABASE_URL's database (MySQL: a database of its server).
    Schema,
    /// A database of its own.
    Database,
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
    /// Revert migrations whose down.sql drops data (a table or column their up.sql created, ...), like
    /// MODEL_ALLOW_DATA_LOSS=1; without it such a downgrade is refused, listing what it would lose.
    #[arg(long)]
    pub allow_data_loss: bool,
    /// How long to wait for the migration lock when another process holds it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,
    /// How the lock is taken.
    #[command(flatten)]
    pub lock: Lock,
}

/// `model accept`.
#[derive(Debug, Args)]
pub struct Accept {
    /// The applied migration whose edit to accept (its version, e.g. 20261124010203).
    #[arg(value_name = "VERSION")]
    pub migration: String,
    /// How the lock is taken.
    #[command(flatten)]
    pub lock: Lock,
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
    /// How the lock is taken.
    #[command(flatten)]
    pub lock: Lock,
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
