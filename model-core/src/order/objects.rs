//! The order of views among themselves: a view after the views it reads.

use crate::ops::Op;
use std::collections::{BTreeMap, BTreeSet};

/// `ops` (sorted by name) reordered so that each op's object comes after the objects of the other
/// ops that it mentions (a view over a view after that view); ties and cycles (which the database
/// would refuse anyway) keep the name order. Linear in the number of ops and mentions, times a log.
pub(super) fn readers_last(ops: Vec<Op>) -> Vec<Op> {
    if ops.len() < 2 {
        return ops;
    }
    let names: BTreeMap<String, usize> = ops
        .iter()
        .enumerate()
        .filter_map(|(i, op)| Some((op.object()?.name().to_lowercase(), i)))
        .collect();
    let mut waiting = vec![0usize; ops.len()];
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); ops.len()];
    for (i, op) in ops.iter().enumerate() {
        let Some(object) = op.object() else { continue };
        let reads: BTreeSet<usize> = object
            .mentions()
            .iter()
            .filter_map(|m| names.get(m).copied())
            .filter(|j| *j != i)
            .collect();
        waiting[i] = reads.len();
        for j in reads {
            readers[j].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..ops.len()).filter(|i| waiting[*i] == 0).collect();
    let mut order = Vec::with_capacity(ops.len());
    let mut done = vec![false; ops.len()];
    while order.len() < ops.len() {
        let next = match ready.pop_first() {
            Some(n) => n,
            // a cycle: go on in name order
            None => match (0..ops.len()).find(|i| !done[*i]) {
                Some(n) => n,
                None => break,
            },
        };
        if done[next] {
            continue;
        }
        done[next] = true;
        order.push(next);
        for r in &readers[next] {
            waiting[*r] = waiting[*r].saturating_sub(1);
            if waiting[*r] == 0 && !done[*r] {
                ready.insert(*r);
            }
        }
    }
    let mut slots: Vec<Option<Op>> = ops.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::readers_last;
    use crate::ir::{Object, View};
    use crate::ops::Op;

    fn create(name: &str, sql: &str) -> Op {
        Op::CreateObject {
            object: Object::View(View::new(name, sql)),
        }
    }

    #[test]
    fn a_view_over_a_view_comes_after_it() {
        let ops = vec![
            create("a_recent", "SELECT * FROM z_active WHERE at > 1"),
            create("m_plain", "SELECT 1"),
            create("z_active", "SELECT * FROM users"),
        ];
        let ordered = readers_last(ops);
        let names: Vec<&str> = ordered.iter().filter_map(|o| o.object().map(|o| o.name())).collect();
        assert_eq!(names, ["m_plain", "z_active", "a_recent"]);
    }

    #[test]
    fn a_cycle_keeps_every_op() {
        let ops = vec![create("a", "SELECT * FROM b"), create("b", "SELECT * FROM a")];
        assert_eq!(readers_last(ops).len(), 2);
    }
}
