//! `model downgrade --to V | --steps N`: revert applied migrations, newest first, with their down.sql,
//! printing one line per migration as it is reverted, with its time. Nothing is reverted when one of
//! them has no down.sql.

use super::runtime::{open, source, version, with_conn};
use super::Outcome;
use crate::database::Create;
use crate::error::CliError;
use crate::progress;
use model_core::config::Config;
use model_core::runtime::{self, Downgrade, Options};

/// Run `model downgrade`.
pub fn run(
    config: &Config,
    url: Option<&str>,
    to: Option<&str>,
    steps: Option<usize>,
    options: Options,
) -> Result<Outcome, CliError> {
    let target = match (to, steps) {
        (Some(v), None) => Downgrade::To(version(v)),
        (None, Some(n)) => Downgrade::Steps(n),
        _ => return Err(CliError::Usage("give either --to VERSION or --steps N".into())),
    };
    let (mut db, shown) = open(url, config, Create::Refused)?;
    let source = source(config)?;
    progress::show();
    let reverted = with_conn!(&mut db, conn => runtime::downgrade(conn, source, target, &options))?;
    if reverted.is_empty() {
        println!("{shown}: nothing to revert");
    } else {
        println!("{shown}: reverted {} migration(s)", reverted.len());
    }
    Ok(Outcome::Done)
}
