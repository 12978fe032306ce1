//! The migration name (the `<name>` of the folder `<version>_<name>`).

use crate::ops::Op;
use std::collections::{BTreeMap, HashSet};

/// Longest migration name.
const MAX: usize = 32;

/// The name of a migration made of `ops`, describing the change.
///
/// The tables named are those with a table or column change (creating, dropping, renaming a
/// table, its comment, any column op); when there is none, those with any change (constraints,
/// indexes, foreign keys). A table is named by its new name. Then:
///
/// - every such table created → `create_<tables>`, every one dropped → `drop_<tables>` (tables
///   in op order joined by `_`; past 32 characters `<first>_and_<n>_more`, then `<n>_tables`);
/// - one table with one table or column change, and nothing else on that table but the keys,
///   indexes and foreign keys over that column (or the renames of a rename):
///   `add_<column>_to_<table>`, `drop_<column>_from_<table>`, `rename_<old>_to_<new>_in_<table>`,
///   `rename_<old>_to_<new>` (a table rename);
/// - one table with anything else → `alter_<table>`;
/// - several tables → `alter_<a>_and_<b>`, `alter_<a>_and_<n>_more`, `alter_<n>_tables`
///   (tables by name).
///
/// A migration that only renames an enum type is `rename_<old>_to_<new>`; other changes of enum types
/// alone are named like tables, after the types (`alter_<type>`). Changes of extensions, views,
/// functions and triggers name a migration only when it changes nothing else: `create_<names>`,
/// `drop_<names>`, `replace_<name>`, `alter_<name>`, `alter_<a>_and_<b>` (see the tables above).
///
/// Names are lowercased and every character outside `[a-z0-9_]` becomes `_`; a name too long falls
/// back to `alter_<table>`, then is cut to 32 characters.
///
/// ```
/// use model_core::ir::{Column, ColumnType, Table};
/// use model_core::ops::Op;
/// use model_core::plan::migration_name;
/// let create = |n: &str| Op::CreateTable { table: Table::new(n) };
/// assert_eq!(migration_name(&[create("users"), create("posts")]), "create_users_posts");
/// let add = Op::AddColumn { table: "users".into(), column: Column::new("nickname", ColumnType::Text) };
/// assert_eq!(migration_name(&[add]), "add_nickname_to_users");
/// assert_eq!(migration_name(&[create("users"), create("posts").reverse()]), "alter_posts_and_users");
/// ```
pub fn migration_name(ops: &[Op]) -> String {
    if !ops.is_empty() && ops.iter().all(|o| o.object().is_some()) {
        return object_name(ops);
    }
    // objects changed with tables (views re-created around a column change, ...) follow the tables
    let ops: Vec<&Op> = ops.iter().filter(|o| o.object().is_none()).collect();
    // a change of enum types alone is named after the types
    if ops.iter().all(|o| o.is_enum_op()) {
        if let [Op::RenameEnum { from, to }] = ops.as_slice() {
            let alter = format!("alter_{}", part(to));
            return fit(format!("rename_{}_to_{}", part(from), part(to)), &alter);
        }
    }
    let renamed: BTreeMap<&str, &str> = ops
        .iter()
        .filter_map(|op| match *op {
            Op::RenameTable { from, to } => Some((from.as_str(), to.as_str())),
            _ => None,
        })
        .collect();
    let now = |op: &Op| -> String {
        let t = op.table_name();
        renamed.get(t).copied().unwrap_or(t).to_string()
    };
    let primary: Vec<&Op> = ops.iter().copied().filter(|op| is_primary(op)).collect();
    let named: Vec<&Op> = if primary.is_empty() { ops.clone() } else { primary };
    let mut tables: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for op in &named {
        let t = now(op);
        if seen.insert(t.clone()) {
            tables.push(t);
        }
    }
    if named.iter().all(|op| matches!(op, Op::CreateTable { .. })) {
        return listed("create", &tables);
    }
    if named.iter().all(|op| matches!(op, Op::DropTable { .. })) {
        return listed("drop", &tables);
    }
    match tables.as_slice() {
        [] => "alter_schema".to_string(),
        [table] => {
            let alter = format!("alter_{}", part(table));
            let one = match named.as_slice() {
                [op] if ops.iter().all(|o| now(o) != *table || *o == *op || caused(op, o)) => single(op, table),
                _ => None,
            };
            fit(one.unwrap_or_else(|| alter.clone()), &alter)
        }
        _ => {
            tables.sort();
            let first = part(&tables[0]);
            let all = if tables.len() == 2 {
                format!("alter_{first}_and_{}", part(&tables[1]))
            } else {
                format!("alter_{first}_and_{}_more", tables.len() - 1)
            };
            fit(all, &format!("alter_{}_tables", tables.len()))
        }
    }
}

/// The name of a migration that only changes objects beyond tables: `create_<objects>`,
/// `drop_<objects>`, `replace_<object>` (one definition changed), `alter_<object>`,
/// `alter_<a>_and_<b>`, `alter_<a>_and_<n>_more`.
fn object_name(ops: &[Op]) -> String {
    let mut names: Vec<String> = Vec::new();
    for op in ops {
        let name = op.table_name().to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if ops.iter().all(|o| matches!(o, Op::CreateObject { .. })) {
        return listed("create", &names);
    }
    if ops.iter().all(|o| matches!(o, Op::DropObject { .. })) {
        return listed("drop", &names);
    }
    match names.as_slice() {
        [one] => {
            let alter = format!("alter_{}", part(one));
            let replace = matches!(ops, [Op::ReplaceObject { .. }]);
            let name = if replace {
                format!("replace_{}", part(one))
            } else {
                alter.clone()
            };
            fit(name, &alter)
        }
        _ => {
            names.sort();
            let first = part(&names[0]);
            let all = if names.len() == 2 {
                format!("alter_{first}_and_{}", part(&names[1]))
            } else {
                format!("alter_{first}_and_{}_more", names.len() - 1)
            };
            fit(all, &format!("alter_{}_objects", names.len()))
        }
    }
}

/// A table or column change, as opposed to a constraint, index or foreign key change.
fn is_primary(op: &Op) -> bool {
    matches!(
        op,
        Op::CreateTable { .. }
            | Op::DropTable { .. }
            | Op::RenameTable { .. }
            | Op::MoveTable { .. }
            | Op::SetTableComment { .. }
            | Op::AddColumn { .. }
            | Op::DropColumn { .. }
            | Op::RenameColumn { .. }
            | Op::AlterColumn { .. }
    )
}

/// `other` is part of the single change `op` of the same table: a key, index or foreign key over
/// the added (dropped) column added (dropped) with it, or a constraint or index renamed with a
/// table or column rename.
fn caused(op: &Op, other: &Op) -> bool {
    let has = |cols: &[String], c: &str| cols.iter().any(|x| x == c);
    match (op, other) {
        (Op::AddColumn { column, .. }, other) => match other {
            Op::AddPrimaryKey { pk, .. } => has(&pk.columns, &column.name),
            Op::AddUnique { unique, .. } => has(&unique.columns, &column.name),
            Op::CreateIndex { index, .. } => has(&index.columns, &column.name),
            Op::AddForeignKey { fk, .. } => has(&fk.columns, &column.name),
            _ => false,
        },
        (Op::DropColumn { column, .. }, other) => match other {
            Op::DropPrimaryKey { pk, .. } => has(&pk.columns, &column.name),
            Op::DropUnique { unique, .. } => has(&unique.columns, &column.name),
            Op::DropIndex { index, .. } => has(&index.columns, &column.name),
            Op::DropForeignKey { fk, .. } => has(&fk.columns, &column.name),
            _ => false,
        },
        (Op::RenameColumn { .. } | Op::RenameTable { .. }, other) => {
            matches!(other, Op::RenameConstraint { .. } | Op::RenameIndex { .. })
        }
        _ => false,
    }
}

/// The name of one column or table change of `table`, when it has its own form.
fn single(op: &Op, table: &str) -> Option<String> {
    let t = part(table);
    match op {
        Op::AddColumn { column, .. } => Some(format!("add_{}_to_{t}", part(&column.name))),
        Op::DropColumn { column, .. } => Some(format!("drop_{}_from_{t}", part(&column.name))),
        Op::RenameColumn { from, to, .. } => Some(format!("rename_{}_to_{}_in_{t}", part(from), part(to))),
        Op::RenameTable { from, to } => Some(format!("rename_{}_to_{}", part(from), part(to))),
        Op::MoveTable { to, .. } => Some(format!("move_{t}_to_{}", part(to.as_deref().unwrap_or("default")))),
        _ => None,
    }
}

/// `name` when it fits, else `fallback` when it fits, else `fallback` cut to fit.
fn fit(name: String, fallback: &str) -> String {
    if name.len() <= MAX {
        return name;
    }
    if fallback.len() <= MAX {
        return fallback.to_string();
    }
    fallback[..MAX].trim_end_matches('_').to_string()
}

fn listed(verb: &str, tables: &[String]) -> String {
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

/// [`sanitize`]d, or `x` when nothing is left.
fn part(name: &str) -> String {
    let s = sanitize(name);
    if s.is_empty() {
        "x".to_string()
    } else {
        s
    }
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
    use crate::ir::{Column, ColumnType, Table};
    use crate::ops::fixtures::{fk, index};

    fn create(n: &str) -> Op {
        Op::CreateTable { table: Table::new(n) }
    }

    fn add(t: &str, c: &str) -> Op {
        Op::AddColumn {
            table: t.into(),
            column: Column::new(c, ColumnType::Text),
        }
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
        let ix = Op::CreateIndex {
            table: "users".into(),
            index: index("users", &["a"], false),
        };
        assert_eq!(migration_name(&[create("users"), ix.clone()]), "create_users");
        assert_eq!(migration_name(std::slice::from_ref(&ix)), "alter_users");
        assert_eq!(migration_name(&[add("users", "nickname"), ix]), "alter_users");
        let its_index = Op::CreateIndex {
            table: "users".into(),
            index: index("users", &["nickname"], true),
        };
        assert_eq!(
            migration_name(&[add("users", "nickname"), its_index]),
            "add_nickname_to_users"
        );
    }

    #[test]
    fn column_changes() {
        assert_eq!(migration_name(&[add("users", "nickname")]), "add_nickname_to_users");
        assert_eq!(
            migration_name(&[add("users", "nickname").reverse()]),
            "drop_nickname_from_users"
        );
        let rename = Op::RenameColumn {
            table: "posts".into(),
            from: "body".into(),
            to: "content".into(),
        };
        assert_eq!(migration_name(&[rename]), "rename_body_to_content_in_posts");
        let two = [add("users", "a"), add("users", "b")];
        assert_eq!(migration_name(&two), "alter_users");
        let comment = Op::SetTableComment {
            table: "posts".into(),
            from: None,
            to: Some("x".into()),
        };
        assert_eq!(migration_name(&[comment]), "alter_posts");
    }

    #[test]
    fn a_table_rename_with_the_renames_it_causes() {
        let mut ops = vec![
            Op::RenameTable {
                from: "users".into(),
                to: "people".into(),
            },
            Op::RenameConstraint {
                table: "people".into(),
                from: "pk_users".into(),
                to: "pk_people".into(),
            },
            Op::RenameConstraint {
                table: "posts".into(),
                from: "fk_posts_users_id_users".into(),
                to: "fk_posts_users_id_people".into(),
            },
        ];
        assert_eq!(migration_name(&ops), "rename_users_to_people");
        // Anything else on the renamed table (named by its new name) makes it an alter.
        ops.insert(
            0,
            Op::DropIndex {
                table: "users".into(),
                index: index("users", &["a"], false),
            },
        );
        assert_eq!(migration_name(&ops), "alter_people");
    }

    #[test]
    fn several_tables() {
        let fk_op = Op::AddForeignKey {
            table: "posts".into(),
            fk: fk("posts", &["a"], "users", &["id"]),
        };
        assert_eq!(
            migration_name(&[add("users", "a"), add("posts", "a")]),
            "alter_posts_and_users"
        );
        assert_eq!(migration_name(&[fk_op.clone(), add("users", "a")]), "add_a_to_users");
        let with_its_fk = Op::AddForeignKey {
            table: "users".into(),
            fk: fk("users", &["a"], "teams", &["id"]),
        };
        assert_eq!(migration_name(&[add("users", "a"), with_its_fk]), "add_a_to_users");
        let other_fk = Op::AddForeignKey {
            table: "users".into(),
            fk: fk("users", &["b"], "teams", &["id"]),
        };
        assert_eq!(migration_name(&[add("users", "a"), other_fk]), "alter_users");
        let three = [add("users", "a"), add("posts", "a"), create("tags")];
        assert_eq!(migration_name(&three), "alter_posts_and_2_more");
        let long = [add("a_really_long_table_name_here", "a"), add("b", "a")];
        assert_eq!(migration_name(&long), "alter_2_tables");
    }

    #[test]
    fn long_names_fall_back() {
        assert_eq!(
            migration_name(&[add("users", "a_very_long_column_name_indeed")]),
            "alter_users"
        );
        let table = "an_extremely_long_table_name_for_this";
        assert_eq!(migration_name(&[add(table, "x")]), "alter_an_extremely_long_table_na");
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
        assert_eq!(migration_name(&[add("数据", "名")]), "add_x_to_x");
        for name in ["Blog Posts!", "数据", "__x__", "a-b-c", &"é".repeat(40)] {
            for ops in [
                vec![create(name), create("zz")],
                vec![add(name, name)],
                vec![add(name, "a"), add("b", name)],
            ] {
                let got = migration_name(&ops);
                assert!(valid(&got), "{name:?} gave {got:?}");
            }
        }
    }
}
