//! IR values as Rust expressions (struct literals), so `Model::table()` builds its table without
//! parsing anything at run time.

use model_core::ir::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index, Literal, PrimaryKey, Table, UniqueConstraint,
};
use proc_macro2::TokenStream;
use quote::quote;

fn string(s: &str) -> TokenStream {
    quote!(::std::string::String::from(#s))
}

fn strings(v: &[String]) -> TokenStream {
    let items = v.iter().map(|s| string(s));
    quote!(::std::vec![#(#items),*])
}

fn option<T>(v: &Option<T>, f: impl Fn(&T) -> TokenStream) -> TokenStream {
    match v {
        Some(x) => {
            let x = f(x);
            quote!(::std::option::Option::Some(#x))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn list<T>(v: &[T], f: impl Fn(&T) -> TokenStream) -> TokenStream {
    let items = v.iter().map(f);
    quote!(::std::vec![#(#items),*])
}

/// A `::model::ir::Table { .. }` expression.
pub(crate) fn table(t: &Table) -> TokenStream {
    let name = string(&t.name);
    let renamed_from = option(&t.renamed_from, |s| string(s));
    let comment = option(&t.comment, |s| string(s));
    let columns = list(&t.columns, column);
    let primary_key = option(&t.primary_key, primary_key);
    let uniques = list(&t.uniques, unique);
    let indexes = list(&t.indexes, index);
    let foreign_keys = list(&t.foreign_keys, foreign_key);
    let checks = list(&t.checks, check);
    quote! {
        ::model::ir::Table {
            name: #name,
            renamed_from: #renamed_from,
            comment: #comment,
            columns: #columns,
            primary_key: #primary_key,
            uniques: #uniques,
            indexes: #indexes,
            foreign_keys: #foreign_keys,
            checks: #checks,
        }
    }
}

fn column(c: &Column) -> TokenStream {
    let name = string(&c.name);
    let ty = column_type(&c.ty);
    let nullable = c.nullable;
    let default = option(&c.default, default_value);
    let identity = c.identity;
    let renamed_from = option(&c.renamed_from, |s| string(s));
    let comment = option(&c.comment, |s| string(s));
    quote! {
        ::model::ir::Column {
            name: #name,
            ty: #ty,
            nullable: #nullable,
            default: #default,
            identity: #identity,
            renamed_from: #renamed_from,
            comment: #comment,
        }
    }
}

fn column_type(t: &ColumnType) -> TokenStream {
    let u32_opt = |v: &Option<u32>| option(v, |n| quote!(#n));
    match t {
        ColumnType::Bool => quote!(::model::ir::ColumnType::Bool),
        ColumnType::SmallInt => quote!(::model::ir::ColumnType::SmallInt),
        ColumnType::Integer => quote!(::model::ir::ColumnType::Integer),
        ColumnType::BigInt => quote!(::model::ir::ColumnType::BigInt),
        ColumnType::Real => quote!(::model::ir::ColumnType::Real),
        ColumnType::Double => quote!(::model::ir::ColumnType::Double),
        ColumnType::Text => quote!(::model::ir::ColumnType::Text),
        ColumnType::Varchar { len } => quote!(::model::ir::ColumnType::Varchar { len: #len }),
        ColumnType::Binary => quote!(::model::ir::ColumnType::Binary),
        ColumnType::Date => quote!(::model::ir::ColumnType::Date),
        ColumnType::Time => quote!(::model::ir::ColumnType::Time),
        ColumnType::Timestamp => quote!(::model::ir::ColumnType::Timestamp),
        ColumnType::Timestamptz => quote!(::model::ir::ColumnType::Timestamptz),
        ColumnType::Uuid => quote!(::model::ir::ColumnType::Uuid),
        ColumnType::Json => quote!(::model::ir::ColumnType::Json),
        ColumnType::Numeric { precision, scale } => {
            let (p, s) = (u32_opt(precision), u32_opt(scale));
            quote!(::model::ir::ColumnType::Numeric { precision: #p, scale: #s })
        }
        ColumnType::Array { of } => {
            let of = column_type(of);
            quote!(::model::ir::ColumnType::Array { of: ::std::boxed::Box::new(#of) })
        }
        ColumnType::Custom { sql } => {
            let sql = string(sql);
            quote!(::model::ir::ColumnType::Custom { sql: #sql })
        }
    }
}

fn default_value(d: &DefaultValue) -> TokenStream {
    match d {
        DefaultValue::Sql(s) => {
            let s = string(s);
            quote!(::model::ir::DefaultValue::Sql(#s))
        }
        DefaultValue::Literal(l) => {
            let l = match l {
                Literal::Bool(b) => quote!(::model::ir::Literal::Bool(#b)),
                Literal::Int(i) => quote!(::model::ir::Literal::Int(#i)),
                Literal::Float(f) => {
                    let f = string(f);
                    quote!(::model::ir::Literal::Float(#f))
                }
                Literal::Str(s) => {
                    let s = string(s);
                    quote!(::model::ir::Literal::Str(#s))
                }
            };
            quote!(::model::ir::DefaultValue::Literal(#l))
        }
    }
}

fn primary_key(pk: &PrimaryKey) -> TokenStream {
    let (name, columns) = (string(&pk.name), strings(&pk.columns));
    quote!(::model::ir::PrimaryKey { name: #name, columns: #columns })
}

fn unique(u: &UniqueConstraint) -> TokenStream {
    let (name, columns) = (string(&u.name), strings(&u.columns));
    quote!(::model::ir::UniqueConstraint { name: #name, columns: #columns })
}

fn index(i: &Index) -> TokenStream {
    let (name, columns, unique) = (string(&i.name), strings(&i.columns), i.unique);
    let where_sql = option(&i.where_sql, |s| string(s));
    quote!(::model::ir::Index { name: #name, columns: #columns, unique: #unique, where_sql: #where_sql })
}

fn fk_action(a: FkAction) -> TokenStream {
    match a {
        FkAction::NoAction => quote!(::model::ir::FkAction::NoAction),
        FkAction::Restrict => quote!(::model::ir::FkAction::Restrict),
        FkAction::Cascade => quote!(::model::ir::FkAction::Cascade),
        FkAction::SetNull => quote!(::model::ir::FkAction::SetNull),
        FkAction::SetDefault => quote!(::model::ir::FkAction::SetDefault),
    }
}

fn foreign_key(fk: &ForeignKey) -> TokenStream {
    let (name, columns) = (string(&fk.name), strings(&fk.columns));
    let (ref_table, ref_columns) = (string(&fk.ref_table), strings(&fk.ref_columns));
    let (on_delete, on_update) = (fk_action(fk.on_delete), fk_action(fk.on_update));
    quote! {
        ::model::ir::ForeignKey {
            name: #name,
            columns: #columns,
            ref_table: #ref_table,
            ref_columns: #ref_columns,
            on_delete: #on_delete,
            on_update: #on_update,
        }
    }
}

fn check(c: &Check) -> TokenStream {
    let (name, sql) = (string(&c.name), string(&c.sql));
    quote!(::model::ir::Check { name: #name, sql: #sql })
}
