//! The text of `up.sql` and `down.sql`.

use super::dialect::Steps;
use crate::ir::Dialect;
use crate::ops::Op;
use crate::render::{comment_line, render_op};

/// Which file is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// `up.sql`.
    Up,
    /// `down.sql`: undoes `up.sql`.
    Down,
}

/// The file: a header (the migration's name, then one line per change), then each statement ending with `;` and a newline, statements
/// separated by one blank line. SQLite's table rebuild block (if any) runs at its place among the
/// ops, and its checks last. Ops that lose data get a `-- DATA LOSS:` line above their SQL; in
/// `down.sql`, ops that re-create what `up.sql` destroyed get a `-- note:` that the data is not
/// restored.
pub(super) fn script(name: &str, direction: Direction, steps: &Steps, dialect: Dialect) -> String {
    let title = match direction {
        Direction::Up => comment_line(name),
        Direction::Down => comment_line(&format!("undo {name}")),
    };
    let rebuild = steps.rebuild.as_ref();
    let mut described: Vec<&Op> = steps.ops.iter().collect();
    if let Some(r) = rebuild {
        let at = r.at.min(described.len());
        described.splice(at..at, r.ops.iter());
    }
    let header = std::iter::once(title)
        .chain(
            described
                .iter()
                .map(|op| comment_line(&format!("  - {}", op.describe()))),
        )
        .collect::<Vec<_>>()
        .join("\n");
    let mut blocks = vec![header];
    if steps.commit_after.is_some() {
        blocks.push(format!(
            "{}\nBEGIN;",
            comment_line(
                "new enum values are used below: PostgreSQL needs them committed first, so this migration runs \
                 outside Diesel's transaction (metadata.toml) in two transactions of its own"
            )
        ));
    }
    for (comment, statement) in &steps.preamble {
        blocks.push(format!("{comment}\n{statement};"));
    }
    let rebuild_sql = |blocks: &mut Vec<String>| {
        if let Some(r) = rebuild {
            blocks.extend(r.statements.iter().map(|s| format!("{s};")));
        }
    };
    for (i, op) in steps.ops.iter().enumerate() {
        if rebuild.is_some_and(|r| r.at == i) {
            rebuild_sql(&mut blocks);
        }
        let mut statements = render_op(op, dialect).into_iter().map(|s| format!("{s};"));
        let Some(first) = statements.next() else {
            continue;
        };
        blocks.push(
            notes(op, direction)
                .into_iter()
                .chain([first])
                .collect::<Vec<_>>()
                .join("\n"),
        );
        blocks.extend(statements);
        if steps.commit_after == Some(i) {
            blocks.push(format!(
                "{}\nCOMMIT;",
                comment_line("the new enum values are committed: the statements below may use them")
            ));
        }
    }
    if rebuild.is_some_and(|r| r.at >= steps.ops.len()) {
        rebuild_sql(&mut blocks);
    }
    if let Some(r) = rebuild {
        blocks.extend(r.checks.iter().map(|s| format!("{s};")));
    }
    let mut text = blocks.join("\n\n");
    text.push('\n');
    text
}

/// Comment lines above an op's first statement.
pub(super) fn notes(op: &Op, direction: Direction) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(lost) = op.data_loss() {
        lines.push(comment_line(&format!("DATA LOSS: {lost}")));
    }
    // a removed enum value loses no rows (the removal fails while rows hold it): nothing to note
    if direction == Direction::Down && !matches!(op, Op::ChangeEnumValues { .. }) {
        if let Some(lost) = op.reverse().data_loss() {
            lines.push(comment_line(&format!(
                "note: up.sql {lost}; this does not bring the rows back"
            )));
        }
    }
    lines
}
