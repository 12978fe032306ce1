//! Turn catalog rows into IR tables.

use super::rows::{ColumnRow, ConstraintRow, IndexRow, TableRow};
use crate::introspect::default::read_default;
use crate::introspect::{skipped_table, IntrospectError};
use crate::ir::{
    Check, Column, ColumnType, FkAction, ForeignKey, IdentityKind, Index, PrimaryKey, Schema, Table, UniqueConstraint,
};

pub(super) fn schema(
    tables: Vec<TableRow>,
    columns: Vec<ColumnRow>,
    constraints: Vec<ConstraintRow>,
    indexes: Vec<IndexRow>,
) -> Result<Schema, IntrospectError> {
    let mut out = Vec::new();
    for row in tables.into_iter().filter(|t| !skipped_table(&t.name)) {
        let name = row.name;
        let mut t = Table::new(name.clone());
        t.comment = row.comment;
        for c in columns.iter().filter(|c| c.table_name == name) {
            t.columns.push(column(&name, c)?);
        }
        for k in constraints.iter().filter(|k| k.table_name == name) {
            add_constraint(&mut t, k)?;
        }
        t.indexes = indexes.iter().filter(|i| i.table_name == name).map(index).collect();
        out.push(t);
    }
    Ok(Schema::new(out))
}

fn column(table: &str, c: &ColumnRow) -> Result<Column, IntrospectError> {
    let ty = match (&c.enum_name, &c.enum_values) {
        // an enum type: its labels in `enumsortorder` order
        (Some(name), Some(values)) => ColumnType::Enum(crate::ir::EnumType::new(name.clone(), values.iter().cloned())),
        _ => ColumnType::parse_sql(&c.ty).map_err(|source| IntrospectError::Type {
            table: table.to_string(),
            column: c.name.clone(),
            ty: c.ty.clone(),
            source,
        })?,
    };
    let mut col = Column::new(c.name.clone(), ty);
    col.nullable = !c.not_null;
    col.identity = !c.identity.trim().is_empty();
    if c.identity.trim() == "a" {
        col.identity_kind = IdentityKind::Always;
    }
    col.comment = c.comment.clone();
    match c.default_sql.as_deref() {
        Some(d) if c.generated.trim() == "s" => col.generated = Some(crate::ir::Generated::stored(d)),
        Some(d) if d.starts_with("nextval(") => {
            col.identity = true;
            col.identity_kind = IdentityKind::Serial;
        }
        Some(d) => col.default = Some(read_default(d)),
        None => {}
    }
    Ok(col)
}

fn add_constraint(t: &mut Table, k: &ConstraintRow) -> Result<(), IntrospectError> {
    let name = k.name.clone();
    let columns = k.columns.clone();
    match k.kind.as_str() {
        "p" => t.primary_key = Some(PrimaryKey { name, columns }),
        "u" => t.uniques.push(UniqueConstraint { name, columns }),
        "c" => t.checks.push(Check {
            name,
            sql: check_expr(&k.definition),
        }),
        "f" => {
            let action = |code: &str| {
                fk_action(code).ok_or_else(|| IntrospectError::FkAction {
                    table: t.name.clone(),
                    name: k.name.clone(),
                    action: code.to_string(),
                })
            };
            let fk = ForeignKey {
                name,
                columns,
                ref_table: k.ref_table.clone().unwrap_or_default(),
                ref_columns: k.ref_columns.clone(),
                on_delete: action(&k.on_delete)?,
                on_update: action(&k.on_update)?,
            };
            t.foreign_keys.push(fk);
        }
        _ => {}
    }
    Ok(())
}

fn index(i: &IndexRow) -> Index {
    Index {
        name: i.name.clone(),
        columns: i.columns.clone(),
        unique: i.is_unique,
        where_sql: i.predicate.clone(),
    }
}

/// `confdeltype` / `confupdtype` codes.
fn fk_action(code: &str) -> Option<FkAction> {
    match code {
        "a" => Some(FkAction::NoAction),
        "r" => Some(FkAction::Restrict),
        "c" => Some(FkAction::Cascade),
        "n" => Some(FkAction::SetNull),
        "d" => Some(FkAction::SetDefault),
        _ => None,
    }
}

/// `CHECK ((price > 0)) NOT VALID` → `price > 0`: the expression inside `CHECK (...)`, without the
/// parentheses PostgreSQL adds around it.
fn check_expr(def: &str) -> String {
    let body = def.trim().strip_prefix("CHECK").unwrap_or(def).trim_start();
    let mut s = match matching_close(body) {
        Some(close) => &body[..=close],
        None => body,
    };
    while s.starts_with('(') && matching_close(s) == Some(s.len() - 1) {
        s = s[1..s.len() - 1].trim();
    }
    s.to_string()
}

/// Byte index of the `)` closing the `(` that starts `s` (quotes respected).
fn matching_close(s: &str) -> Option<usize> {
    if !s.starts_with('(') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_expressions_lose_the_check_wrapper() {
        assert_eq!(check_expr("CHECK ((price > (0)::numeric))"), "price > (0)::numeric");
        assert_eq!(
            check_expr("CHECK (((a > 0) AND (b > 0))) NOT VALID"),
            "(a > 0) AND (b > 0)"
        );
        assert_eq!(check_expr("CHECK ((name <> ')'::text))"), "name <> ')'::text");
        assert_eq!(check_expr("CHECK ((a > 0)"), "((a > 0)");
    }

    #[test]
    fn action_codes() {
        assert_eq!(fk_action("c"), Some(FkAction::Cascade));
        assert_eq!(fk_action("n"), Some(FkAction::SetNull));
        assert_eq!(fk_action("?"), None);
    }

    /// A catalog row with an action code the IR does not know (PostgreSQL has none today: a newer
    /// server's) is `IntrospectError::FkAction`, naming the table, the constraint and the code.
    #[test]
    fn an_unknown_action_code_is_an_error_naming_the_foreign_key() {
        let fk = ConstraintRow {
            table_name: "posts".into(),
            name: "fk_posts_author_id_users".into(),
            kind: "f".into(),
            columns: vec!["author_id".into()],
            ref_table: Some("users".into()),
            ref_columns: vec!["id".into()],
            on_delete: "x".into(),
            on_update: "a".into(),
            definition: String::new(),
        };
        let table = |name: &str| TableRow {
            name: name.into(),
            comment: None,
        };
        let err = schema(vec![table("users"), table("posts")], Vec::new(), vec![fk], Vec::new()).unwrap_err();
        assert!(
            matches!(&err, IntrospectError::FkAction { table, name, action }
                if table == "posts" && name == "fk_posts_author_id_users" && action == "x"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "table \"posts\": foreign key \"fk_posts_author_id_users\": unknown referential action `x`; \
             expected CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION"
        );
    }
}
