//! Struct-level `#[model(...)]`: table name, composite keys, indexes, uniques, checks, rename, comment.

use super::ast::{Attr, CheckAttr, IndexAttr, StructAttrs};
use super::errors::Ctxt;
use super::keys::{unknown_key_message, Level};
use super::value::{self, example, key_name, key_span, set_once, skip_rest};
use syn::meta::ParseNestedMeta;

/// Read every `#[model(...)]` of the struct (several merge).
pub(crate) fn parse(ctxt: &Ctxt, attrs: &[syn::Attribute]) -> StructAttrs {
    let mut out = StructAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        if let Err(e) = attr.parse_nested_meta(|meta| one(ctxt, &mut out, &meta)) {
            ctxt.syn(e);
        }
    }
    out
}

fn one(ctxt: &Ctxt, out: &mut StructAttrs, meta: &ParseNestedMeta) -> syn::Result<()> {
    let key = key_name(meta);
    match key.as_str() {
        "table_name" => {
            let v = value::string(ctxt, meta, &key, false)?;
            set_once(ctxt, &mut out.table_name, v, &key);
        }
        "renamed_from" => {
            let v = value::string(ctxt, meta, &key, false)?;
            set_once(ctxt, &mut out.renamed_from, v, &key);
        }
        "comment" => {
            let v = value::string(ctxt, meta, &key, true)?;
            set_once(ctxt, &mut out.comment, v, &key);
        }
        "primary_key" => {
            let v = value::ident_list(ctxt, meta, &key)?;
            set_once(ctxt, &mut out.primary_key, v, &key);
        }
        "unique" => {
            if let Some(v) = value::ident_list(ctxt, meta, &key)? {
                out.uniques.push(v);
            }
        }
        "index" => {
            if let Some(v) = index(ctxt, meta)? {
                out.indexes.push(v);
            }
        }
        "check" => {
            if let Some(v) = check(ctxt, meta)? {
                out.checks.push(v);
            }
        }
        "view" => {
            let v = value::string(ctxt, meta, &key, false)?;
            set_once(ctxt, &mut out.view, v, &key);
        }
        "view_file" => {
            let v = value::string(ctxt, meta, &key, false)?;
            set_once(ctxt, &mut out.view_file, v, &key);
        }
        "materialized" => {
            if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
                ctxt.spanned_by(&meta.path, "`materialized` takes no value: write `materialized`");
                skip_rest(meta)?;
            } else {
                let span = key_span(meta);
                let flag = Some(Attr {
                    key: span,
                    value: (),
                    span,
                });
                set_once(ctxt, &mut out.materialized, flag, &key);
            }
        }
        _ => {
            ctxt.spanned_by(&meta.path, unknown_key_message(&key, Level::Struct));
            skip_rest(meta)?;
        }
    }
    Ok(())
}

/// `index(a, b)`, `index(a, b, unique)`, `index(a, name = "..", where_sql = "..")`.
fn index(ctxt: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<IndexAttr>> {
    if !meta.input.peek(syn::token::Paren) {
        ctxt.spanned_by(
            &meta.path,
            "`index` at struct level lists fields: write `index(a, b)`; on a field write `#[model(index)]`",
        );
        skip_rest(meta)?;
        return Ok(None);
    }
    let mut fields = Vec::new();
    let mut unique: Option<Attr<()>> = None;
    let mut name = None;
    let mut where_sql = None;
    meta.parse_nested_meta(|item| {
        let key = key_name(&item);
        let has_value = item.input.peek(syn::Token![=]);
        match key.as_str() {
            "name" if has_value => {
                let v = value::string(ctxt, &item, "name", false)?;
                set_once(ctxt, &mut name, v, "name");
            }
            "where_sql" if has_value => {
                let v = value::string(ctxt, &item, "where_sql", false)?;
                set_once(ctxt, &mut where_sql, v, "where_sql");
            }
            "unique" if !has_value => {
                let span = key_span(&item);
                set_once(
                    ctxt,
                    &mut unique,
                    Some(Attr {
                        key: span,
                        value: (),
                        span,
                    }),
                    "unique",
                );
            }
            _ => match item.path.get_ident() {
                Some(ident) if !has_value && !item.input.peek(syn::token::Paren) => fields.push(ident.clone()),
                _ => {
                    ctxt.spanned_by(
                        &item.path,
                        format!(
                            "unexpected `{key}` in `index(...)`: list field names, then optionally `unique`, \
                             `{}`, `{}`",
                            example("name"),
                            example("where_sql")
                        ),
                    );
                    skip_rest(&item)?;
                }
            },
        }
        Ok(())
    })?;
    value::empty_list_check(ctxt, meta, "index", &fields);
    Ok((!fields.is_empty()).then(|| IndexAttr {
        key: key_span(meta),
        fields,
        unique: unique.is_some(),
        name,
        where_sql,
    }))
}

/// `check(name = "..", sql = "..")`.
fn check(ctxt: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<CheckAttr>> {
    const FORM: &str = "write `check(name = \"positive_price\", sql = \"price > 0\")`";
    if !meta.input.peek(syn::token::Paren) {
        ctxt.spanned_by(&meta.path, format!("`check` at struct level is named: {FORM}"));
        skip_rest(meta)?;
        return Ok(None);
    }
    let mut name = None;
    let mut sql = None;
    meta.parse_nested_meta(|item| {
        let key = key_name(&item);
        match key.as_str() {
            "name" => {
                let v = value::string(ctxt, &item, "name", false)?;
                set_once(ctxt, &mut name, v, "name");
            }
            "sql" => {
                let v = value::string(ctxt, &item, "sql", false)?;
                set_once(ctxt, &mut sql, v, "sql");
            }
            _ => {
                ctxt.spanned_by(&item.path, format!("unexpected `{key}` in `check(...)`: {FORM}"));
                skip_rest(&item)?;
            }
        }
        Ok(())
    })?;
    match (name, sql) {
        (Some(name), Some(sql)) => Ok(Some(CheckAttr { name, sql })),
        (None, _) => {
            ctxt.spanned_by(&meta.path, format!("`check(...)` needs a `name`: {FORM}"));
            Ok(None)
        }
        (_, None) => {
            ctxt.spanned_by(&meta.path, format!("`check(...)` needs `sql`: {FORM}"));
            Ok(None)
        }
    }
}
