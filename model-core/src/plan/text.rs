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
            crate::ops::describe_all(described.iter().copied())
                .iter()
                .map(|line| comment_line(&format!("  - {line}"))),
        )
        .collect::<Vec<_>>()
        .join("\n");
    // blocks separated by one blank line, written straight into the text (no list of blocks, no
    // `;`-suffixed copy of each statement)
    let mut blocks = Blocks(header);
    if steps.commit_after.is_some() {
        blocks.push(&format!(
            "{}\nBEGIN;",
            comment_line(
                "new enum values are used below: PostgreSQL needs them committed first, so this migration runs \
                 outside Diesel's transaction (metadata.toml) in two transactions of its own"
            )
        ));
    }
    for (comment, statement) in &steps.preamble {
        blocks.push(&format!("{comment}\n{statement};"));
    }
    let rebuild_sql = |blocks: &mut Blocks| {
        if let Some(r) = rebuild {
            r.statements.iter().for_each(|s| blocks.statement(s));
        }
    };
    let created: std::collections::BTreeSet<&str> = steps
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::CreateTable { table } => Some(table.name.as_str()),
            _ => None,
        })
        .collect();
    for (i, op) in steps.ops.iter().enumerate() {
        if rebuild.is_some_and(|r| r.at == i) {
            rebuild_sql(&mut blocks);
        }
        let mut rendered = render_op(op, dialect);
        if steps.online && dialect == Dialect::Mysql && !created.contains(op.table_name()) {
            rendered = mysql_online(op, rendered);
            if direction == Direction::Up {
                rendered = mysql_copy_note(op, rendered);
            }
        }
        let mut statements = rendered.iter();
        let Some(first) = statements.next() else {
            continue;
        };
        blocks.start();
        for note in notes(op, direction) {
            blocks.0.push_str(&note);
            blocks.0.push('\n');
        }
        blocks.0.push_str(first);
        blocks.0.push(';');
        statements.for_each(|s| blocks.statement(s));
        if steps.commit_after == Some(i) {
            blocks.push(&format!(
                "{}\nCOMMIT;",
                comment_line("the new enum values are committed: the statements below may use them")
            ));
        }
    }
    if rebuild.is_some_and(|r| r.at >= steps.ops.len()) {
        rebuild_sql(&mut blocks);
    }
    if let Some(r) = rebuild {
        r.checks.iter().for_each(|s| blocks.statement(s));
    }
    let mut text = blocks.0;
    text.push('\n');
    text
}

/// The text of a script being written: blocks separated by one blank line (the first block is
/// there from the start).
struct Blocks(String);

impl Blocks {
    /// Begin a block.
    fn start(&mut self) {
        self.0.push_str("\n\n");
    }

    /// A block of its own.
    fn push(&mut self, block: &str) {
        self.start();
        self.0.push_str(block);
    }

    /// A statement as a block of its own, ending with `;`.
    fn statement(&mut self, statement: &str) {
        self.start();
        self.0.push_str(statement);
        self.0.push(';');
    }
}

/// MySQL/MariaDB: the statements of `op`, on a table that existed before the migration, with the
/// clause that makes the server run them online or refuse: an index built or dropped in place
/// without a lock on writes (`ALGORITHM=INPLACE LOCK=NONE`, MySQL 5.6+, MariaDB 10.0+; the drop as
/// `ALTER TABLE .. DROP INDEX .., ALGORITHM=INPLACE, LOCK=NONE`), a column
/// added without touching the rows (`ALGORITHM=INSTANT`, MySQL 8.0.12+, MariaDB 10.3+) when it has
/// no default or a literal one and is neither `AUTO_INCREMENT` nor generated (a stored one computes
/// every row; the server picks its algorithm). Other statements are left as they are.
pub(super) fn mysql_online(op: &Op, mut statements: Vec<String>) -> Vec<String> {
    let clause = match op {
        Op::CreateIndex { .. } => " ALGORITHM=INPLACE LOCK=NONE",
        // MariaDB takes the clauses only in the ALTER TABLE form of the drop
        Op::DropIndex { table, index } => {
            return vec![format!(
                "ALTER TABLE {} DROP INDEX {}, ALGORITHM=INPLACE, LOCK=NONE",
                crate::render::quote_ident(table, Dialect::Mysql),
                crate::render::quote_ident(&index.name, Dialect::Mysql)
            )]
        }
        Op::AddColumn { column, .. }
            if !column.identity
                && column.generated.is_none()
                && !matches!(column.default, Some(crate::ir::DefaultValue::Sql(_))) =>
        {
            ", ALGORITHM=INSTANT"
        }
        _ => return statements,
    };
    if let Some(first) = statements.first_mut() {
        if !first.starts_with("--") {
            first.push_str(clause);
        }
    }
    statements
}

/// MySQL/MariaDB: `statements` of `op` with a `-- REWRITE:` line above when the server copies the
/// whole table to run it (see [`super::online::mysql_copy`]).
pub(super) fn mysql_copy_note(op: &Op, mut statements: Vec<String>) -> Vec<String> {
    if let (Some(what), Some(first)) = (super::online::mysql_copy(op), statements.first_mut()) {
        *first = format!(
            "{}\n{first}",
            comment_line(&format!("REWRITE: {what} (allowed with MODEL_ALLOW_REWRITE)"))
        );
    }
    statements
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
