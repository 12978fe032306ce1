//! The migration name (the `<name>` of the folder `<version>_<name>`).

use crate::ops::Op;

/// Longest migration name.
const MAX: usize = 32;

/// The name of a migration made of `ops`.
///
/// The rule: only tables created → `create_<tables>`; only tables dropped → `drop_<tables>`;
/// anything else (both, or no table created or dropped) → `alter_schema`. `<tables>` is the
/// table names in op order joined by `_` (`create_users_posts`); past 32 characters it becomes
/// `<first>_and_<n>_more`, then `<n>_tables` (one table: its name cut to fit). Table names are
/// lowercased and every character outside `[a-z0-9_]` becomes `_`, so the name is `[a-z0-9_]`
/// only and at most 32 characters.
///
/// ```
/// use model_core::ir::Table;
/// use model_core::ops::Op;
/// use model_core::plan::migration_name;
/// let create = |n: &str| Op::CreateTable { table: Table::new(n) };
/// assert_eq!(migration_name(&[create("users"), create("posts")]), "create_users_posts");
/// assert_eq!(migration_name(&[create("users"), create("posts").reverse()]), "alter_schema");
/// ```
pub fn migration_name(ops: &[Op]) -> String {
    let mut created = Vec::new();
    let mut dropped = Vec::new();
    for op in ops {
        match op {
            Op::CreateTable { table } => created.push(table.name.as_str()),
            Op::DropTable { table } => dropped.push(table.name.as_str()),
            _ => {}
        }
    }
    match (created.is_empty(), dropped.is_empty()) {
        (false, true) => named("create", &created),
        (true, false) => named("drop", &dropped),
        _ => "alter_schema".to_string(),
    }
}

fn named(verb: &str, tables: &[&str]) -> String {
    let parts: Vec<String> = tables.iter().map(|t| sanitize(t)).filter(|p| !p.is_empty()).collect();
    let all = format!("{verb}_{}", parts.join("_"));
    if parts.len() == tables.len() && all.len() <= MAX {
        return all;
    }
    if tables.len() == 1 {
        return match parts.first() {
            Some(_) => all[..MAX.min(all.len())].trim_end_matches('_').to_string(),
            None => format!("{verb}_table"),
        };
    }
    if let Some(first) = parts.first() {
        let short = format!("{verb}_{first}_and_{}_more", tables.len() - 1);
        if short.len() <= MAX {
            return short;
        }
    }
    format!("{verb}_{}_tables", tables.len())
}

/// Lowercase ASCII letters, digits and single `_` only.
fn sanitize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '_'
        };
        if !(c == '_' && (out.is_empty() || out.ends_with('_'))) {
            out.push(c);
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Table;

    fn create(n: &str) -> Op {
        Op::CreateTable { table: Table::new(n) }
    }

    fn valid(name: &str) -> bool {
        name.len() <= MAX
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    #[test]
    fn one_table() {
        assert_eq!(migration_name(&[create("users")]), "create_users");
        assert_eq!(migration_name(&[create("users").reverse()]), "drop_users");
    }

    #[test]
    fn index_ops_do_not_change_the_name() {
        use crate::ops::fixtures::index;
        let ix = Op::CreateIndex {
            table: "users".into(),
            index: index("users", &["a"], false),
        };
        assert_eq!(migration_name(&[create("users"), ix.clone()]), "create_users");
        assert_eq!(migration_name(&[ix]), "alter_schema");
    }

    #[test]
    fn long_lists_shorten() {
        let fits: Vec<Op> = ["users", "posts", "comments", "tags"].map(create).to_vec();
        assert_eq!(migration_name(&fits), "create_users_posts_comments_tags");
        let ops: Vec<Op> = ["users", "posts", "comments", "tags", "likes"].map(create).to_vec();
        assert_eq!(migration_name(&ops), "create_users_and_4_more");
        let long: Vec<Op> = ["a_really_long_table_name_here", "b"].map(create).to_vec();
        assert_eq!(migration_name(&long), "create_2_tables");
        let one = migration_name(&[create("an_extremely_long_table_name_for_this")]);
        assert_eq!(one, "create_an_extremely_long_table_n");
    }

    #[test]
    fn odd_characters_are_replaced() {
        assert_eq!(migration_name(&[create("Blog Posts!")]), "create_blog_posts");
        assert_eq!(migration_name(&[create("数据")]), "create_table");
        for name in ["Blog Posts!", "数据", "__x__", "a-b-c", &"é".repeat(40)] {
            let got = migration_name(&[create(name), create("zz")]);
            assert!(valid(&got), "{name:?} gave {got:?}");
        }
    }
}
