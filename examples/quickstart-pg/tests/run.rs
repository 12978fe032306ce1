//! The example runs against a fresh PostgreSQL database, twice: the first run applies the migration
//! and seeds, the second applies nothing and prints the same join.

use std::process::Command;

fn run(url: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_quickstart-pg"))
        .env("DATABASE_URL", url)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn runs_twice_on_a_fresh_database() {
    let Some(db) = model_testkit::postgres("quickstart_pg") else {
        return;
    };
    let first = run(&db.url);
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
    assert!(first.contains(r#"drafts: [("draft", Draft)]"#), "{first}");
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
    let second = run(&db.url);
    assert!(
        second.contains("applied 0 migration(s)") && !second.contains("seeded"),
        "{second}"
    );
    assert!(
        second.contains("ada@example.com | On analytical engines | First!"),
        "{second}"
    );
}
