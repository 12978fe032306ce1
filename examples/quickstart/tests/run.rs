//! The example runs on a fresh SQLite file, twice: the first run applies the migration and seeds, the
//! second applies nothing and prints the same join.

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
