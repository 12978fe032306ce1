//! `#[model(...)]` on a `#[derive(ModelEnum)]` enum (`type_name`, `renamed_from`) and on its
//! variants (`rename`, `renamed_from`).

use super::ast::Attr;
use super::errors::Ctxt;
use super::keys::{unknown_key_message, Level};
use super::value::{self, key_name, set_once, skip_rest};
use syn::meta::ParseNestedMeta;

/// Enum-level `#[model(...)]`.
#[derive(Default)]
pub(crate) struct EnumAttrs {
    pub type_name: Option<Attr<String>>,
    pub renamed_from: Option<Attr<String>>,
}

/// Variant-level `#[model(...)]`.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    pub rename: Option<Attr<String>>,
    pub renamed_from: Option<Attr<String>>,
}

/// Read every `#[model(...)]` of the enum (several merge).
pub(crate) fn enum_attrs(ctxt: &Ctxt, attrs: &[syn::Attribute]) -> EnumAttrs {
    let mut out = EnumAttrs::default();
    each(ctxt, attrs, |meta| {
        let key = key_name(meta);
        let k = key.as_str();
        match k {
            "type_name" => set_once(ctxt, &mut out.type_name, value::string(ctxt, meta, k, false)?, k),
            "renamed_from" => set_once(ctxt, &mut out.renamed_from, value::string(ctxt, meta, k, false)?, k),
            _ => unknown(ctxt, meta, k, Level::Enum)?,
        }
        Ok(())
    });
    out
}

/// Read every `#[model(...)]` of one variant (several merge).
pub(crate) fn variant_attrs(ctxt: &Ctxt, attrs: &[syn::Attribute]) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    each(ctxt, attrs, |meta| {
        let key = key_name(meta);
        let k = key.as_str();
        match k {
            "rename" => set_once(ctxt, &mut out.rename, value::string(ctxt, meta, k, false)?, k),
            "renamed_from" => set_once(ctxt, &mut out.renamed_from, value::string(ctxt, meta, k, false)?, k),
            _ => unknown(ctxt, meta, k, Level::Variant)?,
        }
        Ok(())
    });
    out
}

fn each(ctxt: &Ctxt, attrs: &[syn::Attribute], mut one: impl FnMut(&ParseNestedMeta) -> syn::Result<()>) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        if let Err(e) = attr.parse_nested_meta(|meta| one(&meta)) {
            ctxt.syn(e);
        }
    }
}

fn unknown(ctxt: &Ctxt, meta: &ParseNestedMeta, key: &str, level: Level) -> syn::Result<()> {
    ctxt.spanned_by(&meta.path, unknown_key_message(key, level));
    skip_rest(meta)
}
