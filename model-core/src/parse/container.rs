//! The item itself: a non-generic struct with named fields, its attributes and its fields'.

use super::ast::{Container, Field};
use super::errors::Ctxt;
use super::{docs, field_attrs, struct_attrs};
use syn::{Data, DeriveInput, Fields};

/// Read the struct; `None` (with an error) when the item is not a struct with named fields.
pub(crate) fn read(ctxt: &Ctxt, input: &DeriveInput) -> Option<Container> {
    if !input.generics.params.is_empty() {
        ctxt.spanned_by(
            &input.generics,
            format!(
                "`{}` is generic: a model maps to one table, so write a struct without type, lifetime or const parameters",
                input.ident
            ),
        );
    }
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(named),
            Fields::Unnamed(_) | Fields::Unit => {
                ctxt.spanned_by(
                    &input.ident,
                    format!("`{}` has no named fields: a model is a struct with named fields, e.g. `struct {} {{ id: i64 }}`", input.ident, input.ident),
                );
                None
            }
        },
        Data::Enum(e) => {
            ctxt.spanned_by(
                e.enum_token,
                "`#[derive(Model)]` is for structs with named fields, not enums: write `struct Name { id: i64, ... }`",
            );
            None
        }
        Data::Union(u) => {
            ctxt.spanned_by(
                u.union_token,
                "`#[derive(Model)]` is for structs with named fields, not unions: write `struct Name { id: i64, ... }`",
            );
            None
        }
    };
    let attrs = struct_attrs::parse(ctxt, &input.attrs);
    let named = named?;
    let fields = named
        .named
        .iter()
        .filter_map(|f| {
            Some(Field {
                ident: f.ident.clone()?,
                ty: f.ty.clone(),
                attrs: field_attrs::parse(ctxt, &f.attrs),
                doc: docs::doc_comment(&f.attrs),
            })
        })
        .collect();
    Some(Container {
        ident: input.ident.clone(),
        attrs,
        doc: docs::doc_comment(&input.attrs),
        fields,
    })
}
