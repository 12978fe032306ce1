//! Pair the constraints (or indexes) of one kind of an old and a new table.

use super::renames::{Object, Renames};
use std::collections::BTreeSet;

/// How the objects of one kind of a table pair up. Old objects are as they were (old column
/// names), new ones as they are.
#[derive(Debug)]
pub(super) struct Pairing<T> {
    /// Same name and definition: `(old, new)`.
    pub kept: Vec<(T, T)>,
    /// Same definition under another name: `(old, new)`.
    pub renamed: Vec<(T, T)>,
    /// Only in the old table (or redefined under the same name).
    pub dropped: Vec<T>,
    /// Only in the new table (or redefined under the same name).
    pub added: Vec<T>,
}

impl<T> Pairing<T> {
    /// Move the pairs whose new object matches `pred` from `kept` and `renamed` to `dropped` and
    /// `added`: what they stand on is dropped and added again, so they go and come back too.
    pub(super) fn release(&mut self, pred: impl Fn(&T) -> bool) {
        for list in [&mut self.kept, &mut self.renamed] {
            let (gone, stay): (Vec<_>, Vec<_>) = std::mem::take(list).into_iter().partition(|(_, n)| pred(n));
            *list = stay;
            for (o, n) in gone {
                self.dropped.push(o);
                self.added.push(n);
            }
        }
    }
}

/// Pair `old` (of the table now called `table`) with `new`: first by name and definition (with
/// the old definition in new names, see [`Renames`]), then by definition alone (a rename), the
/// rest is dropped or added. A rename is only made when its new name is not among `taken` (the
/// names of the old table's constraints and indexes), so renames never collide with each other;
/// otherwise the object is dropped and added. Declaration order is kept in each list.
pub(super) fn pair<T: Object>(
    old: &[T],
    new: &[T],
    renames: &Renames,
    table: &str,
    taken: &BTreeSet<String>,
) -> Pairing<T> {
    let translated: Vec<T> = old.iter().map(|o| o.translated(renames, table)).collect();
    let mut old_left: Vec<Option<usize>> = (0..old.len()).map(Some).collect();
    let mut out = Pairing {
        kept: Vec::new(),
        renamed: Vec::new(),
        dropped: Vec::new(),
        added: Vec::new(),
    };
    let mut new_left = Vec::new();
    for n in new {
        let found = position(&old_left, |i| translated[i] == *n);
        match found {
            Some(slot) => {
                old_left[slot] = None;
                out.kept.push((old[slot].clone(), n.clone()));
            }
            None => new_left.push(n),
        }
    }
    for n in new_left {
        let found = if taken.contains(n.name()) {
            None
        } else {
            position(&old_left, |i| translated[i].same_definition(n))
        };
        match found {
            Some(slot) => {
                old_left[slot] = None;
                out.renamed.push((old[slot].clone(), n.clone()));
            }
            None => out.added.push(n.clone()),
        }
    }
    out.dropped = old_left.iter().flatten().map(|&i| old[i].clone()).collect();
    out
}

/// The first slot still free whose index satisfies `pred`.
fn position(left: &[Option<usize>], pred: impl Fn(usize) -> bool) -> Option<usize> {
    left.iter().flatten().copied().find(|&i| pred(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::UniqueConstraint;

    fn uq(name: &str, cols: &[&str]) -> UniqueConstraint {
        UniqueConstraint {
            name: name.into(),
            columns: cols.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn names(v: &[UniqueConstraint]) -> Vec<&str> {
        v.iter().map(|u| u.name.as_str()).collect()
    }

    #[test]
    fn kept_renamed_dropped_added() {
        let old = [uq("a", &["x"]), uq("b", &["y"]), uq("c", &["z"])];
        let new = [uq("a", &["x"]), uq("b2", &["y"]), uq("c", &["x", "z"])];
        let taken = ["a", "b", "c"].map(String::from).into();
        let p = pair(&old, &new, &Renames::default(), "t", &taken);
        assert_eq!(p.kept.len(), 1);
        assert_eq!(p.renamed, [(uq("b", &["y"]), uq("b2", &["y"]))]);
        assert_eq!(names(&p.dropped), ["c"]);
        assert_eq!(names(&p.added), ["c"]);
    }

    #[test]
    fn a_swap_of_names_is_dropped_and_added() {
        let old = [uq("a", &["x"]), uq("b", &["y"])];
        let new = [uq("a", &["y"]), uq("b", &["x"])];
        let taken = ["a", "b"].map(String::from).into();
        let p = pair(&old, &new, &Renames::default(), "t", &taken);
        assert!(p.renamed.is_empty());
        assert_eq!((p.dropped.len(), p.added.len()), (2, 2));
    }

    #[test]
    fn renamed_columns_keep_the_constraint() {
        let mut r = Renames::default();
        r.column_renamed("t", "old", "new");
        let p = pair(&[uq("u", &["old"])], &[uq("u", &["new"])], &r, "t", &BTreeSet::new());
        assert_eq!(p.kept, [(uq("u", &["old"]), uq("u", &["new"]))]);
    }
}
