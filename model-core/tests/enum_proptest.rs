//! Random enum types and random changes of their values, on real databases (PostgreSQL, SQLite, and
//! MySQL/MariaDB with the `mysql` feature), schemas built as IR: values renamed (with the hint),
//! removed (when no row holds them), added anywhere, reordered, the type renamed, two tables using
//! it, defaults changing. After the change the database equals the model (introspected) and every row
//! holds its value (renamed ones their new name); down gives the old schema and the old values back,
//! and up again the new ones.
//!
//! `MODEL_ENUM_PROPTEST_CASES` sets the number of cases per backend (default 40; `.ci/run` pins it).
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::ir::{
    Column, ColumnType, DefaultValue, Dialect, EnumRename, EnumType, Literal, PrimaryKey, Schema, Table,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::project::Project;

/// What happens to each old value.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Keep,
    Rename,
    Remove,
}

#[derive(Debug, Clone)]
struct Case {
    /// The old values.
    before: Vec<String>,
    fates: Vec<Fate>,
    /// New values inserted at these positions (modulo the length).
    added: Vec<usize>,
    /// Swap two values of the result.
    swap: Option<(usize, usize)>,
    rename_type: bool,
    /// Index (modulo) of the old default among the old values, and of the new among the new, or none.
    defaults: Option<(usize, usize)>,
}

fn case() -> impl Strategy<Value = Case> {
    let pool = ["a", "b", "c", "d", "e"];
    (
        proptest::sample::subsequence(pool.to_vec(), 1..=5).prop_shuffle(),
        proptest::collection::vec(
            prop_oneof![3 => Just(Fate::Keep), 1 => Just(Fate::Rename), 1 => Just(Fate::Remove)],
            5,
        ),
        proptest::collection::vec(0usize..8, 0..3),
        proptest::option::weighted(0.2, (0usize..8, 0usize..8)),
        proptest::bool::weighted(0.2),
        proptest::option::of((0usize..8, 0usize..8)),
    )
        .prop_map(|(before, fates, added, swap, rename_type, defaults)| Case {
            before: before.into_iter().map(String::from).collect(),
            fates,
            added,
            swap,
            rename_type,
            defaults,
        })
}

impl Case {
    /// The new type (with its hints) and, for each old value, its new name (`None`: removed).
    fn after(&self) -> (EnumType, Vec<Option<String>>) {
        let mut values = Vec::new();
        let mut renames = Vec::new();
        let mut mapped = Vec::new();
        for (i, v) in self.before.iter().enumerate() {
            match self.fates[i] {
                Fate::Keep => {
                    values.push(v.clone());
                    mapped.push(Some(v.clone()));
                }
                Fate::Rename => {
                    let new = format!("{v}_renamed");
                    renames.push(EnumRename {
                        from: v.clone(),
                        to: new.clone(),
                    });
                    values.push(new.clone());
                    mapped.push(Some(new));
                }
                Fate::Remove => mapped.push(None),
            }
        }
        for (n, at) in self.added.iter().enumerate() {
            let at = at % (values.len() + 1);
            values.insert(at, format!("new{n}"));
        }
        if values.is_empty() {
            values.push("only".into());
        }
        if let Some((i, j)) = self.swap {
            let len = values.len();
            values.swap(i % len, j % len);
        }
        let name = if self.rename_type { "state" } else { "status_type" };
        let mut ty = EnumType::new(name, values);
        ty.renames = renames;
        if self.rename_type {
            ty.renamed_from = Some("status_type".into());
        }
        (ty, mapped)
    }

    fn schemas(&self) -> (Schema, Schema) {
        let old_ty = EnumType::new("status_type", self.before.iter().cloned());
        let (new_ty, _) = self.after();
        let old_default = self.defaults.map(|(i, _)| self.before[i % self.before.len()].clone());
        let new_default = self
            .defaults
            .map(|(_, j)| new_ty.values[j % new_ty.values.len()].clone());
        (
            schema(&old_ty, old_default.as_deref()),
            schema(&new_ty, new_default.as_deref()),
        )
    }
}

/// `posts` and `pages`, each `(id, status)` of type `ty`; on `posts` with `default`.
fn schema(ty: &EnumType, default: Option<&str>) -> Schema {
    let table = |name: &str, default: Option<&str>| {
        let mut t = Table::new(name);
        let mut id = Column::new("id", ColumnType::BigInt);
        id.identity = true;
        let mut status = Column::new("status", ColumnType::Enum(ty.clone()));
        status.nullable = true;
        status.default = default.map(|d| DefaultValue::Literal(Literal::Str(d.into())));
        t.columns = vec![id, status];
        t.primary_key = Some(PrimaryKey {
            name: format!("pk_{name}"),
            columns: vec!["id".into()],
        });
        t
    };
    Schema::new(vec![table("posts", default), table("pages", None)])
}

fn run_case(dialect: Dialect, case: &Case) -> Result<(), TestCaseError> {
    let Some(mut p) = Project::new(dialect, "enum_prop") else {
        return Ok(());
    };
    let (old, new) = case.schemas();
    let (_, mapped) = case.after();
    p.write_planned(&Schema::default(), &old);
    p.migrate();
    // one row per value that survives, in each table
    let mut rows = String::new();
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for (i, (v, m)) in case.before.iter().zip(&mapped).enumerate() {
        if let Some(m) = m {
            for table in ["posts", "pages"] {
                rows.push_str(&format!(
                    "INSERT INTO {table} (id, status) VALUES ({}, '{v}');\n",
                    i + 1
                ));
            }
            before.push(v.clone());
            after.push(m.clone());
        }
    }
    if !rows.is_empty() {
        p.exec(&rows);
    }
    let Some(dir) = p.write_planned(&old, &new) else {
        // nothing changed: the database already holds the model
        p.assert_live_is(&new, &format!("{case:?}"));
        return Ok(());
    };
    let (up, down) = p.read_migration(&dir);
    let context = format!("{case:?}\n----- up.sql\n{up}\n----- down.sql\n{down}");
    let values = |p: &mut Project, table: &str| {
        p.values(&format!(
            "SELECT CAST(status AS {{text}}) AS v FROM {table} ORDER BY id"
        ))
    };

    p.try_migrate()
        .map_err(|e| TestCaseError::fail(format!("up: {e}\n{context}")))?;
    p.assert_live_is(&new, &format!("after up\n{context}"));
    for table in ["posts", "pages"] {
        prop_assert_eq!(values(&mut p, table), after.join(","), "{}: {}", table, context);
    }
    p.revert_last();
    p.assert_live_is(&old, &format!("after down\n{context}"));
    for table in ["posts", "pages"] {
        prop_assert_eq!(values(&mut p, table), before.join(","), "{}: {}", table, context);
    }
    p.migrate();
    p.assert_live_is(&new, &format!("after down and up\n{context}"));
    for table in ["posts", "pages"] {
        prop_assert_eq!(values(&mut p, table), after.join(","), "{}: {}", table, context);
    }
    Ok(())
}

fn random_enum_changes(dialect: Dialect) {
    let cases = model_testkit::count("MODEL_ENUM_PROPTEST_CASES", 40);
    let started = std::time::Instant::now();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&case(), |c| run_case(dialect, &c)) {
        panic!("{dialect}: {e}");
    }
    println!("enum proptest {dialect}: {cases} cases in {:.1?}", started.elapsed());
}

#[test]
fn random_enum_changes_on_postgres() {
    random_enum_changes(Dialect::Postgres);
}

#[test]
fn random_enum_changes_on_sqlite() {
    random_enum_changes(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn random_enum_changes_on_mysql() {
    random_enum_changes(Dialect::Mysql);
}

/// Found by this test on PostgreSQL: a value removed, the type renamed and the default moved to the
/// removed value's neighbour; down.sql added the value back and used it in the same transaction.
#[test]
fn regression_removed_value_with_type_rename_and_default() {
    let case = Case {
        before: vec!["b".into(), "c".into()],
        fates: vec![Fate::Keep, Fate::Remove, Fate::Keep, Fate::Keep, Fate::Keep],
        added: vec![],
        swap: None,
        rename_type: true,
        defaults: Some((5, 0)),
    };
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        run_case(dialect, &case).unwrap_or_else(|e| panic!("{dialect}: {e}"));
    }
}
