//! Table names across the renames of one migration, and which tables a rebuild drags along.

use crate::ir::{FkAction, Schema};
use crate::ops::Op;
use std::collections::{BTreeMap, BTreeSet};

/// The table renames of one list of ops. A table is known by its name after the migration.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// Old name → new name.
    renames: BTreeMap<String, String>,
    /// Position of the first [`Op::RenameTable`]: ops before it name tables by their old name.
    first_rename: Option<usize>,
}

impl Names {
    pub(super) fn new(ops: &[Op]) -> Names {
        let mut names = Names::default();
        for (i, op) in ops.iter().enumerate() {
            if let Op::RenameTable { from, to } = op {
                names.first_rename.get_or_insert(i);
                names.renames.insert(from.clone(), to.clone());
            }
        }
        names
    }

    /// The name after the migration of the table `ops[i]` changes.
    pub(super) fn now(&self, ops: &[Op], i: usize) -> String {
        let Some(op) = ops.get(i) else {
            return String::new();
        };
        let name = op.table_name();
        match self.first_rename {
            Some(first) if i < first && !matches!(op, Op::RenameTable { .. }) => self.after(name).to_string(),
            _ => name.to_string(),
        }
    }

    /// The name after the migration of the table called `old` before it.
    pub(super) fn after<'a>(&'a self, old: &'a str) -> &'a str {
        self.renames.get(old).map_or(old, String::as_str)
    }

    /// The name before the migration of the table called `new` after it.
    pub(super) fn before<'a>(&'a self, new: &'a str) -> &'a str {
        self.renames
            .iter()
            .find(|(_, n)| *n == new)
            .map_or(new, |(old, _)| old.as_str())
    }
}

/// `rebuilt` and every table kept by the migration whose rows dropping a rebuilt table would change:
/// those with a foreign key into a rebuilt table that says `ON DELETE CASCADE`, `SET NULL` or
/// `SET DEFAULT`, transitively. Tables are named as after the migration.
pub(super) fn with_dependents(
    mut rebuilt: BTreeSet<String>,
    from: &Schema,
    to: &Schema,
    names: &Names,
    ops: &[Op],
) -> BTreeSet<String> {
    let dropped = |name: &str| {
        ops.iter()
            .any(|o| matches!(o, Op::DropTable { table } if table.name == name))
    };
    loop {
        let more: Vec<String> = from
            .tables
            .iter()
            .filter(|t| !dropped(&t.name))
            .map(|t| (t, names.after(&t.name)))
            .filter(|(_, now)| to.table(now).is_some() && !rebuilt.contains(*now))
            .filter(|(t, _)| {
                t.foreign_keys.iter().any(|fk| {
                    matches!(
                        fk.on_delete,
                        FkAction::Cascade | FkAction::SetNull | FkAction::SetDefault
                    ) && rebuilt.contains(names.after(&fk.ref_table))
                })
            })
            .map(|(_, now)| now.to_string())
            .collect();
        if more.is_empty() {
            return rebuilt;
        }
        rebuilt.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::fixtures::{posts, table_with_id, users};

    #[test]
    fn ops_before_the_renames_use_old_names() {
        let ops = vec![
            Op::DropIndex {
                table: "users".into(),
                index: crate::ops::fixtures::index("users", &["a"], false),
            },
            Op::RenameTable {
                from: "users".into(),
                to: "people".into(),
            },
            Op::AddCheck {
                table: "people".into(),
                check: crate::ir::Check {
                    name: "c".into(),
                    sql: "1".into(),
                },
            },
        ];
        let names = Names::new(&ops);
        assert_eq!((0..3).map(|i| names.now(&ops, i)).collect::<Vec<_>>(), ["people"; 3]);
        assert_eq!(names.before("people"), "users");
        assert_eq!(names.after("users"), "people");
        assert_eq!(names.before("posts"), "posts");
        assert_eq!(names.now(&ops, 9), "");
    }

    #[test]
    fn cascading_references_are_rebuilt_too() {
        let mut cascading = posts();
        cascading.foreign_keys[0].on_delete = FkAction::Cascade;
        let mut comments = crate::ops::fixtures::referencing(table_with_id("comments"), "posts", false);
        comments.foreign_keys[0].on_delete = FkAction::SetNull;
        let plain = crate::ops::fixtures::referencing(table_with_id("likes"), "users", false);
        let schema = Schema::new(vec![users(), cascading, comments, plain]);
        let got = with_dependents(
            BTreeSet::from(["users".to_string()]),
            &schema,
            &schema,
            &Names::default(),
            &[],
        );
        assert_eq!(got.into_iter().collect::<Vec<_>>(), ["comments", "posts", "users"]);
        let without_posts = Schema::new(vec![users(), posts()]);
        let drop = [Op::DropTable { table: posts() }];
        let got = with_dependents(
            BTreeSet::from(["users".into()]),
            &schema,
            &without_posts,
            &Names::default(),
            &drop,
        );
        assert_eq!(got.len(), 1, "a dropped table is not rebuilt");
    }
}
