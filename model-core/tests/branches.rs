//! Teams: branches of the migration history made on real git branches of a throwaway crate, merged
//! in git, then built: the build step merges them (or names the conflict), and `migrate` brings a
//! fresh database and the databases of each branch to the merged models, on PostgreSQL, SQLite and
//! MySQL/MariaDB.
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::build::{BuildError, Mode};
use model_core::ir::Dialect;
use support::project::{Database, Project};

const USERS: &str = r#"
#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 100)]
    pub email: String,
}
"#;

fn table(name: &str, extra: &str) -> String {
    format!(
        "#[derive(Model)]\n#[model(table_name = \"{name}\")]\npub struct T{name} {{\n    #[model(primary_key)]\n    pub id: i64,\n{extra}}}\n"
    )
}

/// A crate on `dialect` in a git repository, with `users` built and committed on `main`.
fn team(dialect: Dialect, tag: &str) -> Option<Project> {
    let mut p = Project::new(dialect, tag)?;
    p.write_model("models.rs", USERS);
    p.init_git();
    p.run_step(Mode::Write, false).expect("first build");
    p.commit("users");
    Some(p)
}

/// On a new branch `name` cut from `from`: write the model files, build, commit; the migration
/// written, and a database that applied the branch.
fn branch(p: &mut Project, name: &str, from: &str, files: &[(&str, &str)]) -> (String, Database) {
    p.git(&["checkout", "-q", "-b", name, from]);
    for (file, text) in files {
        p.write_model(file, text);
    }
    let report = p
        .run_step(Mode::Write, true)
        .unwrap_or_else(|e| panic!("build on {name}: {e}"));
    // the branch's head: the last folder of the change (PostgreSQL may write one change as several)
    let written = report
        .more
        .last()
        .cloned()
        .or(report.written)
        .expect("a migration on the branch");
    p.commit(name);
    let mut db = p.database(name);
    db.migrate(p);
    let name = written.file_name().unwrap().to_string_lossy().into_owned();
    (name, db)
}

/// Merge `branches` into `main` in git; files both branches changed are written as `resolved`.
fn merge_in_git(p: &Project, branches: &[&str], resolved: &[(&str, &str)]) {
    p.git(&["checkout", "-q", "main"]);
    for b in branches {
        if p.try_git(&["merge", "-q", "--no-edit", b]).is_err() {
            for (file, text) in resolved {
                p.write_model(file, text);
            }
            p.commit(&format!("merge {b}"));
        }
    }
}

/// The build after the git merge: check mode names the fork; write mode writes one merge and no
/// other migration; a second build writes nothing; check mode then passes. The merge's name.
fn build_merge(p: &mut Project, heads: &[&str]) -> String {
    let unmerged = p.run_step(Mode::Check, false).unwrap_err();
    assert!(matches!(unmerged, BuildError::Unmerged { .. }), "{unmerged}");
    let msg = unmerged.to_string();
    for h in heads {
        assert!(msg.contains(h), "{h} not named:\n{msg}");
    }
    let before = p.migration_names();
    let report = p.run_step(Mode::Write, false).expect("merge build");
    let merge = report.merged.expect("a merge migration");
    assert_eq!(report.written, None, "no DDL written again after the merge");
    let after = p.migration_names();
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    let up = std::fs::read_to_string(merge.join("up.sql")).unwrap();
    assert!(up.starts_with("-- model: merge of "), "{up}");
    for h in heads {
        assert!(up.contains(h), "{up}");
    }
    let again = p.run_step(Mode::Write, false).expect("second build");
    assert!(
        again.written.is_none() && again.merged.is_none(),
        "a second build writes nothing"
    );
    assert_eq!(p.migration_names(), after);
    p.run_step(Mode::Check, false)
        .expect("check mode passes on a recorded merge");
    p.commit("merge");
    merge.file_name().unwrap().to_string_lossy().into_owned()
}

/// Every database migrates to the merged models with no drift, and so does a fresh one.
fn all_reach_the_models(p: &mut Project, dbs: &mut [Database]) {
    let models = p.models().without_rename_hints();
    let mut fresh = p.database("fresh");
    fresh.migrate(p);
    assert!(fresh.verify(&models).is_empty(), "fresh: {:?}", fresh.verify(&models));
    for db in dbs {
        db.migrate(p);
        let drift = db.verify(&models);
        assert!(drift.is_empty(), "{}: {drift:?}", db.dialect());
    }
}

fn two_branches_adding_different_tables(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_tables") else {
        return;
    };
    let (a, db_a) = branch(&mut p, "a", "main", &[("alpha.rs", &table("alpha", ""))]);
    let (b, mut db_b) = branch(&mut p, "b", "main", &[("beta.rs", &table("beta", ""))]);
    merge_in_git(&p, &["a", "b"], &[]);
    let merge = build_merge(&mut p, &[&a, &b]);
    // the database that had B gets A late (it is on the merged branch), then the merge
    let applied = db_b.migrate(&p);
    assert_eq!(
        applied,
        [model_core::graph::version_of(&a), model_core::graph::version_of(&merge)]
    );
    all_reach_the_models(&mut p, &mut [db_a, db_b]);
}

fn a_hand_written_migration_on_a_branch_merges_too(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_manual") else {
        return;
    };
    let (a, _) = branch(&mut p, "a", "main", &[("alpha.rs", &table("alpha", ""))]);
    // a data migration on branch a, dated just after its generated one
    let v = model_core::graph::version_of(&a);
    let next: u64 = v.parse::<u64>().unwrap() + 1;
    let n = next.to_string();
    let manual = format!("{}-{}-{}-{}_backfill", &n[..4], &n[4..6], &n[6..8], &n[8..]);
    let dir = p.dir().join("migrations").join(&manual);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("up.sql"), "UPDATE users SET email = lower(email);\n").unwrap();
    std::fs::write(dir.join("down.sql"), "SELECT 1;\n").unwrap();
    let report = p.run_step(Mode::Write, false).unwrap();
    assert!(
        report.written.is_none(),
        "a hand-written migration is recorded, not diffed"
    );
    let record = std::fs::read_to_string(p.dir().join(format!("migrations/.model/{manual}.json"))).unwrap();
    assert!(
        record.contains("\"kind\": \"manual\"") && record.contains(&a),
        "{record}"
    );
    p.commit("backfill");
    let mut db_a = p.database("a2");
    db_a.migrate(&p);
    let (b, mut db_b) = branch(&mut p, "b", "main", &[("beta.rs", &table("beta", ""))]);
    merge_in_git(&p, &["a", "b"], &[]);
    let merge = build_merge(&mut p, &[&manual, &b]);
    let up = std::fs::read_to_string(p.dir().join("migrations").join(&merge).join("up.sql")).unwrap();
    assert!(up.contains(&format!("{a}, {manual}")), "the branch lists both: {up}");
    // the database of branch b gets the generated and the hand-written migration of a, late
    let applied = db_b.migrate(&p);
    assert_eq!(applied.len(), 3, "{applied:?}");
    all_reach_the_models(&mut p, &mut [db_a, db_b]);
}

fn columns_added_to_one_table(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_columns") else {
        return;
    };
    let with = |extra: &str| USERS.replace("pub email: String,\n", &format!("pub email: String,\n{extra}"));
    let nick = "    pub nickname: Option<String>,\n";
    let age = "    pub age: Option<i32>,\n";
    let (a, db_a) = branch(&mut p, "a", "main", &[("models.rs", &with(nick))]);
    let (b, db_b) = branch(&mut p, "b", "main", &[("models.rs", &with(age))]);
    merge_in_git(&p, &["a", "b"], &[("models.rs", &with(&format!("{nick}{age}")))]);
    build_merge(&mut p, &[&a, &b]);
    all_reach_the_models(&mut p, &mut [db_a, db_b]);
}

fn index_on_one_branch_foreign_key_on_the_other(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_fk") else { return };
    let posts = |fk: &str| table("posts", &format!("    {fk}pub author_id: i64,\n"));
    p.write_model("posts.rs", &posts(""));
    p.run_step(Mode::Write, false).unwrap();
    p.commit("posts");
    let indexed = USERS.replace("#[model(max_length = 100)]", "#[model(max_length = 100, index)]");
    let (a, db_a) = branch(&mut p, "a", "main", &[("models.rs", &indexed)]);
    let (b, db_b) = branch(
        &mut p,
        "b",
        "main",
        &[("posts.rs", &posts("#[model(references = \"users(id)\")]\n    "))],
    );
    merge_in_git(&p, &["a", "b"], &[]);
    build_merge(&mut p, &[&a, &b]);
    all_reach_the_models(&mut p, &mut [db_a, db_b]);
}

fn three_branches_at_once(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_three") else { return };
    let (a, db_a) = branch(&mut p, "a", "main", &[("alpha.rs", &table("alpha", ""))]);
    let (b, db_b) = branch(&mut p, "b", "main", &[("beta.rs", &table("beta", ""))]);
    let (c, db_c) = branch(&mut p, "c", "main", &[("gamma.rs", &table("gamma", ""))]);
    merge_in_git(&p, &["a", "b", "c"], &[]);
    let merge = build_merge(&mut p, &[&a, &b, &c]);
    let record = std::fs::read_to_string(p.dir().join(format!("migrations/.model/{merge}.json"))).unwrap();
    assert!(
        record.contains("\"kind\": \"merge\"") && record.contains(&c),
        "{record}"
    );
    all_reach_the_models(&mut p, &mut [db_a, db_b, db_c]);
}

fn a_merge_then_another_fork_on_top(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_again") else { return };
    let (a, db_a) = branch(&mut p, "a", "main", &[("alpha.rs", &table("alpha", ""))]);
    let (b, db_b) = branch(&mut p, "b", "main", &[("beta.rs", &table("beta", ""))]);
    merge_in_git(&p, &["a", "b"], &[]);
    build_merge(&mut p, &[&a, &b]);
    let (d, db_d) = branch(
        &mut p,
        "d",
        "main",
        &[("delta.rs", &table("delta", "    pub x: Option<i64>,\n"))],
    );
    let (e, db_e) = branch(
        &mut p,
        "e",
        "main",
        &[("alpha.rs", &table("alpha", "    pub y: Option<String>,\n"))],
    );
    merge_in_git(&p, &["d", "e"], &[]);
    build_merge(&mut p, &[&d, &e]);
    all_reach_the_models(&mut p, &mut [db_a, db_b, db_d, db_e]);
}

/// Two branches that conflict: the build (and check mode) fails naming both migrations and `what`.
fn conflict(dialect: Dialect, tag: &str, base: &str, a: &str, b: &str, what: &str) {
    let Some(mut p) = team(dialect, tag) else { return };
    p.write_model("models.rs", base);
    p.run_step(Mode::Write, true).unwrap();
    p.commit("base");
    let (a, _) = branch(&mut p, "a", "main", &[("models.rs", a)]);
    let (b, _) = branch(&mut p, "b", "main", &[("models.rs", b)]);
    merge_in_git(&p, &["a", "b"], &[("models.rs", base)]);
    for mode in [Mode::Write, Mode::Check] {
        let e = p.run_step(mode, true).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, BuildError::Merge(_)), "{msg}");
        assert!(msg.contains(&a) && msg.contains(&b) && msg.contains(what), "{msg}");
    }
}

fn conflicting_branches(dialect: Dialect) {
    let renamed = |to: &str| {
        USERS.replace(
            "pub email",
            &format!("#[model(renamed_from = \"email\")]\n    pub {to}"),
        )
    };
    conflict(
        dialect,
        "br_rename",
        USERS,
        &renamed("mail"),
        &renamed("e_mail"),
        "column \"users\".\"email\"",
    );
    let with_posts = format!("{USERS}{}", table("posts", "    pub title: Option<String>,\n"));
    let altered = format!(
        "{USERS}{}",
        table(
            "posts",
            "    pub title: Option<String>,\n    pub body: Option<String>,\n"
        )
    );
    conflict(dialect, "br_drop", &with_posts, USERS, &altered, "table \"posts\"");
    let status = |values: &str| {
        format!(
            "{USERS}#[derive(model::ModelEnum, Debug, Clone, Copy, PartialEq)]\npub enum Status {{ {values} }}\n{}",
            table("posts", "    #[model(enum)]\n    pub status: Status,\n")
        )
    };
    conflict(
        dialect,
        "br_enum",
        &status("Draft, Live"),
        &status("Draft, Live, Archived"),
        &status("Draft, Live, Hidden"),
        "status",
    );
}

fn out_of_order(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_order") else { return };
    let (a, _db_a) = branch(&mut p, "a", "main", &[("alpha.rs", &table("alpha", ""))]);
    let (_b, mut db_b) = branch(&mut p, "b", "main", &[("beta.rs", &table("beta", ""))]);
    merge_in_git(&p, &["a", "b"], &[]);
    // deployed without the build: A is older than B and no merge brings it in: refused by name
    let refused = db_b.try_migrate(&p).unwrap_err();
    assert!(
        matches!(refused, model_core::runtime::Error::OutOfOrder { .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains(&a), "{refused}");
    assert!(
        !db_b.applied().contains(&model_core::graph::version_of(&a)),
        "nothing ran"
    );
    build_merge(&mut p, &[&a, &_b]);
    db_b.migrate(&p);
    // a hand-written migration dated in the past, on no branch: refused by name
    let old = p.dir().join("migrations/2020-01-01-000000_backfill");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("up.sql"), "UPDATE users SET email = email;\n").unwrap();
    std::fs::write(old.join("down.sql"), "").unwrap();
    let e = db_b.try_migrate(&p).unwrap_err();
    assert!(e.to_string().contains("2020-01-01-000000_backfill"), "{e}");
}

fn drafts(dialect: Dialect) {
    let Some(mut p) = team(dialect, "br_draft") else { return };
    let tree = |p: &Project| {
        let mut files = Vec::new();
        let mut stack = vec![p.dir().join("migrations")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push((path.clone(), std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    let start = tree(&p);
    let with = |extra: &str| USERS.replace("pub email: String,\n", &format!("pub email: String,\n{extra}"));
    // edit → build → revert → build: the folder as it was
    p.write_model("models.rs", &with("    pub nickname: Option<String>,\n"));
    assert!(p.run_step(Mode::Write, false).unwrap().written.is_some());
    p.write_model("models.rs", USERS);
    let report = p
        .run_step(Mode::Write, false)
        .expect("the draft goes, no data-loss guard");
    assert!(report.removed.is_some(), "{report:?}");
    assert_eq!(tree(&p), start, "the folder is as it was");
    assert_eq!(p.git(&["status", "--porcelain"]), "", "no trail in git");
    // three successive edits: one migration
    let count = p.migration_names().len();
    let mut db = p.database("draft");
    for (i, extra) in [
        "    pub a: Option<i32>,\n",
        "    pub a: Option<i64>,\n",
        "    pub a: Option<i64>,\n    pub b: Option<bool>,\n",
    ]
    .iter()
    .enumerate()
    {
        p.write_model("models.rs", &with(extra));
        p.run_step(Mode::Write, false).unwrap();
        assert_eq!(p.migration_names().len(), count + 1, "edit {i}");
        if i == 0 {
            db.migrate(&p); // a local database applies the first draft
        }
    }
    let models = p.models().without_rename_hints();
    let mut fresh = p.database("draft_fresh");
    fresh.migrate(&p);
    assert!(fresh.verify(&models).is_empty());
    // the database that applied the first draft is told so, and gets back with the kept down.sql
    let e = db.try_migrate(&p).unwrap_err();
    assert!(matches!(e, model_core::runtime::Error::RewrittenDraft { .. }), "{e}");
    assert!(e.to_string().contains("model revert-draft"), "{e}");
    let kept = model_core::build::draft::kept(&p.dir().join("migrations"));
    assert!(!kept.is_empty(), "the replaced drafts are kept");
    assert!(
        !tree(&p)
            .iter()
            .any(|(path, _)| path.to_string_lossy().contains("model-drafts")),
        "kept outside the work tree"
    );
    db.revert_draft(&kept);
    db.migrate(&p);
    assert!(db.verify(&models).is_empty());
    // a committed migration is never rewritten
    p.commit("a and b");
    let committed = tree(&p);
    p.write_model(
        "models.rs",
        &with("    pub a: Option<i64>,\n    pub b: Option<bool>,\n    pub c: Option<i32>,\n"),
    );
    p.run_step(Mode::Write, false).unwrap();
    assert_eq!(p.migration_names().len(), count + 2);
    let now = tree(&p);
    for (path, bytes) in &committed {
        assert!(
            now.iter().any(|(p2, b2)| p2 == path && b2 == bytes),
            "{} changed",
            path.display()
        );
    }
    // a hand-edited draft is sealed too
    let newest = p.migration_names().last().unwrap().clone();
    let up = p.dir().join("migrations").join(&newest).join("up.sql");
    let text = std::fs::read_to_string(&up).unwrap();
    std::fs::write(&up, format!("{text}-- reviewed\n")).unwrap();
    p.write_model("models.rs", USERS.replace("pub email: String,\n", "pub email: String,\n    pub a: Option<i64>,\n    pub b: Option<bool>,\n    pub c: Option<i32>,\n    pub d: Option<i32>,\n").as_str());
    p.run_step(Mode::Write, false).unwrap();
    assert_eq!(p.migration_names().len(), count + 3);
    assert_eq!(std::fs::read_to_string(&up).unwrap(), format!("{text}-- reviewed\n"));
}

/// PostgreSQL writes a change of an existing table as several migrations (online forms): a draft
/// rewritten into such a change keeps its version and gets the others after it, all following each
/// other; such a change is not a draft any more (the next edit follows it), and the database reaches
/// the models.
#[test]
fn a_draft_rewritten_into_several_migrations() {
    let Some(mut p) = team(Dialect::Postgres, "br_online_draft") else {
        return;
    };
    let with = |extra: &str| USERS.replace("pub email: String,\n", &format!("pub email: String,\n{extra}"));
    let count = p.migration_names().len();
    p.write_model("models.rs", &with("    pub a: Option<i32>,\n"));
    let first = p.run_step(Mode::Write, false).unwrap();
    let draft = first.written.expect("a draft");
    assert!(first.more.is_empty());
    // the draft grows an index on the existing table: the same version, then a concurrent build
    p.write_model(
        "models.rs",
        &with("    pub a: Option<i32>,\n").replace("#[model(max_length = 100)]", "#[model(max_length = 100, index)]"),
    );
    let second = p.run_step(Mode::Write, false).unwrap();
    let rewritten = second.written.clone().expect("the draft rewritten");
    let version = |d: &std::path::Path| {
        d.file_name()
            .unwrap()
            .to_string_lossy()
            .split('_')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(version(&rewritten), version(&draft), "the draft keeps its version");
    assert!(!draft.exists() || rewritten == draft, "the old folder went");
    assert_eq!(second.more.len(), 1, "{second:?}");
    let index_dir = &second.more[0];
    let up = std::fs::read_to_string(index_dir.join("up.sql")).unwrap();
    assert!(up.contains("CREATE INDEX CONCURRENTLY"), "{up}");
    assert!(index_dir.join("metadata.toml").is_file());
    let draft_name = rewritten.file_name().unwrap().to_string_lossy().into_owned();
    assert!(up.contains(&draft_name), "follows the draft:\n{up}");
    assert_eq!(p.migration_names().len(), count + 2);
    // the next edit is a new migration after them (a change of several migrations is kept)
    p.write_model(
        "models.rs",
        &with("    pub a: Option<i32>,\n    pub b: Option<bool>,\n")
            .replace("#[model(max_length = 100)]", "#[model(max_length = 100, index)]"),
    );
    let third = p.run_step(Mode::Write, false).unwrap();
    assert_eq!(p.migration_names().len(), count + 3, "{third:?}");
    let mut db = p.database("online_draft");
    db.migrate(&p);
    assert!(db.verify(&p.models()).is_empty());
}

macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(#[test] fn $name() { super::$name(model_core::ir::Dialect::Postgres) })*
        }
        mod sqlite {
            $(#[test] fn $name() { super::$name(model_core::ir::Dialect::Sqlite) })*
        }
        #[cfg(feature = "mysql")]
        mod mysql {
            $(#[test] fn $name() { super::$name(model_core::ir::Dialect::Mysql) })*
        }
    };
}

on_every_backend!(
    two_branches_adding_different_tables,
    a_hand_written_migration_on_a_branch_merges_too,
    columns_added_to_one_table,
    index_on_one_branch_foreign_key_on_the_other,
    three_branches_at_once,
    a_merge_then_another_fork_on_top,
    conflicting_branches,
    out_of_order,
    drafts,
);
