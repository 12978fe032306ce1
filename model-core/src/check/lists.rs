//! Lists of field names at struct level (`primary_key(..)`, `unique(..)`, `index(..)`).

use crate::parse::{Container, Ctxt};
use syn::ext::IdentExt;

/// The field indexes named in `list`; unknown names (with the closest field suggested) and names
/// given twice are errors. `None` when an error was found.
pub(crate) fn resolve(ctxt: &Ctxt, c: &Container, list: &[syn::Ident], key: &str) -> Option<Vec<usize>> {
    let mut out: Vec<usize> = Vec::new();
    let mut ok = true;
    for name in list {
        let wanted = name.unraw().to_string();
        match c.fields.iter().position(|f| f.ident.unraw() == wanted) {
            Some(i) if out.contains(&i) => {
                ctxt.spanned_by(
                    name,
                    format!("field `{wanted}` is named twice in `{key}(...)`: remove one"),
                );
                ok = false;
            }
            Some(i) => out.push(i),
            None => {
                ctxt.spanned_by(name, unknown_field(c, &wanted, key));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn unknown_field(c: &Container, wanted: &str, key: &str) -> String {
    let best = c
        .fields
        .iter()
        .map(|f| f.ident.unraw().to_string())
        .map(|f| (strsim::jaro_winkler(wanted, &f), f))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, f)) => format!(
            "`{key}(...)` names `{wanted}`, which is not a field of `{}`: did you mean `{f}`?",
            c.ident
        ),
        None => format!(
            "`{key}(...)` names `{wanted}`, which is not a field of `{}`: list Rust field names ({})",
            c.ident,
            c.fields
                .iter()
                .map(|f| format!("`{}`", f.ident.unraw()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
