//! `#[derive(Model)]` for the `model` crate: the table's metadata (`impl model::Model`) and its
//! Diesel schema (`diesel::table!`) from one annotated struct; `#[derive(ModelEnum)]`: a Rust enum
//! as a database enum, with its Diesel SQL type and impls.
//!
//! The attribute language is read by `model_core::parse`, the same parser the build step runs, so
//! the two never disagree. The SQL dialect comes from the crate's `[package.metadata.model]`.
#![deny(missing_docs)]

mod enum_diesel;
mod enum_expand;
mod expand;
mod table_macro;
mod view;

use proc_macro::TokenStream;

/// Derive `model::Model` and declare the struct's `diesel::table!`: every field is a column, typed
/// from its Rust type for the crate's dialect; `#[model(...)]` on the struct and on fields adds keys,
/// indexes, checks, foreign keys, defaults, comments and renames. For a view (`#[model(view =
/// "..")]` or `#[model(view_file = "..")]`) it derives `model::ModelView` instead. Bad input is a
/// compile error at the offending tokens.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    // the crate's dialect and default schema (`[package.metadata.model]`); a bad configuration is
    // one more compile error
    let (dialect, schema, config_error) = match model_core::config::Config::from_env() {
        Ok(config) => (config.dialect, config.schema, None),
        Err(e) => (model_core::ir::Dialect::Postgres, None, Some(e.to_string())),
    };
    let mut out = expand::derive_model_in(input.into(), dialect, schema.as_deref());
    if let Some(message) = config_error {
        out.extend(syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error());
    }
    out.into()
}

/// Derive `model::ModelEnum` for an enum of unit variants stored as a database enum, and the Diesel
/// impls for its SQL type `model::EnumSql<Enum>` on every backend, so the enum works in
/// `Queryable`, `Insertable` and filters. Attributes: `#[model(type_name = "...")]` on the enum,
/// `#[model(rename = "...", renamed_from = "...")]` on variants.
#[proc_macro_derive(ModelEnum, attributes(model))]
pub fn derive_model_enum(input: TokenStream) -> TokenStream {
    enum_expand::derive_model_enum_inner(input.into()).into()
}

#[cfg(test)]
mod enum_tests;
