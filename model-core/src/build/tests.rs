//! The build step on throwaway crates in the temp folder (the parser and the diff are the real ones).

use super::{BuildError, Builder, Mode};
use crate::config::Config;
use chrono::{TimeZone, Utc};
use std::path::{Path, PathBuf};

const USERS: &str = r#"
/// A person.
#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 255)]
    pub email: String,
}
"#;

const POSTS: &str = r#"
#[derive(model::Model)]
#[model(index(author_id, slug, unique))]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "cascade")]
    pub author_id: i64,
    pub slug: String,
}
"#;

struct Crate {
    dir: PathBuf,
}

impl Crate {
    fn new(tag: &str, dialect: &str) -> Crate {
        let dir = std::env::temp_dir().join(format!("model-build-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"{dialect}\"\nmodels = [\"src/models.rs\"]\n"),
        )
        .unwrap();
        Crate { dir }
    }

    fn models(&self, text: &str) -> &Self {
        std::fs::write(self.dir.join("src/models.rs"), text).unwrap();
        self
    }

    fn builder(&self, second: u32) -> Builder {
        Builder::new(Config::load(&self.dir).unwrap())
            .now(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, second).unwrap())
            .out_dir(Some(self.dir.join("out")))
    }

    fn migrations(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.join("migrations"))
            .map(|rd| {
                rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.retain(|n| !n.starts_with('.'));
        names.sort();
        names
    }

    fn read(&self, rel: impl AsRef<Path>) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap()
    }
}

impl Drop for Crate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, filetime::FileTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::metadata(&p).unwrap();
            let mtime = filetime::FileTime::from_last_modification_time(&meta);
            if p.is_dir() {
                stack.push(p.clone());
                out.push((p, Vec::new(), mtime));
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap(), mtime));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn first_build_writes_one_migration_and_second_writes_nothing() {
    let c = Crate::new("first", "postgres");
    c.models(&format!("{USERS}{POSTS}"));
    let report = c.builder(0).run().unwrap();
    let dir = report.written.expect("a migration");
    assert_eq!(
        c.migrations(),
        ["2026-11-23-100000_create_users_posts"],
        "{}",
        dir.display()
    );
    let up = c.read("migrations/2026-11-23-100000_create_users_posts/up.sql");
    assert!(
        up.find("CREATE TABLE \"users\"").unwrap() < up.find("CREATE TABLE \"posts\"").unwrap(),
        "{up}"
    );
    assert!(c
        .dir
        .join("migrations/.model/2026-11-23-100000_create_users_posts.json")
        .is_file());

    let before = tree(&c.dir.join("migrations"));
    let again = c.builder(5).run().unwrap();
    assert!(again.written.is_none());
    assert_eq!(
        tree(&c.dir.join("migrations")),
        before,
        "nothing rewritten, no mtime changed"
    );
}

#[test]
fn written_files_are_not_newer_than_the_models() {
    let c = Crate::new("mtime", "sqlite");
    c.models(USERS);
    c.builder(0).run().unwrap();
    let newest_input =
        filetime::FileTime::from_last_modification_time(&std::fs::metadata(c.dir.join("src/models.rs")).unwrap()).max(
            filetime::FileTime::from_last_modification_time(&std::fs::metadata(c.dir.join("Cargo.toml")).unwrap()),
        );
    for (path, _, mtime) in tree(&c.dir.join("migrations")) {
        assert!(mtime <= newest_input, "{} is newer than the models", path.display());
    }
    let folder = filetime::FileTime::from_last_modification_time(&std::fs::metadata(c.dir.join("migrations")).unwrap());
    assert!(folder <= newest_input);
}

#[test]
fn adding_a_struct_writes_exactly_one_migration_that_creates_it() {
    let c = Crate::new("add", "postgres");
    c.models(USERS);
    c.builder(0).run().unwrap();
    c.models(&format!("{USERS}{POSTS}"));
    c.builder(1).run().unwrap();
    assert_eq!(
        c.migrations(),
        ["2026-11-23-100000_create_users", "2026-11-23-100001_create_posts"]
    );
    let up = c.read("migrations/2026-11-23-100001_create_posts/up.sql");
    assert!(
        up.contains("CREATE TABLE \"posts\"") && !up.contains("CREATE TABLE \"users\""),
        "{up}"
    );
    let down = c.read("migrations/2026-11-23-100001_create_posts/down.sql");
    assert!(
        down.contains("DROP TABLE \"posts\"") && !down.contains("\"users\";"),
        "{down}"
    );
}

#[test]
fn removing_a_struct_needs_allow_data_loss() {
    let c = Crate::new("remove", "postgres");
    c.models(&format!("{USERS}{POSTS}"));
    c.builder(0).run().unwrap();
    c.models(USERS);
    let err = c.builder(1).run().unwrap_err();
    assert!(matches!(err, BuildError::Diff(_)), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("posts") && msg.contains("MODEL_ALLOW_DATA_LOSS=1"),
        "{msg}"
    );
    assert_eq!(c.migrations().len(), 1, "nothing written");

    c.builder(1).allow_data_loss(true).run().unwrap();
    assert_eq!(
        c.migrations(),
        ["2026-11-23-100000_create_users_posts", "2026-11-23-100001_drop_posts"]
    );
    let up = c.read("migrations/2026-11-23-100001_drop_posts/up.sql");
    assert!(up.contains("DROP TABLE \"posts\""), "{up}");
    let down = c.read("migrations/2026-11-23-100001_drop_posts/down.sql");
    assert!(down.contains("CREATE TABLE \"posts\""), "{down}");
}

#[test]
fn check_mode_lists_pending_changes_and_writes_nothing() {
    let c = Crate::new("check", "sqlite");
    c.models(USERS);
    let err = c.builder(0).mode(Mode::Check).run().unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("users") && msg.contains("MODEL_MIGRATIONS=write"), "{msg}");
    assert!(c.migrations().is_empty());
    c.builder(0).run().unwrap();
    c.builder(1).mode(Mode::Check).run().expect("up to date");
}

#[test]
fn off_mode_only_writes_the_schema_file() {
    let c = Crate::new("off", "sqlite");
    c.models(&format!("{USERS}{POSTS}"));
    let report = c.builder(0).mode(Mode::Off).run().unwrap();
    assert!(c.migrations().is_empty());
    let schema = std::fs::read_to_string(report.schema_file.unwrap()).unwrap();
    assert!(schema.contains("joinable!(__t0 -> __t1 (author_id))"), "{schema}");
    assert!(
        schema.contains("allow_tables_to_appear_in_same_query!(__t0, __t1)"),
        "{schema}"
    );
    assert!(
        schema.contains("pub fn model_schema() -> ::model::ir::Schema {"),
        "{schema}"
    );
    assert!(
        schema.contains("<crate::models::User as ::model::Model>::table(),"),
        "{schema}"
    );
}

#[test]
fn hand_written_migrations_are_kept_and_versions_stay_unique() {
    let c = Crate::new("hand", "postgres");
    c.models(USERS);
    c.builder(0).run().unwrap();
    // A data migration made with `diesel migration generate`, dated after the clock of the next run.
    let hand = c.dir.join("migrations/2026-11-23-100003_backfill");
    std::fs::create_dir_all(&hand).unwrap();
    std::fs::write(hand.join("up.sql"), "UPDATE users SET email = lower(email);\n").unwrap();
    std::fs::write(hand.join("down.sql"), "").unwrap();
    let before = tree(&hand);
    c.models(&format!("{USERS}{POSTS}"));
    c.builder(0).run().unwrap();
    let names = c.migrations();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(
        names[2], "2026-11-23-100004_create_posts",
        "sorts after both, unique version"
    );
    assert_eq!(tree(&hand), before, "the hand-written migration is untouched");
    // its place in the graph is recorded: after the migration before it, with that schema
    let record = c.read("migrations/.model/2026-11-23-100003_backfill.json");
    assert!(record.contains("\"kind\": \"manual\""), "{record}");
    assert!(
        record.contains("\"parents\": [\n    \"2026-11-23-100000_create_users\"\n  ]"),
        "{record}"
    );
    let up = c.read(format!("migrations/{}/up.sql", names[2]));
    assert!(up.starts_with("-- model: parents 2026-11-23-100003_backfill\n"), "{up}");
    c.builder(0).run().unwrap();
    assert_eq!(
        c.migrations().len(),
        3,
        "state comes from the generated migration, not the hand-written one"
    );
}

#[test]
fn deleting_the_newest_migration_regenerates_it() {
    let c = Crate::new("regen", "postgres");
    c.models(USERS);
    c.builder(0).run().unwrap();
    c.models(&format!("{USERS}{POSTS}"));
    c.builder(1).run().unwrap();
    std::fs::remove_dir_all(c.dir.join("migrations/2026-11-23-100001_create_posts")).unwrap();
    let report = c.builder(2).run().unwrap();
    assert!(
        report.warnings.iter().any(|w| w.contains("100001_create_posts.json")),
        "{:?}",
        report.warnings
    );
    assert_eq!(
        c.migrations(),
        ["2026-11-23-100000_create_users", "2026-11-23-100002_create_posts"]
    );
}

#[test]
fn attribute_errors_name_file_line_and_column() {
    let c = Crate::new("errors", "postgres");
    c.models("#[derive(Model)]\npub struct User {\n    #[model(primary_key, colour = \"red\")]\n    pub id: i64,\n}\n");
    let err = c.builder(0).run().unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("models.rs:3:26"), "{msg}");
    assert!(msg.contains("colour"), "{msg}");
}

#[test]
fn foreign_key_to_a_missing_table_is_an_error() {
    let c = Crate::new("fk", "postgres");
    c.models(POSTS);
    let msg = c.builder(0).run().unwrap_err().to_string();
    assert!(
        msg.contains("models.rs:7:26: field `author_id` of struct `Post` references table \"users\""),
        "{msg}"
    );
}

#[test]
fn two_structs_on_one_table_is_an_error() {
    let c = Crate::new("dup", "postgres");
    c.models(&format!("{USERS}\n#[derive(Model)]\n#[model(table_name = \"users\")]\npub struct Person {{ #[model(primary_key)] pub id: i64 }}\n"));
    let msg = c.builder(0).run().unwrap_err().to_string();
    assert!(
        msg.contains("`Person`") && msg.contains("`User`") && msg.contains("table_name"),
        "{msg}"
    );
}

#[test]
fn two_migrations_with_one_version_are_an_error() {
    let c = Crate::new("dupversion", "postgres");
    c.models(USERS);
    c.builder(0).run().unwrap();
    std::fs::create_dir_all(c.dir.join("migrations/2026-11-23-100000_backfill")).unwrap();
    let msg = c.builder(1).run().unwrap_err().to_string();
    assert!(
        msg.contains("2026-11-23-100000_backfill") && msg.contains("same version"),
        "{msg}"
    );
}

#[test]
fn unchanged_sources_are_not_parsed_again() {
    let c = Crate::new("cache", "postgres");
    c.models(USERS);
    c.builder(0).run().unwrap();
    let cache = c.dir.join("out").join(super::scan_cache::FILE_NAME);
    let entries: Vec<std::path::PathBuf> = std::fs::read_dir(c.dir.join("out").join(super::scan_cache::ENTRIES))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let [entry] = entries.as_slice() else {
        panic!("one entry for one model file: {entries:?}")
    };
    let text = std::fs::read_to_string(entry).unwrap();
    assert!(text.contains("\"users\""), "{text}");
    // Proof that the cache is what a second run reads: a cached entry edited by hand is believed.
    std::fs::write(entry, text.replace("\"email\"", "\"mail\"")).unwrap();
    // (without the head index, which would take the cached table for the recorded one: it trusts
    // an unchanged file's entry as this proof does)
    std::fs::remove_file(c.dir.join("out").join(super::head_index::FILE_NAME)).unwrap();
    let err = c.builder(1).mode(Mode::Check).run().unwrap_err().to_string();
    assert!(err.contains("mail"), "{err}");
    // The changed item of a changed file is parsed again (and its entry replaced); its unchanged
    // items would be taken from the entry.
    c.models(&USERS.replacen("pub struct", "// a comment\npub struct", 1));
    c.builder(2).mode(Mode::Check).run().expect("up to date");
    assert!(!super::scan_cache::all_text(&cache).contains("\"mail\""));
    assert!(super::scan_cache::all_text(&cache).contains("\"email\""));
}

#[test]
fn files_with_errors_are_not_cached() {
    let c = Crate::new("cache-errors", "postgres");
    c.models("#[derive(Model)]\npub struct User {\n    #[model(primary_key, colour = \"red\")]\n    pub id: i64,\n}\n");
    c.builder(0).run().unwrap_err();
    c.builder(0).run().unwrap_err();
    let cache = c.dir.join("out").join(super::scan_cache::FILE_NAME);
    assert!(!super::scan_cache::all_text(&cache).contains("models.rs"));
}

#[path = "tests/across.rs"]
mod across;
mod enums;

/// A crate of `dialect` with the users model and its first migration, then a hand-written
/// migration of `up_sql` after it: the report of the build that lints it.
fn with_hand_written(tag: &str, dialect: &str, up_sql: &str) -> (Crate, super::Report) {
    let c = Crate::new(tag, dialect);
    c.models(USERS);
    c.builder(0).run().unwrap();
    let by_hand = c.dir.join("migrations/2026-11-23-100100_backfill");
    std::fs::create_dir_all(&by_hand).unwrap();
    std::fs::write(by_hand.join("up.sql"), up_sql).unwrap();
    let report = c.builder(2).run().unwrap();
    (c, report)
}

/// The rules of `report`'s lint, and whether a warning names statement 2 of the hand-written
/// migration and says `also`.
fn linted(report: &super::Report, also: &str) -> (Vec<&'static str>, bool) {
    let rules = report.lint.iter().map(|f| f.rule.name()).collect();
    let warned = report
        .warnings
        .iter()
        .any(|w| w.contains("2026-11-23-100100_backfill/up.sql, statement 2") && w.contains(also));
    (rules, warned)
}

#[test]
fn hand_written_postgres_migrations_are_linted_generated_ones_are_not() {
    let (c, report) = with_hand_written(
        "lint",
        "postgres",
        "UPDATE users SET email = lower(email);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n\
         -- model:allow index-not-concurrent\nCREATE INDEX ix_small ON users (email);\n",
    );
    assert_eq!(
        linted(&report, "set-not-null"),
        (vec!["set-not-null"], true),
        "{:?}",
        report.warnings
    );
    // a warning, not an error, also in check mode
    assert_eq!(c.builder(3).mode(Mode::Check).run().unwrap().lint.len(), 1);
}

#[test]
fn hand_written_mysql_migrations_are_linted_for_silent_table_copies() {
    let (_c, report) = with_hand_written(
        "lint-mysql",
        "mysql",
        "UPDATE `users` SET `email` = LOWER(`email`);\nALTER TABLE `users` ADD INDEX `ix_a` (`email`);\n\
         ALTER TABLE `users` ADD INDEX `ix_b` (`email`), ALGORITHM=INPLACE, LOCK=NONE;\n",
    );
    assert_eq!(
        linted(&report, "LOCK=NONE"),
        (vec!["silent-table-copy"], true),
        "{:?}",
        report.warnings
    );
}

#[test]
fn online_false_writes_one_plain_migration_per_change() {
    let c = Crate::new("online-off", "postgres");
    c.models(USERS);
    c.builder(0).run().unwrap();
    let indexed = USERS.replace(
        "#[model(unique, max_length = 255)]",
        "#[model(unique, index, max_length = 255)]",
    );
    c.models(&indexed);
    let online = c.builder(1).run().unwrap();
    let up = std::fs::read_to_string(online.written.unwrap().join("up.sql")).unwrap();
    assert!(up.contains("CREATE INDEX CONCURRENTLY"), "{up}");
    // the same change with `online = false`: the plain statement, in a transaction
    let off = Crate::new("online-off-2", "postgres");
    let manifest = std::fs::read_to_string(off.dir.join("Cargo.toml")).unwrap();
    std::fs::write(off.dir.join("Cargo.toml"), format!("{manifest}online = false\n")).unwrap();
    off.models(USERS);
    off.builder(0).run().unwrap();
    off.models(&indexed);
    let report = off.builder(1).run().unwrap();
    let dir = report.written.unwrap();
    let up = std::fs::read_to_string(dir.join("up.sql")).unwrap();
    assert!(
        up.contains("CREATE INDEX \"ix_users_email\"") && !up.contains("CONCURRENTLY"),
        "{up}"
    );
    assert!(!dir.join("metadata.toml").exists());
    assert!(report.more.is_empty());
}
mod objects;

#[test]
fn a_change_sqlite_cannot_see_writes_nothing_there_and_a_migration_elsewhere() {
    for (dialect, migrations) in [("sqlite", 1), ("postgres", 2)] {
        let c = Crate::new(&format!("invisible-{dialect}"), dialect);
        c.models(USERS);
        c.builder(0).run().unwrap();
        // a longer VARCHAR and a comment: TEXT either way in a SQLite file
        c.models(
            &USERS
                .replace("max_length = 255", "max_length = 300")
                .replace("/// A person.", "/// Someone."),
        );
        let report = c.builder(1).run().unwrap();
        assert_eq!(c.migrations().len(), migrations, "{dialect}: {:?}", c.migrations());
        assert_eq!(report.written.is_some(), migrations == 2, "{dialect}");
        // check mode agrees: nothing pending (on SQLite although no migration holds the change)
        let check = c.builder(2).mode(Mode::Check).run();
        assert!(check.is_ok(), "{dialect}: {check:?}");
    }
}

/// A `models` path that does not exist is `BuildError::MissingModels`, naming it and the setting
/// to fix; nothing is written.
#[test]
fn a_missing_models_path_is_an_error_naming_it() {
    let c = Crate::new("missing-models", "sqlite");
    let err = c.builder(0).run().unwrap_err();
    let path = c.dir.join("src/models.rs");
    assert!(
        matches!(&err, BuildError::MissingModels { path: p } if *p == path),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{} does not exist: fix `models` in [package.metadata.model] (files or folders holding your \
             #[derive(Model)] structs)",
            path.display()
        )
    );
    assert!(c.migrations().is_empty());
}

/// A model file that cannot be read (here: not UTF-8) is `BuildError::Io`, naming the file and
/// the reason; nothing is written.
#[test]
fn an_unreadable_model_file_is_an_error_naming_it() {
    let c = Crate::new("unreadable-models", "sqlite");
    let path = c.dir.join("src/models.rs");
    std::fs::write(&path, b"pub struct User;\n// \xff\xfe not UTF-8\n").unwrap();
    let err = c.builder(0).run().unwrap_err();
    match &err {
        BuildError::Io { path: p, source } => {
            assert_eq!(*p, path);
            assert_eq!(source.kind(), std::io::ErrorKind::InvalidData);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with(&format!("{}: ", path.display())), "{err}");
    assert!(c.migrations().is_empty());
}

/// The head index: a run reads the record of the newest migration with the tables of unchanged model
/// files taken from the models, not deserialized from the record's text. Proof: the text of
/// `users` in the record, edited by hand to the same length and put back at its modification time,
/// is not read while the index holds; without the index it is.
#[test]
fn the_head_index_takes_the_tables_of_unchanged_files_from_the_models() {
    let c = Crate::new("headindex", "postgres");
    std::fs::write(
        c.dir.join("Cargo.toml"),
        "[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"postgres\"\nmodels = [\"src/models\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(c.dir.join("src/models")).unwrap();
    std::fs::write(c.dir.join("src/models/users.rs"), USERS).unwrap();
    let first = c.builder(0).run().unwrap().written.unwrap();
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    let record = c.dir.join("migrations/.model").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&record).unwrap();
    let mtime = filetime::FileTime::from_last_modification_time(&std::fs::metadata(&record).unwrap());
    std::fs::write(&record, text.replace("\"name\": \"email\"", "\"name\": \"emaix\"")).unwrap();
    filetime::set_file_mtime(&record, mtime).unwrap();
    // another file gets a table: `users` comes from the models
    std::fs::write(c.dir.join("src/models/posts.rs"), POSTS).unwrap();
    let second = c.builder(1).run().unwrap().written.unwrap();
    let up = std::fs::read_to_string(second.join("up.sql")).unwrap();
    assert!(up.contains("CREATE TABLE \"posts\"") && !up.contains("emaix"), "{up}");
    // without the index the edited record is read: the models then lack its column `emaix`
    std::fs::remove_dir_all(&second).unwrap();
    let second_name = second.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::remove_file(c.dir.join("migrations/.model").join(format!("{second_name}.json"))).unwrap();
    std::fs::remove_file(c.dir.join("out").join(super::head_index::FILE_NAME)).unwrap();
    let err = c.builder(2).run().unwrap_err().to_string();
    assert!(err.contains("emaix"), "{err}");
}

/// The parallel map the scan uses gives what a loop gives, in order, whatever the threads.
#[test]
fn par_map_gives_what_a_loop_gives() {
    let squares: Vec<usize> = (0..1000).map(|i| i * i).collect();
    assert_eq!(super::par_map(1000, |i| i * i), squares);
    assert_eq!(super::par_map(1, |i| i + 7), [7]);
    assert!(super::par_map(0, |i| i).is_empty());
}

#[test]
fn beside_gives_both_results_and_a_panic_on_either_side() {
    let mut here_ran = false;
    let (a, b) = super::beside(
        || (0..1000u64).sum::<u64>(),
        || {
            here_ran = true;
            "here"
        },
    );
    assert_eq!((a, b, here_ran), (499_500, "here", true));
    let aside = std::panic::catch_unwind(|| super::beside(|| panic!("aside"), || 1));
    assert!(aside.is_err(), "a panic on the second thread goes on on this one");
    let here = std::panic::catch_unwind(|| super::beside(|| 1, || panic!("here")));
    assert!(here.is_err());
}

#[test]
fn paths_and_numbers_written_as_serde_and_std_write_them() {
    for p in [
        "/a/b c/m.rs",
        "",
        "/a/\"q\"/m.rs",
        "C:\\models\\m.rs",
        "/a/\u{1}/é.rs",
        "/x\ty",
    ] {
        let path = std::path::Path::new(p);
        let json = super::path_json(path);
        assert_eq!(json, serde_json::to_string(path).unwrap(), "{p:?}");
        assert_eq!(super::path_of_json(&json).as_deref(), Some(path), "{p:?}");
    }
    assert_eq!(
        super::path_of_json("\"a\\\"b\""),
        Some(std::path::PathBuf::from("a\"b"))
    );
    assert_eq!(super::path_of_json("not json"), None);
    assert_eq!(super::path_of_json("\"a\"b\""), None);
    for n in [0, 7, 10, 99, 1234567, usize::MAX] {
        let mut text = String::from("x");
        super::push_decimal(&mut text, n);
        assert_eq!(text, format!("x{n}"));
    }
}
