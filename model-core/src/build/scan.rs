//! Find the models: read the configured files and folders, parse every `#[derive(Model)]` struct and
//! every `#[derive(ModelEnum)]` enum with the same parser the derive uses. With a cache (see
//! `scan_cache.rs`), a file whose text has not changed since the last run is not parsed again, and
//! of a file that changed only the top-level items whose text changed are (see `items.rs`).

use super::error::{BuildError, SourceError};
use super::scan_cache::{Found, Held, Piece, ScanCache};
use crate::config::Config;
use crate::ir::{EnumType, Table};
use crate::parse::{parse_enum, parse_model_in, ModelDef};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A place in a source file: 1-based line and column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Location {
    /// Where `span` starts.
    pub(crate) fn of(span: proc_macro2::Span) -> Location {
        let start = span.start();
        Location {
            line: start.line,
            column: start.column + 1,
        }
    }
}

/// One model found in the sources: what the build step needs of the parser's [`ModelDef`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScannedModel {
    /// The struct's name.
    pub ident: String,
    /// Where the struct's name is.
    #[serde(default)]
    pub at: Location,
    /// Where the value of `table_name = "..."` is, if the struct has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_name_at: Option<Location>,
    /// The table (IR).
    pub table: Table,
    /// The module of the struct's `table!` (e.g. `users`).
    pub module: String,
    /// The fields, in declaration order.
    pub fields: Vec<ScannedField>,
    /// The file it is in.
    pub file: PathBuf,
    /// Its module path inside the crate (`["models"]` for `src/models.rs`), from the standard layout.
    pub module_path: Vec<String>,
    /// `Some` when the struct declares a view rather than a table; its columns are then `table`'s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<ScannedView>,
    /// `diesel_table = "..."`: the path of its `table!`, declared elsewhere (a `schema.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diesel_table: Option<String>,
}

/// The view a [`ScannedModel`] declares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScannedView {
    /// The query of `view = ".."`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// The file of `view_file = ".."`, as written (relative to the crate's root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where `view_file`'s value is in the source: 1-based line and column, for messages.
    #[serde(default)]
    pub at: (usize, usize),
    /// A PostgreSQL materialized view.
    #[serde(default)]
    pub materialized: bool,
}

/// A field of a [`ScannedModel`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScannedField {
    /// The Rust field name as written (`r#type` for a raw identifier).
    pub ident: String,
    /// Where the field's name is.
    #[serde(default)]
    pub at: Location,
    /// Where the value of its `references = "..."` is, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references_at: Option<Location>,
    /// The schema written in its `references = "billing.invoices(id)"`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references_schema: Option<String>,
    /// Where the value of its `default = ...` is, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_at: Option<Location>,
    /// Its SQL column.
    pub column: String,
    /// For a field marked `#[model(enum)]`: the name of its Rust enum type (the last segment of the
    /// path, without `Option`), by which the build step finds the `#[derive(ModelEnum)]` enum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_type: Option<String>,
}

/// One `#[derive(ModelEnum)]` enum found in the sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScannedEnum {
    /// The enum's name.
    pub ident: String,
    /// Where the enum's name is.
    #[serde(default)]
    pub at: Location,
    /// Its database type.
    pub ty: EnumType,
    /// The file it is in.
    pub file: PathBuf,
}

impl ScannedModel {
    fn new(def: ModelDef, file: &Path, module_path: &[String]) -> ScannedModel {
        ScannedModel {
            diesel_table: def
                .diesel_table
                .as_ref()
                .map(|p| quote::ToTokens::to_token_stream(p).to_string().replace(' ', "")),
            ident: def.ident.to_string(),
            at: Location::of(def.ident.span()),
            table_name_at: def.table_name_span.map(Location::of),
            module: def.module.to_string(),
            fields: def
                .fields
                .iter()
                .map(|f| ScannedField {
                    ident: f.ident.to_string(),
                    at: Location::of(f.ident.span()),
                    references_at: f.references_span.map(Location::of),
                    references_schema: f.references_schema.clone(),
                    default_at: f.default_span.map(Location::of),
                    column: f.column.clone(),
                    enum_type: f.enum_type.as_ref().and_then(last_segment),
                })
                .collect(),
            view: def.view.as_ref().map(|v| ScannedView {
                sql: v.sql.clone(),
                file: v.file.as_ref().map(|(f, _)| f.clone()),
                at: v.file.as_ref().map_or((0, 0), |(_, span)| {
                    let start = span.start();
                    (start.line, start.column + 1)
                }),
                materialized: v.materialized,
            }),
            table: def.table,
            file: file.to_path_buf(),
            module_path: module_path.to_vec(),
        }
    }
}

/// The last segment of a type path (`PostStatus` for `crate::models::PostStatus`).
fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Group(g) => last_segment(&g.elem),
        syn::Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

/// Everything the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Models, in file order then source order.
    pub models: Vec<ScannedModel>,
    /// `#[derive(ModelEnum)]` enums, in file order then source order.
    pub enums: Vec<ScannedEnum>,
    /// Every file read (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
    /// The errors of single structs and enums (attributes, types), each located.
    pub errors: Vec<SourceError>,
    /// What could be read of the models that have errors (their table names, at least), so the
    /// rules across models, checked in the same run, do not report follow-on errors about them.
    pub failed: Vec<ScannedModel>,
}

/// Scan the configured model sources. Parse errors of every struct of every file are collected in
/// [`Scan::errors`] (the scan goes on, so the rules across models can be checked in the same run);
/// `Err` only when a file cannot be read.
pub fn scan(config: &Config) -> Result<Scan, BuildError> {
    scan_with(config, &mut ScanCache::default())
}

/// [`scan`], reusing what `cache` holds for files whose text has not changed and recording the
/// others in it. The files are read in order, then decoded from the cache or parsed on several
/// threads (see [`super::par_map`]: parsing and decoding are most of a run that reads many files),
/// and put together in file order: the same result as one file after the other.
pub(crate) fn scan_with(config: &Config, cache: &mut ScanCache) -> Result<Scan, BuildError> {
    scan_skipping(config, cache, |_, _| None, |_, _| false).map(|s| s.scan)
}

/// A file's length and modification time (nanoseconds since the epoch).
pub(crate) type Stamp = (u64, u128);

/// What [`scan_skipping`] found.
#[derive(Debug, Default)]
pub(crate) struct Skipping {
    /// The scan of the files not skipped.
    pub scan: Scan,
    /// The files skipped (models and enums left out of the scan), in order.
    pub skipped: Vec<PathBuf>,
    /// The hash of every file's text.
    pub hashes: std::collections::BTreeMap<PathBuf, u64>,
    /// The stamp of every file modified more than [`RACY`] before the scan (a file modified since
    /// then has another one; one modified just before could change again within the same stamp).
    pub stamps: std::collections::BTreeMap<PathBuf, Stamp>,
}

/// How long before a scan a file must have been modified for its stamp to stand for its text
/// (see [`Skipping::stamps`]): 2 s, like the memo's.
pub(crate) const RACY: u128 = 2_000_000_000;

/// [`scan_with`], except that a file for which `skip(file, hash of its text)` holds and whose
/// entry `cache` has is not decoded: its models and enums are left out of the scan, and its entry
/// is kept as read (see [`ScanCache::kept`]). A file whose stamp `known` knows, with the hash of its
/// text then, is not even read.
pub(crate) fn scan_skipping(
    config: &Config,
    cache: &mut ScanCache,
    known: impl Fn(&Path, Stamp) -> Option<u64>,
    skip: impl Fn(&Path, u64) -> bool + Sync,
) -> Result<Skipping, BuildError> {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut files = Vec::new();
    for root in &config.models {
        if !root.exists() {
            return Err(BuildError::MissingModels { path: root.clone() });
        }
        collect_rs(root, &mut files)?;
    }
    files.sort();
    files.dedup();
    let io = |file: &Path| {
        let path = file.to_path_buf();
        move |source| BuildError::Io { path, source }
    };
    let mut out = Skipping::default();
    // each file's text, unless its stamp gives its hash and it is skipped (stamped before read: a
    // file written in between has a newer stamp next time)
    let mut texts: Vec<Option<String>> = Vec::with_capacity(files.len());
    for file in &files {
        let meta = std::fs::metadata(file).map_err(io(file))?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos());
        let stamp = mtime.map(|m| (meta.len(), m));
        if let Some(stamp) = stamp.filter(|s| s.1.saturating_add(RACY) < started) {
            out.stamps.insert(file.clone(), stamp);
            let hash = known(file, stamp).filter(|h| skip(file, *h) && cache.has(file, *h));
            if let Some(hash) = hash {
                out.hashes.insert(file.clone(), hash);
                texts.push(None);
                continue;
            }
        }
        texts.push(Some(std::fs::read_to_string(file).map_err(io(file))?));
    }
    let src = config.manifest_dir.join("src");
    // (only the files read go to the threads: an edit reads one, which then needs no thread)
    let found = {
        let cache = &*cache;
        let read: Vec<(usize, &str)> = texts
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((i, t.as_deref()?)))
            .collect();
        let mut scanned = super::par_map(read.len(), |k| {
            let (i, text) = read[k];
            scan_file(config, &src, &files[i], text, cache, &skip)
        })
        .into_iter();
        texts
            .iter()
            .map(|t| t.as_ref().and_then(|_| scanned.next()))
            .collect::<Vec<Option<FileScan>>>()
    };
    out.scan.files = files.clone();
    for (file, one) in files.iter().zip(found) {
        let Some(mut one) = one else {
            // skipped by its stamp
            let hash = out.hashes.get(file).copied().unwrap_or_default();
            cache.keep(file, hash);
            out.skipped.push(file.clone());
            continue;
        };
        out.hashes.insert(file.clone(), one.hash);
        match one.from {
            Source::Skipped => {
                cache.keep(file, one.hash);
                out.skipped.push(file.clone());
            }
            Source::Cache => {
                cache.keep(file, one.hash);
            }
            Source::Parsed if one.scan.errors.is_empty() => cache.put(file, one.hash, std::mem::take(&mut one.pieces)),
            Source::Parsed => {}
        }
        out.scan.models.extend(one.scan.models);
        out.scan.enums.extend(one.scan.enums);
        out.scan.errors.extend(one.scan.errors);
        out.scan.failed.extend(one.scan.failed);
    }
    Ok(out)
}

/// Where a file's scan came from.
enum Source {
    /// Its cache entry, decoded.
    Cache,
    /// Nowhere: its cache entry is kept, not decoded.
    Skipped,
    /// A parse of its text.
    Parsed,
}

/// What one file holds: its hash, where its scan came from, and its scan; when parsed without
/// errors, its pieces for the cache.
struct FileScan {
    hash: u64,
    from: Source,
    scan: Scan,
    pieces: Vec<Piece>,
}

/// Scan one file: nothing when `skip` says so and the cache has its entry, from the cache's entry
/// when its text is the one cached, else parsed: piece by piece (see [`super::items`]), the pieces
/// whose text its previous entry has taken from there, or whole when a piece does not parse alone
/// or holds an error (the errors are then the ones of the whole file, at their places).
fn scan_file(
    config: &Config,
    src: &Path,
    file: &Path,
    text: &str,
    cache: &ScanCache,
    skip: &(impl Fn(&Path, u64) -> bool + Sync),
) -> FileScan {
    let hash = super::scan_cache::hash_text(text);
    let mut one = FileScan {
        hash,
        from: Source::Parsed,
        scan: Scan::default(),
        pieces: Vec::new(),
    };
    if cache.has(file, hash) {
        if skip(file, hash) {
            one.from = Source::Skipped;
            return one;
        }
        if let Some((models, enums)) = cache.lookup(file, hash).as_deref().and_then(super::scan_cache::decode) {
            one.scan.models = models;
            one.scan.enums = enums;
            one.from = Source::Cache;
            return one;
        }
    }
    let module_path = module_path_of(file, src);
    let previous = cache.previous(file);
    let reuse = previous.as_deref().map(super::scan_cache::pieces).unwrap_or_default();
    if let Some((scan, pieces)) = by_pieces(config, file, &module_path, text, &reuse) {
        one.scan = scan;
        one.pieces = pieces;
        return one;
    }
    let ast = match syn::parse_file(text) {
        Ok(ast) => ast,
        Err(e) => {
            one.scan.errors.push(SourceError::new(file, &e));
            return one;
        }
    };
    let mut errors = Vec::new();
    visit_items(ast.items, file, &module_path, config, &mut one.scan, &mut errors);
    one.scan.errors = errors;
    if one.scan.errors.is_empty() {
        one.pieces = vec![Piece {
            hash,
            line: 1,
            held: Held::Found(Found {
                models: one.scan.models.clone(),
                enums: one.scan.enums.clone(),
            }),
        }];
    }
    one
}

/// The scan of `text` piece by piece, and its pieces for the cache: a piece whose text hashes to
/// a key of `reuse` is decoded from that JSON, the others are parsed alone. `None` when a piece
/// does not parse or holds an error.
fn by_pieces(
    config: &Config,
    file: &Path,
    module_path: &[String],
    text: &str,
    reuse: &std::collections::HashMap<u64, &str>,
) -> Option<(Scan, Vec<Piece>)> {
    let mut scan = Scan::default();
    let mut pieces = Vec::new();
    for piece in super::items::split(text) {
        let hash = super::scan_cache::hash_text(piece.text);
        let reused = reuse
            .get(&hash)
            .and_then(|json| Some((super::scan_cache::decode_piece(json, piece.line)?, *json)));
        let held = match reused {
            Some(((models, enums), json)) => {
                scan.models.extend(models);
                scan.enums.extend(enums);
                Held::Json(json.to_string())
            }
            None => {
                let ast = syn::parse_file(piece.text).ok()?;
                let mut found = Scan::default();
                let mut errors = Vec::new();
                visit_items(ast.items, file, module_path, config, &mut found, &mut errors);
                if !errors.is_empty() || !found.failed.is_empty() {
                    return None;
                }
                let held = Held::Found(Found {
                    models: found.models.clone(),
                    enums: found.enums.clone(),
                });
                move_lines(&mut found.models, &mut found.enums, 1, piece.line);
                scan.models.extend(found.models);
                scan.enums.extend(found.enums);
                held
            }
        };
        pieces.push(Piece {
            hash,
            line: piece.line,
            held,
        });
    }
    Some((scan, pieces))
}

/// Move the places of `models` and `enums` found in a text that starts on line `from` to where
/// that text starts on line `to` (a place of line 0, none, stays).
pub(crate) fn move_lines(models: &mut [ScannedModel], enums: &mut [ScannedEnum], from: usize, to: usize) {
    if from == to {
        return;
    }
    let line = |l: &mut usize| {
        if *l > 0 {
            *l = *l + to - from;
        }
    };
    for m in models {
        line(&mut m.at.line);
        if let Some(at) = &mut m.table_name_at {
            line(&mut at.line);
        }
        if let Some(v) = &mut m.view {
            line(&mut v.at.0);
        }
        for f in &mut m.fields {
            line(&mut f.at.line);
            for at in [&mut f.references_at, &mut f.default_at].into_iter().flatten() {
                line(&mut at.line);
            }
        }
    }
    for e in enums {
        line(&mut e.at.line);
    }
}

/// Scan `items` (taken: a struct becomes the derive's input without a copy).
fn visit_items(
    items: Vec<syn::Item>,
    file: &Path,
    module: &[String],
    config: &Config,
    scan: &mut Scan,
    errors: &mut Vec<SourceError>,
) {
    for item in items {
        match item {
            syn::Item::Struct(s) if !is_cfg_test(&s.attrs) && derives(&s.attrs, "Model") => {
                let input = syn::DeriveInput::from(s);
                match parse_model_in(&input, config.dialect, config.schema.as_deref()) {
                    Ok(def) => scan.models.push(ScannedModel::new(def, file, module)),
                    Err(errs) => {
                        errors.extend(errs.iter().map(|e| SourceError::new(file, e)));
                        if let Some(partial) = errs.partial() {
                            scan.failed.push(ScannedModel::new(partial.clone(), file, module));
                        }
                    }
                }
            }
            syn::Item::Enum(e) if !is_cfg_test(&e.attrs) && derives(&e.attrs, "ModelEnum") => {
                let input = syn::DeriveInput::from(e);
                match parse_enum(&input) {
                    Ok(def) => scan.enums.push(ScannedEnum {
                        ident: def.ident.to_string(),
                        at: Location::of(def.ident.span()),
                        ty: def.ty,
                        file: file.to_path_buf(),
                    }),
                    Err(errs) => errors.extend(errs.iter().map(|e| SourceError::new(file, e))),
                }
            }
            syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                if let Some((_, inner)) = m.content {
                    let mut path = module.to_vec();
                    path.push(m.ident.to_string());
                    visit_items(inner, file, &path, config, scan, errors);
                }
            }
            _ => {}
        }
    }
}

/// `#[derive(..., Model, ...)]` or `#[derive(model::Model)]` (for `name` = `"Model"`).
fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == name)))
            .unwrap_or(false)
    })
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().map(|i| i == "test").unwrap_or(false))
}

fn collect_rs(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), BuildError> {
    if path.is_file() {
        if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_path_buf());
        }
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| BuildError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && (p.is_dir() || p.extension().is_some_and(|e| e == "rs")) {
            collect_rs(&p, out)?;
        }
    }
    Ok(())
}

/// The module path of a file in the standard layout: `src/lib.rs`/`src/main.rs` → `[]`,
/// `src/a.rs` and `src/a/mod.rs` → `["a"]`, `src/a/b.rs` → `["a", "b"]`.
pub(crate) fn module_path_of(file: &Path, src: &Path) -> Vec<String> {
    let Ok(rel) = file.strip_prefix(src) else {
        return Vec::new();
    };
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut() {
        if let Some(stem) = last.strip_suffix(".rs") {
            *last = stem.to_string();
        }
    }
    if parts.last().is_some_and(|l| l == "mod") || (parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main")) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn module_paths() {
        let src = Path::new("/c/src");
        assert!(module_path_of(Path::new("/c/src/lib.rs"), src).is_empty());
        assert!(module_path_of(Path::new("/c/src/main.rs"), src).is_empty());
        assert_eq!(module_path_of(Path::new("/c/src/models.rs"), src), ["models"]);
        assert_eq!(module_path_of(Path::new("/c/src/db/mod.rs"), src), ["db"]);
        assert_eq!(module_path_of(Path::new("/c/src/db/user.rs"), src), ["db", "user"]);
    }

    /// A crate in a temp folder whose models are `src/models.rs`, and its configuration.
    fn krate() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let manifest =
            "[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"postgres\"\nmodels = [\"src\"]\n";
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        let cfg = Config::from_manifest(dir.path(), manifest).unwrap();
        (dir, cfg)
    }

    /// What a parse of the whole of `text` finds (models and enums, at their places).
    fn whole(cfg: &Config, file: &Path, text: &str) -> (Vec<ScannedModel>, Vec<ScannedEnum>) {
        let ast = syn::parse_file(text).unwrap();
        let mut scan = Scan::default();
        let mut errors = Vec::new();
        let module = module_path_of(file, &cfg.manifest_dir.join("src"));
        visit_items(ast.items, file, &module, cfg, &mut scan, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        (scan.models, scan.enums)
    }

    /// Scan `text` as the file's new text with the cache the previous scan saved: what it finds,
    /// and how many pieces it took from the previous entry.
    fn rescan(cfg: &Config, file: &Path, text: &str) -> ((Vec<ScannedModel>, Vec<ScannedEnum>), usize) {
        std::fs::write(file, text).unwrap();
        let path = cfg.manifest_dir.join(super::super::scan_cache::FILE_NAME);
        let mut cache = ScanCache::load(&path, cfg.dialect, None);
        let scan = scan_with(cfg, &mut cache).unwrap();
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        let reused = cache.reused(file);
        cache.save(&path).unwrap();
        ((scan.models, scan.enums), reused)
    }

    fn model(n: usize, doc: &str) -> String {
        format!(
            "{doc}#[derive(Debug, Model)]\n#[model(table_name = \"t{n}\")]\npub struct T{n} {{\n    #[model(primary_key)]\n    pub id: i64,\n    \
             #[model(max_length = 20, default = \"'}}'\")]\n    pub code: String,\n    #[model(references = \"t0(id)\")]\n    pub parent: Option<i64>,\n}}\n"
        )
    }

    const ENUM: &str = "#[derive(ModelEnum)]\npub enum Mood {\n    Happy,\n    Sad,\n}\n";
    const MODULE: &str = "pub mod inner {\n    use super::*;\n\n    #[derive(Model)]\n    pub struct Inner {\n        #[model(primary_key)]\n        pub id: i32,\n    }\n}\n";
    const OTHER: &str = "impl T0 {\n    pub fn f(&self) -> &'static str { \"}\" }\n}\nconst RAW: &str = r#\"{\"#;\n";

    #[test]
    fn a_file_scanned_piece_by_piece_is_what_a_whole_parse_finds() {
        let (dir, cfg) = krate();
        let file = dir.path().join("src/models.rs");
        let text = |top: String| {
            format!(
                "//! Models.\nuse model::Model;\n\n{top}\n{ENUM}{}{MODULE}{OTHER}",
                model(1, "/// One.\n")
            )
        };
        let v1 = text(model(0, ""));
        let (found, reused) = rescan(&cfg, &file, &v1);
        assert_eq!(found, whole(&cfg, &file, &v1));
        assert_eq!(reused, 0, "no previous entry");
        assert_eq!(found.0.len(), 3);
        // a struct inserted at the top: every other piece moved down, none parsed again
        let v2 = text(format!("{}\n{}", model(9, ""), model(0, "")));
        let (found, reused) = rescan(&cfg, &file, &v2);
        assert_eq!(found, whole(&cfg, &file, &v2));
        assert!(found.0[1].at.line > 10, "{:?}", found.0[1].at);
        assert_eq!(reused, 7, "all pieces but the new one");
        // one struct changed in the middle, one removed
        let v3 = text(model(9, "/// Nine.\n"));
        let (found, _) = rescan(&cfg, &file, &v3);
        assert_eq!(found, whole(&cfg, &file, &v3));
        // odd formatting that cuts a piece inside an item: the whole file parsed, the same models
        let v4 = format!("{v3}const X: (i32, i32) = (\n    1, 2\n)\n;\n");
        let (found, _) = rescan(&cfg, &file, &v4);
        assert_eq!(found, whole(&cfg, &file, &v4));
        // and the next run takes its single piece as it is
        let (again, _) = rescan(&cfg, &file, &format!("{v4}\n"));
        assert_eq!(again, whole(&cfg, &file, &format!("{v4}\n")));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("MODEL_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24)
        ))]
        /// After any series of edits, the scan that takes unchanged pieces from the cache finds
        /// exactly what a parse of the whole file finds, places included.
        #[test]
        fn pieces_taken_from_the_cache_are_what_a_whole_parse_finds(
            versions in proptest::collection::vec(
                proptest::collection::vec((0usize..6, 0usize..4), 0..8),
                1..5,
            )
        ) {
            let (dir, cfg) = krate();
            let file = dir.path().join("src/models.rs");
            for parts in versions {
                let mut text = String::from("use model::Model;\n");
                let mut seen = std::collections::BTreeSet::new();
                for (kind, n) in parts {
                    let doc = ["", "/// Doc.\n", "\n", "// }\n"][n];
                    match kind {
                        0..=2 if seen.insert((0, kind * 4 + n)) => text.push_str(&model(kind * 4 + n, doc)),
                        3 if seen.insert((3, 0)) => text.push_str(ENUM),
                        4 if seen.insert((4, 0)) => text.push_str(MODULE),
                        _ => text.push_str(&format!("{doc}{OTHER}").replace("RAW", &format!("RAW_{}", text.len()))),
                    }
                }
                let (found, _) = rescan(&cfg, &file, &text);
                proptest::prop_assert_eq!(found, whole(&cfg, &file, &text));
            }
        }
    }
}
