//! Which ops a dialect cannot run with its own statements, and why. On SQLite the plan rebuilds the
//! tables of those ops (see `plan::sqlite`); on MySQL it refuses them. [`super::render_op`] renders
//! only a comment line for them.

use crate::ir::{Column, DefaultValue, Dialect};
use crate::ops::Op;

/// Why SQLite needs a table rebuild.
const REBUILD: &str = "SQLite can only do this by rebuilding the table, which the migration plan does";

/// Why `dialect` cannot run `op` with its own statements, or `None` when it can.
///
/// On SQLite that is every change of an existing column or constraint except renames, added
/// columns SQLite accepts and dropped non-key columns (comments render nothing there, which is
/// right: SQLite has none). On MySQL it is [`Op::RenameConstraint`] and a partial index
/// ([`Op::CreateIndex`] with `where_sql`), which MySQL does not have. PostgreSQL runs every op.
pub(crate) fn unsupported(op: &Op, dialect: Dialect) -> Option<String> {
    if let Op::CreateObject { object } | Op::DropObject { object } | Op::ReplaceObject { to: object, .. } = op {
        return super::objects::unsupported(object, dialect);
    }
    if let (Op::MoveTable { .. }, Dialect::Sqlite | Dialect::Mysql) = (op, dialect) {
        return Some("schemas are PostgreSQL's".into());
    }
    match dialect {
        Dialect::Postgres => None,
        Dialect::Sqlite => sqlite(op),
        Dialect::Mysql => mysql(op),
    }
}

fn mysql(op: &Op) -> Option<String> {
    match op {
        Op::RenameConstraint { .. } => Some("MySQL cannot rename a constraint".into()),
        Op::CreateIndex { index, .. } if index.where_sql.is_some() => Some(
            "MySQL has no partial indexes: remove `where_sql` (the index then covers every row) or write this \
             migration by hand"
                .into(),
        ),
        _ => None,
    }
}

fn sqlite(op: &Op) -> Option<String> {
    match op {
        Op::AlterColumn { from, to, .. } => {
            let comment_only = Column {
                comment: to.comment.clone(),
                ..from.clone()
            } == *to;
            (!comment_only).then(|| format!("changing a column: {REBUILD}"))
        }
        Op::AddColumn { column, .. } => sqlite_add_column(column),
        Op::DropColumn { column, .. } if column.identity => {
            Some(format!("SQLite cannot drop a primary key column: {REBUILD}"))
        }
        Op::AddPrimaryKey { .. }
        | Op::DropPrimaryKey { .. }
        | Op::AddUnique { .. }
        | Op::DropUnique { .. }
        | Op::AddCheck { .. }
        | Op::DropCheck { .. }
        | Op::RenameConstraint { .. } => Some(format!("changing a constraint of an existing table: {REBUILD}")),
        Op::RenameIndex { .. } => Some(
            "SQLite has no way to rename an index, and re-creating it needs its definition, which a rename does not \
             carry"
                .into(),
        ),
        _ => None,
    }
}

/// SQLite's rules for `ALTER TABLE .. ADD COLUMN`: no primary key column, a `NOT NULL` column needs
/// a non-NULL default, and the default must be constant.
fn sqlite_add_column(column: &Column) -> Option<String> {
    if let Some(g) = &column.generated {
        return (!g.is_virtual)
            .then(|| format!("SQLite adds a stored generated column only to a new table: {REBUILD}"));
    }
    let rule = if column.identity {
        "SQLite cannot add a primary key column"
    } else {
        match &column.default {
            None if !column.nullable => "SQLite adds a NOT NULL column only with a default: give it a `default`",
            Some(DefaultValue::Sql(sql)) if !looks_constant(sql) => {
                "SQLite adds a column only with a constant default, and this `default_sql` may not be one"
            }
            Some(DefaultValue::Sql(sql)) if !column.nullable && sql.trim().eq_ignore_ascii_case("null") => {
                "SQLite adds a NOT NULL column only with a non-NULL default"
            }
            _ => return None,
        }
    };
    Some(format!("{rule}: {REBUILD}"))
}

/// `true` when `sql` is plainly a constant: numbers, quoted strings, signs and parentheses, or one
/// of `TRUE`, `FALSE`, `NULL`. Anything else (a function call, `CURRENT_TIMESTAMP`, ...) might not
/// be, so it is not trusted.
fn looks_constant(sql: &str) -> bool {
    let word = sql.trim().to_ascii_lowercase();
    if matches!(word.as_str(), "true" | "false" | "null") {
        return true;
    }
    let mut in_string = false;
    sql.chars().all(|c| {
        if c == '\'' {
            in_string = !in_string;
        }
        in_string || c == '\'' || c.is_ascii_digit() || c.is_whitespace() || "+-.()".contains(c)
    }) && !in_string
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ColumnType, Literal};
    use crate::ops::fixtures::{col, nullable};

    fn add(column: Column) -> Op {
        Op::AddColumn {
            table: "t".into(),
            column,
        }
    }

    fn with_default(column: Column, default: DefaultValue) -> Column {
        Column {
            default: Some(default),
            ..column
        }
    }

    #[test]
    fn constants() {
        for sql in ["0", "-1.5", "'it''s'", "('a')", " TRUE ", "null"] {
            assert!(looks_constant(sql), "{sql}");
        }
        for sql in ["now()", "CURRENT_TIMESTAMP", "'a' || x", "'open"] {
            assert!(!looks_constant(sql), "{sql}");
        }
    }

    #[test]
    fn sqlite_add_column_rules() {
        let ok = [
            nullable("a", ColumnType::Text),
            with_default(
                col("a", ColumnType::Text),
                DefaultValue::Literal(Literal::Str("x".into())),
            ),
            with_default(col("a", ColumnType::Integer), DefaultValue::Sql("0".into())),
        ];
        for c in ok {
            assert_eq!(unsupported(&add(c.clone()), Dialect::Sqlite), None, "{c:?}");
        }
        let refused = [
            col("a", ColumnType::Text),
            with_default(
                nullable("a", ColumnType::Timestamp),
                DefaultValue::Sql("CURRENT_TIMESTAMP".into()),
            ),
            with_default(col("a", ColumnType::Text), DefaultValue::Sql("NULL".into())),
            Column {
                identity: true,
                ..col("id", ColumnType::BigInt)
            },
        ];
        for c in refused {
            let why = unsupported(&add(c.clone()), Dialect::Sqlite);
            assert!(why.is_some_and(|w| w.contains("rebuilding the table")), "{c:?}");
            assert_eq!(unsupported(&add(c), Dialect::Postgres), None);
        }
    }

    #[test]
    fn sqlite_alters_only_comments() {
        let from = nullable("a", ColumnType::Text);
        let comment = Column {
            comment: Some("x".into()),
            ..from.clone()
        };
        let alter = |to: Column| Op::AlterColumn {
            table: "t".into(),
            from: from.clone(),
            to,
        };
        assert_eq!(unsupported(&alter(comment), Dialect::Sqlite), None);
        assert!(unsupported(&alter(col("a", ColumnType::Text)), Dialect::Sqlite).is_some());
        assert_eq!(unsupported(&alter(col("a", ColumnType::Text)), Dialect::Mysql), None);
    }

    #[test]
    fn renames_of_constraints() {
        let op = Op::RenameConstraint {
            table: "t".into(),
            from: "a".into(),
            to: "b".into(),
        };
        assert!(unsupported(&op, Dialect::Mysql).is_some());
        assert!(unsupported(&op, Dialect::Sqlite).is_some());
        assert_eq!(unsupported(&op, Dialect::Postgres), None);
    }

    #[test]
    fn mysql_refuses_partial_indexes() {
        let mut index = crate::ops::fixtures::index("t", &["a"], true);
        let op = |index: &crate::ir::Index| Op::CreateIndex {
            table: "t".into(),
            index: index.clone(),
        };
        assert_eq!(unsupported(&op(&index), Dialect::Mysql), None);
        index.where_sql = Some("a > 0".into());
        let why = unsupported(&op(&index), Dialect::Mysql).unwrap_or_default();
        assert!(why.contains("MySQL has no partial indexes"), "{why}");
        assert_eq!(unsupported(&op(&index), Dialect::Postgres), None);
        assert_eq!(
            unsupported(&op(&index).reverse(), Dialect::Mysql),
            None,
            "dropping one is fine"
        );
    }
}
