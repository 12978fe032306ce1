//! `#[derive(ModelEnum)]`: the Diesel impls for the SQL type `model::EnumSql<Enum>` and
//! `impl ModelEnum`; after errors, the errors plus the same items built from what could be read,
//! so the user sees the enum's errors rather than follow-on ones in the models that use it.

use crate::enum_diesel::{self, EnumShape};
use model_core::parse::{parse_enum, EnumDef};
use proc_macro2::TokenStream;
use quote::quote;

/// Expand `#[derive(ModelEnum)]` on `input` for `dialect`.
pub(crate) fn derive_model_enum_inner(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    match parse_enum(&input) {
        Ok(def) => expand(&def),
        Err(errors) => {
            let mut out = errors.to_compile_error();
            out.extend(stub(&input));
            out
        }
    }
}

fn expand(def: &EnumDef) -> TokenStream {
    let m = model_core::facade::path();
    let shape = EnumShape {
        ident: &def.ident,
        type_name: &def.ty.name,
        variants: def.variants.iter().map(|v| (&v.ident, v.value.clone(), true)).collect(),
    };
    let ident = &def.ident;
    let name = &def.ty.name;
    let values = &def.ty.values;
    let renames = def.ty.renames.iter().map(|r| {
        let (from, to) = (&r.from, &r.to);
        quote!(#m::ir::EnumRename { from: #from.into(), to: #to.into() })
    });
    let renamed_from = match &def.ty.renamed_from {
        Some(old) => quote!(::core::option::Option::Some(#old.into())),
        None => quote!(::core::option::Option::None),
    };
    let model_enum = quote! {
        impl #m::ModelEnum for #ident {
            const TYPE_NAME: &'static str = #name;
            const VALUES: &'static [&'static str] = &[#(#values),*];
            fn enum_type() -> #m::ir::EnumType {
                let mut ty = #m::ir::EnumType::new(Self::TYPE_NAME, Self::VALUES.iter().copied());
                ty.renames = ::std::vec![#(#renames),*];
                ty.renamed_from = #renamed_from;
                ty
            }
        }
    };
    items(&shape, model_enum)
}

/// The Diesel impls and `impl ModelEnum`, out of the way in an anonymous const.
fn items(shape: &EnumShape, model_enum: TokenStream) -> TokenStream {
    let impls = enum_diesel::impls(shape);
    quote! {
        const _: () = {
            #impls
            #model_enum
        };
    }
}

/// After errors, for a non-generic enum: the same items with an empty type, so models and queries
/// that use the enum compile and the user sees only the enum's errors.
fn stub(input: &syn::DeriveInput) -> TokenStream {
    let syn::Data::Enum(data) = &input.data else {
        return TokenStream::new();
    };
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let shape = EnumShape {
        ident: &input.ident,
        type_name: "",
        variants: data
            .variants
            .iter()
            .map(|v| (&v.ident, v.ident.to_string(), matches!(v.fields, syn::Fields::Unit)))
            .collect(),
    };
    let ident = &input.ident;
    let m = model_core::facade::path();
    let model_enum = quote! {
        impl #m::ModelEnum for #ident {
            const TYPE_NAME: &'static str = "";
            const VALUES: &'static [&'static str] = &[];
            fn enum_type() -> #m::ir::EnumType {
                #m::ir::EnumType::new("", ::std::vec::Vec::<::std::string::String>::new())
            }
        }
    };
    items(&shape, model_enum)
}
