//! `model history`: the migrations applied to the database, oldest first, with their folder name and
//! where they sit in the history (a merge, a merged branch).

use super::graph::Notes;
use super::runtime::{open, with_conn};
use super::Outcome;
use crate::database::Create;
use crate::error::CliError;
use model_core::config::Config;
use model_core::runtime;

/// Run `model history`.
pub fn run(config: &Config, url: Option<&str>) -> Result<Outcome, CliError> {
    let (mut db, shown) = open(url, config, Create::Refused)?;
    let applied = with_conn!(&mut db, conn => runtime::history(conn))?;
    if applied.is_empty() {
        println!("{shown}: no migration applied");
        return Ok(Outcome::Done);
    }
    let notes = Notes::load(config).ok();
    println!("{shown}: {} migration(s) applied, oldest first", applied.len());
    for a in &applied {
        let name = notes.as_ref().and_then(|n| n.names.get(&a.version).cloned());
        let note = match (&notes, &name) {
            (Some(n), Some(name)) => n.note(name).map(|x| format!("  {x}")).unwrap_or_default(),
            _ => String::new(),
        };
        let name = name.map(|n| format!("  {n}")).unwrap_or_default();
        let checksum = match &a.checksum {
            Some(sum) => format!("checksum {}", sum.get(..12).unwrap_or(sum)),
            None => "no checksum yet (applied by bare Diesel; the next upgrade records it)".to_string(),
        };
        println!(
            "  {}{name}  applied {}  {checksum}{note}",
            a.version,
            a.applied_at.as_deref().unwrap_or("?")
        );
    }
    Ok(Outcome::Done)
}
