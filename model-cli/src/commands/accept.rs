//! `model accept <version>`: record the checksum of an applied migration's up.sql as it is now, after
//! an edit the database already holds (or that does not matter).

use super::runtime::{open, source, version, with_conn};
use super::Outcome;
use crate::database::Create;
use crate::error::CliError;
use model_core::config::Config;
use model_core::runtime::{self, Options};

/// Run `model accept`.
pub fn run(config: &Config, url: Option<&str>, given: &str, options: Options) -> Result<Outcome, CliError> {
    let (mut db, shown) = open(url, config, Create::Refused)?;
    let source = source(config)?;
    let v = version(given);
    with_conn!(&mut db, conn => runtime::accept_with(conn, source, &v, &options))?;
    println!("{shown}: accepted the current up.sql of migration {v}");
    Ok(Outcome::Done)
}
