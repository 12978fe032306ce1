//! Random histories of branches and merges on a real git repository, through the real build step,
//! on a real database (PostgreSQL, SQLite, and MySQL/MariaDB with the `mysql` feature).
//!
//! The models are split over a few files, one group of tables each (foreign keys stay inside a
//! group). Each round cuts two or three branches from `main`, each editing one group at random in
//! one or two builds; every branch's database applies its branch; the branches are merged in git and
//! built. Then: the build wrote a merge and no other migration, a second build writes nothing, a
//! fresh database migrated from empty holds the models, and every database of every branch so far
//! migrates to the models with no drift (`model::verify`).
//!
//! `MODEL_BRANCH_PROPTEST_CASES` sets the number of cases per backend (default 4; at least 1 under
//! CI); e.g. `MODEL_BRANCH_PROPTEST_CASES=200 cargo test -p model-core --features
//! build,postgres,sqlite,mysql --test branches_proptest`.
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::build::Mode;
use model_core::ir::Dialect;
use proptest::prelude::*;
use support::project::{Database, Project};
use support::random_model::*;

/// Groups of tables, one model file each.
const GROUPS: usize = 3;

/// One branch: the builds it makes, each after some edits of its group.
type Branch = Vec<Vec<Edit>>;

fn scenario() -> impl Strategy<Value = (Vec<Vec<Edit>>, Vec<Vec<Branch>>)> {
    let start = prop::collection::vec(
        prop::collection::vec(prop::collection::vec(col_gen(), 0..4).prop_map(Edit::AddTable), 1..3),
        GROUPS,
    );
    let branch = prop::collection::vec(prop::collection::vec(edit(), 1..4), 1..3);
    let round = prop::collection::vec(branch, 2..=GROUPS);
    (start, prop::collection::vec(round, 1..3))
}

fn file(group: usize) -> String {
    format!("g{group}.rs")
}

fn check(p: &Project, db: &mut Database, what: &str, history: &str) -> Result<(), TestCaseError> {
    let models = p.models().without_rename_hints();
    let drift = db.verify(&models);
    prop_assert!(drift.is_empty(), "{what}: {drift:?}\n{history}");
    Ok(())
}

fn run_case(dialect: Dialect, start: &[Vec<Edit>], rounds: &[Vec<Branch>]) -> Result<(), TestCaseError> {
    let Some(mut p) = Project::new(dialect, "bprop") else {
        return Ok(());
    };
    let mut groups: Vec<Model> = (0..GROUPS)
        .map(|g| Model {
            prefix: format!("g{g}"),
            ..Model::default()
        })
        .collect();
    for (g, edits) in start.iter().enumerate() {
        for e in edits {
            apply(&mut groups[g], e);
        }
        p.write_model(&file(g), &groups[g].source(dialect));
    }
    p.write_model("models.rs", "");
    p.init_git();
    p.run_step(Mode::Write, true)
        .map_err(|e| TestCaseError::fail(format!("first build: {e}")))?;
    p.commit("start");
    let mut dbs = vec![p.database("main")];
    dbs[0].migrate(&p);
    let mut history = String::new();
    for (r, round) in rounds.iter().enumerate() {
        let mut forks = 0;
        for (g, builds) in round.iter().enumerate() {
            let name = format!("r{r}g{g}");
            p.git(&["checkout", "-q", "-b", &name, "main"]);
            let mut m = groups[g].settled();
            let mut wrote = false;
            for edits in builds {
                for e in edits {
                    apply(&mut m, e);
                }
                p.write_model(&file(g), &m.source(dialect));
                let report = p
                    .run_step(Mode::Write, true)
                    .map_err(|e| TestCaseError::fail(format!("build on {name}: {e}\n{history}")))?;
                if let Some(w) = report.written {
                    history.push_str(&format!("{name}: {}\n", w.display()));
                    wrote = true;
                }
                p.commit(&name);
                m = m.settled();
            }
            let mut db = p.database(&name);
            db.migrate(&p);
            check(&p, &mut db, &format!("branch {name}"), &history)?;
            dbs.push(db);
            groups[g] = m;
            forks += usize::from(wrote);
        }
        p.git(&["checkout", "-q", "main"]);
        for g in 0..round.len() {
            p.git(&["merge", "-q", "--no-edit", &format!("r{r}g{g}")]);
        }
        let report = p
            .run_step(Mode::Write, true)
            .map_err(|e| TestCaseError::fail(format!("merge build of round {r}: {e}\n{history}")))?;
        prop_assert!(report.written.is_none(), "the merge build wrote DDL again\n{history}");
        // two branches or more wrote migrations: they are merged
        prop_assert_eq!(report.merged.is_some(), forks > 1, "merge written?\n{}", history);
        let again = p
            .run_step(Mode::Write, true)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(
            again.written.is_none() && again.merged.is_none(),
            "second build wrote\n{history}"
        );
        p.commit(&format!("merge round {r}"));
        history.push_str(&format!("merged round {r}: {:?}\n", report.merged));
        let mut fresh = p.database("fresh");
        fresh.migrate(&p);
        check(&p, &mut fresh, "fresh database", &history)?;
        for (i, db) in dbs.iter_mut().enumerate() {
            db.try_migrate(&p)
                .map_err(|e| TestCaseError::fail(format!("database {i}: {e}\n{history}")))?;
            check(&p, db, &format!("database {i}"), &history)?;
        }
    }
    Ok(())
}

fn random_histories(dialect: Dialect) {
    run_cases(
        "MODEL_BRANCH_PROPTEST_CASES",
        4,
        dialect,
        &scenario(),
        |(start, rounds)| run_case(dialect, &start, &rounds),
    );
}

#[test]
fn random_branch_histories_on_postgres() {
    random_histories(Dialect::Postgres);
}

#[test]
fn random_branch_histories_on_sqlite() {
    random_histories(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn random_branch_histories_on_mysql() {
    random_histories(Dialect::Mysql);
}
