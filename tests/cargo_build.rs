//! End to end with a real `cargo build`: a copy of the `sqlite-app` fixture crate is built in the temp
//! folder. Its committed migrations are current, so the build writes nothing; adding a struct writes
//! exactly one migration that creates it; a second build writes and recompiles nothing; removing the
//! struct fails the build unless MODEL_ALLOW_DATA_LOSS=1, which writes one migration that drops it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const COUPON: &str = r#"
/// A discount code.
#[derive(model::Model)]
pub struct Coupon {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 20)]
    pub code: String,
}
"#;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A standalone copy of the fixture: workspace inheritance replaced by explicit paths and versions.
fn standalone_copy(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("model-cargo-build-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    model_testkit::copy_dir(&workspace().join("tests/fixtures/sqlite-app"), &dir);
    let ws = workspace();
    let root = ws.display();
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    // A package name of its own per copy: the copies share one target folder, and copies of one
    // package there share the build script's unit (its fingerprint, `OUT_DIR`), so a build of one copy
    // would make Cargo run the build script of another again (and the second build of a test
    // "recompiled or reran something" whenever another test built in between). The library keeps
    // its name (`sqlite_app`).
    let manifest = manifest
        .replacen("name = \"sqlite-app\"", &format!("name = \"sqlite-app-{tag}\""), 1)
        .replace("[dependencies]", "[lib]\nname = \"sqlite_app\"\n\n[dependencies]")
        .replace("version.workspace = true", "version = \"0.1.0\"")
        .replace("edition.workspace = true", "edition = \"2021\"")
        .replace("license.workspace = true", "license = \"MIT\"")
        .replace(
            "model = { workspace = true,",
            &format!("model = {{ package = \"diesel-model\", path = \"{root}\","),
        )
        .replace(
            "diesel = { workspace = true,",
            "diesel = { version = \"2.3.14\", default-features = false,",
        )
        .replace(
            "diesel_migrations = { workspace = true,",
            "diesel_migrations = { version = \"2.3.2\",",
        )
        .replace(
            "libsqlite3-sys = { workspace = true }",
            "libsqlite3-sys = { version = \"0.38.2\", features = [\"bundled\"] }",
        )
        .replace(
            "chrono = { workspace = true }",
            "chrono = { version = \"0.4.45\", default-features = false, features = [\"clock\", \"std\"] }",
        )
        .replace(
            "model-testkit = { path = \"../../testkit\" }",
            &format!("model-testkit = {{ path = \"{root}/tests/testkit\" }}"),
        );
    assert!(
        !manifest.contains("workspace = true"),
        "every inherited key replaced:\n{manifest}"
    );
    std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

fn cargo_build(dir: &Path, extra_env: &[(&str, &str)]) -> Output {
    cargo(dir, &["build", "-v"], extra_env)
}

fn cargo(dir: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .current_dir(dir)
        // shared between runs, and with the adopt tests (model-cli), so the dependencies compile once
        .env("CARGO_TARGET_DIR", workspace().join("target/nested-builds"))
        .env("MODEL_MIGRATIONS", "write")
        .env_remove("MODEL_ALLOW_DATA_LOSS")
        .env_remove("CI");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Every file under `migrations/`, the hidden snapshot folder `.model/` included: path (relative,
/// with `/`) → bytes. The build step's lock file `.model/.lock` (empty, ignored by git through
/// `.model/.gitignore`) is left out.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.ends_with(".model/.lock") {
                continue;
            } else {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&dir.join("migrations"), &dir.join("migrations"), &mut out);
    out
}

/// `after` is `before` plus exactly the migration `folder` (`up.sql`, `down.sql`) and its snapshot
/// `.model/<folder>.json`, whose schema has the tables `tables`; every file of `before` unchanged,
/// byte for byte.
fn assert_one_migration_added(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    folder: &str,
    tables: &[&str],
) {
    for (path, bytes) in before {
        assert!(after.get(path) == Some(bytes), "{path} changed or vanished");
    }
    let mut added: Vec<&str> = after
        .keys()
        .filter(|p| !before.contains_key(*p))
        .map(String::as_str)
        .collect();
    added.sort_unstable();
    let snapshot = format!(".model/{folder}.json");
    let mut expected = vec![
        snapshot.clone(),
        format!("{folder}/down.sql"),
        format!("{folder}/up.sql"),
    ];
    expected.sort_unstable();
    assert_eq!(added, expected, "the files written");
    let json: serde_json::Value = serde_json::from_slice(&after[&snapshot]).unwrap();
    let mut recorded: Vec<&str> = json["schema"]["tables"]
        .as_array()
        .unwrap_or_else(|| panic!("{snapshot}: no schema.tables\n{json}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    recorded.sort_unstable();
    assert_eq!(recorded, tables, "{snapshot}: the recorded schema");
}

fn migrations(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn cargo_build_writes_one_migration_per_change_and_nothing_otherwise() {
    let dir = standalone_copy("changes");
    let committed = migrations(&dir);
    let committed_tree = tree(&dir);
    assert!(
        committed_tree.keys().any(|p| p.starts_with(".model/")),
        "the copy has the snapshots: {:?}",
        committed_tree.keys()
    );
    let original_tables = ["categories", "customers", "order_lines", "orders", "products"];

    let first = cargo_build(&dir, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        tree(&dir) == committed_tree,
        "the committed migrations are current: nothing written, nothing touched ({:?})",
        tree(&dir).keys()
    );

    let models = dir.join("src/orders.rs");
    let original = std::fs::read_to_string(&models).unwrap();
    std::fs::write(&models, format!("{original}{COUPON}")).unwrap();
    let added = cargo_build(&dir, &[]);
    assert!(added.status.success(), "{}", stderr(&added));
    let after_add = migrations(&dir);
    assert_eq!(after_add.len(), committed.len() + 1, "{after_add:?}");
    let new = after_add.last().unwrap();
    assert!(new.ends_with("_create_coupons"), "{new}");
    let mut with_coupons = original_tables.to_vec();
    with_coupons.insert(1, "coupons");
    let tree_after_add = tree(&dir);
    assert_one_migration_added(&committed_tree, &tree_after_add, new, &with_coupons);
    let up = std::fs::read_to_string(dir.join("migrations").join(new).join("up.sql")).unwrap();
    assert!(
        up.contains("CREATE TABLE \"coupons\"") && !up.contains("\"products\""),
        "{up}"
    );

    let again = cargo_build(&dir, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        tree(&dir) == tree_after_add,
        "the second build wrote or touched nothing"
    );
    let log = stderr(&again);
    let rebuilt: Vec<&str> = log
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling") || l.contains("build-script-build`"))
        .collect();
    assert!(
        rebuilt.is_empty(),
        "the second build recompiled or reran something:\n{}",
        rebuilt.join("\n")
    );

    std::fs::write(&models, &original).unwrap();
    let refused = cargo_build(&dir, &[]);
    assert!(
        !refused.status.success(),
        "dropping a table needs MODEL_ALLOW_DATA_LOSS=1"
    );
    let msg = stderr(&refused);
    assert!(
        msg.contains("coupons") && msg.contains("MODEL_ALLOW_DATA_LOSS=1"),
        "{msg}"
    );
    assert!(tree(&dir) == tree_after_add, "nothing written when refused");

    let allowed = cargo_build(&dir, &[("MODEL_ALLOW_DATA_LOSS", "1")]);
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    let after_drop = migrations(&dir);
    assert_eq!(after_drop.len(), after_add.len() + 1);
    let dropped = after_drop.last().unwrap();
    assert!(dropped.ends_with("_drop_coupons"), "{after_drop:?}");
    assert_one_migration_added(&tree_after_add, &tree(&dir), dropped, &original_tables);

    let _ = std::fs::remove_dir_all(&dir);
}

/// A model with an enum, and a test that writes and reads it through the generated schema, all
/// through the facade renamed to `orm`.
const TICKET: &str = r#"
#[derive(orm::ModelEnum, Debug, Clone, Copy, PartialEq)]
pub enum TicketState {
    Open,
    Closed,
}

#[derive(orm::Model, diesel::Queryable, diesel::Selectable, diesel::Insertable, Debug, PartialEq)]
pub struct Ticket {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "customers(id)")]
    pub customer_id: i64,
    #[model(enum, default = "open")]
    pub state: TicketState,
}
"#;

const TICKET_TEST: &str = r#"
use diesel::prelude::*;
use sqlite_app::orders::{customers, tickets, Customer, Ticket, TicketState};

#[test]
fn the_renamed_facade_serves_derive_build_step_and_runtime() {
    let db = model_testkit::sqlite("renamed");
    let mut conn = db.connect();
    orm::migrate(&mut conn, sqlite_app::MIGRATIONS).expect("migrate");
    let drift = orm::verify(&mut conn, &sqlite_app::model_schema()).expect("verify");
    assert!(drift.is_empty(), "{drift:?}");
    diesel::insert_into(customers::table)
        .values((customers::id.eq(1), customers::email.eq("a@example.com"), customers::name.eq("A")))
        .execute(&mut conn)
        .expect("customer");
    let ticket = Ticket { id: 7, customer_id: 1, state: TicketState::Closed };
    diesel::insert_into(tickets::table).values(&ticket).execute(&mut conn).expect("insert");
    // joinable! and allow_tables_to_appear_in_same_query! from the build step's schema file
    let (t, _c): (Ticket, Customer) = tickets::table
        .inner_join(customers::table)
        .filter(tickets::state.eq(TicketState::Closed))
        .select((Ticket::as_select(), Customer::as_select()))
        .first(&mut conn)
        .expect("join");
    assert_eq!(t, ticket);
}
"#;

/// Rename every use of the facade in a copied crate: `model = {` keys in Cargo.toml, `model::`
/// paths in its sources (the `#[model(..)]` attributes stay: they belong to the derive).
fn rename_facade(dir: &Path, to: &str) {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("\nmodel = { package = \"diesel-model\""),
        "{manifest}"
    );
    std::fs::write(
        dir.join("Cargo.toml"),
        manifest.replace("\nmodel = { package", &format!("\n{to} = {{ package")),
    )
    .unwrap();
    for sub in ["src", "tests", "build.rs"] {
        rename_in(&dir.join(sub), to);
    }
}

fn rename_in(path: &Path, to: &str) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rename_in(&entry.unwrap().path(), to);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, text.replace("model::", &format!("{to}::"))).unwrap();
    }
}

#[test]
fn a_renamed_dependency_works_for_the_derive_the_build_step_and_the_runtime() {
    let dir = standalone_copy("renamed");
    rename_facade(&dir, "orm");
    let models = dir.join("src/orders.rs");
    let original = std::fs::read_to_string(&models).unwrap();
    assert!(!original.contains("model::"), "every path renamed");
    std::fs::write(&models, format!("{original}{TICKET}")).unwrap();
    std::fs::write(dir.join("tests/renamed.rs"), TICKET_TEST).unwrap();

    let built = cargo_build(&dir, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    let written = migrations(&dir);
    assert!(written.last().unwrap().ends_with("_create_tickets"), "{written:?}");
    let tested = cargo(&dir, &["test", "--test", "renamed"], &[]);
    assert!(
        tested.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&tested.stdout),
        stderr(&tested)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn git(dir: &Path, args: &[&str]) -> String {
    model_testkit::git(dir, args).unwrap_or_else(|e| panic!("git {args:?}: {e}"))
}

/// Editors run `cargo check` on every save, often beside a `cargo build` (and with a target folder of
/// their own): the build step runs in both, one at a time per migrations folder, and the newest
/// uncommitted migration is a draft they rewrite, so edits leave one migration, or none once undone.
#[test]
fn cargo_check_and_cargo_build_agree_and_leave_one_draft() {
    let dir = standalone_copy("drafts");
    let first = cargo_build(&dir, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "start"]);
    let committed = migrations(&dir);

    let models = dir.join("src/orders.rs");
    let original = std::fs::read_to_string(&models).unwrap();
    std::fs::write(&models, format!("{original}{COUPON}")).unwrap();
    // both at once, each with its own target folder (as an editor's often is): the folder lock
    // makes the second wait for the first, which then finds the migration written
    let spawn = |args: &[&str], target: &str| {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", workspace().join("target").join(target))
            .env("MODEL_MIGRATIONS", "write")
            .env_remove("MODEL_ALLOW_DATA_LOSS")
            .env_remove("CI")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd.spawn().unwrap()
    };
    let check = spawn(&["check"], "cargo-check-test");
    let build = spawn(&["build"], "nested-builds");
    for child in [check, build] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let drafted = migrations(&dir);
    assert_eq!(drafted.len(), committed.len() + 1, "one migration: {drafted:?}");
    assert!(drafted.last().unwrap().ends_with("_create_coupons"), "{drafted:?}");

    // another edit: `cargo check` rewrites the draft in place
    let with_note = COUPON.replace("pub code: String,", "pub code: String,\n    pub note: Option<String>,");
    std::fs::write(&models, format!("{original}{with_note}")).unwrap();
    let checked = cargo(&dir, &["check"], &[]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let rewritten = migrations(&dir);
    assert_eq!(rewritten, drafted, "the same draft, rewritten");
    let up = std::fs::read_to_string(dir.join("migrations").join(rewritten.last().unwrap()).join("up.sql")).unwrap();
    assert!(up.contains("\"note\""), "{up}");
    let built = cargo_build(&dir, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(migrations(&dir), drafted, "cargo build agrees with cargo check");

    // the edit undone: the draft goes, git sees nothing new
    std::fs::write(&models, &original).unwrap();
    let undone = cargo_build(&dir, &[]);
    assert!(undone.status.success(), "{}", stderr(&undone));
    assert_eq!(migrations(&dir), committed);
    assert_eq!(git(&dir, &["status", "--porcelain"]), "", "no trail left");
    let _ = std::fs::remove_dir_all(&dir);
}
