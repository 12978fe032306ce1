//! The example runs on a fresh SQLite file, twice: the first run applies the migration and seeds, the
//! second applies nothing and prints the same join. When its startup fails, `main` (which returns
//! `Result<(), Box<dyn Error>>`, as the README's pattern does) prints the recovery text.

use diesel::prelude::*;
use std::process::Command;

fn run(path: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env("DATABASE_URL", path)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn runs_twice_on_a_fresh_file() {
    let db = model_testkit::sqlite("quickstart");
    let first = run(&db.path);
    assert!(
        first.contains("applied 3 migration(s)")
            && first.contains("schema check: the database holds the models")
            && first.contains("seeded"),
        "{first}"
    );
    assert!(
        first.contains("ada@example.com | On analytical engines | Fascinating."),
        "{first}"
    );
    assert!(first.contains(r#"tags: [("engines", "history")]"#), "{first}");
    // the view, the generated column and the trigger
    assert!(
        first.contains("published: On analytical engines by ada@example.com"),
        "{first}"
    );
    assert!(
        first.contains(r#"comment lengths: [("Fascinating.", 12), ("First!", 6)]"#),
        "{first}"
    );
    assert!(
        first.contains("the draft was edited: updated_at set by the trigger"),
        "{first}"
    );
    assert!(first.contains(r#"in review: [("draft", Review)]"#), "{first}");
    let second = run(&db.path);
    assert!(
        second.contains("applied 0 migration(s)") && second.contains("nothing to seed"),
        "{second}"
    );
    assert!(
        second.contains("ada@example.com | On analytical engines | First!"),
        "{second}"
    );
}

#[test]
fn a_failing_main_prints_what_to_do() {
    let db = model_testkit::sqlite("quickstart_edited");
    run(&db.path);
    // as if the newest migration's up.sql had been edited after it was applied
    let mut conn = db.connect();
    diesel::sql_query("UPDATE __model_migrations SET checksum = '335a' WHERE version = '20261124022657'")
        .execute(&mut conn)
        .expect("edit the recorded checksum");
    drop(conn);
    let out = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env("DATABASE_URL", &db.path)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "Error: migration 20261124022657 (`2026-11-24-022657_add_status_to_posts`) was applied, and its up.sql has \
         changed since (beyond comments and blanks): put it back as it was and write a new migration for the change; \
         or, if the database already holds the edit (or it does not matter), accept the new text with \
         `model accept 20261124022657` (or `model::accept`)"
    );
}
