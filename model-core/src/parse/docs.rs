//! Doc comments become SQL comments: each line trimmed, lines joined with `\n`.

/// The doc comment of an item, or `None` when it has none (or only blank lines).
pub(crate) fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s), ..
            }) = &nv.value
            {
                lines.extend(s.value().split('\n').map(|l| l.trim().to_string()));
            }
        }
    }
    let first = lines.iter().position(|l| !l.is_empty())?;
    let last = lines.iter().rposition(|l| !l.is_empty())?;
    Some(lines[first..=last].join("\n"))
}

#[cfg(test)]
mod tests {
    use super::doc_comment;

    fn docs(item: syn::DeriveInput) -> Option<String> {
        doc_comment(&item.attrs)
    }

    #[test]
    fn lines_are_trimmed_and_joined() {
        let c = docs(syn::parse_quote! {
            ///
            ///   A person.
            ///
            /// Registered.
            struct S;
        });
        assert_eq!(c.as_deref(), Some("A person.\n\nRegistered."));
    }

    #[test]
    fn no_doc_is_none() {
        assert_eq!(docs(syn::parse_quote! { #[derive(Clone)] struct S; }), None);
        assert_eq!(docs(syn::parse_quote! { #[doc = "  "] struct S; }), None);
    }

    #[test]
    fn block_comments_are_split_into_lines() {
        let c = docs(syn::parse_quote! { #[doc = " a\n   b "] struct S; });
        assert_eq!(c.as_deref(), Some("a\nb"));
    }
}
