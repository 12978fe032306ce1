//! Views, functions, triggers, extensions and generated columns through the real build step, on
//! real databases (PostgreSQL, SQLite, and MySQL/MariaDB with the `mysql` feature): created,
//! changed and dropped; a column type change under a view and a view over a view; a trigger on a
//! table SQLite must rebuild (it survives and fires afterwards); a function used by a check and a
//! default; an extension used by a column type on a fresh database; drift reported in words.
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::ir::{Dialect, Schema};
use support::project::Project;

const MODELS: &str = r#"
#[derive(Model)]
pub struct Member {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
    #[model(max_length = 100)]
    pub first_name: String,
    #[model(max_length = 100)]
    pub last_name: String,
    #[model(default = true)]
    pub active: bool,
    pub updated_at: Option<chrono::NaiveDateTime>,
    #[model(generated = "lower(email)", max_length = 255)]
    pub email_key: String,
}

/// Members who can log in.
#[derive(Model)]
#[model(view_file = "db/views/active_members.sql")]
pub struct ActiveMember {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
}

#[derive(Model)]
#[model(view = "SELECT id, email FROM active_members WHERE id > 0")]
pub struct RecentMember {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
}
"#;

/// The trigger keeping `updated_at` fresh, and the function it calls (PostgreSQL), as each dialect
/// writes them; `v2` is a changed version of both.
fn touch(dialect: Dialect, v2: bool) -> Vec<(&'static str, String)> {
    match dialect {
        Dialect::Postgres => {
            let when = if v2 {
                "WHEN (OLD.last_name IS DISTINCT FROM NEW.last_name) "
            } else {
                ""
            };
            let now = if v2 { "clock_timestamp()" } else { "now()" };
            vec![
                (
                    "db/objects/touch.sql",
                    format!(
                        "-- keeps updated_at fresh\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    \
                         NEW.updated_at := {now};\n    RETURN NEW;\nEND\n$$;\n"
                    ),
                ),
                (
                    "db/objects/members_touch.sql",
                    format!("CREATE TRIGGER members_touch BEFORE UPDATE ON members FOR EACH ROW {when}EXECUTE FUNCTION touch();\n"),
                ),
            ]
        }
        Dialect::Sqlite => {
            let when = if v2 {
                "NEW.updated_at IS OLD.updated_at AND NEW.id > 0"
            } else {
                "NEW.updated_at IS OLD.updated_at"
            };
            vec![(
                "db/objects/members_touch.sql",
                format!(
                    "CREATE TRIGGER members_touch AFTER UPDATE ON members FOR EACH ROW WHEN {when}\nBEGIN\n    \
                     UPDATE members SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;\nEND;\n"
                ),
            )]
        }
        Dialect::Mysql => {
            let now = if v2 { "NOW()" } else { "CURRENT_TIMESTAMP" };
            let initials = if v2 {
                "UPPER(CONCAT(LEFT(a, 1), LEFT(b, 1)))"
            } else {
                "CONCAT(LEFT(a, 1), LEFT(b, 1))"
            };
            vec![
                (
                    "db/objects/initials.sql",
                    format!("CREATE FUNCTION initials(a VARCHAR(100), b VARCHAR(100)) RETURNS VARCHAR(2) DETERMINISTIC RETURN {initials};\n"),
                ),
                (
                    "db/objects/members_touch.sql",
                    format!("CREATE TRIGGER members_touch BEFORE UPDATE ON members FOR EACH ROW SET NEW.updated_at = {now};\n"),
                ),
            ]
        }
    }
}

/// The query of `active_members` (a view file); `v2` filters more.
fn active_query(dialect: Dialect, v2: bool) -> String {
    let extra = if v2 { " AND id > 0" } else { "" };
    let email = match dialect {
        // the view calls the function (a view after the function it calls)
        Dialect::Mysql => "CONCAT(email, initials(first_name, last_name)) AS email",
        _ => "email",
    };
    format!("SELECT id, {email} FROM members WHERE active{extra}\n")
}

fn write_objects(p: &Project, v2: bool) {
    for (path, text) in touch(p.dialect, v2) {
        p.write_file(path, Some(&text));
    }
    p.write_file("db/views/active_members.sql", Some(&active_query(p.dialect, v2)));
}

/// Build (a migration must be written), migrate, check the database is the models, down (the
/// previous models), up again. The models migrated to.
fn step(p: &mut Project, name: &str, previous: &Schema, allow_data_loss: bool) -> Schema {
    // re-adding the generated column around a type change rewrites the table (PostgreSQL, MySQL):
    // allowed here, the online forms have tests of their own
    let written = p
        .build_all(allow_data_loss, true)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let dir = written
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("{name}: no migration written"));
    assert_eq!(
        p.build_all(allow_data_loss, true).unwrap_or_else(|e| panic!("{e}")),
        Vec::<std::path::PathBuf>::new(),
        "{name}: idempotent"
    );
    let (up, down) = p.read_migration(&dir);
    let models = p.models();
    assert_eq!(p.migrate().len(), 1, "{name}");
    p.assert_live_is(&models, &format!("{name}, after up\n{up}"));
    p.revert_last();
    p.assert_live_is(previous, &format!("{name}, after down\n{down}"));
    p.migrate();
    p.assert_live_is(&models, &format!("{name}, after down and up"));
    models
}

/// Set `updated_at` to NULL, change the row's last name to `name`: the trigger sets it again.
fn trigger_fires(p: &mut Project, name: &str) -> bool {
    p.exec("UPDATE members SET updated_at = NULL WHERE id = 1;");
    p.exec(&format!("UPDATE members SET last_name = '{name}' WHERE id = 1;"));
    p.values("SELECT CASE WHEN updated_at IS NULL THEN 'no' ELSE 'yes' END AS v FROM members WHERE id = 1") == "yes"
}

fn lifecycle(dialect: Dialect) {
    let Some(mut p) = Project::new(dialect, "objects") else {
        return;
    };
    p.configure("objects = \"db/objects\"");
    write_objects(&p, false);
    p.write_models(MODELS);
    let empty = Schema::default();
    let first = step(&mut p, &format!("{dialect}: create"), &empty, false);
    assert_eq!(first.views.len(), 2);
    assert_eq!(first.triggers.len(), 1);
    p.exec("INSERT INTO members (id, email, first_name, last_name) VALUES (1, 'Ada@Example.COM', 'Ada', 'L');");
    assert!(trigger_fires(&mut p, "Lovelace"), "{dialect}: the trigger fires");
    assert_eq!(p.values("SELECT email_key AS v FROM members"), "ada@example.com");
    assert_eq!(
        p.values("SELECT CAST(count(*) AS {text}) AS v FROM recent_members"),
        "1"
    );

    // the view file, the trigger and the function change: replaced
    write_objects(&p, true);
    let second = step(&mut p, &format!("{dialect}: replace"), &first, false);
    assert!(trigger_fires(&mut p, "King"), "{dialect}: the changed trigger fires");

    // a column the views and the generated column read changes type (on SQLite, which does not store
    // a length, it becomes nullable): on SQLite the table is rebuilt
    let widened = match dialect {
        Dialect::Mysql => MODELS.replacen(
            "#[model(max_length = 255)]\n    pub email: String,",
            "#[model(max_length = 300)]\n    pub email: String,",
            1,
        ),
        Dialect::Sqlite => MODELS.replacen(
            "#[model(max_length = 255)]\n    pub email: String,",
            "#[model(max_length = 255)]\n    pub email: Option<String>,",
            1,
        ),
        Dialect::Postgres => MODELS.replacen(
            "#[model(max_length = 255)]\n    pub email: String,",
            "pub email: String,",
            1,
        ),
    };
    p.write_models(&widened);
    let third = step(
        &mut p,
        &format!("{dialect}: type change under the views"),
        &second,
        false,
    );
    if dialect == Dialect::Sqlite {
        let (up, _) = latest(&p);
        assert!(up.contains("rebuild \"members\""), "{up}");
    }
    assert!(
        trigger_fires(&mut p, "Byron"),
        "{dialect}: the trigger fires after the table changed"
    );
    assert_eq!(p.values("SELECT email_key AS v FROM members"), "ada@example.com");
    assert_eq!(
        p.values("SELECT CAST(count(*) AS {text}) AS v FROM recent_members"),
        "1"
    );

    // the view over the view, the trigger and its function go (MySQL's function stays: the view calls it)
    let without = widened.replacen(
        &widened[widened.find("#[derive(Model)]\n#[model(view = ").unwrap_or(0)..],
        "",
        1,
    );
    p.write_models(&without);
    for (path, _) in touch(dialect, true)
        .into_iter()
        .filter(|(path, _)| !path.ends_with("initials.sql"))
    {
        p.write_file(path, None);
    }
    let fourth = step(&mut p, &format!("{dialect}: drop"), &third, false);
    assert!(fourth.triggers.is_empty() && fourth.views.len() == 1);

    p.revert_all();
    assert!(p.is_empty(), "{dialect}: down to empty");
}

/// The newest migration's files.
fn latest(p: &Project) -> (String, String) {
    let dir = p.path().join("migrations");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    names.sort();
    p.read_migration(names.last().expect("a migration"))
}

#[test]
fn objects_on_postgres() {
    lifecycle(Dialect::Postgres);
}

#[test]
fn objects_on_sqlite() {
    lifecycle(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn objects_on_mysql() {
    lifecycle(Dialect::Mysql);
}

/// Drift in words: a view changed by hand, a trigger dropped by hand, a view and a trigger nobody
/// declared.
fn drift(dialect: Dialect) {
    let Some(mut p) = Project::new(dialect, "objects_drift") else {
        return;
    };
    p.configure("objects = \"db/objects\"");
    write_objects(&p, false);
    p.write_models(MODELS);
    p.build(false).expect("build");
    p.migrate();
    let models = p.models();
    assert!(p.drift(&models).is_empty());
    let (q, on) = match dialect {
        Dialect::Mysql => ("`", ""),
        Dialect::Postgres => ("\"", " ON members"),
        Dialect::Sqlite => ("\"", ""),
    };
    let replace = match dialect {
        Dialect::Sqlite => format!(
            "DROP VIEW {q}recent_members{q}; CREATE VIEW {q}recent_members{q} AS SELECT id, email FROM active_members;"
        ),
        _ => format!("CREATE OR REPLACE VIEW {q}recent_members{q} AS SELECT id, email FROM active_members;"),
    };
    p.exec(&replace);
    p.exec(&format!("DROP TRIGGER {q}members_touch{q}{on};"));
    p.exec(&format!("CREATE VIEW {q}stray{q} AS SELECT id FROM members;"));
    let words: Vec<String> = p.drift(&models).iter().map(|d| d.to_string()).collect();
    assert!(
        words
            .iter()
            .any(|w| w.starts_with("view \"recent_members\": its definition differs from the model's")),
        "{dialect}: {words:#?}"
    );
    assert!(
        words.contains(&"trigger \"members_touch\": missing in the database".to_string()),
        "{dialect}: {words:#?}"
    );
    assert!(
        words.contains(&"view \"stray\": in the database but not in the model".to_string()),
        "{dialect}: {words:#?}"
    );
    assert_eq!(words.len(), 3, "{dialect}: {words:#?}");
}

#[test]
fn drift_on_postgres() {
    drift(Dialect::Postgres);
}

#[test]
fn drift_on_sqlite() {
    drift(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn drift_on_mysql() {
    drift(Dialect::Mysql);
}

/// PostgreSQL: a function called by a check and a default is created before the table and dropped
/// after it; a new body replaces it in place, under its users.
#[test]
fn a_function_used_by_a_check_and_a_default() {
    let Some(mut p) = Project::new(Dialect::Postgres, "objects_function") else {
        return;
    };
    p.configure("objects = \"db/objects\"");
    let slugify = |body: &str| {
        format!("CREATE FUNCTION slugify(t text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT {body} $$;\n")
    };
    p.write_file("db/objects/slugify.sql", Some(&slugify("lower(replace(t, ' ', '-'))")));
    p.write_models(
        r#"
#[derive(Model)]
pub struct Page {
    #[model(primary_key)]
    pub id: i64,
    #[model(default_sql = "slugify('Untitled page')", check = "slug = slugify(slug)")]
    pub slug: String,
}
"#,
    );
    let first = step(
        &mut p,
        "function under a check and a default",
        &Schema::default(),
        false,
    );
    let (up, _) = latest(&p);
    assert!(
        up.find("CREATE FUNCTION").unwrap_or(usize::MAX) < up.find("CREATE TABLE").unwrap_or(0),
        "{up}"
    );
    p.exec("INSERT INTO pages (id) VALUES (1);");
    assert_eq!(p.values("SELECT slug AS v FROM pages"), "untitled-page");
    p.write_file(
        "db/objects/slugify.sql",
        Some(&slugify("lower(replace(trim(t), ' ', '-'))")),
    );
    step(&mut p, "function body replaced under its users", &first, false);
    p.exec("INSERT INTO pages (id) VALUES (2);");
    assert_eq!(
        p.values("SELECT slug AS v FROM pages ORDER BY id"),
        "untitled-page,untitled-page"
    );
    p.revert_all();
    assert!(p.is_empty(), "down to empty");
}

/// PostgreSQL: an extension a column type needs is created first on a fresh database, and dropped by
/// down.sql; one that was there before the migration stays.
#[test]
fn an_extension_used_by_a_column_type() {
    for preinstalled in [false, true] {
        let Some(mut p) = Project::new(Dialect::Postgres, "objects_extension") else {
            return;
        };
        if preinstalled {
            p.exec("CREATE EXTENSION citext;");
        }
        p.configure("extensions = [\"citext\"]");
        p.write_models(
            r#"
#[derive(Model)]
pub struct Handle {
    #[model(primary_key)]
    pub id: i64,
    #[model(sql_type = "citext", diesel_type = "Text", unique)]
    pub name: String,
}
"#,
        );
        step(&mut p, "an extension for a column type", &Schema::default(), false);
        p.exec("INSERT INTO handles (id, name) VALUES (1, 'Ada');");
        assert_eq!(p.values("SELECT name AS v FROM handles WHERE name = 'ADA'"), "Ada");
        p.revert_all();
        let left = p.values("SELECT extname::text AS v FROM pg_extension WHERE extname = 'citext'");
        assert_eq!(
            left,
            if preinstalled { "citext" } else { "" },
            "preinstalled: {preinstalled}"
        );
    }
}
