//! The crate the CLI works on: found from the current folder or `--manifest-path`, configured by its
//! `[package.metadata.model]`.

use crate::error::CliError;
use model_core::config::Config;
use std::path::{Path, PathBuf};

/// The crate's configuration: from `manifest_path` when given, else from the nearest `Cargo.toml` with
/// a `[package]` section in `cwd` or a folder above it.
pub fn load(manifest_path: Option<&Path>, cwd: &Path) -> Result<Config, CliError> {
    let dir = match manifest_path {
        Some(path) => manifest_dir(path)?,
        None => find(cwd)?,
    };
    Ok(Config::load(&dir)?)
}

fn manifest_dir(path: &Path) -> Result<PathBuf, CliError> {
    let error = |message: &str| CliError::ManifestPath {
        path: path.to_path_buf(),
        message: message.to_string(),
    };
    if path.file_name() != Some(std::ffi::OsStr::new("Cargo.toml")) {
        return Err(error("give the path of a Cargo.toml file"));
    }
    if !path.is_file() {
        return Err(error("no such file"));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(dir.to_path_buf())
}

fn find(cwd: &Path) -> Result<PathBuf, CliError> {
    for dir in cwd.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            if has_package(&text) {
                return Ok(dir.to_path_buf());
            }
        }
    }
    Err(CliError::NoCrate { dir: cwd.to_path_buf() })
}

/// A manifest with a `[package]` table (not a virtual workspace manifest).
fn has_package(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l == "[package]" || l.starts_with("[package.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_package_manifest_wins_over_a_virtual_workspace() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("Cargo.toml"), "[workspace]\nmembers = [\"app\"]\n").unwrap();
        let app = root.path().join("app");
        std::fs::create_dir_all(app.join("src/deep")).unwrap();
        std::fs::write(
            app.join("Cargo.toml"),
            "[package]\nname = \"app\"\n\n[package.metadata.model]\ndialect = \"mysql\"\n",
        )
        .unwrap();
        let cfg = load(None, &app.join("src/deep")).unwrap();
        assert_eq!(cfg.manifest_dir, app);
        assert_eq!(cfg.dialect, model_core::ir::Dialect::Mysql);
        let e = load(None, root.path()).unwrap_err();
        assert!(matches!(e, CliError::NoCrate { .. }), "{e}");
    }

    #[test]
    fn manifest_path_must_name_a_cargo_toml() {
        let e = load(Some(Path::new("/nowhere/Cargo.toml")), Path::new("/")).unwrap_err();
        assert!(e.to_string().contains("no such file"), "{e}");
        let e = load(Some(Path::new("/nowhere")), Path::new("/")).unwrap_err();
        assert!(e.to_string().contains("Cargo.toml"), "{e}");
    }
}
