//! Diff tests: the exact ops of each change kind, each checked by replaying the ordered ops (and
//! their reverse) on a model of the database (see [`crate::order::validate`]).

mod columns;
mod combined;
mod constraints;
mod enums;
mod foreign_keys;
mod guard;
mod objects;
mod tables;

use super::diff;
use crate::ir::{Schema, Table};
use crate::ops::Op;
use crate::order::validate::State;
use crate::order::{order, reversed};

/// The ordered ops `old → new`, after checking that they turn the database of `old` into exactly
/// that of `new`, and that their reverse brings it back.
fn ordered(old: &[Table], new: &[Table]) -> Vec<Op> {
    let (old, new) = (Schema::new(old.to_vec()), Schema::new(new.to_vec()));
    let up = match diff(&old, &new) {
        Ok(ops) => order(ops),
        Err(e) => panic!("diff failed: {e}"),
    };
    let mut state = State::of(&old);
    if let Err(e) = state.apply(&up, false) {
        panic!("up is not valid: {e}\n{}", words(&up).join("\n"));
    }
    assert_eq!(state, State::of(&new), "up does not give the new schema");
    // the schema the ops lead to (what a merge of branches replays) is the new one
    let replayed = crate::ops::apply(&old, &up).unwrap_or_else(|e| panic!("replay: {e}"));
    let differences = crate::ir::compare(&new, &replayed, crate::ir::Dialect::Postgres);
    assert!(
        differences.is_empty(),
        "replayed ops differ from the new schema: {differences:?}"
    );
    let down = reversed(&up);
    if let Err(e) = state.apply(&down, false) {
        panic!("down is not valid: {e}\n{}", words(&down).join("\n"));
    }
    assert_eq!(state, State::of(&old), "down does not give the old schema back");
    up
}

/// The ops in words.
fn words(ops: &[Op]) -> Vec<String> {
    ops.iter().map(Op::describe).collect()
}

/// `ordered` in words.
fn changes(old: &[Table], new: &[Table]) -> Vec<String> {
    words(&ordered(old, new))
}
