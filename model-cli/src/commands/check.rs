//! `model check`: the build step in check mode — exit 1 when the models need a migration that is not in
//! the migrations folder (listing the changes), or when the migration history has branches no merge
//! migration brings together (naming them; with the objects both change when they conflict), or when
//! a hand-written PostgreSQL or MySQL/MariaDB migration holds a statement that blocks a live table (see
//! `model_core::lint`; silenced with `-- model:allow <rule>`). Writes nothing.

use super::Outcome;
use crate::error::CliError;
use model_core::build::{BuildError, Builder, Mode};
use model_core::config::Config;

/// Run `model check`.
pub fn run(config: &Config) -> Result<Outcome, CliError> {
    match Builder::new(config.clone()).mode(Mode::Check).run() {
        Ok(report) if !report.lint.is_empty() => {
            println!(
                "hand-written migrations in {} hold statements that block a live table:",
                config.migrations.display()
            );
            for finding in &report.lint {
                println!("  - {finding}");
            }
            Ok(Outcome::Attention)
        }
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "ok: the models match the last migration in {}",
                config.migrations.display()
            );
            Ok(Outcome::Done)
        }
        Err(BuildError::Pending { folder, changes }) => {
            println!(
                "the models need a migration that is not in {}; the changes:",
                folder.display()
            );
            for change in &changes {
                println!("  - {change}");
            }
            println!("run `model generate` (or `cargo build`) and commit the new migration");
            Ok(Outcome::Attention)
        }
        Err(e @ (BuildError::Unmerged { .. } | BuildError::Merge(_))) => {
            println!("{e}");
            Ok(Outcome::Attention)
        }
        Err(e) => Err(e.into()),
    }
}
