//! What the build step asks git: whether a migration is tracked, and where the repository keeps
//! its private files. Every failure is a plain answer, never a failed build: without git (not a
//! repository, git not installed) there are no drafts.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether git tracks some paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracked {
    /// At least one of the paths is in git's index (committed or added).
    Yes,
    /// None of them is.
    No,
    /// The folder is not inside a git work tree.
    NotARepository,
    /// `git` cannot be run (not installed, not on `PATH`).
    NoGit,
    /// git answered with an error (its message).
    Failed(String),
}

impl Tracked {
    /// Why the build step cannot tell a draft, in words (`None` for `Yes` and `No`).
    pub fn why_unknown(&self) -> Option<String> {
        match self {
            Tracked::Yes | Tracked::No => None,
            Tracked::NotARepository => Some("the crate is not in a git repository".into()),
            Tracked::NoGit => Some("git is not installed (or not on PATH)".into()),
            Tracked::Failed(m) => Some(format!("git failed: {m}")),
        }
    }
}

/// What `git -C dir args…` printed.
fn git(dir: &Path, args: &[&str]) -> Result<String, Tracked> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(not_run)?;
    answer(out)
}

/// Why `git` could not be run.
fn not_run(e: std::io::Error) -> Tracked {
    match e.kind() {
        std::io::ErrorKind::NotFound => Tracked::NoGit,
        _ => Tracked::Failed(e.to_string()),
    }
}

/// What git printed, or why it failed.
fn answer(out: std::process::Output) -> Result<String, Tracked> {
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if err.contains("not a git repository") {
        Err(Tracked::NotARepository)
    } else {
        Err(Tracked::Failed(err))
    }
}

/// [`tracked`] asked now and answered later ([`Asked::answer`]): `git` runs meanwhile, as a process
/// of its own. Dropped unanswered, the process is left to finish alone.
pub struct Asked(Result<std::process::Child, Tracked>);

/// Start asking git whether it tracks any of `paths` (relative to `dir`); see [`tracked`].
///
/// ```
/// use model_core::build::git::{ask_tracked, tracked};
/// let dir = std::env::temp_dir();
/// let asked = ask_tracked(&dir, &["Cargo.toml"]);
/// // ... other work while git runs ...
/// assert_eq!(asked.answer(), tracked(&dir, &["Cargo.toml"]));
/// ```
pub fn ask_tracked(dir: &Path, paths: &[&str]) -> Asked {
    use std::process::Stdio;
    let child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-files", "--"])
        .args(paths)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(not_run);
    Asked(child)
}

impl Asked {
    /// What [`tracked`] would have answered when it was asked.
    pub fn answer(self) -> Tracked {
        let out = self.0.and_then(|child| child.wait_with_output().map_err(not_run));
        match out.and_then(answer) {
            Ok(out) if out.trim().is_empty() => Tracked::No,
            Ok(_) => Tracked::Yes,
            Err(t) => t,
        }
    }
}

/// Whether git tracks any of `paths` (relative to `dir`, a folder inside the work tree).
pub fn tracked(dir: &Path, paths: &[&str]) -> Tracked {
    ask_tracked(dir, paths).answer()
}

/// A private folder of the repository holding `dir` for `what` (inside its git directory, which git
/// never tracks), one per folder of the work tree; `None` outside a repository or without git.
pub fn private_dir(dir: &Path, what: &str) -> Option<PathBuf> {
    let prefix = git(dir, &["rev-parse", "--show-prefix"]).ok()?;
    let key: String = prefix
        .trim()
        .trim_end_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = git(dir, &["rev-parse", "--git-path", what]).ok()?;
    let path = PathBuf::from(path.trim());
    let path = if path.is_absolute() { path } else { dir.join(path) };
    Some(path.join(if key.is_empty() { "_" } else { &key }))
}
