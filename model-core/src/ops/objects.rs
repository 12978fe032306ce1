//! Words for the ops of objects beyond tables (extensions, views, functions, triggers).

use super::quoted;
use crate::ir::Object;

/// `view "active_users"`, `trigger "touch" on "posts"`.
fn named(object: &Object) -> String {
    match object {
        Object::Trigger(t) => format!("trigger {} on {}", quoted(&t.name), quoted(&t.table)),
        other => format!("{} {}", other.kind(), quoted(other.name())),
    }
}

pub(super) fn describe_create(object: &Object) -> String {
    format!("create {}", named(object))
}

pub(super) fn describe_drop(object: &Object) -> String {
    format!("drop {}", named(object))
}

pub(super) fn describe_replace(from: &Object, to: &Object) -> String {
    if from.kind() == to.kind() {
        format!("replace {}", named(to))
    } else {
        format!("replace {} with {}", named(from), named(to))
    }
}
