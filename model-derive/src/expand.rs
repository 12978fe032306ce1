//! The derive's expansion: `impl Model` and `table!`, or every error plus a stub.

use crate::table_macro;
use model_core::ir::Dialect;
use model_core::parse::{parse_model_in, ModelDef};
use proc_macro2::TokenStream;
use quote::quote;

/// Expand `#[derive(Model)]` on `input` for `dialect`.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn derive_model_inner(input: TokenStream, dialect: Dialect) -> TokenStream {
    derive_model_in(input, dialect, None)
}

/// [`derive_model_inner`] for a crate whose configured default schema is `default_schema`.
pub(crate) fn derive_model_in(input: TokenStream, dialect: Dialect, default_schema: Option<&str>) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    match parse_model_in(&input, dialect, default_schema) {
        Ok(model) if model.view.is_some() => match crate::view::view_impl(&model) {
            Ok(imp) => {
                let table = table_macro::table(&model);
                quote! { #imp #table }
            }
            Err(e) => {
                let mut out = e.to_compile_error();
                out.extend(stub(&model));
                out
            }
        },
        Ok(model) => {
            let imp = model_impl(&model);
            let table = match &model.diesel_table {
                Some(path) => table_macro::agrees_with(&model, path),
                None => table_macro::table(&model),
            };
            let checks = value_checks(&model);
            quote! { #checks #imp #table }
        }
        Err(errors) => {
            let mut out = errors.to_compile_error();
            if let Some(partial) = errors.partial().filter(|_| input.generics.params.is_empty()) {
                out.extend(stub(partial));
            }
            out
        }
    }
}

/// `impl ::model::Model` (`::model` being the facade's name in the crate, see `model_core::facade`), the IR as one compact JSON string read at run time (see
/// `model_core::ir::__table_from_derive`: a string costs the compiler next to nothing, expressions
/// building every column cost a third of an incremental rebuild). The type of a `#[model(enum)]`
/// column is then taken from its enum's `ModelEnum::enum_type()`.
fn model_impl(model: &ModelDef) -> TokenStream {
    let m = model_core::facade::path();
    let ident = &model.ident;
    let name = &model.table.name;
    let json = serde_json::to_string(&model.table).unwrap_or_default();
    let body = with_enum_columns(model, quote!(#m::ir::__table_from_derive(#json)));
    quote! {
        impl #m::Model for #ident {
            const TABLE_NAME: &'static str = #name;
            fn table() -> #m::ir::Table {
                #body
            }
        }
    }
}

/// For each field with a [`value_check`](model_core::parse::FieldDef::value_check): a bound of its
/// Rust type on that trait of the facade's `types` module, spanned at the type, so that a
/// `uuid::Uuid` on SQLite fails with the trait's message (write `model::types::Uuid`) rather than
/// with Diesel's `AsExpression<Binary>` errors.
fn value_checks(model: &ModelDef) -> TokenStream {
    let m = model_core::facade::path();
    model
        .fields
        .iter()
        .filter_map(|f| f.value_check.as_ref())
        .map(|(check, ty)| {
            let check = quote::format_ident!("{}", check);
            let span = syn::spanned::Spanned::span(ty);
            quote::quote_spanned! {span=>
                const _: () = {
                    fn value_check<T: ?::core::marker::Sized + #m::types::#check>() {}
                    let _ = value_check::<#ty>;
                };
            }
        })
        .collect()
}

/// `read` (an expression giving a table or view, whose columns are `table.columns` / `view.columns`)
/// with the type of each `#[model(enum)]` column taken from its enum's `ModelEnum::enum_type()`.
pub(crate) fn with_enum_columns(model: &ModelDef, read: TokenStream) -> TokenStream {
    let m = model_core::facade::path();
    if model.fields.iter().all(|f| f.enum_type.is_none()) {
        return read;
    }
    let patches = model.fields.iter().filter_map(|f| {
        let ty = f.enum_type.as_ref()?;
        let column = &f.column;
        Some(quote! {
            if column.name == #column {
                column.ty = #m::ir::ColumnType::Enum(<#ty as #m::ModelEnum>::enum_type());
            }
        })
    });
    quote! {
        let mut read = #read;
        for column in &mut read.columns {
            #(#patches)*
        }
        read
    }
}

/// After errors: an `impl Model` with an empty table (`impl ModelView` with an empty view for a
/// view), and the `table!` of the fields whose type is known, so the user sees the model's errors
/// rather than follow-on ones.
fn stub(partial: &ModelDef) -> TokenStream {
    let m = model_core::facade::path();
    let ident = &partial.ident;
    let name = &partial.table.name;
    let table = if partial.fields.is_empty() {
        TokenStream::new()
    } else {
        table_macro::table(partial)
    };
    let imp = if partial.view.is_some() {
        quote! {
            impl #m::ModelView for #ident {
                const VIEW_NAME: &'static str = #name;
                fn view() -> #m::ir::View {
                    #m::ir::View::new(#name, "")
                }
            }
        }
    } else {
        quote! {
            impl #m::Model for #ident {
                const TABLE_NAME: &'static str = #name;
                fn table() -> #m::ir::Table {
                    #m::ir::Table::new(#name)
                }
            }
        }
    };
    quote! {
        #imp
        #table
    }
}

#[cfg(test)]
mod tests {
    use super::derive_model_inner;
    use model_core::ir::Dialect;
    use quote::quote;

    fn pretty(tokens: proc_macro2::TokenStream) -> String {
        match syn::parse2::<syn::File>(tokens.clone()) {
            Ok(file) => prettyplease::unparse(&file),
            Err(_) => tokens.to_string(),
        }
    }

    #[test]
    fn design_models_on_postgres() {
        let out = derive_model_inner(
            quote! {
                /// A registered person.
                #[model(index(last_name, first_name))]
                pub struct User {
                    #[model(primary_key)]
                    pub id: i64,
                    #[model(unique, max_length = 255)]
                    pub email: String,
                    pub last_name: String,
                    pub first_name: Option<String>,
                    #[model(column_name = "type", default = "member")]
                    pub r#type: String,
                    #[model(column_name = "role", references = "roles(id)", on_delete = "set null")]
                    pub role_id: Option<i32>,
                    #[model(default_sql = "now()", check = "created_at > '2000-01-01'")]
                    pub created_at: chrono::DateTime<chrono::Utc>,
                    #[model(precision = 12, scale = 2, default = 1.5)]
                    pub balance: bigdecimal::BigDecimal,
                    pub tags: Vec<String>,
                }
            },
            Dialect::Postgres,
        );
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn composite_key_and_renamed_table_on_sqlite() {
        let out = derive_model_inner(
            quote! {
                #[model(table_name = "order items", primary_key(order_id, sku), renamed_from = "lines")]
                struct OrderItem {
                    order_id: i64,
                    sku: String,
                    at: chrono::DateTime<chrono::Utc>,
                    payload: serde_json::Value,
                }
            },
            Dialect::Sqlite,
        );
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn uuids_on_mysql_get_a_value_check() {
        let out = derive_model_inner(
            quote! {
                pub struct Token {
                    #[model(primary_key)]
                    pub id: Uuid,
                    pub parent: Option<model::types::Uuid>,
                    #[model(diesel_type = "Binary")]
                    pub own: Uuid,
                }
            },
            Dialect::Mysql,
        );
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn errors_come_with_a_stub() {
        let out = derive_model_inner(
            quote! {
                struct Pet {
                    #[model(primary_key)]
                    id: i64,
                    #[model(max_lenght = 3)]
                    name: String,
                    weird: u64,
                }
            },
            Dialect::Postgres,
        );
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn enum_fields_patch_the_table_and_alias_the_sql_type() {
        let out = derive_model_inner(
            quote! {
                pub struct Post {
                    #[model(primary_key)]
                    pub id: i64,
                    #[model(enum, default = "draft")]
                    pub status: PostStatus,
                    #[model(enum, column_name = "prev")]
                    pub r#previous: Option<crate::models::PostStatus>,
                }
            },
            Dialect::Postgres,
        );
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn a_view_gets_model_view_and_its_table() {
        let out = derive_model_inner(
            quote! {
                /// Users who can log in.
                #[model(view = "SELECT id, email, status FROM users WHERE active")]
                pub struct ActiveUser {
                    #[model(primary_key)]
                    pub id: i64,
                    #[model(max_length = 255)]
                    pub email: String,
                    #[model(enum)]
                    pub status: Option<UserStatus>,
                }
            },
            Dialect::Postgres,
        );
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn a_generated_column_is_an_ordinary_column_of_the_table() {
        let out = derive_model_inner(
            quote! {
                pub struct User {
                    #[model(primary_key)]
                    pub id: i64,
                    pub email: String,
                    #[model(generated = "lower(email)")]
                    pub email_key: String,
                }
            },
            Dialect::Sqlite,
        );
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn a_missing_view_file_is_an_error_with_a_stub() {
        let out = derive_model_inner(
            quote! {
                #[model(view_file = "no/such/view.sql")]
                pub struct Gone {
                    #[model(primary_key)]
                    pub id: i64,
                }
            },
            Dialect::Postgres,
        );
        let text = pretty(out);
        assert!(text.contains("cannot read `no/such/view.sql`"), "{text}");
        assert!(text.contains("impl ::model::ModelView for Gone"), "{text}");
    }

    #[test]
    fn enums_get_only_the_error() {
        let out = derive_model_inner(quote! { enum E { A } }, Dialect::Postgres);
        insta::assert_snapshot!(pretty(out));
    }
}
