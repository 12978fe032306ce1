//! Database enums evolved on real databases — PostgreSQL, SQLite, and MySQL/MariaDB with the `mysql`
//! feature — with the schemas built as IR: create a table with an enum column, add values (one used
//! as the new default in the same migration), rename a value, remove an unused one, rename the type,
//! drop its last column. After each step: the database equals the model (introspected), down then up
//! gives the same schema again, and the rows written by earlier steps are still there.
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::ir::{
    Column, ColumnType, DefaultValue, Dialect, EnumRename, EnumType, Literal, PrimaryKey, Schema, Table,
};
use model_core::runtime::Error;
use support::project::Project;

/// `posts (id, title, status)` with `status` of type `name` holding `values`, default `default`;
/// no `status` column when `values` is empty.
fn posts(name: &str, values: &[&str], default: &str, hints: impl FnOnce(&mut EnumType)) -> Schema {
    let mut t = Table::new("posts");
    let mut id = Column::new("id", ColumnType::BigInt);
    id.identity = true;
    t.columns.push(id);
    t.columns.push(Column::new("title", ColumnType::Text));
    if !values.is_empty() {
        let mut ty = EnumType::new(name, values.iter().copied());
        hints(&mut ty);
        let mut status = Column::new("status", ColumnType::Enum(ty));
        status.default = Some(DefaultValue::Literal(Literal::Str(default.into())));
        t.columns.push(status);
    }
    t.primary_key = Some(PrimaryKey {
        name: "pk_posts".into(),
        columns: vec!["id".into()],
    });
    Schema::new(vec![t])
}

struct Step {
    title: &'static str,
    schema: Schema,
    /// `(query returning a text column "v", expected values joined with ",")`: rows kept.
    checks: Vec<(&'static str, &'static str)>,
    /// Statements run after the checks.
    then: &'static str,
}

fn steps() -> Vec<Step> {
    let none = |_: &mut EnumType| {};
    vec![
        Step {
            title: "create posts with an enum column",
            schema: posts("post_status", &["draft", "published"], "draft", none),
            checks: vec![],
            then: "INSERT INTO posts (id, title) VALUES (1, 'a'); \
                   INSERT INTO posts (id, title, status) VALUES (2, 'b', 'published');",
        },
        Step {
            title: "add 'review' in the middle and 'archived' last; the default becomes the new 'review'",
            schema: posts(
                "post_status",
                &["draft", "review", "published", "archived"],
                "review",
                none,
            ),
            checks: vec![(
                "SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id",
                "draft,published",
            )],
            then: "INSERT INTO posts (id, title) VALUES (3, 'c'); \
                   INSERT INTO posts (id, title, status) VALUES (4, 'd', 'archived');
                   DELETE FROM posts WHERE id = 4;",
        },
        Step {
            title: "rename 'review' to 'in_review' (renamed_from)",
            schema: posts(
                "post_status",
                &["draft", "in_review", "published", "archived"],
                "in_review",
                |t| {
                    t.renames.push(EnumRename {
                        from: "review".into(),
                        to: "in_review".into(),
                    })
                },
            ),
            checks: vec![(
                "SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id",
                "draft,published,in_review",
            )],
            then: "INSERT INTO posts (id, title, status) VALUES (5, 'e', 'in_review');",
        },
        Step {
            title: "remove the unused 'archived' (MODEL_ALLOW_DATA_LOSS)",
            schema: posts("post_status", &["draft", "in_review", "published"], "in_review", none),
            checks: vec![(
                "SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id",
                "draft,published,in_review,in_review",
            )],
            then: "",
        },
        Step {
            title: "rename the type to publication_status (renamed_from)",
            schema: posts(
                "publication_status",
                &["draft", "in_review", "published"],
                "in_review",
                |t| t.renamed_from = Some("post_status".into()),
            ),
            checks: vec![(
                "SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id",
                "draft,published,in_review,in_review",
            )],
            then: "",
        },
        Step {
            title: "drop the last column of the type (MODEL_ALLOW_DATA_LOSS)",
            schema: posts("publication_status", &[], "", none),
            checks: vec![("SELECT title AS v FROM posts ORDER BY id", "a,b,c,e")],
            then: "",
        },
    ]
}

#[test]
fn enum_evolution_on_postgres() {
    evolve(Dialect::Postgres);
}

#[test]
fn enum_evolution_on_sqlite() {
    evolve(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn enum_evolution_on_mysql() {
    evolve(Dialect::Mysql);
}

fn evolve(dialect: Dialect) {
    let Some(mut p) = Project::new(dialect, "enums") else {
        return;
    };
    let mut previous = Schema::default();
    for (n, step) in steps().into_iter().enumerate() {
        let name = format!("{dialect}, step {}: {}", n + 1, step.title);
        let dir = p.write_planned(&previous, &step.schema).expect("a migration");
        let (up, down) = p.read_migration(&dir);
        let model = step.schema.clone();

        assert_eq!(p.migrate().len(), 1, "{name}");
        p.assert_live_is(&model, &format!("{name}, after up\n{up}"));
        p.revert_last();
        p.assert_live_is(&previous, &format!("{name}, after down\n{down}"));
        p.migrate();
        p.assert_live_is(&model, &format!("{name}, after down and up"));

        for (query, expected) in &step.checks {
            assert_eq!(p.values(query), *expected, "{name}: {query}\n{up}");
        }
        if !step.then.is_empty() {
            p.exec(step.then);
        }
        if dialect == Dialect::Postgres {
            let types = p.values("SELECT typname::text AS v FROM pg_type WHERE typtype = 'e' ORDER BY typname");
            let expected = match n {
                0..=3 => "post_status",
                4 => "publication_status",
                _ => "",
            };
            assert_eq!(types, expected, "{name}: the enum types of the database");
            // Diesel reads the flag from metadata.toml
            use diesel::migration::MigrationSource;
            let folder = dir.parent().expect("migrations folder");
            let source = diesel_migrations::FileBasedMigrations::from_path(folder).expect("migrations");
            let all = MigrationSource::<diesel::pg::Pg>::migrations(&source).expect("migrations");
            let folder_name = dir.file_name().and_then(|f| f.to_str()).unwrap_or_default().to_string();
            let this = all
                .iter()
                .find(|m| folder_name.starts_with(&m.name().to_string()) || m.name().to_string() == folder_name)
                .unwrap_or_else(|| {
                    panic!(
                        "{name}: {folder_name} not among {:?}",
                        all.iter().map(|m| m.name().to_string()).collect::<Vec<_>>()
                    )
                });
            assert_eq!(
                this.metadata().run_in_transaction(),
                n != 1,
                "{name}: run_in_transaction"
            );
        }
        previous = step.schema;
    }
    // rows hold values the first migrations' down.sql removes: those would make it fail (tested below)
    p.exec("DELETE FROM posts;");
    p.revert_all();
    assert!(p.is_empty(), "down to empty");
}

/// A removed value still held by a row makes the migration fail (and the guard says so first).
#[test]
fn removing_a_value_rows_still_hold_fails_on_each_backend() {
    let before = posts("post_status", &["draft", "published"], "draft", |_| {});
    let after = posts("post_status", &["draft"], "draft", |_| {});
    let refused = model_core::plan::plan_migration(&before, &after, Dialect::Postgres, false).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("the migration fails if rows still hold it"),
        "{refused}"
    );
    let mut dialects = vec![Dialect::Postgres, Dialect::Sqlite];
    if cfg!(feature = "mysql") {
        dialects.push(Dialect::Mysql);
    }
    for dialect in dialects {
        let Some(mut p) = Project::new(dialect, "enum_held") else {
            continue;
        };
        p.write_planned(&Schema::default(), &before);
        p.migrate();
        p.exec("INSERT INTO posts (id, title, status) VALUES (1, 'a', 'published');");
        p.write_planned(&before, &after);
        let err = p.try_migrate().expect_err("a held value was removed");
        // the conversion refuses the row: PostgreSQL's cast, the CHECK of SQLite's copied rows, MySQL's
        // strict mode; rolled back whole where DDL is transactional, resumable on MySQL
        let (statement, database) = match (&err, dialect) {
            (
                Error::Statement {
                    statement,
                    rolled_back: true,
                    down: false,
                    ..
                },
                Dialect::Postgres,
            ) => (statement, "invalid input value for enum post_status: \"published\""),
            (
                Error::Statement {
                    statement,
                    rolled_back: true,
                    down: false,
                    ..
                },
                Dialect::Sqlite,
            ) => (statement, "CHECK constraint failed"),
            (Error::Partial { statement, .. }, Dialect::Mysql) => (statement, "Data truncated for column 'status'"),
            (other, _) => panic!("{dialect}: {other:?}"),
        };
        let expected = match dialect {
            Dialect::Postgres => "USING \"status\"::text::\"post_status\"",
            Dialect::Sqlite => "INSERT INTO \"posts\"",
            Dialect::Mysql => "MODIFY COLUMN `status` ENUM('draft')",
        };
        assert!(statement.contains(expected), "{dialect}: {statement}");
        assert!(err.to_string().contains(database), "{dialect}: {err}");
        p.assert_live_is(&before, &format!("{dialect}: nothing changed"));
        assert_eq!(p.values("SELECT CAST(status AS {text}) AS v FROM posts"), "published");
    }
}
