//! The creation order of a set of tables that reference each other.

use crate::ir::{ForeignKey, Table};
use std::collections::{BTreeMap, BTreeSet};

/// Tables in an order they can be created in, and the foreign keys taken out of them to break
/// reference cycles (to be added once every table exists).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Sequence {
    /// The tables, each after the tables it references; cycle-closing foreign keys removed.
    pub tables: Vec<Table>,
    /// `(table, fk)` taken out of `tables`, in table order then declaration order.
    pub deferred: Vec<(String, ForeignKey)>,
}

/// Sort `tables` so each comes after the tables it references (self-references stay inline;
/// references to tables outside the set are ignored). Cycles are broken by deferring the foreign
/// keys that close them, found by a depth-first walk in name order. Ties go by name, so the
/// result does not depend on the input order.
pub(super) fn creation_sequence(tables: Vec<Table>) -> Sequence {
    let mut by_name: BTreeMap<String, Table> = tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let cut = cycle_closing_fks(&by_name);
    let mut deferred_of: BTreeMap<String, Vec<ForeignKey>> = BTreeMap::new();
    for (table, position) in cut.iter().rev() {
        if let Some(t) = by_name.get_mut(table) {
            let fk = t.foreign_keys.remove(*position);
            deferred_of.entry(table.clone()).or_default().insert(0, fk);
        }
    }
    let order = topological(&by_name);
    let mut seq = Sequence::default();
    for name in order {
        if let Some(t) = by_name.remove(&name) {
            for fk in deferred_of.remove(&name).unwrap_or_default() {
                seq.deferred.push((name.clone(), fk));
            }
            seq.tables.push(t);
        }
    }
    seq
}

/// Names of the other tables of the set that `table` references.
fn dependencies<'a>(table: &'a Table, set: &'a BTreeMap<String, Table>) -> impl Iterator<Item = &'a str> + 'a {
    table
        .referenced_tables()
        .filter(move |r| *r != table.name && set.contains_key(*r))
}

/// `(table, fk position)` of each foreign key that points back to a table on the current
/// depth-first path, sorted.
fn cycle_closing_fks(set: &BTreeMap<String, Table>) -> BTreeSet<(String, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    fn visit(
        name: &str,
        set: &BTreeMap<String, Table>,
        marks: &mut BTreeMap<String, Mark>,
        cut: &mut BTreeSet<(String, usize)>,
    ) {
        let Some(table) = set.get(name) else { return };
        marks.insert(name.to_string(), Mark::OnPath);
        for (i, fk) in table.foreign_keys.iter().enumerate() {
            let target = fk.ref_table.as_str();
            if target == name || !set.contains_key(target) {
                continue;
            }
            match marks.get(target) {
                Some(Mark::OnPath) => {
                    cut.insert((name.to_string(), i));
                }
                Some(Mark::Done) => {}
                None => visit(target, set, marks, cut),
            }
        }
        marks.insert(name.to_string(), Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut cut = BTreeSet::new();
    for name in set.keys() {
        if !marks.contains_key(name) {
            visit(name, set, &mut marks, &mut cut);
        }
    }
    cut
}

/// Kahn's algorithm, smallest name first among the ready tables. The graph must be acyclic
/// (apart from self-references); a table left over (impossible after the cut) is appended by name.
/// Linear in the number of tables and references (times a log for the name order).
fn topological(set: &BTreeMap<String, Table>) -> Vec<String> {
    let mut waiting_on: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dependents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in set.values() {
        let deps: BTreeSet<&str> = dependencies(t, set).collect();
        waiting_on.insert(t.name.as_str(), deps.len());
        for dep in deps {
            dependents.entry(dep).or_default().push(t.name.as_str());
        }
    }
    let mut ready: BTreeSet<&str> = waiting_on.iter().filter(|(_, n)| **n == 0).map(|(t, _)| *t).collect();
    let mut out = Vec::with_capacity(set.len());
    while let Some(next) = ready.pop_first() {
        waiting_on.remove(next);
        for dependent in dependents.get(next).into_iter().flatten() {
            if let Some(n) = waiting_on.get_mut(dependent) {
                *n -= 1;
                if *n == 0 {
                    ready.insert(dependent);
                }
            }
        }
        out.push(next.to_string());
    }
    out.extend(waiting_on.keys().map(|n| n.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::creation_sequence;
    use crate::ir::Table;
    use crate::ops::fixtures::{categories, chain, mutual, post_tags, posts, referencing, table_with_id, tags, users};

    fn names(tables: &[Table]) -> Vec<&str> {
        tables.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn chain_in_any_input_order() {
        let mut input = chain();
        for _ in 0..3 {
            input.rotate_left(1);
            let seq = creation_sequence(input.clone());
            assert_eq!(names(&seq.tables), ["c", "b", "a"]);
            assert!(seq.deferred.is_empty());
        }
    }

    #[test]
    fn ties_go_by_name() {
        let seq = creation_sequence(vec![post_tags(), users(), tags(), posts()]);
        assert_eq!(names(&seq.tables), ["tags", "users", "posts", "post_tags"]);
    }

    #[test]
    fn self_reference_stays_inline() {
        let seq = creation_sequence(vec![categories()]);
        assert_eq!(seq.tables, [categories()]);
        assert!(seq.deferred.is_empty());
    }

    #[test]
    fn mutual_cycle_defers_the_closing_fk() {
        let seq = creation_sequence(mutual());
        // The walk starts at "authors", goes to "books", whose fk back to "authors" closes the
        // cycle; then "authors" only needs "books".
        assert_eq!(names(&seq.tables), ["books", "authors"]);
        assert_eq!(seq.deferred.len(), 1);
        assert_eq!(seq.deferred[0].0, "books");
        assert_eq!(seq.deferred[0].1.name, "fk_books_authors_id_authors");
        assert!(seq.tables[0].foreign_keys.is_empty());
        assert_eq!(seq.tables[1].foreign_keys.len(), 1);
    }

    #[test]
    fn three_cycle_and_references_to_outside_tables() {
        // x → y → z → x, and y → users (not in the set).
        let x = referencing(table_with_id("x"), "y", true);
        let y = referencing(referencing(table_with_id("y"), "z", true), "users", false);
        let z = referencing(table_with_id("z"), "x", true);
        let seq = creation_sequence(vec![z, y, x]);
        assert_eq!(names(&seq.tables), ["z", "y", "x"]);
        let deferred: Vec<&str> = seq.deferred.iter().map(|(_, fk)| fk.name.as_str()).collect();
        assert_eq!(deferred, ["fk_z_x_id_x"]);
    }
}
