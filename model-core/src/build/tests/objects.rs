//! The build step with views, functions, triggers and extensions: the files it reads, what it
//! refuses (naming the file), what it writes into `model_schema.rs`.

use super::Crate;
use crate::build::Mode;

const MODELS: &str = r#"
#[derive(Model)]
pub struct Member {
    #[model(primary_key)]
    pub id: i64,
    pub email: String,
    #[model(generated = "lower(email)")]
    pub email_key: String,
}

/// Members with a key.
#[derive(Model)]
#[model(view_file = "db/views/keyed.sql")]
pub struct KeyedMember {
    #[model(primary_key)]
    pub id: i64,
    pub email_key: String,
}
"#;

fn write(c: &Crate, path: &str, text: &str) {
    let full = c.dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

fn objects_crate(tag: &str, dialect: &str) -> Crate {
    let c = Crate::new(tag, dialect);
    let manifest = c.dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(manifest, format!("{text}objects = \"db/objects\"\n")).unwrap();
    c.models(MODELS);
    write(
        &c,
        "db/views/keyed.sql",
        "-- the members with a key\nSELECT id, email_key FROM members;\n",
    );
    write(
        &c,
        "db/objects/members_touch.sql",
        "CREATE TRIGGER members_touch AFTER UPDATE ON members BEGIN SELECT 1; END;\n",
    );
    c
}

#[test]
fn views_and_objects_are_migrated_watched_and_in_model_schema() {
    let c = objects_crate("objects", "sqlite");
    let report = c.builder(0).run().unwrap();
    let dir = report.written.expect("a migration");
    let up = std::fs::read_to_string(dir.join("up.sql")).unwrap();
    assert!(
        up.contains("CREATE VIEW \"keyed_members\" AS\nSELECT id, email_key FROM members;"),
        "{up}"
    );
    assert!(up.contains("CREATE TRIGGER members_touch"), "{up}");
    for watched in ["db/objects", "db/objects/members_touch.sql", "db/views/keyed.sql"] {
        assert!(
            report.watched.contains(&c.dir.join(watched)),
            "{watched}: {:?}",
            report.watched
        );
    }
    let schema = c.read("out/model_schema.rs");
    assert!(
        schema.contains("::model::ir::Object::View(<crate::models::KeyedMember as ::model::ModelView>::view())"),
        "{schema}"
    );
    assert!(schema.contains("__objects_from_build("), "{schema}");
    assert!(
        schema.contains("allow_tables_to_appear_in_same_query!(__t0, __t1)"),
        "{schema}"
    );
    let recorded = report.schema.unwrap();
    assert_eq!((recorded.views.len(), recorded.triggers.len()), (1, 1));
    // the same files give nothing new; a changed view file a new migration
    assert!(c.builder(1).run().unwrap().written.is_none());
    write(
        &c,
        "db/views/keyed.sql",
        "SELECT id, email_key FROM members WHERE id > 0",
    );
    let err = c.builder(2).mode(Mode::Check).run().unwrap_err().to_string();
    assert!(err.contains("replace view \"keyed_members\""), "{err}");
}

#[test]
fn bad_object_files_are_refused_naming_the_file() {
    let c = objects_crate("objects-bad", "sqlite");
    write(
        &c,
        "db/objects/two.sql",
        "CREATE TRIGGER a AFTER UPDATE ON members BEGIN SELECT 1; END;\nDROP TABLE members;\n",
    );
    write(
        &c,
        "db/objects/f.sql",
        "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql",
    );
    write(
        &c,
        "db/objects/elsewhere.sql",
        "CREATE TRIGGER t2 AFTER UPDATE ON nowhere BEGIN SELECT 1; END;",
    );
    std::fs::remove_file(c.dir.join("db/views/keyed.sql")).unwrap();
    let err = c.builder(0).run().unwrap_err().to_string();
    for part in [
        "two.sql: the file holds more than one statement (the second starts with `DROP TABLE members;`)",
        "f.sql: SQLite has no SQL functions",
        "elsewhere.sql: trigger \"t2\" is on \"nowhere\", which no model declares",
        "struct `KeyedMember`: `view_file = \"db/views/keyed.sql\"`: cannot read",
    ] {
        assert!(err.contains(part), "{part}:\n{err}");
    }
    assert!(err.contains("src/models.rs:13:21:"), "the line of view_file: {err}");
}

#[test]
fn a_missing_objects_folder_and_extensions_off_postgres() {
    let c = objects_crate("objects-folder", "postgres");
    std::fs::remove_dir_all(c.dir.join("db/objects")).unwrap();
    let err = c.builder(0).run().unwrap_err().to_string();
    assert!(
        err.contains("cannot read the objects folder") && err.contains("fix `objects`"),
        "{err}"
    );
    let manifest = c.dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace("postgres", "mysql");
    std::fs::write(&manifest, format!("{text}extensions = [\"citext\"]\n")).unwrap();
    let err = crate::config::Config::load(&c.dir).unwrap_err().to_string();
    assert!(err.contains("`extensions` are PostgreSQL's"), "{err}");
}
