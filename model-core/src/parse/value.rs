//! Reading one attribute value (`key = value`, `key(a, b)`, `key`) and checking its type.

use super::ast::{Attr, CompositeReference, Flag, IdentitySpec, Reference};
use super::errors::Ctxt;
use crate::ir::{IdentityKind, Literal};
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, Lit, UnOp};

/// An example of each key, used in "write ... instead" messages.
pub(crate) fn example(key: &str) -> &'static str {
    match key {
        "table_name" => "table_name = \"posts\"",
        "schema" => "schema = \"billing\"",
        "primary_key" => "primary_key(a, b)",
        "foreign_key" => "foreign_key(a, b, references = \"orders(id, line)\")",
        "pk_name" => "pk_name = \"users_pkey\"",
        "unique_name" => "unique_name = \"users_email_key\"",
        "index_name" => "index_name = \"users_email_idx\"",
        "fk_name" => "fk_name = \"posts_author_id_fkey\"",
        "check_name" => "check_name = \"users_age_check\"",
        "sql_name" => "sql_name = \"orders_total_check\"",
        "diesel_table" => "diesel_table = \"crate::schema::users\"",
        "index" => "index(a, b)",
        "unique" => "unique(a, b)",
        "check" => "check = \"age >= 0\"",
        "renamed_from" => "renamed_from = \"old_name\"",
        "comment" => "comment = \"what this is\"",
        "column_name" => "column_name = \"type\"",
        "sql_type" => "sql_type = \"numeric(12,2)\"",
        "max_length" => "max_length = 255",
        "precision" => "precision = 12",
        "scale" => "scale = 2",
        "default" => "default = 0",
        "default_sql" => "default_sql = \"now()\"",
        "references" => "references = \"users(id)\"",
        "on_delete" => "on_delete = \"cascade\"",
        "on_update" => "on_update = \"cascade\"",
        "identity" => "identity = false",
        "diesel_type" => "diesel_type = \"Citext\"",
        "type_name" => "type_name = \"post_status\"",
        "rename" => "rename = \"in_review\"",
        "name" => "name = \"ix_posts_slug\"",
        "where_sql" => "where_sql = \"deleted_at IS NULL\"",
        "sql" => "sql = \"price > 0\"",
        "view" => "view = \"SELECT id, email FROM users WHERE active\"",
        "view_file" => "view_file = \"db/views/active_users.sql\"",
        "materialized" => "materialized",
        "generated" => "generated = \"lower(email)\"",
        _ => "key = value",
    }
}

/// The key as a string (`meta.path` is one identifier in `#[model(...)]`).
pub(crate) fn key_name(meta: &ParseNestedMeta) -> String {
    match meta.path.get_ident() {
        Some(i) => syn::ext::IdentExt::unraw(i).to_string(),
        None => quote::ToTokens::to_token_stream(&meta.path)
            .to_string()
            .replace(' ', ""),
    }
}

/// `true` when the key is followed by `= value`.
fn has_value(meta: &ParseNestedMeta) -> bool {
    meta.input.peek(syn::Token![=])
}

/// `true` when the key is followed by `( ... )`.
fn has_list(meta: &ParseNestedMeta) -> bool {
    meta.input.peek(syn::token::Paren)
}

/// Consume whatever follows an unwanted or unknown key, so parsing can go on after the error.
pub(crate) fn skip_rest(meta: &ParseNestedMeta) -> syn::Result<()> {
    if has_value(meta) {
        meta.value()?.parse::<Expr>()?;
    } else if has_list(meta) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// The expression after `key =`; `None` (with an error) when the key has no `= value`.
fn expr(ctxt: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<Expr>> {
    if has_value(meta) {
        return Ok(Some(meta.value()?.parse::<Expr>()?));
    }
    ctxt.spanned_by(&meta.path, format!("`{key}` needs a value: write `{}`", example(key)));
    skip_rest(meta)?;
    Ok(None)
}

/// A literal inside an expression, looking through groups (`(1)`).
fn as_lit(expr: &Expr) -> Option<&Lit> {
    match expr {
        Expr::Lit(l) => Some(&l.lit),
        Expr::Group(g) => as_lit(&g.expr),
        Expr::Paren(p) => as_lit(&p.expr),
        _ => None,
    }
}

/// `key = "text"`. Empty text is an error unless `allow_empty`.
pub(crate) fn string(
    ctxt: &Ctxt,
    meta: &ParseNestedMeta,
    key: &str,
    allow_empty: bool,
) -> syn::Result<Option<Attr<String>>> {
    let Some(e) = expr(ctxt, meta, key)? else {
        return Ok(None);
    };
    match as_lit(&e) {
        Some(Lit::Str(s)) => {
            let value = s.value();
            if !allow_empty && value.trim().is_empty() {
                ctxt.at(s.span(), format!("`{key}` is empty: write `{}`", example(key)));
                return Ok(None);
            }
            Ok(Some(Attr {
                key: meta.path.span(),
                value,
                span: s.span(),
            }))
        }
        _ => {
            ctxt.spanned_by(&e, format!("`{key}` expects a string: write `{}`", example(key)));
            Ok(None)
        }
    }
}

/// `key = 12` (a positive integer that fits in 32 bits).
pub(crate) fn int(ctxt: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<Attr<u32>>> {
    let Some(e) = expr(ctxt, meta, key)? else {
        return Ok(None);
    };
    match as_lit(&e) {
        Some(Lit::Int(i)) => match i.base10_parse::<u32>() {
            Ok(value) => Ok(Some(Attr {
                key: meta.path.span(),
                value,
                span: i.span(),
            })),
            Err(_) => {
                ctxt.at(
                    i.span(),
                    format!(
                        "`{key}` must be a positive integer below 2^32: write `{}`",
                        example(key)
                    ),
                );
                Ok(None)
            }
        },
        _ => {
            ctxt.spanned_by(&e, format!("`{key}` expects an integer: write `{}`", example(key)));
            Ok(None)
        }
    }
}

/// `identity = true | false | "serial" | "always" | "autoincrement" | "by_default"`.
pub(crate) fn identity(ctxt: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<Attr<IdentitySpec>>> {
    const FORM: &str =
        "write `identity = false`, `identity = true`, or the kind of identity: `identity = \"serial\"`, \
                        `\"always\"`, `\"autoincrement\"` or `\"by_default\"`";
    let Some(e) = expr(ctxt, meta, key)? else {
        return Ok(None);
    };
    let spec = match as_lit(&e) {
        Some(Lit::Bool(b)) => Some(IdentitySpec {
            on: b.value,
            kind: IdentityKind::ByDefault,
        }),
        Some(Lit::Str(s)) => IdentityKind::parse(&s.value()).map(|kind| IdentitySpec { on: true, kind }),
        _ => None,
    };
    match spec {
        Some(value) => Ok(Some(Attr {
            key: meta.path.span(),
            value,
            span: e.span(),
        })),
        None => {
            ctxt.spanned_by(&e, format!("unknown `identity`: {FORM}"));
            Ok(None)
        }
    }
}

/// A flag (`unique`): a value or a list after it is an error.
pub(crate) fn flag(ctxt: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<Flag>> {
    if has_value(meta) || has_list(meta) {
        ctxt.spanned_by(&meta.path, format!("`{key}` on a field takes no value: write `{key}`"));
        skip_rest(meta)?;
        return Ok(None);
    }
    let span = meta.path.span();
    Ok(Some(Attr {
        key: span,
        value: (),
        span,
    }))
}

/// `default = <literal>`: an integer (maybe negative), a float, a bool or a string.
pub(crate) fn default_literal(ctxt: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Attr<Literal>>> {
    let Some(e) = expr(ctxt, meta, "default")? else {
        return Ok(None);
    };
    let (negative, inner) = match &e {
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => (true, &*u.expr),
        other => (false, other),
    };
    let sign = if negative { "-" } else { "" };
    let value = match as_lit(inner) {
        Some(Lit::Int(i)) => match format!("{sign}{}", i.base10_digits()).parse::<i64>() {
            Ok(v) => Some(Literal::Int(v)),
            Err(_) => {
                ctxt.spanned_by(
                    &e,
                    "`default` integer does not fit in 64 bits: use `default_sql = \"...\"`",
                );
                return Ok(None);
            }
        },
        Some(Lit::Float(f)) => Some(Literal::Float(format!("{sign}{}", f.base10_digits()))),
        Some(Lit::Bool(b)) if !negative => Some(Literal::Bool(b.value)),
        Some(Lit::Str(s)) if !negative => Some(Literal::Str(s.value())),
        _ => None,
    };
    match value {
        Some(value) => Ok(Some(Attr {
            key: meta.path.span(),
            value,
            span: e.span(),
        })),
        None => {
            ctxt.spanned_by(
                &e,
                "`default` expects a literal (`0`, `-1`, `1.5`, `false`, `\"draft\"`): \
                 for an SQL expression write `default_sql = \"...\"`",
            );
            Ok(None)
        }
    }
}

/// `key(a, b, name = "..")`: a list of field names and an optional exact name.
pub(crate) fn named_ident_list(
    ctxt: &Ctxt,
    meta: &ParseNestedMeta,
    key: &str,
) -> syn::Result<Option<super::ast::KeyAttr>> {
    if !has_list(meta) {
        ctxt.spanned_by(
            &meta.path,
            format!("`{key}` at struct level lists fields: write `{}`", example(key)),
        );
        skip_rest(meta)?;
        return Ok(None);
    }
    let mut names = Vec::new();
    let mut name = None;
    let mut ok = true;
    meta.parse_nested_meta(|item| {
        match item.path.get_ident() {
            Some(ident) if ident == "name" && has_value(&item) => {
                let v = string(ctxt, &item, "name", false)?;
                set_once(ctxt, &mut name, v, "name");
            }
            Some(ident) if !has_value(&item) && !has_list(&item) => names.push(ident.clone()),
            _ => {
                ctxt.spanned_by(
                    &item.path,
                    format!(
                        "`{key}(...)` lists field names, then optionally `name = \"...\"`: write `{}`",
                        example(key)
                    ),
                );
                skip_rest(&item)?;
                ok = false;
            }
        }
        Ok(())
    })?;
    empty_list_check(ctxt, meta, key, &names);
    Ok((ok && !names.is_empty()).then(|| super::ast::KeyAttr {
        fields: Attr {
            key: meta.path.span(),
            value: names,
            span: meta.path.span(),
        },
        name,
    }))
}

/// Split `"table(a, b)"`; `None` when it is not of that form.
pub(crate) fn composite_reference(text: &str) -> Option<CompositeReference> {
    let text = text.trim();
    let open = text.find('(')?;
    let inner = text[open + 1..].strip_suffix(')')?;
    let table = text[..open].trim();
    let valid = |s: &str| !s.is_empty() && !s.contains([',', '(', ')']) && !s.contains(char::is_whitespace);
    let columns: Vec<String> = inner.split(',').map(|c| c.trim().to_string()).collect();
    // the table is found by its name (unique across schemas), the schema written is a reader's aid
    let (_, table) = split_schema(table)?;
    (valid(table) && columns.iter().all(|c| valid(c))).then(|| CompositeReference {
        table: table.to_string(),
        columns,
    })
}

/// An empty field list is an error.
pub(crate) fn empty_list_check(ctxt: &Ctxt, meta: &ParseNestedMeta, key: &str, names: &[syn::Ident]) {
    if names.is_empty() {
        ctxt.spanned_by(
            &meta.path,
            format!("`{key}()` is empty: name at least one field, e.g. `{}`", example(key)),
        );
    }
}

/// Split `"schema.table"` into its schema and table; `None` for more than one dot or an empty part.
pub(crate) fn split_schema(name: &str) -> Option<(Option<&str>, &str)> {
    match name.split_once('.') {
        None => Some((None, name)),
        Some((s, t)) if !s.is_empty() && !t.is_empty() && !t.contains('.') => Some((Some(s), t)),
        Some(_) => None,
    }
}

/// Split `"table(column)"` (or `"schema.table(column)"`); `None` when it is not of that form.
pub(crate) fn reference(text: &str) -> Option<Reference> {
    let text = text.trim();
    let open = text.find('(')?;
    let inner = text[open + 1..].strip_suffix(')')?;
    let table = text[..open].trim();
    let column = inner.trim();
    let valid = |s: &str| !s.is_empty() && !s.contains([',', '(', ')']) && !s.contains(char::is_whitespace);
    let (schema, table) = split_schema(table)?;
    (valid(table) && valid(column)).then(|| Reference {
        schema: schema.map(str::to_string),
        table: table.to_string(),
        column: column.to_string(),
    })
}

/// Record `new` in `slot`, or report a duplicate key at the second occurrence.
pub(crate) fn set_once<T>(ctxt: &Ctxt, slot: &mut Option<Attr<T>>, new: Option<Attr<T>>, key: &str) {
    let Some(new) = new else { return };
    if slot.is_some() {
        ctxt.at(new.key, format!("duplicate `{key}`: remove one of the two"));
    } else {
        *slot = Some(new);
    }
}

/// The span of a key, for errors about keys that are not values.
pub(crate) fn key_span(meta: &ParseNestedMeta) -> Span {
    meta.path.span()
}

#[cfg(test)]
mod tests {
    use super::reference;

    #[test]
    fn references_are_table_and_column() {
        let r = reference("users(id)").unwrap();
        assert_eq!((r.table.as_str(), r.column.as_str()), ("users", "id"));
        let r = reference(" app.users ( id ) ").unwrap();
        assert_eq!(
            (r.schema.as_deref(), r.table.as_str(), r.column.as_str()),
            (Some("app"), "users", "id")
        );
        assert!(reference("a.b.c(id)").is_none());
    }

    #[test]
    fn composite_references() {
        let r = super::composite_reference("orders(id, line)").unwrap();
        assert_eq!((r.table.as_str(), r.columns.len()), ("orders", 2));
        assert!(super::composite_reference("orders(id,)").is_none());
        assert!(super::composite_reference("orders").is_none());
    }

    #[test]
    fn bad_references_are_refused() {
        for bad in [
            "users",
            "users()",
            "(id)",
            "users(id",
            "users(a, b)",
            "users(id) x",
            "my users(id)",
        ] {
            assert!(reference(bad).is_none(), "{bad}");
        }
    }
}
