//! The Diesel side of a `#[derive(ModelEnum)]` enum: the impls `diesel-derive-enum` users write by
//! hand (`ToSql`, `FromSql`, `AsExpression` for `T`, `&T`, `&&T` and their `Nullable`, `Queryable`),
//! for the SQL type `::model::EnumSql<Enum>`, whose backend metadata `model` provides.
//!
//! Values travel as text on every backend (PostgreSQL's binary format of an enum is its label), so
//! `ToSql`/`FromSql` are generic over the backend and go through Diesel's own `str`/`String` impls
//! for `Text`: the enum works on every backend `model` is built with.

use proc_macro2::TokenStream;
use quote::quote;

/// What the expansion needs of the enum.
pub(crate) struct EnumShape<'a> {
    /// The enum.
    pub ident: &'a syn::Ident,
    /// The SQL type name.
    pub type_name: &'a str,
    /// Every variant with its SQL value; `unit` is `false` for a variant with fields (only in the
    /// stub after an error), which is written but never read.
    pub variants: Vec<(&'a syn::Ident, String, bool)>,
}

/// The impls.
pub(crate) fn impls(e: &EnumShape) -> TokenStream {
    let m = model_core::facade::path();
    let d = quote!(#m::diesel);
    let ident = e.ident;
    let sql = quote!(#m::EnumSql<#ident>);
    let write_arms = e
        .variants
        .iter()
        .map(|(v, value, _)| quote!(Self::#v { .. } => #value,));
    // An enum without variants (only in the stub after an error) has no value to write.
    let write_body = if e.variants.is_empty() {
        quote!(match *self {})
    } else {
        quote! {
            let value: &'static str = match *self {
                #(#write_arms)*
            };
            <str as #d::serialize::ToSql<#d::sql_types::Text, __DB>>::to_sql(value, out)
        }
    };
    let read_arms = e
        .variants
        .iter()
        .filter(|(_, _, unit)| *unit)
        .map(|(v, value, _)| quote!(#value => ::core::result::Result::Ok(Self::#v),));
    let expected = e
        .variants
        .iter()
        .map(|(_, value, _)| format!("{value:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = format!(
        "unknown value {{other:?}} for enum `{ident}` (database type \"{}\"): expected one of {expected}; \
         the database holds a value this build does not know (migrate, or add the variant)",
        e.type_name
    );
    let as_expression = as_expression(ident, &sql);
    quote! {
        impl<__DB> #d::serialize::ToSql<#sql, __DB> for #ident
        where
            __DB: #d::backend::Backend,
            str: #d::serialize::ToSql<#d::sql_types::Text, __DB>,
        {
            fn to_sql<'__b>(&'__b self, out: &mut #d::serialize::Output<'__b, '_, __DB>) -> #d::serialize::Result {
                #write_body
            }
        }
        impl<__DB> #d::serialize::ToSql<#d::sql_types::Nullable<#sql>, __DB> for #ident
        where
            __DB: #d::backend::Backend,
            Self: #d::serialize::ToSql<#sql, __DB>,
        {
            fn to_sql<'__b>(&'__b self, out: &mut #d::serialize::Output<'__b, '_, __DB>) -> #d::serialize::Result {
                <Self as #d::serialize::ToSql<#sql, __DB>>::to_sql(self, out)
            }
        }
        impl<__DB> #d::deserialize::FromSql<#sql, __DB> for #ident
        where
            __DB: #d::backend::Backend,
            ::std::string::String: #d::deserialize::FromSql<#d::sql_types::Text, __DB>,
        {
            fn from_sql(value: <__DB as #d::backend::Backend>::RawValue<'_>) -> #d::deserialize::Result<Self> {
                let text = <::std::string::String as #d::deserialize::FromSql<#d::sql_types::Text, __DB>>::from_sql(value)?;
                match text.as_str() {
                    #(#read_arms)*
                    other => ::core::result::Result::Err(::std::format!(#unknown).into()),
                }
            }
        }
        impl<__DB, __ST> #d::deserialize::Queryable<__ST, __DB> for #ident
        where
            __DB: #d::backend::Backend,
            __ST: #d::sql_types::SingleValue,
            Self: #d::deserialize::FromSql<__ST, __DB>,
        {
            type Row = Self;
            fn build(row: Self) -> #d::deserialize::Result<Self> {
                ::core::result::Result::Ok(row)
            }
        }
        #as_expression
    }
}

/// `AsExpression<ST>` and `AsExpression<Nullable<ST>>` for `T`, `&T` and `&&T`, as Diesel's derive
/// writes them.
fn as_expression(ident: &syn::Ident, sql: &TokenStream) -> TokenStream {
    let m = model_core::facade::path();
    let d = quote!(#m::diesel);
    let bound = quote!(#d::internal::derives::as_expression::Bound);
    let types = [quote!(#sql), quote!(#d::sql_types::Nullable<#sql>)];
    let targets = [
        (quote!(), quote!(#ident)),
        (quote!(<'__e>), quote!(&'__e #ident)),
        (quote!(<'__e, '__f>), quote!(&'__f &'__e #ident)),
    ];
    let mut out = TokenStream::new();
    for (generics, target) in &targets {
        for st in &types {
            out.extend(quote! {
                impl #generics #d::expression::AsExpression<#st> for #target {
                    type Expression = #bound<#st, Self>;
                    fn as_expression(self) -> Self::Expression {
                        #bound::new(self)
                    }
                }
            });
        }
    }
    out
}
