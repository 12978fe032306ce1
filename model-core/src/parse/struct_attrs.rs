//! Struct-level `#[model(...)]`: table name, composite keys, indexes, uniques, checks, rename, comment.

use super::ast::{Attr, CheckAttr, CheckName, ForeignKeyAttr, IndexAttr, StructAttrs};
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
        "schema" => {
            let v = value::string(ctxt, meta, &key, false)?;
            set_once(ctxt, &mut out.schema, v, &key);
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
            if let Some(v) = value::named_ident_list(ctxt, meta, &key)? {
                if out.primary_key.is_some() {
                    ctxt.at(v.fields.key, "duplicate `primary_key`: remove one of the two");
                } else {
                    out.primary_key = Some(v);
                }
            }
        }
        "unique" => {
            if let Some(v) = value::named_ident_list(ctxt, meta, &key)? {
                out.uniques.push(v);
            }
        }
        "foreign_key" => {
            if let Some(v) = foreign_key(ctxt, meta)? {
                out.foreign_keys.push(v);
            }
        }
        "diesel_table" => {
            let v = value::string(ctxt, meta, &key, false)?.and_then(|s| match syn::parse_str::<syn::Path>(&s.value) {
                Ok(path) => Some(Attr {
                    key: s.key,
                    value: path,
                    span: s.span,
                }),
                Err(_) => {
                    ctxt.at(
                        s.span,
                        format!(
                            "`diesel_table = \"{}\"` is not a Rust path: write the path of the `table!` module, e.g. `{}`",
                            s.value,
                            example("diesel_table")
                        ),
                    );
                    None
                }
            });
            set_once(ctxt, &mut out.diesel_table, v, &key);
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

/// `check(name = "..", sql = "..")` or `check(sql_name = "..", sql = "..")`.
fn check(ctxt: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<CheckAttr>> {
    const FORM: &str = "write `check(name = \"positive_price\", sql = \"price > 0\")` \
                        (or `sql_name = \"...\"` for the constraint's exact name)";
    if !meta.input.peek(syn::token::Paren) {
        ctxt.spanned_by(&meta.path, format!("`check` at struct level is named: {FORM}"));
        skip_rest(meta)?;
        return Ok(None);
    }
    let mut name = None;
    let mut sql_name: Option<Attr<String>> = None;
    let mut sql = None;
    meta.parse_nested_meta(|item| {
        let key = key_name(&item);
        match key.as_str() {
            "name" => {
                let v = value::string(ctxt, &item, "name", false)?;
                set_once(ctxt, &mut name, v, "name");
            }
            "sql_name" => {
                let v = value::string(ctxt, &item, "sql_name", false)?;
                set_once(ctxt, &mut sql_name, v, "sql_name");
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
    let name = match (name, sql_name) {
        (Some(_), Some(exact)) => {
            ctxt.at(
                exact.key,
                "`name` and `sql_name` conflict in `check(...)`: `name = \"x\"` names the check `ck_<table>_x`, \
                 `sql_name` gives its exact name; keep one",
            );
            None
        }
        (Some(short), None) => Some(CheckName::Short(short)),
        (None, Some(exact)) => Some(CheckName::Exact(exact)),
        (None, None) => {
            ctxt.spanned_by(&meta.path, format!("`check(...)` needs a `name`: {FORM}"));
            return Ok(None);
        }
    };
    match (name, sql) {
        (Some(name), Some(sql)) => Ok(Some(CheckAttr { name, sql })),
        (None, _) => Ok(None),
        (_, None) => {
            ctxt.spanned_by(&meta.path, format!("`check(...)` needs `sql`: {FORM}"));
            Ok(None)
        }
    }
}

/// `foreign_key(a, b, references = "t(x, y)", on_delete = "..", on_update = "..", name = "..")`.
fn foreign_key(ctxt: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<ForeignKeyAttr>> {
    const FORM: &str = "write `foreign_key(order_id, line, references = \"order_lines(order_id, line)\")`, \
                        optionally with `on_delete`, `on_update` and `name`";
    if !meta.input.peek(syn::token::Paren) {
        ctxt.spanned_by(&meta.path, format!("`foreign_key` lists fields: {FORM}"));
        skip_rest(meta)?;
        return Ok(None);
    }
    let mut fields = Vec::new();
    let mut references = None;
    let (mut on_delete, mut on_update, mut name) = (None, None, None);
    meta.parse_nested_meta(|item| {
        let key = key_name(&item);
        let has_value = item.input.peek(syn::Token![=]);
        match key.as_str() {
            "references" if has_value => {
                let v = value::string(ctxt, &item, "references", false)?.and_then(|s| {
                    match value::composite_reference(&s.value) {
                        Some(r) => Some(Attr {
                            key: s.key,
                            value: r,
                            span: s.span,
                        }),
                        None => {
                            ctxt.at(
                                s.span,
                                format!(
                                    "`references = \"{}\"` is not of the form `table(a, b)`: {FORM}",
                                    s.value
                                ),
                            );
                            None
                        }
                    }
                });
                set_once(ctxt, &mut references, v, "references");
            }
            "on_delete" | "on_update" if has_value => {
                let v = value::string(ctxt, &item, &key, false)?.and_then(|s| match crate::ir::FkAction::parse(&s.value) {
                    Some(a) => Some(Attr {
                        key: s.key,
                        value: a,
                        span: s.span,
                    }),
                    None => {
                        ctxt.at(
                            s.span,
                            format!(
                                "unknown action `{}` for `{key}`: write one of \"cascade\", \"set null\", \"set default\", \"restrict\", \"no action\"",
                                s.value
                            ),
                        );
                        None
                    }
                });
                let slot = if key == "on_delete" { &mut on_delete } else { &mut on_update };
                set_once(ctxt, slot, v, &key);
            }
            "name" if has_value => {
                let v = value::string(ctxt, &item, "name", false)?;
                set_once(ctxt, &mut name, v, "name");
            }
            _ => match item.path.get_ident() {
                Some(ident) if !has_value && !item.input.peek(syn::token::Paren) => fields.push(ident.clone()),
                _ => {
                    ctxt.spanned_by(&item.path, format!("unexpected `{key}` in `foreign_key(...)`: {FORM}"));
                    skip_rest(&item)?;
                }
            },
        }
        Ok(())
    })?;
    value::empty_list_check(ctxt, meta, "foreign_key", &fields);
    let Some(references) = references else {
        if !fields.is_empty() {
            ctxt.spanned_by(&meta.path, format!("`foreign_key(...)` needs `references`: {FORM}"));
        }
        return Ok(None);
    };
    if !fields.is_empty() && references.value.columns.len() != fields.len() {
        ctxt.at(
            references.span,
            format!(
                "`foreign_key(...)` lists {} field(s) but references {} column(s): list as many of each",
                fields.len(),
                references.value.columns.len()
            ),
        );
        return Ok(None);
    }
    Ok((!fields.is_empty()).then(|| ForeignKeyAttr {
        key: key_span(meta),
        fields,
        references,
        on_delete,
        on_update,
        name,
    }))
}
