//! The `::model::diesel::table!` declaration of a model, as Diesel's own `table!` would declare it.

use model_core::parse::ModelDef;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
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
    // An enum column's SQL type names the field's Rust type, which resolves where the struct is, not
    // inside the table's modules: an alias next to the struct carries it in (`table!` re-roots the
    // `use super::..` it is given for its inner `columns` module).
    let aliases: Vec<(syn::Ident, &model_core::lower::DieselType)> = model
        .fields
        .iter()
        .filter(|f| f.enum_type.is_some())
        .map(|f| {
            (
                format_ident!("__model_{}_{}", model.ident, f.ident.unraw()),
                &f.diesel_type,
            )
        })
        .collect();
    let alias_items = aliases.iter().map(|(alias, ty)| {
        quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            type #alias = #ty;
        }
    });
    let alias_uses = aliases.iter().map(|(alias, _)| quote!(use super::#alias;));
    let columns = model.fields.iter().map(|f| {
        let ident = &f.ident;
        let alias = f
            .enum_type
            .as_ref()
            .map(|_| format_ident!("__model_{}_{}", model.ident, f.ident.unraw()));
        let ty = match &alias {
            Some(alias) => quote!(#alias),
            None => f.diesel_type.to_token_stream(),
        };
        let sql_name = (f.ident.unraw() != f.column).then(|| {
            let column = &f.column;
            quote!(#[sql_name = #column])
        });
        quote!(#sql_name #ident -> #ty,)
    });
    // Diesel's `table!` takes a schema as `schema.table`; the check stage accepts identifiers only
    let schema = model.table.schema.as_ref().map(|s| {
        let s = syn::Ident::new(s, module.span());
        quote!(#s .)
    });
    let m = model_core::facade::path();
    quote! {
        #(#alias_items)*
        #m::diesel::table! {
            use #m::diesel::sql_types::*;
            #(#alias_uses)*

            #table_sql_name
            #schema #module (#(#keys),*) {
                #(#columns)*
            }
        }
    }
}

/// For a model whose `table!` is declared elsewhere (`diesel_table = "crate::schema::users"`, a
/// `schema.rs` of `diesel print-schema`): no `table!`, but a compile-time proof that the two agree —
/// the table exists and each column of the model is in it with the SQL type the derive would declare
/// (enum columns aside: `schema.rs` names their types its own way). A column missing from
/// `schema.rs` or of another type is a compile error at the field.
pub(crate) fn agrees_with(model: &ModelDef, path: &syn::Path) -> TokenStream {
    let m = model_core::facade::path();
    let checks = model.fields.iter().filter(|f| f.enum_type.is_none()).map(|f| {
        // `diesel print-schema` names a column by its SQL name when that is an identifier
        let column = syn::parse_str::<syn::Ident>(&f.column)
            .ok()
            .filter(|i| !i.to_string().starts_with("r#"))
            .unwrap_or_else(|| f.ident.clone());
        let column = {
            let mut c = column;
            c.set_span(f.ident.span());
            c
        };
        let ty = &f.diesel_type;
        quote! {
            let _: ::core::marker::PhantomData<<#path::#column as #m::diesel::Expression>::SqlType> =
                ::core::marker::PhantomData::<#ty>;
        }
    });
    quote! {
        const _: () = {
            #[allow(dead_code, unused_imports)]
            fn __model_agrees_with_schema_rs() {
                let _ = #path::table;
                #(#checks)*
            }
        };
    }
}
