//! The objects beyond tables, gathered for the build step: the views of the scanned models (a
//! `view_file` read relative to the crate's root), the functions and triggers of the objects folder
//! (`objects = "db/objects"`, one `*.sql` file each), and the extensions of the configuration.

use super::error::SourceError;
use super::scan::{Location, ScannedModel};
use crate::config::Config;
use crate::ir::{parse_object, Dialect, Extension, Object, ObjectKind, Schema};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What [`gather`] found.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Every object, views first, then the objects folder's, then extensions.
    pub objects: Vec<Object>,
    /// Every file read (view files, object files) and the objects folder, for `rerun-if-changed`.
    pub files: Vec<PathBuf>,
    /// Every problem, at the file (and struct) concerned.
    pub problems: Vec<SourceError>,
    /// The file of each function and trigger of the objects folder, by `kind:name`, for messages.
    pub sources: std::collections::BTreeMap<String, PathBuf>,
}

impl Gathered {
    /// The file `object` was read from (the objects folder's, or `Cargo.toml` for an extension).
    fn at(&self, kind: ObjectKind, name: &str) -> PathBuf {
        self.sources.get(&format!("{kind}:{name}")).cloned().unwrap_or_default()
    }
}

/// Gather the objects of the crate configured by `config`, whose scanned models are `models`
/// (enum columns already resolved).
pub fn gather(config: &Config, models: &[ScannedModel]) -> Gathered {
    let mut out = Gathered::default();
    for m in models {
        let Some(v) = &m.view else { continue };
        let text = match &v.file {
            None => None,
            Some(file) => {
                let path = config.manifest_dir.join(file);
                out.files.push(path.clone());
                match std::fs::read_to_string(&path) {
                    Ok(text) => Some(text),
                    Err(e) => {
                        let at = Location {
                            line: v.at.0,
                            column: v.at.1,
                        };
                        out.problems.push(SourceError::at(
                            &m.file,
                            at,
                            format!(
                                "struct `{}`: `view_file = {file:?}`: cannot read {} ({e}): create the file, or give \
                                 its path from the crate's root (the folder of Cargo.toml)",
                                m.ident,
                                path.display()
                            ),
                        ));
                        continue;
                    }
                }
            }
        };
        let sql = v.sql.clone().or(text).unwrap_or_default();
        let mut view = crate::ir::View::new(m.table.name.clone(), sql);
        if view.sql.is_empty() {
            out.problems.push(SourceError::at(
                &m.file,
                m.at,
                format!("struct `{}`: the view's query is empty: write its `SELECT ..`", m.ident),
            ));
        }
        view.materialized = v.materialized;
        view.columns = m.table.columns.clone();
        view.comment = m.table.comment.clone();
        out.objects.push(Object::View(view));
    }
    if let Some(dir) = &config.objects {
        folder(dir, config.dialect, &mut out);
    }
    out.objects.extend(
        config
            .extensions
            .iter()
            .map(|e| Object::Extension(Extension::new(e.clone()))),
    );
    out
}

/// The functions and triggers of the objects folder `dir`, one per `*.sql` file, by file name.
fn folder(dir: &Path, dialect: Dialect, out: &mut Gathered) {
    out.files.push(dir.to_path_buf());
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.problems.push(SourceError::in_file(
                dir,
                format!(
                    "cannot read the objects folder ({e}): create it, or fix `objects` in [package.metadata.model]"
                ),
            ));
            return;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    for path in files {
        out.files.push(path.clone());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                out.problems.push(SourceError::in_file(&path, e.to_string()));
                continue;
            }
        };
        match parse_object(&text, dialect) {
            Ok(Object::Function(_)) if dialect == Dialect::Sqlite => out.problems.push(SourceError::in_file(
                &path,
                "SQLite has no SQL functions (an application registers its own through the SQLite library): remove \
                 the file, or keep it out of the objects folder"
                    .to_string(),
            )),
            Ok(object) => {
                out.sources
                    .insert(format!("{}:{}", object.kind(), object.name()), path.clone());
                out.objects.push(object);
            }
            Err(e) => out.problems.push(SourceError::in_file(&path, e.to_string())),
        }
    }
}

/// The rules across objects (tables and views share names: see `validate.rs`): one function, one
/// trigger per name; a trigger on a table or view of the schema. `gathered` names the files.
pub fn validate(schema: &Schema, gathered: &Gathered) -> Vec<SourceError> {
    let mut problems = Vec::new();
    let relations: BTreeSet<String> = schema
        .tables
        .iter()
        .map(|t| t.name.to_lowercase())
        .chain(schema.views.iter().map(|v| v.name.to_lowercase()))
        .collect();
    let mut once = |kind: ObjectKind, names: Vec<&str>| {
        let mut seen = BTreeSet::new();
        for n in names {
            if !seen.insert(n.to_lowercase()) {
                problems.push(SourceError::in_file(
                    &gathered.at(kind, n),
                    format!("two files of the objects folder define {kind} \"{n}\": keep one, or rename one of them"),
                ));
            }
        }
    };
    once(
        ObjectKind::Function,
        schema.functions.iter().map(|f| f.name.as_str()).collect(),
    );
    once(
        ObjectKind::Trigger,
        schema.triggers.iter().map(|t| t.name.as_str()).collect(),
    );
    for t in &schema.triggers {
        if !relations.contains(&t.table.to_lowercase()) {
            problems.push(SourceError::in_file(
                &gathered.at(ObjectKind::Trigger, &t.name),
                format!(
                    "trigger \"{}\" is on \"{}\", which no model declares: write the SQL name of a model's table (or \
                     view) after `ON`",
                    t.name, t.table
                ),
            ));
        }
    }
    problems
}
