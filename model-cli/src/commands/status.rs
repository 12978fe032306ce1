//! `model status`: every migration (applied, pending, edited since applied, applied but missing from
//! the folder) and the drift check; exit 1 when something needs attention.

use super::runtime::{open, source, with_conn};
use super::Outcome;
use crate::database::Create;
use crate::error::CliError;
use model_core::config::Config;
use model_core::emit::Snapshot;
use model_core::ir::Schema;
use model_core::runtime::{self, State};

/// Run `model status`.
pub fn run(config: &Config, url: Option<&str>) -> Result<Outcome, CliError> {
    let (mut db, shown) = open(url, config, Create::Refused)?;
    let source = source(config)?;
    let status = with_conn!(&mut db, conn => runtime::status(conn, source))?;
    println!("database:   {shown} ({})", config.dialect);
    println!("migrations: {}", config.migrations.display());
    let mut attention = false;
    let width = status
        .migrations
        .iter()
        .map(|m| m.name.as_deref().unwrap_or(&m.version).len())
        .max()
        .unwrap_or(0);
    for m in &status.migrations {
        let name = m.name.as_deref().unwrap_or(&m.version);
        let at = m.applied_at.as_deref().unwrap_or("?");
        let state = match m.state {
            State::Applied => format!("applied {at}"),
            State::Pending => "PENDING: not applied yet (`model upgrade`)".to_string(),
            State::Edited => format!(
                "EDITED: applied {at}, and its up.sql changed since; put it back or accept it (`model accept {}`)",
                m.version
            ),
            State::Missing => format!("MISSING: applied {at}, but not in the migrations folder"),
        };
        attention |= m.state != State::Applied;
        println!("  {name:<width$}  {state}");
    }
    if status.migrations.is_empty() {
        println!("  (no migrations)");
    }

    let (reference, expected) = expected_schema(config, &status)?;
    let expected = config.tables.apply(&expected.without_rename_hints());
    let drift = with_conn!(&mut db, conn => runtime::verify_with(conn, &expected, &runtime::Options::default().tables(config.tables.clone())))?;
    if drift.is_empty() {
        println!("drift: none (the database matches {reference})");
    } else {
        attention = true;
        println!("DRIFT: the database differs from {reference}:");
        for d in &drift {
            println!("  - {d}");
        }
    }
    Ok(if attention { Outcome::Attention } else { Outcome::Done })
}

/// What the database should hold: nothing when no migration is applied; else the schema recorded with
/// the newest applied migration that has one (so pending migrations are not drift); else (only
/// hand-written migrations applied) the models themselves.
pub(crate) fn expected_schema(config: &Config, status: &runtime::Status) -> Result<(String, Schema), CliError> {
    let applied: Vec<&runtime::MigrationStatus> = status
        .migrations
        .iter()
        .rev()
        .filter(|m| m.state != State::Pending)
        .collect();
    if applied.is_empty() {
        return Ok((
            "an empty database (no migration is applied)".to_string(),
            Schema::default(),
        ));
    }
    for name in applied.iter().filter_map(|m| m.name.as_deref()) {
        let path = Snapshot::path(&config.migrations, name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| CliError::Migrations {
            path: path.clone(),
            message: format!("the recorded schema cannot be read: {e}"),
        })?;
        return Ok((format!("the schema recorded at migration {name}"), snapshot.schema));
    }
    let schema = model_core::build::Builder::new(config.clone()).models()?;
    Ok(("the models".to_string(), schema))
}
