//! The known attribute keys, and the message for an unknown one (with the closest known key).

/// Keys accepted in a struct's `#[model(...)]`.
pub(crate) const STRUCT_KEYS: &[&str] = &[
    "table_name",
    "schema",
    "primary_key",
    "index",
    "unique",
    "check",
    "renamed_from",
    "comment",
    "view",
    "view_file",
    "materialized",
    "foreign_key",
    "diesel_table",
];

/// Keys accepted in a field's `#[model(...)]`.
pub(crate) const FIELD_KEYS: &[&str] = &[
    "primary_key",
    "column_name",
    "sql_type",
    "max_length",
    "precision",
    "scale",
    "unique",
    "index",
    "default",
    "default_sql",
    "references",
    "on_delete",
    "on_update",
    "check",
    "renamed_from",
    "comment",
    "identity",
    "diesel_type",
    "enum",
    "generated",
    "pk_name",
    "unique_name",
    "index_name",
    "fk_name",
    "check_name",
];

/// Keys accepted in a `#[derive(ModelEnum)]` enum's `#[model(...)]`.
pub(crate) const ENUM_KEYS: &[&str] = &["type_name", "renamed_from"];

/// Keys accepted in a `#[derive(ModelEnum)]` variant's `#[model(...)]`.
pub(crate) const VARIANT_KEYS: &[&str] = &["rename", "renamed_from"];

/// Where a key was found.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Struct,
    Field,
    /// A `#[derive(ModelEnum)]` enum.
    Enum,
    /// A variant of a `#[derive(ModelEnum)]` enum.
    Variant,
}

/// The message for an unknown `key` at `level`: says where the key belongs if it is known at the
/// other level, else suggests the closest known key.
pub(crate) fn unknown_key_message(key: &str, level: Level) -> String {
    let (here, other, here_name, other_name) = match level {
        Level::Struct => (STRUCT_KEYS, FIELD_KEYS, "struct", "field"),
        Level::Field => (FIELD_KEYS, STRUCT_KEYS, "field", "struct"),
        Level::Enum => (ENUM_KEYS, VARIANT_KEYS, "enum", "variant"),
        Level::Variant => (VARIANT_KEYS, ENUM_KEYS, "variant", "enum"),
    };
    if other.contains(&key) {
        return format!(
            "`{key}` is a {other_name} attribute, not a {here_name} attribute: move it to the {other_name}"
        );
    }
    match closest(key, here) {
        Some(best) => format!("unknown {here_name} attribute `{key}`: did you mean `{best}`?"),
        None => format!("unknown {here_name} attribute `{key}`: write one of {}", list(here)),
    }
}

fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(key, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn list(keys: &[&str]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        assert_eq!(
            unknown_key_message("primry_key", Level::Field),
            "unknown field attribute `primry_key`: did you mean `primary_key`?"
        );
        assert_eq!(
            unknown_key_message("max_len", Level::Field),
            "unknown field attribute `max_len`: did you mean `max_length`?"
        );
    }

    #[test]
    fn points_to_the_other_level() {
        assert!(unknown_key_message("table_name", Level::Field).contains("struct attribute"));
        assert!(unknown_key_message("max_length", Level::Struct).contains("field attribute"));
    }

    #[test]
    fn enum_and_variant_keys() {
        assert_eq!(
            unknown_key_message("renam", Level::Variant),
            "unknown variant attribute `renam`: did you mean `rename`?"
        );
        assert!(unknown_key_message("type_name", Level::Variant).contains("enum attribute"));
        assert!(unknown_key_message("rename", Level::Enum).contains("variant attribute"));
        let m = unknown_key_message("zzz", Level::Variant);
        assert!(m.contains("`rename`, `renamed_from`"), "{m}");
    }

    #[test]
    fn lists_keys_when_nothing_is_close() {
        let m = unknown_key_message("zzz", Level::Struct);
        assert!(m.contains("`table_name`") && m.contains("`comment`"), "{m}");
    }
}
