//! The commands that need no database (check, sql, generate, diagram) and the usage errors, run as
//! the built binary on temp copies of model crates.

mod support;

use support::{workspace, Project, SUPPLIER};

#[test]
fn check_passes_on_a_crate_whose_migrations_are_current() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    p.model(&["check"])
        .code(0)
        .out_has(&["ok: the models match the last migration"]);
}

#[test]
fn check_fails_with_the_changes_in_words_when_a_migration_is_missing() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    p.append("src/catalog.rs", SUPPLIER);
    let before = p.migrations();
    p.model(&["check"]).code(1).out_has(&[
        "the models need a migration that is not in",
        "suppliers",
        "model generate",
    ]);
    assert_eq!(p.migrations(), before, "check writes nothing");
}

#[test]
fn sql_prints_up_and_down_and_writes_nothing() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    p.append("src/catalog.rs", SUPPLIER);
    let before = p.migrations();
    let run = p.model(&["sql"]);
    run.code(0).out_has(&[
        "_create_suppliers/up.sql (not written)",
        "CREATE TABLE \"suppliers\"",
        "_create_suppliers/down.sql (not written)",
        "DROP TABLE \"suppliers\"",
    ]);
    let up = run.stdout.find("up.sql").unwrap();
    let down = run.stdout.find("down.sql").unwrap();
    assert!(up < down, "up.sql first\n{}", run.stdout);
    assert_eq!(p.migrations(), before, "sql writes nothing");
    assert!(!p.path().join("migrations/.model").read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("suppliers")));
}

#[test]
fn sql_with_nothing_to_do_says_so() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    let run = p.model(&["sql"]);
    run.code(0).err_has(&["no SQL to print"]);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn sql_refuses_a_drop_unless_data_loss_is_allowed() {
    let p = Project::copy_of("examples/quickstart");
    let models = std::fs::read_to_string(p.path().join("src/models.rs")).unwrap();
    let without_tags = models.replace(
        "#[derive(Model, Queryable, Selectable, Identifiable, Debug)]\npub struct Tag",
        "pub struct Tag",
    );
    assert_ne!(models, without_tags);
    let without_tags = without_tags.replace(
        "#[derive(Model, Queryable, Selectable, Insertable, Debug)]\n#[model(primary_key(post_id, tag_id))]\npub struct PostTag",
        "pub struct PostTag",
    );
    std::fs::write(p.path().join("src/models.rs"), without_tags).unwrap();
    p.model(&["sql"]).code(1).err_has(&["MODEL_ALLOW_DATA_LOSS"]);
    p.model(&["sql", "--allow-data-loss"])
        .code(0)
        .out_has(&["DROP TABLE \"tags\""]);
    p.model_env(&["sql"], &[("MODEL_ALLOW_DATA_LOSS", "1")])
        .code(0)
        .out_has(&["DROP TABLE \"post_tags\""]);
}

#[test]
fn generate_writes_the_migration_with_its_name_then_nothing() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    p.append("src/catalog.rs", SUPPLIER);
    let before = p.migrations();
    let run = p.model(&["generate", "--name", "add_suppliers"]);
    run.code(0).out_has(&["wrote ", "_add_suppliers"]);
    let after = p.migrations();
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    let new = after.last().unwrap();
    assert!(new.ends_with("_add_suppliers"), "{new}");
    let up = std::fs::read_to_string(p.path().join("migrations").join(new).join("up.sql")).unwrap();
    assert!(up.contains("CREATE TABLE \"suppliers\""), "{up}");
    assert!(p.path().join(format!("migrations/.model/{new}.json")).is_file());
    p.model(&["generate"]).code(0).out_has(&["nothing to write"]);
    p.model(&["check"]).code(0);
    assert_eq!(p.migrations(), after);
}

#[test]
fn generate_refuses_a_name_that_is_not_a_folder_name() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    p.append("src/catalog.rs", SUPPLIER);
    p.model(&["generate", "--name", "../escape"])
        .code(2)
        .err_has(&["--name", "letters, digits"]);
}

#[test]
fn generate_reports_model_errors_with_file_and_line() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    p.append(
        "src/catalog.rs",
        "\n#[derive(Model)]\npub struct Broken {\n    #[model(primary_key, colour = \"red\")]\n    pub id: i64,\n}\n",
    );
    p.model(&["generate"]).code(1).err_has(&["catalog.rs:", "colour"]);
}

#[test]
fn mermaid_of_the_quickstart_matches_the_committed_fixture() {
    let run = Project::copy_of("examples/quickstart").model(&["diagram", "--format", "mermaid"]);
    run.code(0);
    let fixture = workspace().join("model-cli/tests/fixtures/quickstart.mmd");
    let expected = std::fs::read_to_string(&fixture).unwrap();
    assert_eq!(
        run.stdout,
        expected,
        "the quickstart's diagram changed: if that is intended, update {} with `cargo run -p model-cli -- --manifest-path examples/quickstart/Cargo.toml diagram > {}`",
        fixture.display(),
        fixture.display()
    );
}

#[test]
fn dot_diagram_has_entities_and_crows_feet() {
    let p = Project::copy_of("tests/fixtures/pg-app");
    let run = p.model(&["diagram", "--format", "dot"]);
    run.code(0).out_has(&[
        "digraph er {",
        "\"accounts\" [label=<",
        "arrowtail=crowodot",
        "arrowhead=teeodot",
    ]);
}

#[test]
fn diagram_to_a_file() {
    let p = Project::copy_of("examples/quickstart");
    let out = p.path().join("er.mmd");
    let run = p.model(&["diagram", "--output", out.to_str().unwrap()]);
    run.code(0).err_has(&["wrote", "5 tables"]);
    assert!(run.stdout.is_empty());
    assert!(std::fs::read_to_string(out).unwrap().starts_with("erDiagram\n"));
}

#[test]
fn svg_through_graphviz() {
    if std::process::Command::new("dot").arg("-V").output().is_err() {
        assert!(
            !model_testkit::under_ci(),
            "Graphviz (`dot`) must be installed under CI (.ci/run installs it)"
        );
        eprintln!("skipped: Graphviz is not installed");
        return;
    }
    let p = Project::copy_of("examples/quickstart");
    let out = p.path().join("er.svg");
    p.model(&["diagram", "--format", "svg", "-o", out.to_str().unwrap()])
        .code(0);
    let svg = std::fs::read_to_string(out).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains(">post_tags<") && svg.contains(">author_id<"),
        "{svg}"
    );
}

#[test]
fn svg_without_graphviz_says_what_to_install() {
    let p = Project::copy_of("examples/quickstart");
    let empty = tempfile::tempdir().unwrap();
    p.model_env(
        &["diagram", "--format", "svg"],
        &[("PATH", empty.path().to_str().unwrap())],
    )
    .code(3)
    .err_has(&["Graphviz", "apt-get install graphviz", "--format dot"]);
}

#[test]
fn manifest_path_selects_the_crate() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    let elsewhere = tempfile::tempdir().unwrap();
    let manifest = p.path().join("Cargo.toml");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_model"))
        .args(["--manifest-path", manifest.to_str().unwrap(), "check"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn no_crate_and_bad_config_are_usage_errors() {
    let empty = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_model"))
        .arg("check")
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--manifest-path"));

    let p = Project::new("oracle", "");
    p.model(&["check"]).code(2).err_has(&["oracle"]);
}

#[test]
fn every_command_has_help() {
    let p = Project::new("sqlite", "");
    let top = p.model(&["--help"]);
    top.code(0).out_has(&["Exit codes", "DATABASE_URL"]);
    for cmd in [
        "status",
        "history",
        "upgrade",
        "downgrade",
        "accept",
        "check",
        "sql",
        "generate",
        "diagram",
    ] {
        p.model(&[cmd, "--help"]).code(0).out_has(&["Usage: model ", cmd]);
        assert!(top.stdout.contains(cmd), "{cmd} missing from model --help");
    }
    p.model(&["frobnicate"]).code(2);
}

#[test]
fn the_readme_diagram_shows_every_quickstart_table() {
    let svg =
        std::fs::read_to_string(workspace().join("docs/quickstart.svg")).expect("docs/quickstart.svg is committed");
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    assert!(
        readme.contains("](docs/quickstart.svg)"),
        "the README shows the diagram"
    );
    for table in ["users", "posts", "comments", "tags", "post_tags"] {
        assert!(
            svg.contains(&format!("<b>{table}</b>")) || svg.contains(&format!(">{table}<")),
            "{table} missing from docs/quickstart.svg: regenerate it (README, section The `model` CLI)"
        );
    }
}

#[test]
fn sql_shows_the_metadata_toml_a_migration_needs() {
    let enum_with = |values: &str, default: &str| {
        format!(
            "#[derive(ModelEnum)]\npub enum Status {{ {values} }}\n\
             #[derive(Model)]\npub struct Post {{ #[model(primary_key)] pub id: i64, \
             #[model(enum, default = \"{default}\")] pub status: Status }}\n"
        )
    };
    let p = Project::new("postgres", &enum_with("Draft, Published", "draft"));
    p.model(&["generate"]).code(0);
    std::fs::write(
        p.path().join("src/models.rs"),
        enum_with("Draft, Review, Published", "review"),
    )
    .unwrap();
    // PostgreSQL uses a new enum value only once it is committed: the migration needs a metadata.toml.
    p.model(&["sql"]).code(0).out_has(&[
        "ADD VALUE 'review' AFTER 'draft'",
        "metadata.toml (not written)",
        "-- run_in_transaction = false",
    ]);
    assert_eq!(p.migrations().len(), 1, "sql writes nothing");
}

#[test]
fn sql_previews_views_and_triggers_like_tables() {
    let p = Project::copy_of("examples/quickstart");
    std::fs::write(
        p.path().join("db/objects/users_touch.sql"),
        "CREATE TRIGGER users_touch AFTER UPDATE OF email ON users BEGIN SELECT 1; END;\n",
    )
    .unwrap();
    let views = std::fs::read_to_string(p.path().join("db/views/published_posts.sql")).unwrap();
    std::fs::write(
        p.path().join("db/views/published_posts.sql"),
        views.replace("WHERE p.published", "WHERE p.published AND p.title <> ''"),
    )
    .unwrap();
    p.model(&["sql"]).code(0).out_has(&[
        "--   - replace view \"published_posts\"",
        "--   - create trigger \"users_touch\" on \"users\"",
        "DROP VIEW \"published_posts\";",
        "CREATE VIEW \"published_posts\" AS",
        "CREATE TRIGGER users_touch AFTER UPDATE OF email ON users",
        "DROP TRIGGER \"users_touch\";",
    ]);
    p.model(&["check"])
        .code(1)
        .out_has(&["replace view \"published_posts\""]);
}
