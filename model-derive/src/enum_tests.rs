//! Token snapshots of `#[derive(ModelEnum)]`, per backend and after errors.

use crate::enum_expand::derive_model_enum_inner;
use quote::quote;

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

fn post_status() -> proc_macro2::TokenStream {
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[model(type_name = "post_status", renamed_from = "status")]
        pub enum PostStatus {
            Draft,
            Published,
            #[model(rename = "in_review", renamed_from = "review")]
            Review,
        }
    }
}

#[test]
fn enum_for_every_backend() {
    insta::assert_snapshot!(pretty(derive_model_enum_inner(post_status())));
}

#[test]
fn enum_errors_come_with_a_stub() {
    let out = derive_model_enum_inner(quote! {
        pub enum Shape { Dot, Circle(f64), #[model(renam = "x")] Square }
    });
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn generic_enums_and_structs_get_only_the_error() {
    let generic = derive_model_enum_inner(quote! { pub enum E<T> { A(T) } });
    insta::assert_snapshot!(pretty(generic));
    let structure = derive_model_enum_inner(quote! { struct S; });
    insta::assert_snapshot!(pretty(structure));
}
