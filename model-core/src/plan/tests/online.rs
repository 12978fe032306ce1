//! PostgreSQL's online forms: one snapshot of every migration of the change per change kind on a
//! table that already exists, and the plain form for a table created by the same change.

use super::{column, plan_migration, users_with};
use crate::diff::DiffError;
use crate::ir::{
    check_name, unique_name, Check, Column, ColumnType, DefaultValue, Dialect, Literal, Schema, Table, UniqueConstraint,
};
use crate::ops::fixtures::{col, fk, index, nullable, posts, table_with_id, users};
use crate::plan::{plan_change, Part, PlanOptions};

fn options() -> PlanOptions {
    PlanOptions {
        allow_data_loss: true,
        ..PlanOptions::new(Dialect::Postgres)
    }
}

fn parts_with(old: &[Table], new: &[Table], options: &PlanOptions) -> Result<Vec<Part>, DiffError> {
    let (old, new) = (Schema::new(old.to_vec()), Schema::new(new.to_vec()));
    let parts = plan_change(&old, &new, options)?.expect("a change");
    assert_eq!(
        parts.last().map(|p| &p.schema),
        Some(&new),
        "the last part ends at the models"
    );
    Ok(parts)
}

fn parts(old: &[Table], new: &[Table]) -> Vec<Part> {
    parts_with(old, new, &options()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every part: its name, whether it runs in a transaction, up.sql and down.sql.
fn text(parts: &[Part]) -> String {
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "##### {} of {}: {} ({})\n===== up.sql\n{}===== down.sql\n{}",
                i + 1,
                parts.len(),
                p.migration.name,
                if p.migration.run_in_transaction {
                    "in a transaction"
                } else {
                    "outside a transaction"
                },
                p.migration.up_sql,
                p.migration.down_sql
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn snapshot(scenario: &str, old: &[Table], new: &[Table]) -> Vec<Part> {
    let parts = parts(old, new);
    insta::assert_snapshot!(scenario, text(&parts));
    parts
}

/// The plain migration is what the change gives.
fn plain(old: &[Table], new: &[Table]) {
    let parts = parts(old, new);
    let m = plan_migration(
        &Schema::new(old.to_vec()),
        &Schema::new(new.to_vec()),
        Dialect::Postgres,
        true,
    )
    .unwrap()
    .unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].migration, m);
}

#[test]
fn add_index_concurrently() {
    let new = users_with(|t| t.indexes.push(index("users", &["email", "first_name"], false)));
    let p = snapshot("online_add_index", &[users()], &[new]);
    assert_eq!(p.len(), 1);
    assert!(!p[0].migration.run_in_transaction);
}

#[test]
fn drop_index_concurrently() {
    let new = users_with(|t| t.indexes.clear());
    let p = snapshot("online_drop_index", &[users()], &[new]);
    assert!(!p[0].migration.run_in_transaction);
}

#[test]
fn add_unique_through_an_index_built_concurrently() {
    let new = users_with(|t| {
        t.uniques.push(UniqueConstraint {
            name: unique_name("users", &["first_name", "last_name"]),
            columns: vec!["first_name".into(), "last_name".into()],
        })
    });
    let p = snapshot("online_add_unique", &[users()], &[new]);
    assert_eq!(p.len(), 2);
    assert_eq!(
        p[0].schema,
        Schema::new(vec![users()]),
        "the index alone changes no model"
    );
}

#[test]
fn add_foreign_key_not_valid_then_validate() {
    let mut old = posts();
    old.foreign_keys.clear();
    let p = snapshot("online_add_foreign_key", &[users(), old], &[users(), posts()]);
    assert_eq!(p.len(), 2);
    assert_eq!(
        p[0].schema,
        Schema::new(vec![users(), posts()]),
        "the key exists after the first"
    );
}

#[test]
fn add_check_not_valid_then_validate() {
    let new = users_with(|t| {
        t.checks.push(Check {
            name: check_name("users", "named"),
            sql: "first_name <> ''".into(),
        })
    });
    snapshot("online_add_check", &[users()], &[new]);
}

#[test]
fn set_not_null_through_a_validated_check() {
    let old = users_with(|t| column(t, "first_name").nullable = true);
    let new = users_with(|t| column(t, "first_name").default = Some(DefaultValue::Literal(Literal::Str("?".into()))));
    let p = snapshot("online_set_not_null", std::slice::from_ref(&old), &[new]);
    assert_eq!(p.len(), 3, "check, backfill in batches, validate");
    assert!(!p[1].migration.run_in_transaction);
    let mid = &p[0].schema.tables[0];
    assert!(mid
        .columns
        .iter()
        .any(|c| c.name == "first_name" && c.nullable && c.default.is_some()));
    // without a default: no backfill, same steps
    let bare = users();
    let bare = parts(&[old], &[bare]);
    assert_eq!(bare.len(), 2);
    let text = text(&bare);
    assert!(!text.contains("UPDATE"), "{text}");
}

#[test]
fn a_change_of_several_kinds_keeps_its_order() {
    let mut old_posts = posts();
    old_posts.foreign_keys.clear();
    let mut new_posts = posts();
    new_posts.columns.push(nullable("title", ColumnType::Text));
    new_posts.indexes.push(index("posts", &["title"], false));
    let p = snapshot("online_mixed", &[users(), old_posts], &[users(), new_posts]);
    let names: Vec<&str> = p.iter().map(|p| p.migration.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn a_new_table_gets_the_plain_forms() {
    plain(&[users()], &[users(), posts()]);
    let mut tags = table_with_id("tags");
    tags.columns.push(col("label", ColumnType::Text));
    tags.indexes.push(index("tags", &["label"], true));
    plain(&[], &[tags]);
}

#[test]
fn changes_that_need_no_lock_safe_form_are_plain() {
    // a longer VARCHAR, a nullable column, a dropped NOT NULL
    let new = users_with(|t| {
        column(t, "email").ty = ColumnType::Varchar { len: 400 };
        column(t, "last_name").nullable = true;
        t.columns.push(nullable("nickname", ColumnType::Text));
    });
    plain(&[users()], &[new]);
}

#[test]
fn online_off_is_the_plain_migration() {
    let new = users_with(|t| t.indexes.clear());
    let off = PlanOptions {
        online: false,
        ..options()
    };
    let parts = parts_with(&[users()], std::slice::from_ref(&new), &off).unwrap();
    let m = plan_migration(
        &Schema::new(vec![users()]),
        &Schema::new(vec![new]),
        Dialect::Postgres,
        true,
    )
    .unwrap()
    .unwrap();
    assert_eq!(parts[0].migration, m);
}

#[test]
fn a_rewriting_type_change_is_refused_unless_allowed() {
    let mut old = users();
    column(&mut old, "id").ty = ColumnType::Integer;
    let err = parts_with(&[old.clone()], &[users()], &options()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("MODEL_ALLOW_REWRITE=1") && msg.contains("INTEGER to BIGINT"),
        "{msg}"
    );
    let allowed = PlanOptions {
        allow_rewrite: true,
        ..options()
    };
    let parts = parts_with(&[old], &[users()], &allowed).unwrap();
    insta::assert_snapshot!("online_rewrite_allowed", text(&parts));
}

#[test]
fn a_volatile_default_on_a_new_column_is_a_rewrite() {
    let volatile = users_with(|t| {
        t.columns.push(Column {
            default: Some(DefaultValue::Sql("gen_random_uuid()".into())),
            ..col("token", ColumnType::Uuid)
        })
    });
    let err = parts_with(&[users()], &[volatile], &options()).unwrap_err();
    assert!(matches!(err, DiffError::Rewrite { .. }), "{err}");
    // now() is stable: no rewrite
    let stable = users_with(|t| {
        t.columns.push(Column {
            default: Some(DefaultValue::Sql("now()".into())),
            ..col("seen_at", ColumnType::Timestamptz)
        })
    });
    plain(&[users()], &[stable]);
    // a new table may have any default
    let mut fresh = table_with_id("fresh");
    fresh.columns.push(Column {
        default: Some(DefaultValue::Sql("random()".into())),
        ..col("r", ColumnType::Double)
    });
    plain(&[], &[fresh]);
}

#[test]
fn down_sql_undoes_each_part_in_reverse() {
    let mut old_posts = posts();
    old_posts.foreign_keys.clear();
    let p = parts(&[users(), old_posts], &[users(), posts()]);
    assert!(p[1].migration.up_sql.contains("VALIDATE CONSTRAINT"));
    assert!(
        p[1].migration.down_sql.ends_with("undo\nSELECT 1;\n"),
        "validation has nothing to undo"
    );
    assert!(p[0]
        .migration
        .down_sql
        .contains("DROP CONSTRAINT \"fk_posts_users_id_users\""));
    let _ = fk("posts", &["users_id"], "users", &["id"]);
}

/// Run the online parts of `old → new` with `psql` (`MODEL_TEST_PSQL`) in a schema of their own on
/// tables holding `rows`: every up.sql in order (each transactional one in its transaction, the
/// others statement by statement as the runtime runs them), every down.sql in reverse order, every
/// up.sql again.
fn run_online(scenario: &str, old: &[Table], new: &[Table], rows: &str) {
    let Ok(url) = std::env::var("MODEL_TEST_PSQL") else {
        crate::test_shell::skip("MODEL_TEST_PSQL not set");
        return;
    };
    let create = plan_migration(&Schema::default(), &Schema::new(old.to_vec()), Dialect::Postgres, true)
        .unwrap()
        .unwrap();
    let parts = parts(old, new);
    let wrap = |p: &Part, sql: &str| match p.migration.run_in_transaction {
        true => format!("BEGIN;\n{sql}COMMIT;\n"),
        false => sql.to_string(),
    };
    let schema = format!("online_{scenario}_{}", std::process::id());
    let mut script = format!(
        "SET client_min_messages = warning;\nDROP SCHEMA IF EXISTS {schema} CASCADE;\nCREATE SCHEMA {schema};\nSET search_path = {schema};\n{}{rows}",
        create.up_sql
    );
    for p in &parts {
        script.push_str(&wrap(p, &p.migration.up_sql));
    }
    for p in parts.iter().rev() {
        script.push_str(&wrap(p, &p.migration.down_sql));
    }
    for p in &parts {
        script.push_str(&wrap(p, &p.migration.up_sql));
    }
    script.push_str(&format!("RESET search_path;\nDROP SCHEMA {schema} CASCADE;\n"));
    if let Err(e) = crate::test_shell::shell("psql", &["-X", "-q", "-v", "ON_ERROR_STOP=1", &url], &script) {
        panic!("{scenario}: {e}\n{script}");
    }
}

const USER_ROWS: &str =
    "INSERT INTO users (email, first_name, last_name) VALUES ('a@x', 'Ada', 'L'), ('b@x', 'Bob', 'M');\n";

#[test]
fn every_online_form_runs_up_down_up_on_postgres_with_rows() {
    let indexed = users_with(|t| t.indexes.push(index("users", &["email", "first_name"], false)));
    run_online("add_index", &[users()], &[indexed], USER_ROWS);
    run_online(
        "drop_index",
        &[users()],
        &[users_with(|t| t.indexes.clear())],
        USER_ROWS,
    );
    let unique = users_with(|t| {
        t.uniques.push(UniqueConstraint {
            name: unique_name("users", &["first_name", "last_name"]),
            columns: vec!["first_name".into(), "last_name".into()],
        })
    });
    run_online("add_unique", &[users()], &[unique], USER_ROWS);
    let mut old_posts = posts();
    old_posts.foreign_keys.clear();
    let post_rows = format!("{USER_ROWS}INSERT INTO posts (users_id) VALUES (1), (2);\n");
    run_online("add_fk", &[users(), old_posts.clone()], &[users(), posts()], &post_rows);
    let checked = users_with(|t| {
        t.checks.push(Check {
            name: check_name("users", "named"),
            sql: "first_name <> ''".into(),
        })
    });
    run_online("add_check", &[users()], &[checked], USER_ROWS);
    let loose = users_with(|t| column(t, "first_name").nullable = true);
    let filled =
        users_with(|t| column(t, "first_name").default = Some(DefaultValue::Literal(Literal::Str("?".into()))));
    let null_rows =
        "INSERT INTO users (email, first_name, last_name) VALUES ('a@x', NULL, 'L'), ('b@x', 'Bob', 'M');\n";
    run_online("set_not_null", &[loose], &[filled], null_rows);
    let mut new_posts = posts();
    new_posts.columns.push(nullable("title", ColumnType::Text));
    new_posts.indexes.push(index("posts", &["title"], false));
    run_online("mixed", &[users(), old_posts], &[users(), new_posts], &post_rows);
}

#[test]
fn mysql_says_how_the_server_runs_a_statement_online() {
    let mysql = PlanOptions {
        dialect: Dialect::Mysql,
        ..options()
    };
    let mut old = users();
    old.indexes.clear();
    let mut new = old.clone();
    new.indexes.push(index("users", &["email"], false));
    new.columns.push(nullable("nickname", ColumnType::Varchar { len: 50 }));
    let parts = parts_with(&[old.clone()], &[new.clone()], &mysql).unwrap();
    assert_eq!(parts.len(), 1);
    let m = &parts[0].migration;
    assert!(
        m.up_sql
            .contains("ADD COLUMN `nickname` VARCHAR(50), ALGORITHM=INSTANT;"),
        "{}",
        m.up_sql
    );
    assert!(
        m.up_sql
            .contains("CREATE INDEX `ix_users_email` ON `users` (`email`) ALGORITHM=INPLACE LOCK=NONE;"),
        "{}",
        m.up_sql
    );
    assert!(
        m.down_sql
            .contains("ALTER TABLE `users` DROP INDEX `ix_users_email`, ALGORITHM=INPLACE, LOCK=NONE;"),
        "{}",
        m.down_sql
    );
    // a new table: plain statements; online off: plain statements
    let fresh = parts_with(&[], &[new.clone()], &mysql).unwrap();
    assert!(!fresh[0].migration.up_sql.contains("ALGORITHM"));
    let off = PlanOptions { online: false, ..mysql };
    assert!(!parts_with(&[old], &[new], &off).unwrap()[0]
        .migration
        .up_sql
        .contains("ALGORITHM"));
}

#[test]
fn mysql_refuses_a_change_that_copies_the_table_unless_allowed() {
    let mysql = PlanOptions {
        dialect: Dialect::Mysql,
        ..options()
    };
    let mut old = users();
    old.indexes.clear();
    let new = old.clone();
    column(&mut old, "id").ty = ColumnType::Integer;
    let err = parts_with(std::slice::from_ref(&old), std::slice::from_ref(&new), &mysql).unwrap_err();
    assert!(err.to_string().contains("MySQL copies table \"users\""), "{err}");
    let allowed = PlanOptions {
        allow_rewrite: true,
        ..mysql
    };
    let parts = parts_with(&[old], std::slice::from_ref(&new), &allowed).unwrap();
    assert!(
        parts[0].migration.up_sql.contains("-- REWRITE: MySQL copies"),
        "{}",
        parts[0].migration.up_sql
    );
    // a longer VARCHAR changes in place
    let mut wider = new.clone();
    column(&mut wider, "email").ty = ColumnType::Varchar { len: 300 };
    assert!(parts_with(&[new], &[wider], &mysql).is_ok());
}

/// A view over a column whose type changes is dropped before the change and created again in the
/// same transaction, not after the index the change also builds concurrently: the view is missing
/// for no longer than a plain migration would leave it.
#[test]
fn a_view_around_a_type_change_comes_back_before_the_concurrent_index() {
    use crate::ir::Object;
    use crate::ops::fixtures::view;
    let reader = Object::View(view(
        "user_emails",
        "SELECT id, email FROM users",
        &[("id", ColumnType::BigInt), ("email", ColumnType::Varchar { len: 255 })],
    ));
    let old = Schema::new(vec![users()]).with_objects([reader.clone()]);
    let mut changed = users();
    changed
        .columns
        .iter_mut()
        .filter(|c| c.name == "email")
        .for_each(|c| c.ty = ColumnType::Text);
    changed.indexes.push(index("users", &["first_name"], false));
    let new = Schema::new(vec![changed]).with_objects([reader]);
    let parts = plan_change(&old, &new, &options()).unwrap().expect("a change");
    assert_eq!(parts.last().map(|p| &p.schema), Some(&new));
    let all = text(&parts);
    let first = &parts[0].migration.up_sql;
    let (drop, alter, create) = (
        first.find("DROP VIEW \"user_emails\""),
        first.find("ALTER COLUMN \"email\" TYPE"),
        first.find("CREATE VIEW \"user_emails\""),
    );
    assert!(drop.is_some() && alter.is_some() && create.is_some(), "{all}");
    assert!(drop < alter && alter < create, "{all}");
    assert!(parts[0].migration.run_in_transaction, "{all}");
    assert!(
        parts[1..]
            .iter()
            .any(|p| p.migration.up_sql.contains("CREATE INDEX CONCURRENTLY")),
        "{all}"
    );
    assert!(
        parts[1..].iter().all(|p| !p.migration.up_sql.contains("user_emails")),
        "{all}"
    );
    // down: the view is dropped before the type goes back, and created again after
    let down = &parts[0].migration.down_sql;
    let (drop, alter, create) = (
        down.find("DROP VIEW \"user_emails\""),
        down.find("ALTER COLUMN \"email\" TYPE"),
        down.find("CREATE VIEW \"user_emails\""),
    );
    assert!(drop < alter && alter < create, "{all}");
}

/// A generated column added to an existing table is computed and stored for every row: a rewrite on
/// PostgreSQL, a table copy on MySQL when stored; a virtual one (MySQL) is not.
#[test]
fn a_generated_column_added_to_an_existing_table_is_a_rewrite() {
    use crate::ir::Generated;
    let with = |virtual_: bool| {
        users_with(|t| {
            t.columns.push(Column {
                generated: Some(Generated {
                    is_virtual: virtual_,
                    ..Generated::stored("lower(email)")
                }),
                ..col("email_key", ColumnType::Varchar { len: 255 })
            })
        })
    };
    let err = parts_with(&[users()], &[with(false)], &options()).unwrap_err();
    assert!(err.to_string().contains("email_key"), "{err}");
    let allowed = PlanOptions {
        allow_rewrite: true,
        ..options()
    };
    assert!(parts_with(&[users()], &[with(false)], &allowed).is_ok());
    let mysql = PlanOptions {
        allow_data_loss: true,
        ..PlanOptions::new(Dialect::Mysql)
    };
    // MySQL keys no TEXT column whole: the fixture's index goes
    let (mut old, mut stored, mut virtual_) = (users(), with(false), with(true));
    for t in [&mut old, &mut stored, &mut virtual_] {
        t.indexes.clear();
    }
    let err = parts_with(&[old.clone()], &[stored], &mysql).unwrap_err();
    assert!(err.to_string().contains("MySQL copies"), "{err}");
    let up = &parts_with(&[old], &[virtual_], &mysql).unwrap()[0].migration.up_sql;
    assert!(!up.contains("ALGORITHM=INSTANT"), "{up}");
}
