//! `model diagram --format mermaid|dot|svg [--output FILE]`: an ER diagram of the models the build
//! step's scan finds in the crate's model files.

use super::Outcome;
use crate::diagram::{self, Diagram, Format};
use crate::error::CliError;
use model_core::build::scan;
use model_core::config::Config;
use model_core::ir::Schema;
use std::path::Path;

/// Run `model diagram`.
pub fn run(config: &Config, format: Format, output: Option<&Path>) -> Result<Outcome, CliError> {
    let scan = scan::scan(config)?;
    let schema = Schema::new(scan.models.iter().map(|m| m.table.clone()).collect());
    let text = diagram::render(&Diagram::from_schema(&schema, config.dialect), format)?;
    match output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|source| CliError::Write {
                path: path.to_path_buf(),
                source,
            })?;
            eprintln!("wrote {} ({} tables)", path.display(), schema.tables.len());
        }
        None => print!("{text}"),
    }
    Ok(Outcome::Done)
}
