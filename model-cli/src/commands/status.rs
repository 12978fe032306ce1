//! `model status`: every migration (applied, pending, edited since applied, applied but missing from
//! the folder), where it sits in the history (a merge, a merged branch, a branch not merged), and the
//! drift check; exit 1 when something needs attention.

use super::graph::Notes;
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
    let notes = Notes::load(config)?;
    let kept: Vec<String> = model_core::build::draft::kept(&config.migrations)
        .into_iter()
        .map(|k| k.version)
        .collect();
    let newest_applied = status
        .migrations
        .iter()
        .filter(|m| m.state != State::Pending)
        .map(|m| m.version.clone())
        .max();
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
        let draft = kept.contains(&m.version);
        let late = newest_applied.as_ref().is_some_and(|n| m.version < *n);
        let state = match (m.state, m.partial) {
            (State::Pending, Some(p)) if p.edited => format!(
                "PARTLY APPLIED: statement {} of {} applied by a run that stopped, and those statements have changed \
                 in its up.sql since: put them back, or undo them by hand and delete the row of version {} from \
                 `{}`; then `model upgrade`",
                p.done,
                p.total,
                m.version,
                model_core::runtime::PROGRESS_TABLE
            ),
            (State::Pending, Some(p)) => format!(
                "PARTLY APPLIED: statement {} of {} applied by a run that stopped (MySQL commits each statement); \
                 `model upgrade` resumes at statement {}",
                p.done,
                p.total,
                p.done + 1
            ),
            (State::Applied, _) => format!("applied {at}"),
            (State::Pending, None) if late => match notes.merged_at(name) {
                Some(merge) => format!(
                    "PENDING: not applied yet, and older than the newest applied: runs out of version order (its branch is merged at {merge}) with `model upgrade`"
                ),
                None => "PENDING, REFUSED: older than the newest applied, and no merge brings it in: `model upgrade` refuses it (build the merged branches to write their merge)".to_string(),
            },
            (State::Pending, None) => "PENDING: not applied yet (`model upgrade`)".to_string(),
            (State::Edited, _) if draft => format!(
                "EDITED: applied {at}, then rewritten as a draft by the build step; `model revert-draft` undoes the applied text"
            ),
            (State::Edited, _) => format!(
                "EDITED: applied {at}, and its up.sql changed since; put it back or accept it (`model accept {}`)",
                m.version
            ),
            (State::Missing, _) if draft => format!(
                "MISSING: applied {at}, a draft the build step removed since; `model revert-draft` undoes it"
            ),
            (State::Missing, _) => format!("MISSING: applied {at}, but not in the migrations folder"),
        };
        attention |= m.state != State::Applied;
        let note = notes.note(name).map(|n| format!("  {n}")).unwrap_or_default();
        println!("  {name:<width$}  {state}{note}");
    }
    if status.migrations.is_empty() {
        println!("  (no migrations)");
    }
    if notes.forked() {
        attention = true;
        println!(
            "FORK: the history has branches no merge brings together (heads {}): `cargo build` or `model generate` writes the merge, `model check` says whether they conflict",
            notes.heads().join(", ")
        );
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
        if !path.is_file() {
            continue;
        }
        let snapshot = Snapshot::read(&path).map_err(|e| CliError::Migrations {
            path: path.clone(),
            message: format!("the recorded schema cannot be read: {e}"),
        })?;
        return Ok((format!("the schema recorded at migration {name}"), snapshot.schema));
    }
    let schema = model_core::build::Builder::new(config.clone()).models()?;
    Ok(("the models".to_string(), schema))
}
