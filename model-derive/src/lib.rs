//! `#[derive(Model)]` for the `model` crate: the table's metadata (`impl model::Model`) and its
//! Diesel schema (`diesel::table!`) from one annotated struct.
//!
//! The attribute language is read by `model_core::parse`, the same parser the build step runs, so
//! the two never disagree. The SQL dialect comes from the crate's `[package.metadata.model]`.
#![deny(missing_docs)]

mod expand;
mod table_macro;

use proc_macro::TokenStream;

/// Derive `model::Model` and declare the struct's `diesel::table!`.
///
/// See the `model` crate for the attributes (`#[model(...)]`).
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let (dialect, config_error) = match model_core::config::Config::from_env() {
        Ok(config) => (config.dialect, None),
        Err(e) => (model_core::ir::Dialect::Postgres, Some(e.to_string())),
    };
    let mut out = expand::derive_model_inner(input.into(), dialect);
    if let Some(message) = config_error {
        out.extend(syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error());
    }
    out.into()
}
