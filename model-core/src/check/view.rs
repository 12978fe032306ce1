//! What a view struct (`view = ".."` / `view_file = ".."`) may say: a view holds no rows of its own,
//! so nothing that constrains, indexes, fills or renames rows applies to it.

use crate::parse::{CheckName, Container, Ctxt};
use proc_macro2::Span;

/// Every rule of `view`, `view_file` and `materialized`, and of the keys a view cannot take.
pub(crate) fn rules(ctxt: &Ctxt, c: &Container) {
    let a = &c.attrs;
    if let (Some(_), Some(file)) = (&a.view, &a.view_file) {
        ctxt.at(
            file.key,
            "`view` and `view_file` conflict: keep one (`view` for the query itself, `view_file` for a file holding it)",
        );
    }
    if let Some(m) = &a.materialized {
        if !a.is_view() {
            ctxt.at(
                m.key,
                "`materialized` applies to views: add `view = \"SELECT ..\"` or `view_file = \"..\"`, or remove `materialized`",
            );
        }
    }
    if !a.is_view() {
        return;
    }
    let refuse = |span: Span, key: &str, why: &str| {
        ctxt.at(
            span,
            format!("`{key}` on a view: {why}; remove it (declare it on the tables the view reads)"),
        );
    };
    for ix in &a.indexes {
        refuse(ix.key, "index", "a view has no indexes");
    }
    for u in &a.uniques {
        refuse(u.fields.key, "unique", "a view has no constraints");
    }
    for ck in &a.checks {
        let key = match &ck.name {
            CheckName::Short(n) | CheckName::Exact(n) => n.key,
        };
        refuse(key, "check", "a view has no constraints");
    }
    for fk in &a.foreign_keys {
        refuse(fk.key, "foreign_key", "a view has no foreign keys");
    }
    if let Some(s) = &a.schema {
        refuse(s.key, "schema", "views are created in the default schema");
    }
    if let Some(r) = &a.renamed_from {
        ctxt.at(
            r.key,
            "`renamed_from` on a view: a view holds no rows, so a new name is a new view (the old one is dropped); \
             remove `renamed_from`",
        );
    }
    for f in &c.fields {
        let fa = &f.attrs;
        let flags = [
            ("unique", fa.unique.as_ref().map(|x| x.key), "a view has no constraints"),
            ("index", fa.index.as_ref().map(|x| x.key), "a view has no indexes"),
            (
                "default",
                fa.default.as_ref().map(|x| x.key),
                "nothing is inserted into a view",
            ),
            (
                "default_sql",
                fa.default_sql.as_ref().map(|x| x.key),
                "nothing is inserted into a view",
            ),
            (
                "references",
                fa.references.as_ref().map(|x| x.key),
                "a view has no foreign keys",
            ),
            (
                "on_delete",
                fa.on_delete.as_ref().map(|x| x.key),
                "a view has no foreign keys",
            ),
            (
                "on_update",
                fa.on_update.as_ref().map(|x| x.key),
                "a view has no foreign keys",
            ),
            ("check", fa.check.as_ref().map(|x| x.key), "a view has no constraints"),
            (
                "identity",
                fa.identity.as_ref().map(|x| x.key),
                "a view generates no ids",
            ),
            (
                "generated",
                fa.generated.as_ref().map(|x| x.key),
                "a view's columns are what its query computes",
            ),
        ];
        for (key, span, why) in flags {
            if let Some(span) = span {
                refuse(span, key, why);
            }
        }
        if let Some(r) = &fa.renamed_from {
            ctxt.at(
                r.key,
                "`renamed_from` on a field of a view: a view's columns are its query's; rename the column in the \
                 query and remove `renamed_from`",
            );
        }
    }
}
