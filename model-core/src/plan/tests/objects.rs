//! Views, functions, triggers, extensions and generated columns: one snapshot of `up.sql` and
//! `down.sql` per dialect and scenario, and the scripts run on each database (up, down, up again;
//! rows written in between).

use super::{files, mysql_run, postgres_run, sqlite_run};
use crate::ir::{ColumnType, Dialect, Extension, Function, Object, Schema, Table};
use crate::ops::fixtures::{members, trigger, view};
use crate::plan::{plan_migration, Migration};

/// `members` as the dialect holds it (MySQL keys a bounded text only: the generated `email_key`
/// is a `VARCHAR` there).
fn members_on(dialect: Dialect) -> Table {
    let mut t = members();
    if dialect == Dialect::Mysql {
        for c in &mut t.columns {
            if c.ty == ColumnType::Text {
                c.ty = ColumnType::Varchar { len: 255 };
            }
        }
    }
    t
}

fn active() -> Object {
    Object::View(view(
        "active_members",
        "SELECT id, email FROM members WHERE active",
        &[("id", ColumnType::BigInt), ("email", ColumnType::Varchar { len: 255 })],
    ))
}

fn recent() -> Object {
    Object::View(view(
        "recent_active_members",
        "SELECT id FROM active_members WHERE id > 100",
        &[("id", ColumnType::BigInt)],
    ))
}

/// The trigger keeping `members.updated_at` fresh, as each dialect writes it.
fn touch_trigger(dialect: Dialect) -> Object {
    let sql = match dialect {
        Dialect::Postgres => {
            "CREATE TRIGGER members_touch BEFORE UPDATE ON members FOR EACH ROW EXECUTE FUNCTION touch()"
        }
        Dialect::Sqlite => {
            "CREATE TRIGGER members_touch AFTER UPDATE ON members FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at\n\
             BEGIN\n    UPDATE members SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;\nEND"
        }
        Dialect::Mysql => {
            "CREATE TRIGGER members_touch BEFORE UPDATE ON members FOR EACH ROW SET NEW.updated_at = CURRENT_TIMESTAMP"
        }
    };
    Object::Trigger(trigger(sql, dialect))
}

/// A function per dialect that has them: PostgreSQL's trigger function, MySQL's initials.
fn functions(dialect: Dialect) -> Vec<Object> {
    let sql = match dialect {
        Dialect::Postgres => {
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    NEW.updated_at := now();\n    \
             RETURN NEW;\nEND\n$$"
        }
        Dialect::Mysql => {
            "CREATE FUNCTION initials(a VARCHAR(100), b VARCHAR(100)) RETURNS VARCHAR(2) DETERMINISTIC \
             RETURN CONCAT(LEFT(a, 1), LEFT(b, 1))"
        }
        Dialect::Sqlite => return Vec::new(),
    };
    match Function::parse(sql, dialect) {
        Ok(f) => vec![Object::Function(f)],
        Err(e) => panic!("{e}"),
    }
}

/// Every object the dialect has, over `members`.
fn everything(dialect: Dialect) -> Schema {
    let mut objects = vec![active(), recent(), touch_trigger(dialect)];
    objects.extend(functions(dialect));
    if dialect == Dialect::Postgres {
        objects.push(Object::Extension(Extension::new("citext")));
    }
    Schema::new(vec![members_on(dialect)]).with_objects(objects)
}

fn plan(old: &Schema, new: &Schema, dialect: Dialect) -> Migration {
    match plan_migration(old, new, dialect, true) {
        Ok(Some(m)) => m,
        other => panic!("expected a migration, got {other:?}"),
    }
}

/// `everything` with `members.email` widened to `TEXT` (a column under two views and a generated
/// column; on SQLite it rebuilds the table, whose trigger must come back).
fn widened(dialect: Dialect) -> Schema {
    let mut s = everything(dialect);
    for c in &mut s.tables[0].columns {
        if c.name == "email" {
            c.ty = match dialect {
                Dialect::Mysql => ColumnType::Varchar { len: 300 },
                _ => ColumnType::Text,
            };
        }
    }
    s
}

/// Rows, and an update the trigger must see.
const ROWS: &str =
    "INSERT INTO members (id, email, first_name, last_name) VALUES (1, 'Ada@Example.com', 'Ada', 'L');\n\
                    UPDATE members SET first_name = 'Ada A.' WHERE id = 1;\n";

#[test]
fn snapshots_per_dialect() {
    for dialect in Dialect::ALL {
        let create = plan(&Schema::default(), &everything(dialect), dialect);
        insta::assert_snapshot!(format!("objects_create_{dialect}"), files(&create));
        let widen = plan(&everything(dialect), &widened(dialect), dialect);
        insta::assert_snapshot!(format!("objects_under_a_type_change_{dialect}"), files(&widen));
    }
}

#[test]
fn a_changed_definition_is_replaced() {
    for dialect in Dialect::ALL {
        let old = everything(dialect);
        let mut new = old.clone();
        new.views[0].sql = "SELECT id, email FROM members WHERE active AND id > 0".into();
        let m = plan(&old, &new, dialect);
        assert_eq!(m.name, "replace_active_members");
        let expected = match dialect {
            Dialect::Sqlite => "DROP VIEW \"active_members\";\n\nCREATE VIEW \"active_members\" AS",
            Dialect::Postgres => "CREATE OR REPLACE VIEW \"active_members\" AS",
            Dialect::Mysql => "CREATE OR REPLACE VIEW `active_members` AS",
        };
        assert!(m.up_sql.contains(expected), "{dialect}: {}", m.up_sql);
    }
}

#[test]
fn sqlite_refuses_functions_and_mysql_refuses_extensions() {
    let pg = functions(Dialect::Postgres);
    let on_sqlite = Schema::default().with_objects(pg);
    let err = plan_migration(&Schema::default(), &on_sqlite, Dialect::Sqlite, false).unwrap_err();
    assert!(err.to_string().contains("SQLite has no SQL functions"), "{err}");
    let ext = Schema::default().with_objects([Object::Extension(Extension::new("citext"))]);
    let err = plan_migration(&Schema::default(), &ext, Dialect::Mysql, false).unwrap_err();
    assert!(err.to_string().contains("mysql has no extensions"), "{err}");
}

#[test]
fn sqlite_runs_and_the_trigger_survives_the_rebuild() {
    let d = Dialect::Sqlite;
    let create = plan(&Schema::default(), &everything(d), d);
    let widen = plan(&everything(d), &widened(d), d);
    let check = "UPDATE members SET updated_at = NULL;\nUPDATE members SET last_name = 'Lovelace';\n\
                 SELECT count(*) FROM members WHERE updated_at IS NOT NULL;\n\
                 SELECT email_key FROM active_members JOIN members USING (id);\n";
    let script = [
        sqlite_run::tx(&create.up_sql),
        ROWS.to_string(),
        sqlite_run::tx(&widen.up_sql),
        check.to_string(),
        sqlite_run::tx(&widen.down_sql),
        check.to_string(),
        sqlite_run::tx(&create.down_sql),
        "SELECT count(*) FROM sqlite_master;\n".into(),
    ];
    if let Some(out) = sqlite_run::run(&script.concat()).unwrap() {
        assert_eq!(
            out.lines().collect::<Vec<_>>(),
            ["1", "ada@example.com", "1", "ada@example.com", "0"],
            "the trigger fires after the rebuild (and after its undoing); the generated column is computed"
        );
    }
}

#[test]
fn postgres_runs() {
    let d = Dialect::Postgres;
    let create = plan(&Schema::default(), &everything(d), d);
    let widen = plan(&everything(d), &widened(d), d);
    let check = "DO $$ BEGIN IF (SELECT count(*) FROM members WHERE updated_at IS NOT NULL AND email_key = 'ada@example.com') <> 1 \
                 THEN RAISE 'the trigger did not fire'; END IF; END $$;\n";
    postgres_run::run(
        &[
            create.up_sql.as_str(),
            ROWS,
            check,
            &widen.up_sql,
            check,
            &widen.down_sql,
            &create.down_sql,
            &create.up_sql,
        ]
        .concat(),
    )
    .unwrap();
}

#[test]
fn mysql_runs() {
    let d = Dialect::Mysql;
    let create = plan(&Schema::default(), &everything(d), d);
    let widen = plan(&everything(d), &widened(d), d);
    mysql_run::run(
        "objects",
        &[
            create.up_sql.as_str(),
            ROWS,
            "SELECT initials(first_name, last_name) FROM members;\n",
            &widen.up_sql,
            &widen.down_sql,
            &create.down_sql,
            &create.up_sql,
        ]
        .concat(),
    )
    .unwrap();
}
