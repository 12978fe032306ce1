//! Running the built `model` binary on temporary copies of model crates.

#![allow(dead_code)] // each test file uses part of it

pub mod db;
pub mod lifecycle;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A model crate in a temp folder, deleted at the end of the test.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// A copy of a crate of the workspace (`tests/fixtures/sqlite-app`, `examples/quickstart`, ...):
    /// its Cargo.toml, src and migrations.
    pub fn copy_of(relative: &str) -> Project {
        let from = workspace().join(relative);
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(from.join("Cargo.toml"), dir.path().join("Cargo.toml")).unwrap();
        for sub in ["src", "migrations", "db"] {
            if from.join(sub).is_dir() {
                copy_dir(&from.join(sub), &dir.path().join(sub));
            }
        }
        Project { dir }
    }

    /// A new crate with this `[package.metadata.model]` dialect and one model file, `src/models.rs`.
    pub fn new(dialect: &str, models: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[package.metadata.model]\ndialect = \"{dialect}\"\nmodels = [\"src/models.rs\"]\n"),
        )
        .unwrap();
        std::fs::write(dir.path().join("src/models.rs"), models).unwrap();
        Project { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run `model <args>` in the crate's folder with `DATABASE_URL` unset.
    pub fn model(&self, args: &[&str]) -> Run {
        self.model_env(args, &[])
    }

    /// Run `model <args>` in the crate's folder with these variables set (and `DATABASE_URL` unset
    /// unless given).
    pub fn model_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_model"));
        cmd.args(args)
            .current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("MODEL_ALLOW_DATA_LOSS");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run the model binary"))
    }

    /// Append Rust source to a model file.
    pub fn append(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        let mut old = std::fs::read_to_string(&path).unwrap();
        old.push_str(text);
        std::fs::write(path, old).unwrap();
    }

    /// Folder names in `migrations/`, sorted (hidden ones left out).
    pub fn migrations(&self) -> Vec<String> {
        migrations(self.path())
    }
}

/// Folder names in `migrations/` of the crate in `dir`, sorted (hidden ones left out; none when
/// there is no such folder).
pub fn migrations(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir.join("migrations")) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Assert the exit code, showing the output when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Assert stdout contains each of `parts`.
    #[track_caller]
    pub fn out_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(
                self.stdout.contains(p),
                "stdout lacks {p:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.stdout,
                self.stderr
            );
        }
        self
    }

    /// Assert that a whole line of stdout matches each of `patterns`, where `*` stands for any text
    /// (none included) and `?` for any one character.
    #[track_caller]
    pub fn out_line(&self, patterns: &[&str]) -> &Self {
        for p in patterns {
            assert!(
                self.stdout.lines().any(|l| glob(p, l)),
                "no line of stdout is {p:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.stdout,
                self.stderr
            );
        }
        self
    }

    /// Assert stderr contains each of `parts`.
    #[track_caller]
    pub fn err_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(
                self.stderr.contains(p),
                "stderr lacks {p:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.stdout,
                self.stderr
            );
        }
        self
    }
}

/// `text` matches `pattern` whole: `*` is any text, `?` one character, the rest stands for itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // the classic two-pointer match, backtracking to the last `*`
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

#[test]
fn globs_match_whole_lines() {
    assert!(glob("applied migration 1 in *s", "applied migration 1 in 12.5ms"));
    assert!(glob("a?c*", "abc"));
    assert!(!glob("applied", "applied 1 migration(s)"));
    assert!(!glob("* in *s", "applied 1 migration(s)"));
    assert!(glob("*", ""));
}

/// A model added to the sqlite-app and pg-app copies by the tests.
pub const SUPPLIER: &str = r#"
/// Who we buy from.
#[derive(Model)]
pub struct Supplier {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 100)]
    pub name: String,
}
"#;
