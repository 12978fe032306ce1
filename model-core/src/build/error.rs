use crate::config::ConfigError;
use crate::diff::DiffError;
use crate::emit::EmitError;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why the build step failed. Every message names the file, table or migration concerned.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// `[package.metadata.model]` is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An environment knob has a value the step does not know.
    #[error("{var}={value} is not understood: write one of {expected}")]
    Env {
        /// The variable.
        var: &'static str,
        /// Its value.
        value: String,
        /// What it accepts.
        expected: &'static str,
    },
    /// A configured model path does not exist.
    #[error("{path} does not exist: fix `models` in [package.metadata.model] (files or folders holding your #[derive(Model)] structs)")]
    MissingModels {
        /// The path.
        path: PathBuf,
    },
    /// A file cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Model attributes are wrong (the same errors the derive reports), or the models disagree with
    /// each other (a foreign key to a table no model declares, two models of one table, enums that
    /// clash, ...): every error of both kinds, each with its file, line and column.
    #[error("{}", list(.0))]
    Models(Vec<SourceError>),
    /// The models are inconsistent with each other, in words without a place in the sources (the
    /// build step itself locates its errors: see [`BuildError::Models`]).
    #[error("{}", list(.0))]
    Schema(Vec<String>),
    /// The change cannot be turned into a migration (data loss not allowed, unsupported change, ...).
    #[error(transparent)]
    Diff(#[from] DiffError),
    /// Check mode: the models changed and no migration records it.
    #[error("the models differ from the last migration in {folder} (MODEL_MIGRATIONS=check writes nothing):\n{}\nrun `cargo build` with MODEL_MIGRATIONS=write (the default outside CI) and commit the new migration", list(.changes))]
    Pending {
        /// The migrations folder.
        folder: PathBuf,
        /// Each pending change, in words.
        changes: Vec<String>,
    },
    /// Two migration folders share a version.
    #[error("{folder}: migrations `{first}` and `{second}` have the same version; Diesel would run only one of them: rename one")]
    DuplicateVersion {
        /// The migrations folder.
        folder: PathBuf,
        /// First folder name.
        first: String,
        /// Second folder name.
        second: String,
    },
    /// Branches of the migration history change the same objects.
    #[error(transparent)]
    Merge(#[from] crate::graph::merge::MergeError),
    /// Check mode: the history has branches that no merge migration brings together.
    #[error("{folder}: the migration history has branches that are not merged: {} were made in parallel (on different git branches) from {}. They do not conflict, but MODEL_MIGRATIONS=check writes nothing: run `cargo build` (or `model generate`) with MODEL_MIGRATIONS=write, which writes a merge migration `<version>_merge` recording that they were brought together, and commit it", heads.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(" and "), if bases.is_empty() { "nothing in common".to_string() } else { bases.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", ") })]
    Unmerged {
        /// The migrations folder.
        folder: PathBuf,
        /// The heads of the branches.
        heads: Vec<String>,
        /// Where they forked.
        bases: Vec<String>,
    },
    /// Reading or writing the migrations folder failed.
    #[error(transparent)]
    Emit(#[from] EmitError),
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    items.iter().map(|i| format!("  - {i}")).collect::<Vec<_>>().join("\n")
}

/// A parse error located in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The message.
    pub message: String,
}

impl SourceError {
    /// An error at `at` in `file`.
    pub(crate) fn at(file: &Path, at: super::scan::Location, message: String) -> Self {
        SourceError {
            file: file.to_path_buf(),
            line: at.line,
            column: at.column,
            message,
        }
    }

    /// An error about `file` as a whole (line and column 0: shown as `file: message`).
    pub(crate) fn in_file(file: &Path, message: String) -> Self {
        SourceError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message,
        }
    }

    pub(crate) fn new(file: &Path, e: &syn::Error) -> Self {
        let start = e.span().start();
        SourceError {
            file: file.to_path_buf(),
            line: start.line,
            column: start.column + 1,
            message: e.to_string(),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.file.display(), self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}
