//! `#[derive(Model)]` on a view (`view = ".."` / `view_file = ".."`): `impl ModelView`, whose view is
//! read at compile time (a `view_file` relative to the crate's root, included so that editing it
//! recompiles the crate).

use crate::expand::with_enum_columns;
use model_core::parse::ModelDef;
use proc_macro2::TokenStream;
use quote::quote;

/// `impl ::model::ModelView`, or the error (spanned at the `view_file` value) when the file cannot
/// be read.
pub(crate) fn view_impl(model: &ModelDef) -> syn::Result<TokenStream> {
    let m = model_core::facade::path();
    let ident = &model.ident;
    let name = &model.table.name;
    let mut tracked = TokenStream::new();
    let mut text = None;
    if let Some((file, span)) = model.view.as_ref().and_then(|v| v.file.clone()) {
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_default();
        let path = root.join(&file);
        let read = std::fs::read_to_string(&path).map_err(|e| {
            syn::Error::new(
                span,
                format!(
                    "cannot read `{file}` ({}: {e}): create it, or give its path from the crate's root (the folder of \
                     Cargo.toml)",
                    path.display()
                ),
            )
        })?;
        let shown = path.to_string_lossy().into_owned();
        tracked = quote! { const _: &str = ::core::include_str!(#shown); };
        text = Some(read);
    }
    let view = model
        .view_ir(text.as_deref())
        .unwrap_or_else(|| model_core::ir::View::new(name.clone(), ""));
    if view.sql.trim().is_empty() {
        let span = model
            .view
            .as_ref()
            .and_then(|v| v.file.as_ref().map(|(_, s)| *s))
            .unwrap_or_else(|| model.ident.span());
        return Err(syn::Error::new(
            span,
            "the view's query is empty: write its `SELECT ..`",
        ));
    }
    let json = serde_json::to_string(&view).unwrap_or_default();
    let body = with_enum_columns(model, quote!(#m::ir::__view_from_derive(#json)));
    Ok(quote! {
        #tracked
        impl #m::ModelView for #ident {
            const VIEW_NAME: &'static str = #name;
            fn view() -> #m::ir::View {
                #body
            }
        }
    })
}
