//! The table name, the `table!` module name, the column names, and the rule for a plain schema
//! name ([`plain_schema_name`]), which `model import --schemas` applies as well.

use crate::parse::{Container, Ctxt};
use heck::ToSnakeCase;
use syn::ext::IdentExt;

/// `table_name = "..."` (without the schema of a dotted `"billing.invoices"`), else snake_case of
/// the struct + `s` (`BlogPost` → `blog_posts`).
pub(crate) fn table_name(c: &Container) -> String {
    match &c.attrs.table_name {
        Some(t) => crate::parse::value::split_schema(&t.value)
            .map_or(&*t.value, |(_, t)| t)
            .to_string(),
        None => format!("{}s", c.ident.unraw().to_string().to_snake_case()),
    }
}

/// The table's schema, from `schema = "billing"` or a dotted `table_name = "billing.invoices"`, with
/// where it is written. A name with more than one dot, a schema with a dot and two different schemas
/// are errors.
pub(crate) fn schema(ctxt: &Ctxt, c: &Container) -> Option<(String, proc_macro2::Span)> {
    let from_name = match &c.attrs.table_name {
        Some(t) => match crate::parse::value::split_schema(&t.value) {
            Some((s, _)) => s.map(|s| (s.to_string(), t.span)),
            None => {
                ctxt.at(
                    t.span,
                    format!(
                        "`table_name = \"{}\"` is not a table name: write `table_name = \"table\"`, or \
                         `table_name = \"schema.table\"` for a table in a PostgreSQL schema",
                        t.value
                    ),
                );
                None
            }
        },
        None => None,
    };
    let attr = c.attrs.schema.as_ref().and_then(|s| {
        if s.value.contains('.') {
            ctxt.at(
                s.span,
                format!(
                    "`schema = \"{}\"` holds a dot: a schema is one name, e.g. `schema = \"billing\"`",
                    s.value
                ),
            );
            return None;
        }
        Some((s.value.clone(), s.span))
    });
    let plain = |(s, span): (String, proc_macro2::Span)| {
        if plain_schema_name(&s).is_ok() {
            return Some((s, span));
        }
        ctxt.at(
            span,
            format!(
                "schema \"{s}\" is not a plain name: Diesel's `table!` writes the schema as a Rust identifier; \
                 use ASCII letters, digits and `_`, e.g. `schema = \"billing\"`"
            ),
        );
        None
    };
    let attr = attr.and_then(plain);
    let from_name = from_name.and_then(plain);
    match (attr, from_name) {
        (Some((a, span)), Some((n, _))) if a != n => {
            let table = table_name(c);
            ctxt.at(
                span,
                format!(
                    "`schema = \"{a}\"` and `table_name = \"{n}.{table}\"` name two schemas: write \
                     `table_name = \"{table}\"` with `schema = \"{a}\"`, or remove `schema` to keep \"{n}\""
                ),
            );
            // undecided: no follow-on error about the schema
            None
        }
        (a, n) => a.or(n),
    }
}

/// Why a name is not a plain schema name (see [`plain_schema_name`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaNameError {
    /// The name is empty.
    #[error("the schema name is empty")]
    Empty,
    /// The name holds a character other than an ASCII letter, digit or `_`.
    #[error("schema \"{name}\" holds `{ch}`: a plain name has only ASCII letters, digits and `_`")]
    Character {
        /// The schema name.
        name: String,
        /// The first character refused.
        ch: char,
    },
    /// The name starts with a digit.
    #[error("schema \"{name}\" starts with a digit: a plain name starts with a letter or `_`")]
    LeadingDigit {
        /// The schema name.
        name: String,
    },
    /// The name is a Rust keyword (or `_` alone), which `table!` cannot write as an identifier.
    #[error("schema \"{name}\" is a Rust keyword, which Diesel's `table!` cannot write as an identifier")]
    Keyword {
        /// The schema name.
        name: String,
    },
}

/// Whether `name` is a plain schema name: the schema of a model and of `model import --schemas`.
///
/// Diesel's `table!` writes the schema as a Rust identifier, so a plain name has only ASCII letters,
/// digits and `_`, does not start with a digit and is not a Rust keyword. The derive, the build
/// step and `model import` all apply this one rule.
///
/// ```
/// use model_core::check::names::{plain_schema_name, SchemaNameError};
///
/// assert!(plain_schema_name("billing").is_ok());
/// assert!(plain_schema_name("app_2").is_ok());
/// assert!(matches!(plain_schema_name("2x"), Err(SchemaNameError::LeadingDigit { .. })));
/// assert!(matches!(plain_schema_name("a-b"), Err(SchemaNameError::Character { ch: '-', .. })));
/// assert!(matches!(plain_schema_name("fn"), Err(SchemaNameError::Keyword { .. })));
/// ```
pub fn plain_schema_name(name: &str) -> Result<(), SchemaNameError> {
    if name.is_empty() {
        return Err(SchemaNameError::Empty);
    }
    if let Some(ch) = name.chars().find(|ch| !(ch.is_ascii_alphanumeric() || *ch == '_')) {
        return Err(SchemaNameError::Character {
            name: name.to_string(),
            ch,
        });
    }
    if name.starts_with(|ch: char| ch.is_ascii_digit()) {
        return Err(SchemaNameError::LeadingDigit { name: name.to_string() });
    }
    if as_ident(name).is_none() {
        return Err(SchemaNameError::Keyword { name: name.to_string() });
    }
    Ok(())
}

/// The module of the generated `table!`. With an explicit `table_name`, the name itself when it is a
/// valid non-keyword identifier; with the default name, the name Diesel's derives infer from the
/// struct (`camel_to_snake` + `s`, which differs from snake_case for acronyms: `HTTPLog` →
/// `h_t_t_p_logs`), so `Queryable`/`Insertable`/... find the table without `#[diesel(table_name)]`.
/// Anything else is sanitized.
pub(crate) fn module(c: &Container, table_name: &str) -> syn::Ident {
    let wanted = match &c.attrs.table_name {
        Some(_) => table_name.to_string(),
        None => diesel_inferred_name(&c.ident.unraw().to_string()),
    };
    let ident = as_ident(&wanted).or_else(|| as_ident(&sanitize(&wanted)));
    let mut ident = ident.unwrap_or_else(|| syn::Ident::new("table_", proc_macro2::Span::call_site()));
    ident.set_span(c.ident.span());
    ident
}

/// The module of the `table!` of a model with `table_name = "<table_name>"` (see [`module`]).
#[cfg_attr(not(feature = "source"), allow(dead_code))]
pub(crate) fn module_name(table_name: &str) -> String {
    as_ident(table_name)
        .or_else(|| as_ident(&sanitize(table_name)))
        .map_or_else(|| "table_".to_string(), |i| i.to_string())
}

/// Diesel's rule (`diesel_derives::model::infer_table_name`): an `_` before each upper-case letter
/// but the first, lower-cased, plus `s`.
pub(crate) fn diesel_inferred_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, ch) in name.chars().enumerate() {
        if i > 0 && ch.is_uppercase() {
            out.push('_');
        }
        out.extend(ch.to_lowercase());
    }
    out.push('s');
    out
}

/// `s` as an identifier when it is one and not a keyword.
fn as_ident(s: &str) -> Option<syn::Ident> {
    syn::parse_str::<syn::Ident>(s)
        .ok()
        .filter(|i| !i.to_string().starts_with("r#"))
}

/// snake_case, only ASCII letters, digits and `_`, not starting with a digit, not a keyword.
fn sanitize(s: &str) -> String {
    let mut out: String = s
        .to_snake_case()
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|ch: char| ch.is_ascii_digit()) || out.chars().all(|ch| ch == '_') {
        out.insert_str(0, "t_");
    }
    if as_ident(&out).is_none() {
        out.push('_');
    }
    out
}

/// The SQL column name of each field; two fields with one column name, a column renamed from its own
/// name and a field named like the table module are errors.
pub(crate) fn columns(ctxt: &Ctxt, c: &Container, table_name: &str, module: &syn::Ident) -> Vec<String> {
    if let Some(r) = &c.attrs.renamed_from {
        if r.value == table_name {
            ctxt.at(
                r.span,
                format!(
                    "`renamed_from = \"{table_name}\"` is the table's current name: remove it, or give the old name"
                ),
            );
        }
    }
    let mut columns: Vec<String> = Vec::with_capacity(c.fields.len());
    for f in &c.fields {
        let column = match &f.attrs.column_name {
            Some(n) => n.value.clone(),
            None => f.ident.unraw().to_string(),
        };
        if let Some(first) = columns.iter().position(|other| *other == column) {
            let msg = format!(
                "fields `{}` and `{}` both map to column `{column}`: give one another `column_name = \"...\"`",
                c.fields[first].ident.unraw(),
                f.ident.unraw()
            );
            match &f.attrs.column_name {
                Some(n) => ctxt.at(n.span, msg),
                None => ctxt.spanned_by(&f.ident, msg),
            }
        }
        if let Some(r) = &f.attrs.renamed_from {
            if r.value == column {
                ctxt.at(
                    r.span,
                    format!(
                        "`renamed_from = \"{column}\"` is the column's current name: remove it, or give the old name"
                    ),
                );
            }
        }
        if f.ident.unraw() == *module {
            ctxt.spanned_by(
                &f.ident,
                format!(
                    "field `{module}` has the name of its table module `{module}`, which Diesel's `table!` refuses: \
                     rename the field and keep the column with `#[model(column_name = \"{column}\")]`"
                ),
            );
        }
        columns.push(column);
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_rule_splits_every_capital() {
        assert_eq!(diesel_inferred_name("BlogPost"), "blog_posts");
        assert_eq!(diesel_inferred_name("HTTPLog"), "h_t_t_p_logs");
        assert_eq!(diesel_inferred_name("User"), "users");
    }

    #[test]
    fn plain_schema_names() {
        for ok in ["billing", "app_2", "_private", "Billing"] {
            assert_eq!(plain_schema_name(ok), Ok(()), "{ok}");
        }
        assert_eq!(plain_schema_name(""), Err(SchemaNameError::Empty));
        assert_eq!(
            plain_schema_name("2x"),
            Err(SchemaNameError::LeadingDigit { name: "2x".into() })
        );
        assert_eq!(
            plain_schema_name("a-b"),
            Err(SchemaNameError::Character {
                name: "a-b".into(),
                ch: '-'
            })
        );
        assert_eq!(
            plain_schema_name("a.b"),
            Err(SchemaNameError::Character {
                name: "a.b".into(),
                ch: '.'
            })
        );
        assert_eq!(
            plain_schema_name("élan"),
            Err(SchemaNameError::Character {
                name: "élan".into(),
                ch: 'é'
            })
        );
        for keyword in ["fn", "type", "self", "async", "_"] {
            assert_eq!(
                plain_schema_name(keyword),
                Err(SchemaNameError::Keyword { name: keyword.into() }),
                "{keyword}"
            );
        }
    }

    #[test]
    fn sanitized_names_are_identifiers() {
        assert_eq!(sanitize("order items"), "order_items");
        assert_eq!(sanitize("2fa"), "t_2fa");
        assert_eq!(sanitize("type"), "type_");
        assert_eq!(sanitize("---"), "t_");
        for s in ["order items", "2fa", "type", "---", "", "élan"] {
            assert!(as_ident(&sanitize(s)).is_some(), "{s}");
        }
    }
}
