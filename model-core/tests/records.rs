//! The records in `migrations/.model/`: format 1 files committed before the migration graph existed
//! are still read (as a line, each following the migration before it), a newer format is a clear
//! error, a record a newer version wrote is read with a warning, and new records of format 2 follow
//! format 1 ones.
#![cfg(feature = "build")]

use model_core::build::{Builder, Mode};
use model_core::config::Config;
use model_core::emit::{History, MigrationsFolder, Snapshot};
use model_core::graph::Kind;
use model_core::ir::Dialect;
use std::path::{Path, PathBuf};

fn quickstart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/quickstart")
}

#[test]
fn committed_format_1_records_are_read_as_a_line() {
    let folder = MigrationsFolder::read(&quickstart().join("migrations")).unwrap();
    let names: Vec<&str> = folder.migrations.iter().map(|m| m.name.as_str()).collect();
    assert!(names.len() >= 2, "{names:?}");
    for n in &names {
        let text = std::fs::read_to_string(Snapshot::path(&folder.path, n)).unwrap();
        assert!(text.contains("\"format\": 1"), "the committed record is format 1: {n}");
    }
    let history = History::load(&folder, Dialect::Sqlite).unwrap();
    for pair in names.windows(2) {
        let next = history.graph.node(pair[1]).unwrap();
        assert_eq!(next.parents, [pair[0]], "{} follows {}", pair[1], pair[0]);
        assert_eq!(next.kind, Kind::Generated);
    }
    assert_eq!(history.graph.heads().len(), 1);
    // the models match the format 1 state: check mode passes
    Builder::new(Config::load(&quickstart()).unwrap())
        .mode(Mode::Check)
        .run()
        .expect("the quickstart's migrations are current");
}

#[test]
fn a_new_record_follows_the_format_1_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(quickstart().join("Cargo.toml"), dir.path().join("Cargo.toml")).unwrap();
    model_testkit::copy_dir(&quickstart().join("src"), &dir.path().join("src"));
    model_testkit::copy_dir(&quickstart().join("migrations"), &dir.path().join("migrations"));
    // the view files and the objects folder the models use
    model_testkit::copy_dir(&quickstart().join("db"), &dir.path().join("db"));
    let newest = MigrationsFolder::read(&quickstart().join("migrations"))
        .unwrap()
        .migrations
        .last()
        .unwrap()
        .name
        .clone();
    let models = dir.path().join("src/models.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(
        &models,
        format!("{text}\n#[derive(Model)]\npub struct Badge {{\n    #[model(primary_key)]\n    pub id: i64,\n}}\n"),
    )
    .unwrap();
    let report = Builder::new(Config::load(dir.path()).unwrap()).run().unwrap();
    let written = report.written.expect("a migration");
    let name = written.file_name().unwrap().to_string_lossy().into_owned();
    let record = Snapshot::read(&Snapshot::path(&dir.path().join("migrations"), &name)).unwrap();
    assert_eq!(record.format, 2);
    assert_eq!(record.written_by, env!("CARGO_PKG_VERSION"));
    assert_eq!(record.kind, Kind::Generated);
    assert_eq!(record.parents, std::slice::from_ref(&newest));
    let up = std::fs::read_to_string(written.join("up.sql")).unwrap();
    assert!(up.starts_with(&format!("-- model: parents {newest}\n")), "{up}");
}

#[test]
fn a_record_of_a_newer_format_names_the_file_and_the_version_that_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"sqlite\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "#[derive(Model)] pub struct Tag { #[model(primary_key)] pub id: i64 }",
    )
    .unwrap();
    let m = dir.path().join("migrations/2030-01-01-000000_create_tags");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(m.join("up.sql"), "CREATE TABLE tags (id INTEGER);").unwrap();
    let record = dir.path().join("migrations/.model/2030-01-01-000000_create_tags.json");
    std::fs::create_dir_all(record.parent().unwrap()).unwrap();
    std::fs::write(
        &record,
        r#"{"format": 3, "written_by": "9.9.9", "dialect": "sqlite", "migration": "2030-01-01-000000_create_tags", "schema": {"tables": []}, "fingerprints": {}}"#,
    )
    .unwrap();
    let e = Builder::new(Config::load(dir.path()).unwrap())
        .run()
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("2030-01-01-000000_create_tags.json") && e.contains("model-core 9.9.9") && e.contains("format 3"),
        "{e}"
    );
}

#[test]
fn a_record_written_by_a_newer_version_is_read_with_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"sqlite\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "#[derive(Model)] pub struct Tag { #[model(primary_key)] pub id: i64 }",
    )
    .unwrap();
    // the team's newer version wrote the first migration (same format)
    let config = Config::load(dir.path()).unwrap();
    let models = Builder::new(config.clone()).models().unwrap();
    let name = "2030-01-01-000000_create_tags";
    let migrations = dir.path().join("migrations");
    std::fs::create_dir_all(migrations.join(name)).unwrap();
    std::fs::write(migrations.join(name).join("up.sql"), "CREATE TABLE tags (id INTEGER);").unwrap();
    let mut record = Snapshot::new(Dialect::Sqlite, name, models);
    record.written_by = "99.1.0".into();
    let path = Snapshot::path(&migrations, name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, record.to_json()).unwrap();

    for mode in [Mode::Check, Mode::Write] {
        let report = Builder::new(config.clone()).mode(mode).run().unwrap();
        assert!(report.written.is_none(), "the models are the recorded state");
        let said: Vec<&String> = report.warnings.iter().filter(|w| w.contains("99.1.0")).collect();
        assert_eq!(said.len(), 1, "{mode:?}: {:?}", report.warnings);
        assert!(
            said[0].contains(&format!("{name}.json"))
                && said[0].contains(env!("CARGO_PKG_VERSION"))
                && said[0].contains("cargo update"),
            "{}",
            said[0]
        );
    }
    // a record of this version: no warning
    std::fs::write(
        &path,
        Snapshot::read(&path)
            .map(|mut r| {
                r.written_by = env!("CARGO_PKG_VERSION").into();
                r.to_json()
            })
            .unwrap(),
    )
    .unwrap();
    let report = Builder::new(config).mode(Mode::Check).run().unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}
