//! `model revert-draft [VERSION]`: undo, on the database, a draft migration the build step rewrote
//! or removed after the database applied it — with the down.sql of the text the database applied,
//! which the build step kept in the repository's git directory.

use super::runtime::{open, version, with_conn};
use super::Outcome;
use crate::database::Create;
use crate::error::CliError;
use model_core::build::draft;
use model_core::config::Config;
use model_core::runtime::{self, Draft, Options};

/// Run `model revert-draft`.
pub fn run(config: &Config, url: Option<&str>, wanted: Option<&str>, options: Options) -> Result<Outcome, CliError> {
    let wanted = wanted.map(version);
    let kept = draft::kept(&config.migrations);
    let (mut db, shown) = open(url, config, Create::Refused)?;
    let mut found = None;
    for k in kept.iter().rev() {
        if wanted.as_ref().is_some_and(|w| *w != k.version) {
            continue;
        }
        let d = Draft {
            version: k.version.clone(),
            name: k.name.clone(),
            up: k.up.clone(),
            down: k.down.clone(),
            run_in_transaction: k.run_in_transaction,
        };
        if with_conn!(&mut db, conn => runtime::applied_draft(conn, &d))? {
            found = Some(d);
            break;
        }
    }
    let Some(d) = found else {
        let which = wanted.map(|w| format!(" of version {w}")).unwrap_or_default();
        println!(
            "{shown}: the database applied no draft{which} that the build step replaced ({} kept draft(s) looked at)",
            kept.len()
        );
        return Ok(Outcome::Done);
    };
    with_conn!(&mut db, conn => runtime::revert_draft(conn, &d, &options))?;
    println!(
        "{shown}: reverted the replaced draft {} (`{}`) with its kept down.sql; `model upgrade` (or the service's next start) applies the migration as it is now",
        d.version, d.name
    );
    Ok(Outcome::Done)
}
