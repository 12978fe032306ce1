//! One file per command; [`run`] dispatches.

mod accept;
mod check;
mod diagram;
mod downgrade;
mod generate;
mod graph;
mod history;
mod import;
mod revert_draft;
mod runtime;
mod sql;
mod status;
mod tenants;
mod upgrade;

use crate::cli::{Cli, Command, Lock};
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
    let url = cli.database_url.as_deref();
    let manifest = cli.manifest_path.as_deref();
    // every command but `import` runs inside a crate
    let crate_config = || project::load(manifest, &cwd);
    match cli.command {
        Command::Import(args) => {
            // a crate is optional: outside one, only the models are written
            let config = match crate_config() {
                Ok(c) => Some(c),
                Err(CliError::NoCrate { .. }) if manifest.is_none() => None,
                Err(e) => return Err(e),
            };
            import::run(&import::Request {
                url,
                config: config.as_ref(),
                tables: &args.tables,
                exclude: &args.exclude,
                output: args.output.as_deref(),
                no_baseline: args.no_baseline,
                force: args.force,
                diesel_schema: args.diesel_schema.as_deref(),
                schemas: &args.schemas,
            })
        }
        Command::Status(args) => {
            let config = crate_config()?;
            match tenants::list(&config, url, &args.tenants)? {
                Some(list) => tenants::status(&config, url, &list, &args.tenants),
                None => status::run(&config, url),
            }
        }
        Command::History => history::run(&crate_config()?, url),
        Command::Upgrade(args) => {
            let config = crate_config()?;
            let options = model_core::runtime::Options {
                ddl_lock_timeout: (args.ddl_lock_timeout_ms > 0)
                    .then(|| std::time::Duration::from_millis(args.ddl_lock_timeout_ms)),
                retries: args.retries,
                ..options(&config, &args.lock, args.lock_timeout)
            };
            match tenants::list(&config, url, &args.tenants)? {
                Some(list) => tenants::upgrade(&config, url, &list, &args.tenants, args.to.as_deref(), options),
                None => upgrade::run(&config, url, args.to.as_deref(), options),
            }
        }
        Command::Downgrade(args) => {
            let config = crate_config()?;
            downgrade::run(
                &config,
                url,
                args.to.as_deref(),
                args.steps,
                allow_data_loss(args.allow_data_loss),
                options(&config, &args.lock, args.lock_timeout),
            )
        }
        Command::Accept(args) => {
            let config = crate_config()?;
            accept::run(&config, url, &args.migration, options(&config, &args.lock, 60))
        }
        Command::RevertDraft(args) => {
            let config = crate_config()?;
            revert_draft::run(
                &config,
                url,
                args.version.as_deref(),
                options(&config, &args.lock, args.lock_timeout),
            )
        }
        Command::Check => check::run(&crate_config()?),
        Command::Sql(args) => sql::run(&crate_config()?, allow_data_loss(args.allow_data_loss), allow_rewrite()),
        Command::Generate(args) => generate::run(
            &crate_config()?,
            args.name.as_deref(),
            allow_data_loss(args.allow_data_loss),
            allow_rewrite(),
        ),
        Command::Diagram(args) => diagram::run(&crate_config()?, args.format, args.output.as_deref()),
    }
}

/// The runtime's options: `--lock-timeout` seconds, the lock strategy of `--lock` (else the crate's
/// `lock`), `--lock-lease` seconds.
fn options(config: &model_core::config::Config, lock: &Lock, timeout_seconds: u64) -> model_core::runtime::Options {
    model_core::runtime::Options {
        lock_timeout: std::time::Duration::from_secs(timeout_seconds),
        lock: lock.lock.map_or(config.lock, Into::into),
        lock_lease: std::time::Duration::from_secs(lock.lock_lease.max(1)),
        ..Default::default()
    }
}

/// `--allow-data-loss`, or `MODEL_ALLOW_DATA_LOSS` set (read as the build step reads it).
fn allow_data_loss(flag: bool) -> bool {
    flag || model_core::build::is_true(std::env::var("MODEL_ALLOW_DATA_LOSS").ok().as_deref())
}

/// `MODEL_ALLOW_REWRITE` set (read as the build step reads it).
fn allow_rewrite() -> bool {
    model_core::build::is_true(std::env::var("MODEL_ALLOW_REWRITE").ok().as_deref())
}
