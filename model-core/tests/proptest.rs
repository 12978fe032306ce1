//! Random models and random edits, through the real build step, on a real database (PostgreSQL,
//! SQLite, and MySQL/MariaDB with the `mysql` feature): the first model's migration is applied, then
//! the edited model's; the database must equal the edited model (introspected), and reverting
//! everything must leave no table.
//!
//! `MODEL_PROPTEST_CASES` sets the number of cases per backend (default 200; CI runs the default).
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::ir::Dialect;
use proptest::prelude::*;
use support::project::Project;
use support::random_model::*;

fn scenario() -> impl Strategy<Value = (Vec<Edit>, Vec<Edit>)> {
    let start = prop::collection::vec(prop::collection::vec(col_gen(), 0..4).prop_map(Edit::AddTable), 1..4);
    (start, prop::collection::vec(edit(), 1..5))
}

fn run_case(dialect: Dialect, start: &[Edit], edits: &[Edit]) -> Result<(), TestCaseError> {
    let Some(mut p) = Project::new(dialect, "prop") else {
        return Ok(());
    };
    let mut m = Model::default();
    for e in start {
        apply(&mut m, e);
    }
    p.write_models(&m.source(dialect));
    let first = m.source(dialect);
    p.build(true)
        .map_err(|e| TestCaseError::fail(format!("first build: {e}\n{first}")))?;
    p.migrate();
    let models = p.models();
    p.assert_live_is(&models, &format!("first model\n{first}"));

    let mut next = m.settled();
    for e in edits {
        apply(&mut next, e);
    }
    let second = next.source(dialect);
    p.write_models(&second);
    let written = p
        .build(true)
        .map_err(|e| TestCaseError::fail(format!("second build: {e}\n{first}\n-----\n{second}")))?;
    p.migrate();
    let models = p.models();
    let up = written.map(|d| p.read_migration(&d).0).unwrap_or_default();
    p.assert_live_is(&models, &format!("edited model\n{first}\n-----\n{second}\n-----\n{up}"));
    p.revert_all();
    prop_assert!(p.live().tables.is_empty(), "down to empty");
    Ok(())
}

fn random_models_and_edits(dialect: Dialect) {
    run_cases("MODEL_PROPTEST_CASES", 200, dialect, &scenario(), |(start, edits)| {
        run_case(dialect, &start, &edits)
    });
}

#[test]
fn random_models_and_edits_on_postgres() {
    random_models_and_edits(Dialect::Postgres);
}

#[test]
fn random_models_and_edits_on_sqlite() {
    random_models_and_edits(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn random_models_and_edits_on_mysql() {
    random_models_and_edits(Dialect::Mysql);
}

/// Found by the property test on MariaDB: an index and a unique constraint toggled on the two columns
/// around a foreign key's column; the down migration dropped the foreign key twice.
#[test]
fn regression_mysql_index_and_unique_toggled_around_a_foreign_key() {
    let col = |reference| ColGen {
        ty: Ty::I32,
        nullable: false,
        default: false,
        unique: false,
        index: false,
        reference,
    };
    let start = [
        Edit::AddTable(vec![]),
        Edit::AddTable(vec![]),
        Edit::AddTable(vec![col(None), col(Some(0)), col(None)]),
    ];
    for dialect in [Dialect::Mysql, Dialect::Postgres, Dialect::Sqlite] {
        run_case(
            dialect,
            &start,
            &[Edit::ToggleIndex(65, 160), Edit::ToggleUnique(80, 187)],
        )
        .unwrap();
    }
}
