//! Forks and merges of the migration history through the CLI: `model check` names branches that no
//! merge brings together, `model generate` writes the merge, `model status` and `model history` show
//! where each migration sits, and `upgrade` applies a merged branch's migration out of version order.

mod support;

use support::Project;

const USERS: &str = "#[derive(Model)]\npub struct User {\n    #[model(primary_key)]\n    pub id: i64,\n}\n";
const ALPHA: &str = "#[derive(Model)]\n#[model(table_name = \"alpha\")]\npub struct Alpha {\n    #[model(primary_key)]\n    pub id: i64,\n}\n";
const BETA: &str = "#[derive(Model)]\n#[model(table_name = \"beta\")]\npub struct Beta {\n    #[model(primary_key)]\n    pub id: i64,\n}\n";

fn written(stdout: &str) -> String {
    let path = stdout
        .lines()
        .find_map(|l| l.strip_prefix("wrote "))
        .expect("a migration written");
    std::path::Path::new(path.trim())
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Move a migration and its record out of the folder (as if it were on another git branch).
fn set_aside(p: &Project, name: &str, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::rename(p.path().join("migrations").join(name), to.join(name)).unwrap();
    std::fs::rename(
        p.path().join(format!("migrations/.model/{name}.json")),
        to.join(format!("{name}.json")),
    )
    .unwrap();
}

fn bring_back(p: &Project, name: &str, from: &std::path::Path) {
    std::fs::rename(from.join(name), p.path().join("migrations").join(name)).unwrap();
    std::fs::rename(
        from.join(format!("{name}.json")),
        p.path().join(format!("migrations/.model/{name}.json")),
    )
    .unwrap();
}

#[test]
fn a_fork_is_named_by_check_merged_by_generate_and_shown_by_status() {
    let p = Project::new("sqlite", USERS);
    p.model(&["generate"]).code(0);
    let db = model_testkit::sqlite("cli_fork");
    let url = db.path.to_string_lossy().into_owned();
    // branch a: alpha, applied to the database
    std::fs::write(p.path().join("src/models.rs"), format!("{USERS}{ALPHA}")).unwrap();
    let a = written(&p.model(&["generate"]).code(0).stdout);
    let aside = tempfile::tempdir().unwrap();
    set_aside(&p, &a, aside.path());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // branch b, made without a: beta, applied to the database
    std::fs::write(p.path().join("src/models.rs"), format!("{USERS}{BETA}")).unwrap();
    let b = written(&p.model(&["generate"]).code(0).stdout);
    p.model(&["--database-url", &url, "upgrade"]).code(0);
    // both merged (git merged the folders and the models)
    bring_back(&p, &a, aside.path());
    std::fs::write(p.path().join("src/models.rs"), format!("{USERS}{ALPHA}{BETA}")).unwrap();
    p.model(&["check"]).code(1).out_has(&["not merged", &a, &b]);
    p.model(&["--database-url", &url, "status"])
        .code(1)
        .out_has(&["FORK", "NOT MERGED", "PENDING, REFUSED"]);
    p.model(&["--database-url", &url, "upgrade"])
        .code(1)
        .err_has(&[&a, "no merge migration"]);
    let merged = p.model(&["generate"]);
    merged.code(0);
    merged.out_has(&["merged the branches"]);
    assert!(!merged.stdout.contains("\nwrote "), "{}", merged.stdout);
    p.model(&["check"]).code(0);
    let merge = p
        .migrations()
        .into_iter()
        .find(|m| m.ends_with("_merge"))
        .expect("merge");
    p.model(&["--database-url", &url, "status"]).code(1).out_has(&[
        &format!("(branch, merged at {merge})"),
        "runs out of version order",
        "(merge of ",
    ]);
    p.model(&["--database-url", &url, "upgrade"])
        .code(0)
        .out_has(&["applied 2 migration(s)"]);
    p.model(&["--database-url", &url, "status"])
        .code(0)
        .out_has(&["drift: none"]);
    p.model(&["--database-url", &url, "history"])
        .code(0)
        .out_has(&[&a, &format!("(branch, merged at {merge})")]);
}
