//! `#[derive(ModelEnum)]`: a Rust enum of unit variants read as a database enum type.
//!
//! The SQL type name is `type_name = "..."` or the snake_case of the enum; each variant's SQL value
//! is `rename = "..."` or the snake_case of the variant. Rules: a `pub` enum (not a struct or
//! union; the `table!` of a model using it names it in public items), not generic, at least one
//! variant, unit variants only, distinct values, and names PostgreSQL accepts (at most 63 bytes). Every error of the enum is reported at once, spanned.

use super::enum_attrs::{enum_attrs, variant_attrs};
use super::errors::{Ctxt, Errors};
use crate::ir::{EnumRename, EnumType};
use heck::ToSnakeCase;
use proc_macro2::Span;
use std::collections::BTreeMap;
use syn::{Data, DeriveInput, Fields};

/// PostgreSQL's limit on names and enum labels (`NAMEDATALEN - 1`).
const MAX_NAME_BYTES: usize = 63;

/// One `#[derive(ModelEnum)]` enum, read and checked.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The enum's name.
    pub ident: syn::Ident,
    /// The database type: name, values in declaration order, rename hints.
    pub ty: EnumType,
    /// The variants, in declaration order, with their SQL values.
    pub variants: Vec<VariantDef>,
}

/// One variant of an [`EnumDef`].
#[derive(Debug, Clone)]
pub struct VariantDef {
    /// The variant's name.
    pub ident: syn::Ident,
    /// Its SQL value.
    pub value: String,
}

/// Read and check one `#[derive(ModelEnum)]` enum.
///
/// ```
/// use model_core::parse::parse_enum;
/// let input: syn::DeriveInput = syn::parse_quote! {
///     #[model(type_name = "post_status")]
///     pub enum PostStatus { Draft, Published, #[model(rename = "in_review", renamed_from = "review")] InReview }
/// };
/// let def = parse_enum(&input).unwrap();
/// assert_eq!(def.ty.name, "post_status");
/// assert_eq!(def.ty.values, ["draft", "published", "in_review"]);
/// assert_eq!(def.ty.renames[0].from, "review");
///
/// let bad: syn::DeriveInput = syn::parse_quote! { pub enum E { A(i32), #[model(renam = "x")] B } };
/// assert_eq!(parse_enum(&bad).unwrap_err().len(), 2);
/// ```
pub fn parse_enum(input: &DeriveInput) -> Result<EnumDef, Errors> {
    let ctxt = Ctxt::default();
    let def = read(&ctxt, input);
    match def {
        Some(def) if !ctxt.has_errors() => Ok(def),
        _ => Err(ctxt.into_errors(None)),
    }
}

fn read(ctxt: &Ctxt, input: &DeriveInput) -> Option<EnumDef> {
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        ctxt.spanned_by(
            &input.generics,
            format!("`{ident}` is generic: a database enum is one type, so write `enum {ident}` without type, lifetime or const parameters"),
        );
    }
    let attrs = enum_attrs(ctxt, &input.attrs);
    let data = match &input.data {
        Data::Enum(e) => e,
        Data::Struct(s) => {
            ctxt.spanned_by(s.struct_token, format!("`#[derive(ModelEnum)]` is for enums of unit variants, not structs: write `enum {ident} {{ A, B }}` (for a table, derive `Model`)"));
            return None;
        }
        Data::Union(u) => {
            ctxt.spanned_by(
                u.union_token,
                format!(
                    "`#[derive(ModelEnum)]` is for enums of unit variants, not unions: write `enum {ident} {{ A, B }}`"
                ),
            );
            return None;
        }
    };
    if !matches!(input.vis, syn::Visibility::Public(_)) {
        ctxt.spanned_by(
            ident,
            format!("`{ident}` is not `pub`: the Diesel `table!` of a model that uses it declares public columns of its type, so write `pub enum {ident}` (its module can stay private)"),
        );
    }
    if data.variants.is_empty() {
        ctxt.spanned_by(ident, format!("`{ident}` has no variants: a database enum needs at least one value, e.g. `enum {ident} {{ Draft, Published }}`"));
    }
    let type_name = match &attrs.type_name {
        Some(t) => {
            name_length(ctxt, &t.value, t.span, "type name");
            t.value.clone()
        }
        None => {
            let name = ident.to_string().to_snake_case();
            name_length(ctxt, &name, ident.span(), "type name");
            name
        }
    };
    let mut ty = EnumType::new(type_name, Vec::<String>::new());
    if let Some(old) = &attrs.renamed_from {
        if old.value == ty.name {
            ctxt.at(
                old.span,
                format!(
                    "`renamed_from = \"{}\"` is the type's own name: remove it, or write the type's old name",
                    old.value
                ),
            );
        }
        ty.renamed_from = Some(old.value.clone());
    }
    let mut variants = Vec::with_capacity(data.variants.len());
    let mut spans: BTreeMap<String, (syn::Ident, Span)> = BTreeMap::new();
    let mut olds = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            ctxt.spanned_by(
                &v.fields,
                format!(
                    "variant `{}` has fields: a database enum stores only the variant, so write a unit variant `{}`",
                    v.ident, v.ident
                ),
            );
        }
        let va = variant_attrs(ctxt, &v.attrs);
        let (value, span) = match &va.rename {
            Some(r) => (r.value.clone(), r.span),
            None => (v.ident.to_string().to_snake_case(), v.ident.span()),
        };
        name_length(ctxt, &value, span, "value");
        if let Some((first, _)) = spans.get(&value) {
            ctxt.at(
                span,
                format!("variant `{}` has the SQL value \"{value}\", like variant `{first}`: give one of them `#[model(rename = \"...\")]`", v.ident),
            );
        } else {
            spans.insert(value.clone(), (v.ident.clone(), span));
        }
        if let Some(old) = va.renamed_from {
            olds.push((old, value.clone(), v.ident.clone()));
        }
        variants.push(VariantDef {
            ident: v.ident.clone(),
            value,
        });
    }
    let mut seen_old: Vec<&str> = Vec::new();
    for (old, to, variant) in &olds {
        if let Some((other, _)) = spans.get(&old.value) {
            ctxt.at(
                old.span,
                format!("`renamed_from = \"{}\"` on variant `{variant}`: \"{}\" is the value of variant `{other}`; write the value this variant had before", old.value, old.value),
            );
        } else if seen_old.contains(&old.value.as_str()) {
            ctxt.at(
                old.span,
                format!(
                    "two variants say `renamed_from = \"{}\"`: a value was renamed to one new value only",
                    old.value
                ),
            );
        } else {
            seen_old.push(&old.value);
            ty.renames.push(EnumRename {
                from: old.value.clone(),
                to: to.clone(),
            });
        }
    }
    ty.values = variants.iter().map(|v| v.value.clone()).collect();
    Some(EnumDef {
        ident: ident.clone(),
        ty,
        variants,
    })
}

fn name_length(ctxt: &Ctxt, name: &str, span: Span, what: &str) {
    if name.len() > MAX_NAME_BYTES {
        ctxt.at(
            span,
            format!("the enum {what} \"{name}\" is {} bytes long; PostgreSQL keeps at most {MAX_NAME_BYTES}: write a shorter one with `{}`", name.len(), if what == "value" { "rename = \"...\"" } else { "type_name = \"...\"" }),
        );
    }
}
