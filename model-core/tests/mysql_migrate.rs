//! Migrations on a live MariaDB/MySQL through `runtime::migrate`: a model changed by every kind of
//! op, each step introspected against the model, all steps down and up again; and a migration that
//! fails half way, its error, its status (the statements already applied), the resumed run, and an
//! edited migration refused.
#![cfg(feature = "mysql")]

mod mysql_support;

use diesel::RunQueryDsl;
use diesel_migrations::MigrationHarness;
use model_core::ir::{
    check_name, fk_name, index_name, unique_name, Check, Column, ColumnType, DefaultValue, Dialect, FkAction,
    ForeignKey, Index, Literal, Schema, Table, UniqueConstraint,
};
use model_core::runtime::{Error, Partial, State};
use mysql_support::{assert_holds, model, Folder};

fn table<'a>(s: &'a mut Schema, name: &str) -> &'a mut Table {
    s.tables.iter_mut().find(|t| t.name == name).expect("table")
}

fn column<'a>(t: &'a mut Table, name: &str) -> &'a mut Column {
    t.columns.iter_mut().find(|c| c.name == name).expect("column")
}

/// Column changes: add, drop, rename, widen, comments, nullability, default, identity off, a table
/// comment, a new table.
fn step_columns(mut s: Schema) -> Schema {
    let users = table(&mut s, "users");
    users.comment = Some("A person who signed up.".into());
    users.columns.retain(|c| c.name != "nickname");
    let mut bio = Column::new("bio", ColumnType::Text);
    bio.nullable = true;
    bio.comment = Some("About them.".into());
    users.columns.push(bio);
    let given = column(users, "first_name");
    given.name = "given_name".into();
    given.renamed_from = Some("first_name".into());
    users.indexes[0].columns = vec!["last_name".into(), "given_name".into()];
    users.indexes[0].name = index_name("users", &["last_name", "given_name"], false);
    let last = column(users, "last_name");
    last.ty = ColumnType::Varchar { len: 150 };
    last.comment = Some("Family name.".into());
    let all = table(&mut s, "all_types");
    column(all, "id").identity = false;
    column(all, "i4").ty = ColumnType::BigInt;
    column(all, "i8").nullable = true;
    column(all, "v").default = Some(DefaultValue::Literal(Literal::Str("y".into())));
    column(all, "tstz").default = None;
    let mut tags = Table::new("tags");
    let mut id = Column::new("id", ColumnType::Integer);
    id.identity = true;
    tags.columns = vec![id, Column::new("label", ColumnType::Varchar { len: 40 })];
    tags.primary_key = Some(model_core::ir::PrimaryKey {
        name: model_core::ir::pk_name("tags"),
        columns: vec!["id".into()],
    });
    s.tables.push(tags);
    Schema::new(s.tables)
}

/// Constraint changes: checks, uniques, indexes (one a foreign key relied on, covered by another
/// key), foreign keys, a narrowed column made unique, NULL → NOT NULL with a default.
fn step_constraints(mut s: Schema) -> Schema {
    let posts = table(&mut s, "posts");
    posts.checks = vec![Check {
        name: check_name("posts", "known_status"),
        sql: "status IN ('draft', 'live', 'gone')".into(),
    }];
    posts.indexes.retain(|i| i.name != "ix_posts_author_id");
    posts.indexes.push(Index {
        name: "ix_status".into(),
        columns: vec!["status".into()],
        unique: false,
        where_sql: None,
    });
    posts.foreign_keys.retain(|f| f.name != "fk_posts_editor_id_users");
    let deleted = column(posts, "deleted_at");
    deleted.nullable = false;
    deleted.default = Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into()));
    let memberships = table(&mut s, "memberships");
    column(memberships, "role").ty = ColumnType::Varchar { len: 30 };
    memberships.uniques.push(UniqueConstraint {
        name: unique_name("memberships", &["group_name", "role"]),
        columns: vec!["group_name".into(), "role".into()],
    });
    let tags = table(&mut s, "tags");
    let mut owner = Column::new("owner_id", ColumnType::BigInt);
    owner.nullable = true;
    tags.columns.push(owner);
    tags.foreign_keys.push(ForeignKey {
        name: fk_name("tags", &["owner_id"], "users"),
        columns: vec!["owner_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    });
    s
}

/// A renamed index, identity back on, a dropped table.
fn step_renames(mut s: Schema) -> Schema {
    let posts = table(&mut s, "posts");
    posts
        .indexes
        .iter_mut()
        .filter(|i| i.name == "ix_status")
        .for_each(|i| {
            i.name = index_name("posts", &["status"], false);
        });
    column(table(&mut s, "all_types"), "id").identity = true;
    s.tables.retain(|t| t.name != "memberships");
    s
}

#[test]
fn every_kind_of_change_up_then_all_down_then_all_up() {
    let Some(db) = model_testkit::mysql("evolve") else {
        return;
    };
    let mut conn = db.connect();
    let mut folder = Folder::new("evolve");
    let steps = [model(), step_columns(model()), step_constraints(step_columns(model()))];
    let last = step_renames(steps[2].clone());
    let mut old = Schema::default();
    for (i, new) in steps.iter().chain([&last]).enumerate() {
        folder.plan(&old, new);
        let applied = model_core::runtime::migrate(&mut conn, folder.source()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(applied.len(), 1, "step {i}");
        // a row, so later steps run on a table that is not empty
        if i == 0 {
            diesel::sql_query("INSERT INTO users (email, first_name, last_name) VALUES ('a@b.c', 'A', 'B')")
                .execute(&mut conn)
                .expect("insert");
        }
        assert_holds(&mut conn, new, &format!("after step {i}"));
        old = new.clone();
    }
    conn.revert_all_migrations(folder.source())
        .unwrap_or_else(|e| panic!("down: {e}"));
    let live = model_core::introspect::mysql(&mut conn).expect("introspect");
    assert!(live.tables.is_empty(), "all down leaves nothing: {live:?}");
    assert_eq!(
        model_core::runtime::migrate(&mut conn, folder.source())
            .expect("up")
            .len(),
        4
    );
    assert_holds(&mut conn, &last, "after all down then all up");
}

#[test]
fn renaming_a_table_renames_its_constraints_the_mysql_way() {
    // the primary key and the check are renamed with the table (the naming rule); MySQL cannot rename
    // a constraint: its key is always PRIMARY (nothing to do), the check is dropped and added again
    // (the evolution test runs such a rename on the server)
    let mut new = model();
    let all = table(&mut new, "all_types");
    all.name = "every_type".into();
    all.renamed_from = Some("all_types".into());
    all.primary_key = Some(model_core::ir::PrimaryKey {
        name: model_core::ir::pk_name("every_type"),
        columns: vec!["id".into()],
    });
    all.checks[0].name = check_name("every_type", "positive");
    let renamed = Schema::new(new.tables);
    let m = model_core::plan::plan_migration(&model(), &renamed, Dialect::Mysql, false)
        .unwrap()
        .unwrap();
    assert!(
        m.up_sql.contains("RENAME TABLE `all_types` TO `every_type`;"),
        "{}",
        m.up_sql
    );
    assert!(
        m.up_sql
            .contains("ADD CONSTRAINT `ck_every_type_positive` CHECK (n > 0);"),
        "{}",
        m.up_sql
    );
    assert!(!m.up_sql.contains("pk_every_type"), "{}", m.up_sql);
    assert!(
        m.down_sql
            .contains("ADD CONSTRAINT `ck_all_types_positive` CHECK (n > 0);"),
        "{}",
        m.down_sql
    );
}

const PARTIAL_UP: &str = "-- three statements, the third fails on the rows of the second\n\
    CREATE TABLE t (a INT NOT NULL);\n\n\
    INSERT INTO t (a) VALUES (1), (1);\n\n\
    ALTER TABLE t ADD CONSTRAINT uq_t_a UNIQUE (a);\n";

#[test]
fn a_migration_failing_half_way_names_the_statement_and_resumes_there() {
    let Some(db) = model_testkit::mysql("partial") else {
        return;
    };
    let mut conn = db.connect();
    let mut folder = Folder::new("partial");
    let version = folder.write("partial", PARTIAL_UP, "DROP TABLE t;\n");
    let err = model_core::runtime::migrate(&mut conn, folder.source()).unwrap_err();
    let Error::Partial {
        number,
        total,
        ref statement,
        ..
    } = err
    else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!((number, total), (3, 3));
    assert_eq!(statement, "ALTER TABLE t ADD CONSTRAINT uq_t_a UNIQUE (a)");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!(
            "migration {version} (`2024-01-01-000001_partial`) failed at statement 3 of 3: Duplicate entry"
        )),
        "{msg}"
    );
    assert!(msg.contains("statements 1 to 2 are applied"), "{msg}");
    assert!(msg.contains("the next run resumes at statement 3"), "{msg}");
    assert!(
        conn.applied_migrations().expect("applied").is_empty(),
        "not marked as applied"
    );
    // status: pending, with the statements already applied
    let status = model_core::runtime::status(&mut conn, folder.source()).expect("status");
    assert_eq!(status.migrations[0].state, State::Pending);
    assert_eq!(
        status.migrations[0].partial,
        Some(Partial {
            done: 2,
            total: 3,
            edited: false
        })
    );

    // fix the cause; the next run resumes at statement 3 (statements 1 and 2 are not run again)
    diesel::sql_query("DELETE FROM t LIMIT 1")
        .execute(&mut conn)
        .expect("fix");
    assert_eq!(
        model_core::runtime::migrate(&mut conn, folder.source()).expect("resume"),
        [version]
    );
    let rows = diesel::sql_query("SELECT a FROM t").execute(&mut conn).expect("select");
    assert_eq!(rows, 1, "the INSERT did not run twice");
    let left = diesel::sql_query(format!("SELECT version FROM {}", model_core::runtime::PROGRESS_TABLE))
        .execute(&mut conn)
        .expect("progress");
    assert_eq!(left, 0, "the progress row is gone once the migration is applied");
    let status = model_core::runtime::status(&mut conn, folder.source()).expect("status");
    assert_eq!(status.migrations[0].state, State::Applied);
    assert_eq!(status.migrations[0].partial, None);
}

#[test]
fn a_partly_applied_migration_edited_since_is_refused() {
    let Some(db) = model_testkit::mysql("edited") else {
        return;
    };
    let mut conn = db.connect();
    let mut folder = Folder::new("edited");
    folder.write("partial", PARTIAL_UP, "DROP TABLE t;\n");
    assert!(matches!(
        model_core::runtime::migrate(&mut conn, folder.source()),
        Err(Error::Partial { number: 3, .. })
    ));
    let up = folder.path.join("2024-01-01-000001_partial").join("up.sql");
    std::fs::write(&up, PARTIAL_UP.replace("(1), (1)", "(1), (2)")).expect("edit");
    let status = model_core::runtime::status(&mut conn, folder.source()).expect("status");
    assert_eq!(
        status.migrations[0].partial,
        Some(Partial {
            done: 2,
            total: 3,
            edited: true
        })
    );
    let err = model_core::runtime::migrate(&mut conn, folder.source()).unwrap_err();
    assert!(matches!(err, Error::Edited { done: 2, .. }), "{err:?}");
    assert!(err.to_string().contains("put them back as they were"), "{err}");
}
