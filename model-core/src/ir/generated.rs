//! The form in which `#[derive(Model)]` hands a table to the run time.

use super::Table;

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
