//! What MySQL cannot tell apart, made equal before comparing (see [`canonical`]).

use crate::ir::{DefaultValue, FkAction, Literal, Table, UniqueConstraint};

/// `table` as MySQL holds it, so a model and an introspected MySQL database compare equal when they
/// mean the same:
///
/// - the primary key has no name of its own (MySQL calls each one `PRIMARY`);
/// - a unique index without predicate is a unique constraint: MySQL stores a `UNIQUE` constraint as
///   a unique index and cannot say which of the two was written;
/// - `RESTRICT` is `NO ACTION`: InnoDB checks both at once, and reports `RESTRICT` for a foreign key
///   that named neither;
/// - number defaults compare by value as MySQL prints them (`1.5` on a `DECIMAL(12,2)` is `1.50`:
///   trailing zeros after the point are dropped);
/// - `now()`, `CURRENT_TIMESTAMP` and `current_timestamp()` are one default, spelled as MariaDB
///   prints it (with the precision of the column's type, `current_timestamp(6)` for a `DATETIME(6)`);
/// - a generated column allows `NULL` (MariaDB takes no `NOT NULL` on one).
pub(super) fn canonical(table: &Table) -> Table {
    let mut t = table.clone();
    // MySQL calls every primary key `PRIMARY`: a name given in the model cannot exist there
    if let Some(pk) = &mut t.primary_key {
        pk.name = crate::ir::pk_name(&t.name);
    }
    let (unique, rest): (Vec<_>, Vec<_>) = t.indexes.into_iter().partition(|i| i.unique && i.where_sql.is_none());
    t.indexes = rest;
    t.uniques.extend(unique.into_iter().map(|i| UniqueConstraint {
        name: i.name,
        columns: i.columns,
    }));
    for fk in &mut t.foreign_keys {
        for action in [&mut fk.on_delete, &mut fk.on_update] {
            if *action == FkAction::Restrict {
                *action = FkAction::NoAction;
            }
        }
    }
    for c in &mut t.columns {
        c.default = c.default.take().map(canonical_default);
        if c.generated.is_some() {
            c.nullable = true;
        }
    }
    t
}

fn canonical_default(d: DefaultValue) -> DefaultValue {
    match d {
        DefaultValue::Literal(Literal::Float(f)) => DefaultValue::Literal(Literal::Float(trim_zeros(&f))),
        DefaultValue::Literal(Literal::Int(i)) => DefaultValue::Literal(Literal::Float(i.to_string())),
        DefaultValue::Sql(s) if is_now(&s) => DefaultValue::Sql("current_timestamp()".into()),
        other => other,
    }
}

/// `1.50` → `1.5`, `2.00` → `2`; anything that is not a plain decimal is left alone.
fn trim_zeros(f: &str) -> String {
    let plain = f.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
    match f.split_once('.') {
        Some((int, frac)) if plain => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.to_string()
            } else {
                format!("{int}.{frac}")
            }
        }
        _ => f.to_string(),
    }
}

/// `now()`, `CURRENT_TIMESTAMP`, `current_timestamp()`, and with a precision (`current_timestamp(6)`,
/// which MariaDB prints for the default of a `DATETIME(6)`): the precision follows the column's.
fn is_now(sql: &str) -> bool {
    let s: String = sql
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let s = s.trim_start_matches('(').trim_end_matches(')');
    let s = s.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(s, "now" | "now(" | "current_timestamp" | "current_timestamp(")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Column, ColumnType, ForeignKey, Index};

    #[test]
    fn numbers_and_now() {
        assert_eq!(trim_zeros("1.50"), "1.5");
        assert_eq!(trim_zeros("2.00"), "2");
        assert_eq!(trim_zeros("1e5"), "1e5");
        let int = canonical_default(DefaultValue::Literal(Literal::Int(2)));
        assert_eq!(
            int,
            canonical_default(DefaultValue::Literal(Literal::Float("2.00".into())))
        );
        for now in [
            "now()",
            "CURRENT_TIMESTAMP",
            "current_timestamp()",
            "(now())",
            "current_timestamp(6)",
            "now(6)",
        ] {
            assert_eq!(
                canonical_default(DefaultValue::Sql(now.into())),
                DefaultValue::Sql("current_timestamp()".into()),
                "{now}"
            );
        }
        let other = DefaultValue::Sql("uuid()".into());
        assert_eq!(canonical_default(other.clone()), other);
    }

    #[test]
    fn unique_indexes_are_unique_constraints_and_restrict_is_no_action() {
        let mut t = Table::new("t");
        t.columns.push(Column::new("a", ColumnType::Integer));
        let index = |unique, where_sql: Option<&str>| Index {
            name: "ux".into(),
            columns: vec!["a".into()],
            unique,
            where_sql: where_sql.map(String::from),
        };
        t.indexes = vec![index(true, None)];
        t.foreign_keys.push(ForeignKey {
            name: "fk".into(),
            columns: vec!["a".into()],
            ref_table: "u".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Restrict,
            on_update: FkAction::Cascade,
        });
        let c = canonical(&t);
        assert!(c.indexes.is_empty());
        assert_eq!(c.uniques[0].name, "ux");
        assert_eq!(c.foreign_keys[0].on_delete, FkAction::NoAction);
        assert_eq!(c.foreign_keys[0].on_update, FkAction::Cascade);
        t.indexes = vec![index(false, None), index(true, Some("a > 0"))];
        assert_eq!(canonical(&t).indexes.len(), 2);
    }
}
