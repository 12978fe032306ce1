//! The form in which `#[derive(Model)]` hands a table to the run time.

use super::{Object, Schema, Table, View};

/// The table described by `json`, which `#[derive(Model)]` wrote from the IR of the same crate
/// version (one compact string per model: far less code for the compiler than building every
/// column with expressions, which was a third of a crate's incremental rebuild).
///
/// Not for hand-written code: the derive is the only writer of this text.
///
/// # Panics
///
/// When `json` is not a table of this IR, which only a derive of another version of the crate
/// could produce; the message says so.
///
/// ```
/// let t = model_core::ir::__table_from_derive(r#"{"name":"tags","columns":[]}"#);
/// assert_eq!(t.name, "tags");
/// ```
#[doc(hidden)]
pub fn __table_from_derive(json: &str) -> Table {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "a table written by #[derive(Model)] cannot be read ({e}): model-derive and model-core come \
             from different versions; depend on one version of `model`"
        )
    })
}

/// The functions, triggers and extensions described by `json` (a schema without tables), which the
/// build step wrote into `model_schema()` from the objects folder and the configuration.
///
/// Not for hand-written code: the build step is the only writer of this text.
///
/// # Panics
///
/// When `json` is not a schema of this IR, which only a build step of another version of the crate
/// could produce; the message says so.
///
/// ```
/// let objects = model_core::ir::__objects_from_build(r#"{"tables":[],"extensions":["citext"]}"#);
/// assert_eq!(objects.len(), 1);
/// ```
#[doc(hidden)]
pub fn __objects_from_build(json: &str) -> Vec<Object> {
    let schema: Schema = serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "the objects written by the model build step cannot be read ({e}): the build-dependency and the \
             dependency `model` come from different versions; depend on one version of `model`"
        )
    });
    schema.objects()
}

/// The view described by `json`, which `#[derive(Model)]` wrote from the IR of the same crate
/// version for a struct with `view = ".."` or `view_file = ".."`.
///
/// Not for hand-written code: the derive is the only writer of this text.
///
/// # Panics
///
/// When `json` is not a view of this IR (only a derive of another version of the crate could
/// produce it); the message says so.
///
/// ```
/// let v = model_core::ir::__view_from_derive(r#"{"name":"recent","sql":"SELECT 1"}"#);
/// assert_eq!(v.name, "recent");
/// ```
#[doc(hidden)]
pub fn __view_from_derive(json: &str) -> View {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "a view written by #[derive(Model)] cannot be read ({e}): model-derive and model-core come from \
             different versions; depend on one version of `model`"
        )
    })
}
