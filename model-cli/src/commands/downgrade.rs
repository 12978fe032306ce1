//! `model downgrade --to V | --steps N`: revert applied migrations, newest first, with their down.sql,
//! printing one line per migration as it is reverted, with its time. Nothing is reverted when one of
//! them has no down.sql, nor when a down.sql drops data and `--allow-data-loss` is not given.

use super::runtime::{open, source, version, with_conn};
use super::Outcome;
use crate::database::Create;
use crate::error::CliError;
use crate::progress;
use model_core::config::Config;
use model_core::emit::Snapshot;
use model_core::runtime::{self, Downgrade, MigrationStatus, Options, State};

/// Run `model downgrade`.
pub fn run(
    config: &Config,
    url: Option<&str>,
    to: Option<&str>,
    steps: Option<usize>,
    allow_data_loss: bool,
    options: Options,
) -> Result<Outcome, CliError> {
    let target = match (to, steps) {
        (Some(v), None) => Downgrade::To(version(v)),
        (None, Some(n)) => Downgrade::Steps(n),
        _ => return Err(CliError::Usage("give either --to VERSION or --steps N".into())),
    };
    let (mut db, shown) = open(url, config, Create::Refused)?;
    let status = with_conn!(&mut db, conn => runtime::status_with(conn, source(config)?, &options))?;
    // a migration missing from the folder or without down.sql: the runtime refuses it by name
    let lost: Vec<String> = reverted_by(&status.migrations, &target)
        .into_iter()
        .map(|m| m.name.as_deref().and_then(|name| losses_of(config, name)))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
        .concat();
    if !lost.is_empty() {
        if !allow_data_loss {
            return Err(CliError::DownDataLoss(lost));
        }
        for l in &lost {
            eprintln!("warning: data loss allowed: {l}");
        }
    }
    progress::show();
    let reverted = with_conn!(&mut db, conn => runtime::downgrade(conn, source(config)?, target, &options))?;
    if reverted.is_empty() {
        println!("{shown}: nothing to revert");
    } else {
        println!("{shown}: reverted {} migration(s)", reverted.len());
    }
    Ok(Outcome::Done)
}

/// The applied migrations `target` reverts, newest first (as `runtime::downgrade` chooses them).
fn reverted_by<'a>(migrations: &'a [MigrationStatus], target: &Downgrade) -> Vec<&'a MigrationStatus> {
    let mut applied: Vec<&MigrationStatus> = migrations.iter().filter(|m| m.state != State::Pending).collect();
    applied.sort_by(|a, b| b.version.cmp(&a.version));
    match target {
        Downgrade::To(v) => applied
            .into_iter()
            .filter(|m| m.version.as_str() > v.as_str())
            .collect(),
        Downgrade::Steps(n) => applied.into_iter().take(*n).collect(),
    }
}

/// What the down.sql of migration `name` loses, each prefixed with the migration. A generated
/// migration (one with a recorded schema) says it itself: the build step writes a `-- DATA LOSS: …`
/// line above each such statement. A hand-written one is read for `DROP TABLE`, `DROP COLUMN` and
/// `TRUNCATE`. `None` when it has no down.sql.
fn losses_of(config: &Config, name: &str) -> Option<Vec<String>> {
    let down = std::fs::read_to_string(config.migrations.join(name).join("down.sql")).ok()?;
    let generated = Snapshot::path(&config.migrations, name).is_file();
    Some(
        losses(&down, generated)
            .into_iter()
            .map(|what| format!("{name}: {what}"))
            .collect(),
    )
}

/// The data a down.sql drops, in words (see [`losses_of`]).
fn losses(sql: &str, generated: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut statement = String::new();
    let flush = |statement: &mut String, out: &mut Vec<String>| {
        let text = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let upper = text.to_ascii_uppercase();
        if ["DROP TABLE", "DROP COLUMN", "TRUNCATE"]
            .iter()
            .any(|k| upper.contains(k))
        {
            out.push(format!(
                "runs `{}` (a hand-written down.sql: check what it drops)",
                text.trim_end_matches(';')
            ));
        }
        statement.clear();
    };
    for line in sql.lines() {
        let line = line.trim();
        if let Some(what) = line.strip_prefix("-- DATA LOSS:") {
            out.push(what.trim().to_string());
        } else if !generated && !line.starts_with("--") {
            statement.push_str(line);
            statement.push(' ');
            if line.ends_with(';') {
                flush(&mut statement, &mut out);
            }
        }
    }
    flush(&mut statement, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::losses;

    #[test]
    fn a_generated_down_sql_says_what_it_loses() {
        let down = "-- undo create_tags\n--   - drop table \"tags\"\n\n-- DATA LOSS: drops table \"tags\" and all its rows\nDROP TABLE \"tags\";\n";
        assert_eq!(losses(down, true), [r#"drops table "tags" and all its rows"#]);
        // a SQLite rebuild drops and creates its table again with the rows: no loss
        let rebuild = "CREATE TABLE temp.\"__model_old_t\" AS SELECT * FROM \"t\";\nDROP TABLE \"t\";\n";
        assert!(losses(rebuild, true).is_empty());
    }

    #[test]
    fn a_hand_written_down_sql_is_read_for_drops() {
        let down = "-- back out\nALTER TABLE users\n  DROP COLUMN nickname;\nUPDATE users SET a = 1;\ndrop table tags";
        assert_eq!(
            losses(down, false),
            [
                "runs `ALTER TABLE users DROP COLUMN nickname` (a hand-written down.sql: check what it drops)",
                "runs `drop table tags` (a hand-written down.sql: check what it drops)"
            ]
        );
        assert!(losses("DELETE FROM x WHERE id = 1;", false).is_empty());
    }
}
