//! Field-level `#[model(...)]`: column name and type, keys, default, foreign key, check, rename.

use super::ast::{Attr, FieldAttrs, GeneratedAttr};
use super::errors::Ctxt;
use super::keys::{unknown_key_message, Level};
use super::value::{self, key_name, key_span, set_once, skip_rest};
use crate::ir::{FkAction, Literal};
use syn::meta::ParseNestedMeta;

/// Read every `#[model(...)]` of a field (several merge).
pub(crate) fn parse(ctxt: &Ctxt, attrs: &[syn::Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        if let Err(e) = attr.parse_nested_meta(|meta| one(ctxt, &mut out, &meta)) {
            ctxt.syn(e);
        }
    }
    conflicts(ctxt, &out);
    out
}

fn one(ctxt: &Ctxt, out: &mut FieldAttrs, meta: &ParseNestedMeta) -> syn::Result<()> {
    let key = key_name(meta);
    let k = key.as_str();
    match k {
        "primary_key" => set_once(ctxt, &mut out.primary_key, value::flag(ctxt, meta, k)?, k),
        "unique" => set_once(ctxt, &mut out.unique, value::flag(ctxt, meta, k)?, k),
        "index" => set_once(ctxt, &mut out.index, value::flag(ctxt, meta, k)?, k),
        "enum" => set_once(ctxt, &mut out.enum_, value::flag(ctxt, meta, k)?, k),
        "column_name" => set_once(ctxt, &mut out.column_name, value::string(ctxt, meta, k, false)?, k),
        "sql_type" => set_once(ctxt, &mut out.sql_type, value::string(ctxt, meta, k, false)?, k),
        "default_sql" => set_once(ctxt, &mut out.default_sql, value::string(ctxt, meta, k, false)?, k),
        "check" => set_once(ctxt, &mut out.check, value::string(ctxt, meta, k, false)?, k),
        "renamed_from" => set_once(ctxt, &mut out.renamed_from, value::string(ctxt, meta, k, false)?, k),
        "comment" => set_once(ctxt, &mut out.comment, value::string(ctxt, meta, k, true)?, k),
        "max_length" => set_once(ctxt, &mut out.max_length, value::int(ctxt, meta, k)?, k),
        "precision" => set_once(ctxt, &mut out.precision, value::int(ctxt, meta, k)?, k),
        "scale" => set_once(ctxt, &mut out.scale, value::int(ctxt, meta, k)?, k),
        "identity" => set_once(ctxt, &mut out.identity, value::identity(ctxt, meta, k)?, k),
        "pk_name" => set_once(ctxt, &mut out.pk_name, value::string(ctxt, meta, k, false)?, k),
        "unique_name" => set_once(ctxt, &mut out.unique_name, value::string(ctxt, meta, k, false)?, k),
        "index_name" => set_once(ctxt, &mut out.index_name, value::string(ctxt, meta, k, false)?, k),
        "fk_name" => set_once(ctxt, &mut out.fk_name, value::string(ctxt, meta, k, false)?, k),
        "check_name" => set_once(ctxt, &mut out.check_name, value::string(ctxt, meta, k, false)?, k),
        "default" => set_once(ctxt, &mut out.default, value::default_literal(ctxt, meta)?, k),
        "references" => {
            let v = value::string(ctxt, meta, k, false)?.and_then(|s| match value::reference(&s.value) {
                Some(r) => Some(Attr { key: s.key, value: r, span: s.span }),
                None => {
                    ctxt.at(
                        s.span,
                        format!("`references = \"{}\"` is not of the form `table(column)`: write e.g. `references = \"users(id)\"`", s.value),
                    );
                    None
                }
            });
            set_once(ctxt, &mut out.references, v, k);
        }
        "on_delete" | "on_update" => {
            let v = value::string(ctxt, meta, k, false)?.and_then(|s| match FkAction::parse(&s.value) {
                Some(a) => Some(Attr { key: s.key, value: a, span: s.span }),
                None => {
                    ctxt.at(
                        s.span,
                        format!(
                            "unknown action `{}` for `{k}`: write one of \"cascade\", \"set null\", \"set default\", \"restrict\", \"no action\"",
                            s.value
                        ),
                    );
                    None
                }
            });
            let slot = if k == "on_delete" {
                &mut out.on_delete
            } else {
                &mut out.on_update
            };
            set_once(ctxt, slot, v, k);
        }
        "generated" => set_once(ctxt, &mut out.generated, generated(ctxt, meta)?, k),
        "diesel_type" => {
            let v = value::string(ctxt, meta, k, false)?.and_then(|s| match syn::parse_str::<syn::Type>(&s.value) {
                Ok(ty) => Some(Attr { key: s.key, value: ty, span: s.span }),
                Err(_) => {
                    ctxt.at(
                        s.span,
                        format!("`diesel_type = \"{}\"` is not a Rust type path: write e.g. `diesel_type = \"Citext\"` or `diesel_type = \"crate::schema::sql_types::Citext\"`", s.value),
                    );
                    None
                }
            });
            set_once(ctxt, &mut out.diesel_type, v, k);
        }
        _ => {
            ctxt.spanned_by(&meta.path, unknown_key_message(&key, Level::Field));
            skip_rest(meta)?;
        }
    }
    Ok(())
}

/// `generated = "expr"` (stored) or `generated(sql = "expr", virtual)`.
fn generated(ctxt: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Attr<GeneratedAttr>>> {
    const FORM: &str = "write `generated = \"lower(email)\"` (a stored column) or \
                        `generated(sql = \"lower(email)\", virtual)` (computed when read, SQLite and MySQL)";
    if !meta.input.peek(syn::token::Paren) {
        let v = value::string(ctxt, meta, "generated", false)?;
        return Ok(v.map(|s| Attr {
            key: s.key,
            value: GeneratedAttr {
                sql: s.value,
                is_virtual: None,
            },
            span: s.span,
        }));
    }
    let mut sql: Option<Attr<String>> = None;
    let mut is_virtual = None;
    meta.parse_nested_meta(|item| {
        let key = key_name(&item);
        match key.as_str() {
            "sql" => {
                let v = value::string(ctxt, &item, "sql", false)?;
                set_once(ctxt, &mut sql, v, "sql");
            }
            "virtual" if !item.input.peek(syn::Token![=]) && !item.input.peek(syn::token::Paren) => {
                if is_virtual.is_some() {
                    ctxt.at(key_span(&item), "duplicate `virtual`: remove one of the two");
                }
                is_virtual = Some(key_span(&item));
            }
            _ => {
                ctxt.spanned_by(&item.path, format!("unexpected `{key}` in `generated(...)`: {FORM}"));
                skip_rest(&item)?;
            }
        }
        Ok(())
    })?;
    match sql {
        Some(sql) => Ok(Some(Attr {
            key: key_span(meta),
            value: GeneratedAttr {
                sql: sql.value,
                is_virtual,
            },
            span: sql.span,
        })),
        None => {
            ctxt.spanned_by(&meta.path, format!("`generated(...)` needs `sql`: {FORM}"));
            Ok(None)
        }
    }
}

/// Keys that exclude each other on one field.
fn conflicts(ctxt: &Ctxt, a: &FieldAttrs) {
    enum_conflicts(ctxt, a);
    if let Some(generated) = &a.generated {
        for (key, span) in [
            ("default", a.default.as_ref().map(|x| x.key)),
            ("default_sql", a.default_sql.as_ref().map(|x| x.key)),
            ("identity", a.identity.as_ref().map(|x| x.key)),
            ("primary_key", a.primary_key.as_ref().map(|x| x.key)),
        ] {
            if let Some(span) = span {
                ctxt.at(
                    span,
                    format!(
                        "`{key}` conflicts with `generated`: the database computes the column from `{}`; remove `{key}`",
                        generated.value.sql
                    ),
                );
            }
        }
    }
    // a name needs the constraint it names (the primary key's `pk_name` is checked with the key)
    for (key, attr, base, present) in [
        ("unique_name", &a.unique_name, "unique", a.unique.is_some()),
        ("index_name", &a.index_name, "index", a.index.is_some()),
        ("fk_name", &a.fk_name, "references", a.references.is_some()),
        ("check_name", &a.check_name, "check", a.check.is_some()),
    ] {
        if let (Some(attr), false) = (attr, present) {
            ctxt.at(
                attr.key,
                format!("`{key}` names the field's `{base}`, and it has none: add `{base}`, or remove `{key}`"),
            );
        }
    }
    if let (Some(_), Some(sql)) = (&a.default, &a.default_sql) {
        ctxt.at(sql.key, "`default` and `default_sql` conflict: keep one (`default` for a literal, `default_sql` for an SQL expression)");
    }
    if let Some(sql_type) = &a.sql_type {
        for (key, attr) in [
            ("max_length", &a.max_length),
            ("precision", &a.precision),
            ("scale", &a.scale),
        ] {
            if let Some(attr) = attr {
                ctxt.at(
                    attr.key,
                    format!("`{key}` conflicts with `sql_type = \"{}\"`: put the size in `sql_type`, e.g. `sql_type = \"varchar(255)\"`", sql_type.value),
                );
            }
        }
    }
}

/// `enum` takes the column type from the enum: no other type key, and a default names a value.
fn enum_conflicts(ctxt: &Ctxt, a: &FieldAttrs) {
    if a.enum_.is_none() {
        return;
    }
    for (key, span) in [
        ("sql_type", a.sql_type.as_ref().map(|x| x.key)),
        ("max_length", a.max_length.as_ref().map(|x| x.key)),
        ("precision", a.precision.as_ref().map(|x| x.key)),
        ("scale", a.scale.as_ref().map(|x| x.key)),
        ("diesel_type", a.diesel_type.as_ref().map(|x| x.key)),
    ] {
        if let Some(span) = span {
            ctxt.at(
                span,
                format!("`{key}` conflicts with `enum`: the column type of an enum field comes from its `#[derive(ModelEnum)]`; remove `{key}`"),
            );
        }
    }
    if let Some(default) = &a.default {
        if !matches!(default.value, Literal::Str(_)) {
            ctxt.at(
                default.span,
                "`default` of an `enum` field is the SQL value of one of its variants, as a string: write e.g. `default = \"draft\"`",
            );
        }
    }
}
