//! Rust names for SQL names: struct, field and enum identifiers that parse back to the same SQL.

use crate::check::names::diesel_inferred_name;
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Types of the prelude (and of the generated file) a struct or enum must not shadow.
const TAKEN_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Model",
    "ModelEnum",
];

/// `s` is a Rust identifier (raw identifiers not allowed) that is not a keyword.
pub(crate) fn is_plain_ident(s: &str) -> bool {
    syn::parse_str::<syn::Ident>(s).is_ok()
}

/// The struct name of table `table` and whether the table needs `table_name = "..."` (when the
/// derive's default name of the struct is not `table`): the singular of the name in UpperCamelCase.
pub(crate) fn struct_name(table: &str, taken: &mut BTreeSet<String>) -> (String, bool) {
    let singular = singular(table);
    let mut name = singular.to_upper_camel_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || !is_plain_ident(&name) {
        name = format!("T{name}");
    }
    if !is_plain_ident(&name) {
        name = "Table".into();
    }
    if TAKEN_TYPES.contains(&name.as_str()) {
        name.push_str("Row");
    }
    let name = unique(name, taken);
    let needs_table_name = diesel_inferred_name(&name) != table;
    (name, needs_table_name)
}

/// An enum's name: UpperCamelCase of `base`, unique among the generated types.
pub(crate) fn enum_name(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_upper_camel_case();
    if name.is_empty() || !is_plain_ident(&name) || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("E{name}");
    }
    if !is_plain_ident(&name) {
        name = "Enum".into();
    }
    if TAKEN_TYPES.contains(&name.as_str()) {
        name.push_str("Kind");
    }
    unique(name, taken)
}

/// A variant name for an enum value (UpperCamelCase), unique in its enum.
pub(crate) fn variant_name(value: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = value.to_upper_camel_case();
    if name.is_empty() || !is_plain_ident(&name) || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if !is_plain_ident(&name) {
        name = "Value".into();
    }
    unique(name, taken)
}

/// The field of a column: its identifier as written (maybe `r#type`) and whether it needs
/// `column_name = "..."`. `avoid` holds the table module's name (a field may not be called so) and
/// the fields already named.
pub(crate) fn field_name(column: &str, avoid: &mut BTreeSet<String>) -> (String, bool) {
    let exact = column.to_string();
    let plain = is_plain_ident(&exact) && exact == exact.to_snake_case();
    let raw = format!("r#{exact}");
    let (candidate, needs_column_name) = if plain {
        (exact.clone(), false)
    } else if exact == exact.to_snake_case() && syn::parse_str::<syn::Ident>(&raw).is_ok() {
        // a keyword that can be a raw identifier: `r#type` is column `type`
        (raw, false)
    } else {
        let mut s: String = column
            .to_snake_case()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
            .collect();
        if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
            s = format!("c_{s}");
        }
        if !is_plain_ident(&s) {
            s.push('_');
        }
        (s, true)
    };
    let bare = candidate.trim_start_matches("r#").to_string();
    if !avoid.contains(&bare) {
        avoid.insert(bare);
        return (candidate, needs_column_name);
    }
    let mut n = 1;
    loop {
        let next = if n == 1 {
            format!("{bare}_")
        } else {
            format!("{bare}_{n}")
        };
        if is_plain_ident(&next) && !avoid.contains(&next) {
            avoid.insert(next.clone());
            return (next, true);
        }
        n += 1;
    }
}

fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let mut n = 2;
    loop {
        let next = format!("{name}{n}");
        if taken.insert(next.clone()) {
            return next;
        }
        n += 1;
    }
}

/// A plain English singular: `categories` → `category`, `boxes` → `box`, `users` → `user`.
fn singular(table: &str) -> String {
    let lower = table.to_ascii_lowercase();
    if lower.ends_with("ies") && table.len() > 3 {
        return format!("{}y", &table[..table.len() - 3]);
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if lower.ends_with(suffix) {
            return table[..table.len() - 2].to_string();
        }
    }
    if lower.ends_with('s') && !lower.ends_with("ss") && table.len() > 1 {
        return table[..table.len() - 1].to_string();
    }
    table.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_follow_the_derive_rule_when_they_can() {
        let mut taken = BTreeSet::new();
        assert_eq!(struct_name("users", &mut taken), ("User".into(), false));
        assert_eq!(struct_name("blog_posts", &mut taken), ("BlogPost".into(), false));
        assert_eq!(struct_name("categories", &mut taken), ("Category".into(), true));
        assert_eq!(struct_name("options", &mut taken), ("OptionRow".into(), true));
        assert_eq!(struct_name("user", &mut taken), ("User2".into(), true));
        assert!(struct_name("2fa", &mut taken).1);
    }

    #[test]
    fn fields_keep_their_column() {
        let mut avoid: BTreeSet<String> = ["users".to_string()].into();
        assert_eq!(field_name("email", &mut avoid), ("email".into(), false));
        assert_eq!(field_name("type", &mut avoid), ("r#type".into(), false));
        assert_eq!(field_name("self", &mut avoid), ("self_".into(), true));
        assert_eq!(field_name("UserId", &mut avoid), ("user_id".into(), true));
        assert_eq!(field_name("users", &mut avoid), ("users_".into(), true));
        assert_eq!(field_name("first name", &mut avoid), ("first_name".into(), true));
    }
}
