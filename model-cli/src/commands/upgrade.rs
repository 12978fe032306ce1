//! `model upgrade [--to V]`: apply pending migrations (all, or up to and including V) under the
//! runtime's lock, printing one line per migration as it is applied, with its time.

use super::runtime::{open, source, version, with_conn};
use super::Outcome;
use crate::database::Create;
use crate::error::CliError;
use crate::progress;
use model_core::config::Config;
use model_core::runtime::{self, Options};

/// Run `model upgrade`.
pub fn run(config: &Config, url: Option<&str>, to: Option<&str>, options: Options) -> Result<Outcome, CliError> {
    let (mut db, shown) = open(url, config, Create::Allowed)?;
    let source = source(config)?;
    progress::show();
    let applied = match to {
        Some(v) => {
            let v = version(v);
            with_conn!(&mut db, conn => runtime::upgrade_to(conn, source, &v, &options))?
        }
        None => with_conn!(&mut db, conn => runtime::migrate_with(conn, source, &options))?,
    };
    if applied.is_empty() {
        println!("{shown}: nothing to apply, the database is up to date");
    } else {
        println!("{shown}: applied {} migration(s)", applied.len());
    }
    Ok(Outcome::Done)
}
