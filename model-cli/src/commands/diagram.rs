//! `model diagram --format mermaid|dot|svg [--output FILE]`: an ER diagram of the models as the build
//! step sees them ([`Builder::models`]: its scan of the crate's model files).

use super::Outcome;
use crate::diagram::{self, Diagram, Format};
use crate::error::CliError;
use model_core::build::Builder;
use model_core::config::Config;
use std::path::Path;

/// Run `model diagram`.
pub fn run(config: &Config, format: Format, output: Option<&Path>) -> Result<Outcome, CliError> {
    let schema = Builder::new(config.clone()).models()?;
    let text = diagram::render(&Diagram::from_schema(&schema, config.dialect), format)?;
    match output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|source| CliError::Write {
                path: path.to_path_buf(),
                source,
            })?;
            let views = match schema.views.len() {
                0 => String::new(),
                1 => ", 1 view".to_string(),
                n => format!(", {n} views"),
            };
            eprintln!("wrote {} ({} tables{views})", path.display(), schema.tables.len());
        }
        None => print!("{text}"),
    }
    Ok(Outcome::Done)
}
