//! The path under which the crate being compiled reaches the `model` facade, for generated code.
//!
//! The facade's package is `diesel-model` and its library is `model`, so a user writes
//! `model = { package = "diesel-model", ... }` (or `diesel-model = "0.1"`) and generated code says
//! `::model::…`. A user may rename the dependency (`orm = { package = "diesel-model" }`): the derive
//! and the build step read the crate's `Cargo.toml` (and its workspace's, for `workspace = true`) and
//! write that name instead.
//!
//! (`proc-macro-crate` answers `diesel_model` for an unrenamed dependency, but Rust names such a
//! dependency by its library, `model`: hence this small reader.)

use std::path::{Path, PathBuf};

/// The facade's package name on crates.io.
pub const PACKAGE: &str = "diesel-model";

/// The facade's library name (what `use model::Model` names).
pub const LIBRARY: &str = "model";

/// The name of the facade in the crate being compiled (`CARGO_MANIFEST_DIR`): the key of its
/// dependency on [`PACKAGE`] when that dependency is renamed with `package = "diesel-model"`, else
/// [`LIBRARY`] (an unrenamed dependency, the facade itself, and crates that do not depend on it).
///
/// ```
/// // model-core's own manifest has no dependency on the facade:
/// assert_eq!(model_core::facade::name(), "model");
/// ```
pub fn name() -> String {
    thread_local! {
        // (CARGO_MANIFEST_DIR, name): one lookup per crate, also in a proc-macro server that expands
        // the derives of many crates (rust-analyzer)
        static CACHE: std::cell::RefCell<Option<(std::ffi::OsString, String)>> = const { std::cell::RefCell::new(None) };
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((d, name)) = cache.as_ref() {
            if *d == dir {
                return name.clone();
            }
        }
        let name = name_in(Path::new(&dir)).unwrap_or_else(|| LIBRARY.to_string());
        *cache = Some((dir, name.clone()));
        name
    })
}

/// [`name`] as the leading path of generated code: `::model`, or `::orm` for a renamed dependency.
pub fn path() -> proc_macro2::TokenStream {
    let ident = proc_macro2::Ident::new(&name(), proc_macro2::Span::call_site());
    quote::quote!(::#ident)
}

/// The facade's name for the crate of `manifest_dir`, when its manifest renames the dependency.
/// An unreadable manifest gives `None`: the compiler reports it better than we could.
pub fn name_in(manifest_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest_dir.join("Cargo.toml")).ok()?;
    let manifest: toml::Table = toml::from_str(&text).ok()?;
    let mut workspace_deps: Option<Option<toml::Table>> = None;
    for (key, dep) in dependency_entries(&manifest) {
        let Some(dep) = dep.as_table() else {
            continue; // `key = "0.1"`: not renamed
        };
        let mut package = dep.get("package").and_then(|p| p.as_str()).map(str::to_string);
        if dep.get("workspace").and_then(|w| w.as_bool()) == Some(true) {
            let deps = workspace_deps.get_or_insert_with(|| workspace_dependencies(manifest_dir));
            let inherited = deps.as_ref().and_then(|d| d.get(key)).and_then(|d| d.as_table());
            if let Some(p) = inherited.and_then(|d| d.get("package")).and_then(|p| p.as_str()) {
                package = Some(p.to_string());
            }
        }
        if package.as_deref() == Some(PACKAGE) {
            return Some(key.replace('-', "_"));
        }
    }
    None
}

/// Every `(key, value)` of `[dependencies]`, `[dev-dependencies]` and their `[target.*]` forms.
fn dependency_entries(manifest: &toml::Table) -> impl Iterator<Item = (&String, &toml::Value)> {
    let top = std::iter::once(manifest);
    let targets = manifest
        .get("target")
        .and_then(|t| t.as_table())
        .into_iter()
        .flat_map(|t| t.values().filter_map(|v| v.as_table()));
    top.chain(targets)
        .flat_map(|t| ["dependencies", "dev-dependencies"].map(|k| t.get(k).and_then(|d| d.as_table())))
        .flatten()
        .flat_map(|d| d.iter())
}

/// `[workspace.dependencies]` of the nearest manifest above `dir` that has a `[workspace]`.
fn workspace_dependencies(dir: &Path) -> Option<toml::Table> {
    let mut at: Option<PathBuf> = Some(dir.to_path_buf());
    while let Some(d) = at {
        if let Ok(text) = std::fs::read_to_string(d.join("Cargo.toml")) {
            if let Ok(manifest) = toml::from_str::<toml::Table>(&text) {
                if let Some(ws) = manifest.get("workspace").and_then(|w| w.as_table()) {
                    return ws.get("dependencies").and_then(|d| d.as_table()).cloned();
                }
            }
        }
        at = d.parent().map(Path::to_path_buf);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::name_in;

    fn crate_with(manifest: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        dir
    }

    #[test]
    fn unrenamed_dependencies_use_the_library_name() {
        let dir = crate_with("[package]\nname = \"a\"\n[dependencies]\ndiesel-model = \"0.1\"\n");
        assert_eq!(name_in(dir.path()), None);
        let dir = crate_with("[package]\nname = \"a\"\n[dependencies]\ndiesel-model = { version = \"0.1\" }\n");
        assert_eq!(name_in(dir.path()), None);
    }

    #[test]
    fn a_renamed_dependency_is_named_by_its_key() {
        let dir = crate_with(
            "[package]\nname = \"a\"\n[dependencies]\nmy-orm = { package = \"diesel-model\", version = \"0.1\" }\n",
        );
        assert_eq!(name_in(dir.path()).as_deref(), Some("my_orm"));
        let dir = crate_with(
            "[package]\nname = \"a\"\n[target.'cfg(unix)'.dev-dependencies]\norm = { package = \"diesel-model\" }\n",
        );
        assert_eq!(name_in(dir.path()).as_deref(), Some("orm"));
    }

    #[test]
    fn workspace_inheritance_follows_the_workspace_entry() {
        let root = crate_with(
            "[workspace]\nmembers = [\"app\"]\n[workspace.dependencies]\norm = { package = \"diesel-model\", version = \"0.1\" }\n",
        );
        let app = root.path().join("app");
        std::fs::create_dir(&app).unwrap();
        std::fs::write(
            app.join("Cargo.toml"),
            "[package]\nname = \"app\"\n[dependencies]\norm = { workspace = true, features = [\"sqlite\"] }\n",
        )
        .unwrap();
        assert_eq!(name_in(&app).as_deref(), Some("orm"));
    }
}
