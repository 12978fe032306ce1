//! The `::model::diesel::table!` declaration of a model, as Diesel's own `table!` would declare it.

use model_core::parse::ModelDef;
use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;

/// `table! { use ..; #[sql_name = ".."] module (pk, ..) { field -> Type, .. } }`: the module is named
/// by [`ModelDef::module`], each column by its Rust field (with `#[sql_name]` when the SQL name
/// differs). The primary key is the model's; in a stub without one, the first field.
pub(crate) fn table(model: &ModelDef) -> TokenStream {
    let module = &model.module;
    let table_sql_name = (*module != model.table.name).then(|| {
        let name = &model.table.name;
        quote!(#[sql_name = #name])
    });
    let mut keys: Vec<&syn::Ident> = model
        .fields
        .iter()
        .filter(|f| f.primary_key)
        .map(|f| &f.ident)
        .collect();
    if keys.is_empty() {
        keys.extend(model.fields.first().map(|f| &f.ident));
    }
    let columns = model.fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = &f.diesel_type;
        let sql_name = (f.ident.unraw() != f.column).then(|| {
            let column = &f.column;
            quote!(#[sql_name = #column])
        });
        quote!(#sql_name #ident -> #ty,)
    });
    quote! {
        ::model::diesel::table! {
            use ::model::diesel::sql_types::*;

            #table_sql_name
            #module (#(#keys),*) {
                #(#columns)*
            }
        }
    }
}
