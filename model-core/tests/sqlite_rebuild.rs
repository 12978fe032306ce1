//! SQLite table rebuilds on a real database, foreign keys enforced: up, down and up again with rows
//! present, rows kept, the database read back equal to the models, and the checks that abort a
//! rebuild that would go wrong.
#![cfg(all(feature = "build", feature = "sqlite"))]

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{sql_query, Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use model_core::ir::{
    compare, fk_name, index_name, pk_name, unique_name, Check, Column, ColumnType, DefaultValue, Dialect, FkAction,
    ForeignKey, Index, Literal, PrimaryKey, Schema, Table, UniqueConstraint,
};
use model_core::plan::{plan_migration, Migration};

fn with_id(name: &str) -> Table {
    let mut t = Table::new(name);
    t.columns.push(Column {
        identity: true,
        ..Column::new("id", ColumnType::BigInt)
    });
    t.primary_key = Some(PrimaryKey {
        name: pk_name(name),
        columns: vec!["id".into()],
    });
    t
}

fn nullable(name: &str, ty: ColumnType) -> Column {
    Column {
        nullable: true,
        ..Column::new(name, ty)
    }
}

fn reference(table: &str, column: &str, to: &str, on_delete: FkAction) -> ForeignKey {
    ForeignKey {
        name: fk_name(table, &[column], to),
        columns: vec![column.into()],
        ref_table: to.into(),
        ref_columns: vec!["id".into()],
        on_delete,
        on_update: FkAction::NoAction,
    }
}

/// users ← posts (ON DELETE CASCADE) ← comments (NO ACTION).
fn v1() -> Schema {
    let mut users = with_id("users");
    users
        .columns
        .push(Column::new("email", ColumnType::Varchar { len: 255 }));
    users.columns.push(nullable("nickname", ColumnType::Text));
    users.uniques.push(UniqueConstraint {
        name: unique_name("users", &["email"]),
        columns: vec!["email".into()],
    });
    users.indexes.push(Index {
        name: index_name("users", &["nickname"], false),
        columns: vec!["nickname".into()],
        unique: false,
        where_sql: None,
    });
    let mut posts = with_id("posts");
    posts.columns.push(Column::new("users_id", ColumnType::BigInt));
    posts.columns.push(Column::new("title", ColumnType::Text));
    posts.columns.push(nullable("score", ColumnType::Text));
    posts
        .foreign_keys
        .push(reference("posts", "users_id", "users", FkAction::Cascade));
    posts.indexes.push(Index {
        name: "ix_posts_scored".into(),
        columns: vec!["users_id".into()],
        unique: false,
        where_sql: Some("score IS NOT NULL".into()),
    });
    let mut comments = with_id("comments");
    comments.columns.push(Column::new("posts_id", ColumnType::BigInt));
    comments.columns.push(Column::new("body", ColumnType::Text));
    comments
        .foreign_keys
        .push(reference("comments", "posts_id", "posts", FkAction::NoAction));
    Schema::new(vec![users, posts, comments])
}

/// Changes SQLite's ALTER TABLE cannot make, on `users` (referenced) and `posts`.
fn v2() -> Schema {
    let mut s = v1();
    let users = &mut s.tables[2];
    assert_eq!(users.name, "users");
    users.columns[1].ty = ColumnType::Text;
    users.columns[2].nullable = false;
    users.columns[2].default = Some(DefaultValue::Literal(Literal::Str("anon".into())));
    users.columns.push(Column {
        default: Some(DefaultValue::Literal(Literal::Int(0))),
        ..Column::new("age", ColumnType::Integer)
    });
    users.checks.push(Check {
        name: "ck_users_email".into(),
        sql: "email <> ''".into(),
    });
    let posts = &mut s.tables[1];
    assert_eq!(posts.name, "posts");
    posts.columns[2].name = "headline".into();
    posts.columns[2].renamed_from = Some("title".into());
    posts.columns[3].ty = ColumnType::Integer;
    posts.uniques.push(UniqueConstraint {
        name: unique_name("posts", &["users_id", "headline"]),
        columns: vec!["users_id".into(), "headline".into()],
    });
    s
}

fn migration(old: &Schema, new: &Schema) -> Migration {
    match plan_migration(old, new, Dialect::Sqlite, true) {
        Ok(Some(m)) => m,
        other => panic!("expected a migration, got {other:?}"),
    }
}

/// Run `sql` the way Diesel runs a migration: in a transaction.
fn run(conn: &mut SqliteConnection, sql: &str) -> Result<(), diesel::result::Error> {
    conn.transaction(|c| c.batch_execute(sql))
}

fn assert_is(conn: &mut SqliteConnection, model: &Schema) {
    let live = model_core::introspect::sqlite(conn).expect("introspect");
    let diffs = compare(model, &live, Dialect::Sqlite);
    assert!(
        diffs.is_empty(),
        "{}",
        diffs.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Text)]
    v: String,
}

fn rows(conn: &mut SqliteConnection, query: &str) -> Vec<String> {
    sql_query(query)
        .load::<Row>(conn)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .into_iter()
        .map(|r| r.v)
        .collect()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut SqliteConnection, table: &str) -> i64 {
    sql_query(format!("SELECT count(*) AS n FROM \"{table}\""))
        .get_result::<Count>(conn)
        .map(|c| c.n)
        .unwrap_or_else(|e| panic!("{table}: {e}"))
}

const ROWS: &str = "INSERT INTO users (id, email, nickname) VALUES (1, 'a@x', 'ann'), (2, 'b@x', NULL);
    INSERT INTO posts (id, users_id, title, score) VALUES (10, 1, 'hello', '5'), (11, 2, 'again', NULL);
    INSERT INTO comments (id, posts_id, body) VALUES (100, 10, 'first'), (101, 11, 'second');";

fn counts(conn: &mut SqliteConnection) -> [i64; 3] {
    ["users", "posts", "comments"].map(|t| count(conn, t))
}

#[test]
fn up_down_up_keeps_rows_and_foreign_keys() {
    let db = model_testkit::sqlite("rebuild");
    let mut conn = db.connect(); // foreign keys ON
    let create = migration(&Schema::default(), &v1());
    run(&mut conn, &create.up_sql).expect("create");
    conn.batch_execute(ROWS).expect("rows");
    let change = migration(&v1(), &v2());
    assert!(change.up_sql.contains("__model_old_users"), "{}", change.up_sql);

    run(&mut conn, &change.up_sql).unwrap_or_else(|e| panic!("up: {e}\n{}", change.up_sql));
    assert_is(&mut conn, &v2());
    assert_eq!(counts(&mut conn), [2, 2, 2], "no row lost, none cascaded away");
    assert_eq!(
        rows(&mut conn, "SELECT nickname AS v FROM users ORDER BY id"),
        ["ann", "anon"]
    );
    assert_eq!(
        rows(
            &mut conn,
            "SELECT typeof(score) || ':' || headline AS v FROM posts ORDER BY id"
        ),
        ["integer:hello", "null:again"]
    );

    run(&mut conn, &change.down_sql).unwrap_or_else(|e| panic!("down: {e}\n{}", change.down_sql));
    assert_is(&mut conn, &v1());
    assert_eq!(counts(&mut conn), [2, 2, 2]);
    assert_eq!(
        rows(&mut conn, "SELECT title AS v FROM posts ORDER BY id"),
        ["hello", "again"]
    );

    run(&mut conn, &change.up_sql).expect("up again");
    assert_is(&mut conn, &v2());
    assert_eq!(counts(&mut conn), [2, 2, 2]);
    // Still enforced, still pointing at the rebuilt tables.
    let orphan = conn
        .batch_execute("INSERT INTO comments (posts_id, body) VALUES (999, 'x')")
        .expect_err("a comment on no post");
    assert!(orphan.to_string().contains("FOREIGN KEY constraint failed"), "{orphan}");
    conn.batch_execute("DELETE FROM comments WHERE posts_id = 11; DELETE FROM users WHERE id = 2;")
        .expect("delete");
    assert_eq!(counts(&mut conn), [1, 1, 1], "ON DELETE CASCADE still reaches posts");
}

#[test]
fn a_dangling_reference_aborts_the_rebuild() {
    let db = model_testkit::sqlite("rebuild_fk");
    let mut conn = db.connect();
    run(&mut conn, &migration(&Schema::default(), &v1()).up_sql).expect("create");
    conn.batch_execute(ROWS).expect("rows");
    conn.batch_execute("PRAGMA foreign_keys = OFF; INSERT INTO posts (id, users_id, title) VALUES (12, 77, 'orphan');")
        .expect("orphan");
    let change = migration(&v1(), &v2());
    let err = run(&mut conn, &change.up_sql).expect_err("the orphan must stop the migration");
    assert!(
        err.to_string().contains("some rows reference rows that do not exist"),
        "{err}"
    );
    assert_is(&mut conn, &v1());
    assert_eq!(counts(&mut conn), [2, 3, 2], "rolled back");
}

#[test]
fn a_trigger_on_a_rebuilt_table_aborts_the_rebuild() {
    let db = model_testkit::sqlite("rebuild_trigger");
    let mut conn = db.connect();
    run(&mut conn, &migration(&Schema::default(), &v1()).up_sql).expect("create");
    conn.batch_execute("CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END;")
        .expect("trigger");
    let err = run(&mut conn, &migration(&v1(), &v2()).up_sql).expect_err("the trigger would be lost");
    assert!(err.to_string().contains("a trigger the crate does not manage"), "{err}");
    // rolled back: the tables as they were, and the hand-written trigger still there
    let live = model_core::introspect::sqlite(&mut conn).expect("introspect");
    let triggers: Vec<&str> = live.triggers.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(triggers, ["users_touch"]);
    conn.batch_execute("DROP TRIGGER users_touch;").expect("drop trigger");
    assert_is(&mut conn, &v1());
}

/// A migrations folder in the temp folder holding one migration per `(name, up, down)`.
fn migrations(list: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, up, down) in list {
        let m = dir.path().join(name);
        std::fs::create_dir_all(&m).expect("migration folder");
        std::fs::write(m.join("up.sql"), up).expect("up.sql");
        std::fs::write(m.join("down.sql"), down).expect("down.sql");
    }
    dir
}

fn source(dir: &tempfile::TempDir) -> diesel_migrations::FileBasedMigrations {
    diesel_migrations::FileBasedMigrations::from_path(dir.path()).expect("migrations")
}

/// A folder with the migrations `Schema::default() → before` (applied here through `upgrade_to`)
/// and `before → after` (pending).
fn created_then_pending(conn: &mut SqliteConnection, before: &Schema, after: &Schema) -> tempfile::TempDir {
    let create = migration(&Schema::default(), before);
    let change = migration(before, after);
    let dir = migrations(&[
        ("2024-01-01-000000_create", &create.up_sql, &create.down_sql),
        ("2024-01-02-000000_change", &change.up_sql, &change.down_sql),
    ]);
    model_core::runtime::upgrade_to(
        conn,
        source(&dir),
        "20240101000000",
        &model_core::runtime::Options::default(),
    )
    .expect("create");
    dir
}

/// users ← posts (ON DELETE SET NULL), users ← comments (ON DELETE SET DEFAULT, default 1).
fn with_set_null_and_set_default_children() -> Schema {
    let mut users = with_id("users");
    users.columns.push(Column::new("email", ColumnType::Text));
    let mut posts = with_id("posts");
    posts.columns.push(nullable("users_id", ColumnType::BigInt));
    posts
        .foreign_keys
        .push(reference("posts", "users_id", "users", FkAction::SetNull));
    let mut comments = with_id("comments");
    comments.columns.push(Column {
        default: Some(DefaultValue::Literal(Literal::Int(1))),
        ..Column::new("users_id", ColumnType::BigInt)
    });
    comments
        .foreign_keys
        .push(reference("comments", "users_id", "users", FkAction::SetDefault));
    Schema::new(vec![users, posts, comments])
}

/// Through `migrate` and `downgrade`: the parent of a `SET NULL` and a `SET DEFAULT` child is rebuilt
/// (a check added, a type changed) — dropping it must not fire the children's actions: every key
/// stays as it was, up and down; and the actions still work on the rebuilt table.
#[test]
fn a_parent_rebuilt_under_set_null_and_set_default_children_keeps_their_keys() {
    let db = model_testkit::sqlite("rebuild_actions");
    let mut conn = db.connect();
    let before = with_set_null_and_set_default_children();
    let mut after = before.clone();
    let users = after.tables.iter_mut().find(|t| t.name == "users").expect("users");
    users.columns[1].ty = ColumnType::Varchar { len: 100 };
    users.checks.push(Check {
        name: "ck_users_email".into(),
        sql: "email <> ''".into(),
    });
    let change = migration(&before, &after);
    assert!(
        change.up_sql.contains("__model_old_users"),
        "users is rebuilt:\n{}",
        change.up_sql
    );
    let dir = created_then_pending(&mut conn, &before, &after);
    conn.batch_execute(
        "INSERT INTO users (id, email) VALUES (1, 'a@x'), (2, 'b@x'), (3, 'c@x');
         INSERT INTO posts (id, users_id) VALUES (10, 2), (11, 3), (12, NULL);
         INSERT INTO comments (id, users_id) VALUES (20, 2), (21, 3);",
    )
    .expect("rows");
    let keys = |conn: &mut SqliteConnection| {
        rows(
            conn,
            "SELECT 'p' || id || '=' || coalesce(users_id, 'null') AS v FROM posts UNION ALL \
             SELECT 'c' || id || '=' || users_id AS v FROM comments ORDER BY v",
        )
    };
    let kept = ["c20=2", "c21=3", "p10=2", "p11=3", "p12=null"];

    let applied = model_core::runtime::migrate(&mut conn, source(&dir)).expect("the rebuild");
    assert_eq!(applied, ["20240102000000"]);
    assert_is(&mut conn, &after);
    assert_eq!(keys(&mut conn), kept, "up: no child's key nulled or defaulted");
    model_core::runtime::downgrade(
        &mut conn,
        source(&dir),
        model_core::runtime::Downgrade::Steps(1),
        &model_core::runtime::Options::default(),
    )
    .expect("down: the parent rebuilt again");
    assert_is(&mut conn, &before);
    assert_eq!(keys(&mut conn), kept, "down: no child's key nulled or defaulted");
    model_core::runtime::migrate(&mut conn, source(&dir)).expect("up again");

    conn.batch_execute("DELETE FROM users WHERE id = 3")
        .expect("delete user 3");
    assert_eq!(
        keys(&mut conn),
        ["c20=2", "c21=1", "p10=2", "p11=null", "p12=null"],
        "the actions still point at the rebuilt users"
    );
}

/// Through `migrate`: a rebuild that would leave rows referencing nothing (an orphan written with
/// foreign keys off) fails at the rebuild's check, names it, and is rolled back whole.
#[test]
fn a_dangling_reference_fails_the_migration_and_rolls_it_back() {
    let db = model_testkit::sqlite("rebuild_fk_migrate");
    let mut conn = db.connect();
    let dir = created_then_pending(&mut conn, &v1(), &v2());
    conn.batch_execute(ROWS).expect("rows");
    conn.batch_execute("PRAGMA foreign_keys = OFF; INSERT INTO posts (id, users_id, title) VALUES (12, 77, 'orphan'); PRAGMA foreign_keys = ON;")
        .expect("orphan");
    let err = model_core::runtime::migrate(&mut conn, source(&dir)).expect_err("the orphan stops it");
    match &err {
        model_core::runtime::Error::Statement {
            version,
            rolled_back: true,
            down: false,
            ..
        } => assert_eq!(version, "20240102000000"),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().contains("some rows reference rows that do not exist"),
        "{err}"
    );
    assert_is(&mut conn, &v1());
    assert_eq!(counts(&mut conn), [2, 3, 2], "rolled back");
    let status = model_core::runtime::status(&mut conn, source(&dir)).expect("status");
    assert_eq!(status.migrations[1].state, model_core::runtime::State::Pending);
}

/// Through `migrate`: a foreign key broken inside a migration with the checks deferred fails at
/// COMMIT; the error says so, the migration is rolled back whole and not recorded, and the write
/// lock is free again (another connection can write).
#[test]
fn a_deferred_foreign_key_failure_at_commit_rolls_the_migration_back() {
    let db = model_testkit::sqlite("deferred_fk");
    let mut conn = db.connect();
    let create = migration(&Schema::default(), &v1());
    let dir = migrations(&[
        ("2024-01-01-000000_create", &create.up_sql, &create.down_sql),
        (
            "2024-01-02-000000_orphan",
            "PRAGMA defer_foreign_keys = ON;\nINSERT INTO users (id, email) VALUES (5, 'e@x');\n\
             INSERT INTO posts (id, users_id, title) VALUES (50, 404, 'orphan');\n",
            "DELETE FROM posts WHERE id = 50;",
        ),
    ]);
    let err = model_core::runtime::migrate(&mut conn, source(&dir)).expect_err("the deferred check fails");
    match &err {
        model_core::runtime::Error::Statement {
            version,
            number,
            total,
            statement,
            rolled_back: true,
            down: false,
            ..
        } => {
            assert_eq!(version, "20240102000000");
            assert_eq!((*number, *total), (3, 3));
            assert!(statement.starts_with("COMMIT"), "{statement}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("FOREIGN KEY constraint failed"), "{err}");
    assert_eq!(counts(&mut conn), [0, 0, 0], "nothing of migration 2 stays");
    let status = model_core::runtime::status(&mut conn, source(&dir)).expect("status");
    let states: Vec<_> = status.migrations.iter().map(|m| m.state).collect();
    assert_eq!(
        states,
        [model_core::runtime::State::Applied, model_core::runtime::State::Pending]
    );
    let mut other = db.connect();
    other
        .batch_execute("BEGIN IMMEDIATE; INSERT INTO users (id, email) VALUES (7, 'g@x'); COMMIT;")
        .expect("the write lock is free");
}
