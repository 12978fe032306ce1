//! `parse_enum` and the `#[model(enum)]` field marker: enum in, type or every error out.

use super::{parse_enum, parse_model};
use crate::ir::{ColumnType, DefaultValue, Dialect, EnumRename, EnumType, Literal};
use syn::parse_quote;

fn enum_errors(input: syn::DeriveInput) -> Vec<String> {
    match parse_enum(&input) {
        Ok(d) => panic!("expected errors, got {:?}", d.ty),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

fn model_errors(input: syn::DeriveInput) -> Vec<String> {
    match parse_model(&input, Dialect::Postgres) {
        Ok(m) => panic!("expected errors, got {:?}", m.table),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn names_and_values_default_to_snake_case() {
    let d = parse_enum(&parse_quote! { pub enum PostStatus { Draft, InReview, HTTPError } }).unwrap();
    assert_eq!(d.ident, "PostStatus");
    assert_eq!(d.ty, EnumType::new("post_status", ["draft", "in_review", "http_error"]));
    let idents: Vec<String> = d.variants.iter().map(|v| v.ident.to_string()).collect();
    assert_eq!(idents, ["Draft", "InReview", "HTTPError"]);
}

#[test]
fn attributes_name_the_type_and_values_and_give_rename_hints() {
    let d = parse_enum(&parse_quote! {
        #[model(type_name = "status", renamed_from = "post_status")]
        #[derive(Clone)]
        pub enum PostStatus {
            Draft,
            #[model(rename = "Live")]
            Published = 5,
            #[model(rename = "in_review", renamed_from = "review")]
            Review,
        }
    })
    .unwrap();
    assert_eq!(d.ty.name, "status");
    assert_eq!(d.ty.values, ["draft", "Live", "in_review"]);
    assert_eq!(d.ty.renamed_from.as_deref(), Some("post_status"));
    assert_eq!(
        d.ty.renames,
        [EnumRename {
            from: "review".into(),
            to: "in_review".into()
        }]
    );
}

#[test]
fn every_error_of_an_enum_is_reported_together() {
    let errors = enum_errors(parse_quote! {
        #[model(type_nam = "x")]
        pub enum E<T> {
            A(T),
            B { x: i32 },
            #[model(rename = "a")]
            C,
            #[model(renam = "d")]
            D,
            #[model(rename = "")]
            F,
            #[model(renamed_from = "b")]
            G,
        }
    });
    let expected = [
        "`E` is generic",
        "unknown enum attribute `type_nam`: did you mean `type_name`?",
        "variant `A` has fields",
        "variant `B` has fields",
        "variant `C` has the SQL value \"a\", like variant `A`",
        "unknown variant attribute `renam`: did you mean `rename`?",
        "`rename` is empty",
        "`renamed_from = \"b\"` on variant `G`: \"b\" is the value of variant `B`",
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for (e, want) in errors.iter().zip(expected) {
        assert!(e.contains(want), "{e:?} should contain {want:?}");
    }
}

#[test]
fn an_enum_that_is_not_pub_is_refused() {
    for input in [
        parse_quote! { enum S { A } },
        parse_quote! { pub(crate) enum S { A } },
        parse_quote! { pub(super) enum S { A } },
    ] {
        let e = enum_errors(input);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(e[0].starts_with("`S` is not `pub`"), "{e:?}");
    }
}

#[test]
fn empty_enums_structs_and_long_names_are_refused() {
    assert!(enum_errors(parse_quote! { pub enum Nothing {} })[0].contains("`Nothing` has no variants"));
    assert!(enum_errors(parse_quote! { struct S; })[0].contains("not structs"));
    let long = "x".repeat(64);
    let e = enum_errors(parse_quote! { #[model(type_name = #long)] pub enum E { #[model(rename = #long)] A } });
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e[0].contains("64 bytes long; PostgreSQL keeps at most 63"), "{e:?}");
    let e = enum_errors(
        parse_quote! { #[model(renamed_from = "e")] pub enum E { #[model(renamed_from = "x")] A, #[model(renamed_from = "x")] B } },
    );
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e[0].contains("is the type's own name"), "{e:?}");
    assert!(e[1].contains("two variants say `renamed_from = \"x\"`"), "{e:?}");
}

#[test]
fn an_enum_field_is_an_unresolved_enum_column() {
    let m = parse_model(
        &parse_quote! {
            struct Post {
                #[model(primary_key)]
                id: i64,
                #[model(enum, default = "draft")]
                status: PostStatus,
                #[model(enum)]
                previous: Option<crate::models::PostStatus>,
            }
        },
        Dialect::Sqlite,
    )
    .unwrap();
    let status = m.table.column("status").unwrap();
    assert_eq!(status.ty, ColumnType::Enum(EnumType::new("", Vec::<String>::new())));
    assert!(!status.nullable);
    assert_eq!(
        status.default,
        Some(DefaultValue::Literal(Literal::Str("draft".into())))
    );
    assert!(m.table.column("previous").unwrap().nullable);
    let ty = |i: usize| {
        m.fields[i]
            .enum_type
            .as_ref()
            .map(|t| quote::quote!(#t).to_string().replace(' ', ""))
    };
    assert_eq!(ty(0), None);
    assert_eq!(ty(1).as_deref(), Some("PostStatus"));
    assert_eq!(ty(2).as_deref(), Some("crate::models::PostStatus"));
    assert_eq!(
        m.fields[1].diesel_type.to_string().replace(' ', ""),
        "::model::EnumSql<PostStatus>"
    );
    assert_eq!(
        m.fields[2].diesel_type.to_string().replace(' ', ""),
        "::model::diesel::sql_types::Nullable<::model::EnumSql<crate::models::PostStatus>>"
    );
}

#[test]
fn the_enum_marker_conflicts_with_other_type_keys() {
    let errors = model_errors(parse_quote! {
        struct Post {
            #[model(primary_key)]
            id: i64,
            #[model(enum, sql_type = "text", max_length = 3, diesel_type = "Text")]
            a: PostStatus,
            #[model(enum, precision = 3, scale = 1)]
            b: PostStatus,
            #[model(enum, default = 1)]
            c: PostStatus,
            #[model(enum)]
            d: String,
            #[model(enum)]
            e: &'static str,
            #[model(enum = true)]
            f: PostStatus,
        }
    });
    let expected = [
        "`sql_type` conflicts with `enum`",
        "`max_length` conflicts with `enum`",
        "`diesel_type` conflicts with `enum`",
        "`max_length` conflicts with `sql_type",
        "`precision` conflicts with `enum`",
        "`scale` conflicts with `enum`",
        "`default` of an `enum` field is the SQL value of one of its variants",
        "field `d` is marked `enum`, but `String` is not a `#[derive(ModelEnum)]` enum",
        "field `e` is marked `enum`, so its type must name",
        "`enum` on a field takes no value",
    ];
    for want in expected {
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "{want:?} missing from {errors:#?}"
        );
    }
}

#[test]
fn an_unmarked_enum_says_to_mark_it() {
    let errors = model_errors(parse_quote! { struct Post { #[model(primary_key)] id: i64, status: PostStatus } });
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].ends_with("if `PostStatus` is a `#[derive(ModelEnum)]` enum, mark the field `#[model(enum)]`"),
        "{}",
        errors[0]
    );
}
