//! `model generate [--name N]`: the build step out of band — write the next migration now if the
//! models changed.

use super::Outcome;
use crate::error::CliError;
use model_core::build::{Builder, Mode};
use model_core::config::Config;

/// Run `model generate`.
pub fn run(
    config: &Config,
    name: Option<&str>,
    allow_data_loss: bool,
    allow_rewrite: bool,
) -> Result<Outcome, CliError> {
    let mut builder = Builder::new(config.clone())
        .mode(Mode::Write)
        .allow_data_loss(allow_data_loss)
        .allow_rewrite(allow_rewrite);
    if let Some(name) = name {
        check_name(name)?;
        builder = builder.name(name);
    }
    let report = builder.run()?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(dir) = &report.merged {
        println!("merged the branches of the migration history: wrote {}", dir.display());
    }
    if let Some(name) = &report.removed {
        println!("removed the draft {name}: the models are back where it started");
    }
    match &report.written {
        Some(dir) => {
            println!("wrote {}", dir.display());
            for dir in &report.more {
                println!("wrote {} (the same change, in lock-safe steps)", dir.display());
            }
        }
        None if report.merged.is_some() || report.removed.is_some() => {}
        None => println!(
            "the models match the last migration in {}: nothing to write",
            config.migrations.display()
        ),
    }
    Ok(Outcome::Done)
}

/// A migration name is a folder-name part: letters, digits, `_` and `-`.
fn check_name(name: &str) -> Result<(), CliError> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(CliError::Usage(format!(
            "--name `{name}`: use letters, digits, `_` and `-` only (e.g. add_tags)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_folder_safe() {
        assert!(super::check_name("add_tags-2").is_ok());
        for bad in ["", "a b", "../x", "x/y", "é"] {
            assert!(super::check_name(bad).is_err(), "{bad}");
        }
    }
}
