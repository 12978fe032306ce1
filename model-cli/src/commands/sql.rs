//! `model sql`: print the up.sql and down.sql (and metadata.toml, when it needs one) of the migration the build step would write now, writing
//! nothing (Alembic's offline mode).

use super::Outcome;
use crate::error::CliError;
use model_core::build::Builder;
use model_core::config::Config;

/// Run `model sql`.
pub fn run(config: &Config, allow_data_loss: bool, allow_rewrite: bool) -> Result<Outcome, CliError> {
    let preview = Builder::new(config.clone())
        .allow_data_loss(allow_data_loss)
        .allow_rewrite(allow_rewrite)
        .preview()?;
    let Some(preview) = preview else {
        eprintln!(
            "the models match the last migration in {}: no SQL to print",
            config.migrations.display()
        );
        return Ok(Outcome::Done);
    };
    let all = std::iter::once((&preview.folder_name, &preview.migration))
        .chain(preview.more.iter().map(|(name, m)| (name, m)));
    for (i, (name, migration)) in all.enumerate() {
        if i > 0 {
            println!();
        }
        let folder = config.migrations.join(name);
        println!("-- ==== {} (not written) ====", folder.join("up.sql").display());
        print!("{}", with_newline(&migration.up_sql));
        println!();
        println!("-- ==== {} (not written) ====", folder.join("down.sql").display());
        print!("{}", with_newline(&migration.down_sql));
        if let Some(metadata) = model_core::emit::metadata_toml(migration) {
            println!();
            println!("-- ==== {} (not written) ====", folder.join("metadata.toml").display());
            for line in metadata.lines() {
                println!("-- {line}");
            }
        }
    }
    Ok(Outcome::Done)
}

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}
