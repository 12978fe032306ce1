//! One file per command; [`run`] dispatches.

mod accept;
mod check;
mod diagram;
mod downgrade;
mod generate;
mod graph;
mod history;
mod revert_draft;
mod runtime;
mod sql;
mod status;
mod upgrade;

use crate::cli::{Cli, Command};
use crate::error::CliError;
use crate::project;

/// How a command ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done; nothing needs attention (exit 0).
    Done,
    /// Done, and what it printed needs attention (exit 1).
    Attention,
}

/// Run the command the user asked for.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    let cwd = std::env::current_dir().map_err(|e| CliError::Usage(format!("cannot read the current folder: {e}")))?;
    let config = project::load(cli.manifest_path.as_deref(), &cwd)?;
    let url = cli.database_url.as_deref();
    match cli.command {
        Command::Status => status::run(&config, url),
        Command::History => history::run(&config, url),
        Command::Upgrade(args) => {
            let options = model_core::runtime::Options {
                ddl_lock_timeout: (args.ddl_lock_timeout_ms > 0)
                    .then(|| std::time::Duration::from_millis(args.ddl_lock_timeout_ms)),
                retries: args.retries,
                ..lock_timeout(args.lock_timeout)
            };
            upgrade::run(&config, url, args.to.as_deref(), options)
        }
        Command::Downgrade(args) => downgrade::run(
            &config,
            url,
            args.to.as_deref(),
            args.steps,
            lock_timeout(args.lock_timeout),
        ),
        Command::Accept(args) => accept::run(&config, url, &args.migration),
        Command::RevertDraft(args) => {
            revert_draft::run(&config, url, args.version.as_deref(), lock_timeout(args.lock_timeout))
        }
        Command::Check => check::run(&config),
        Command::Sql(args) => sql::run(&config, allow_data_loss(args.allow_data_loss), allow_rewrite()),
        Command::Generate(args) => generate::run(
            &config,
            args.name.as_deref(),
            allow_data_loss(args.allow_data_loss),
            allow_rewrite(),
        ),
        Command::Diagram(args) => diagram::run(&config, args.format, args.output.as_deref()),
    }
}

/// The runtime's options with `--lock-timeout` seconds.
fn lock_timeout(seconds: u64) -> model_core::runtime::Options {
    model_core::runtime::Options {
        lock_timeout: std::time::Duration::from_secs(seconds),
        ..model_core::runtime::Options::default()
    }
}

/// `--allow-data-loss`, or `MODEL_ALLOW_DATA_LOSS` set to anything but empty, `0`, `false` or `no` (the
/// build step's rule).
fn allow_data_loss(flag: bool) -> bool {
    flag || env_true("MODEL_ALLOW_DATA_LOSS")
}

/// `MODEL_ALLOW_REWRITE` set to anything but empty, `0`, `false` or `no` (the build step's rule).
fn allow_rewrite() -> bool {
    env_true("MODEL_ALLOW_REWRITE")
}

fn env_true(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false" | "no"))
}
