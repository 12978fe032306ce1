//! Words for the column ops, and what a column change can lose.

use super::quoted;
use crate::ir::{Column, ColumnType, Dialect};

pub(super) fn describe_add(table: &str, column: &Column) -> String {
    let kind = if column.generated.is_some() {
        "generated column"
    } else {
        "column"
    };
    format!("add {kind} {} to {}", quoted(&column.name), quoted(table))
}

pub(super) fn describe_drop(table: &str, column: &Column) -> String {
    if column.generated.is_some() {
        // its values are computed again when it comes back
        return format!("drop generated column {} from {}", quoted(&column.name), quoted(table));
    }
    format!(
        "drop column {} from {} (its values are lost)",
        quoted(&column.name),
        quoted(table)
    )
}

pub(super) fn data_loss_of_drop(table: &str, column: &Column) -> String {
    format!(
        "drops column {} of {} and all its values",
        quoted(&column.name),
        quoted(table)
    )
}

/// `alter column "c" of "t": type BIGINT → INTEGER, NOT NULL, default 0`, naming each aspect changed.
pub(super) fn describe_alter(table: &str, from: &Column, to: &Column) -> String {
    let mut what = Vec::new();
    let same_enum = match (&from.ty, &to.ty) {
        (ColumnType::Enum(a), ColumnType::Enum(b)) if a.name == b.name => Some((a, b)),
        _ => None,
    };
    if let Some((a, b)) = same_enum.filter(|(a, b)| a.values != b.values) {
        what.push(format!(
            "values of enum type {} ({}) → ({})",
            quoted(&b.name),
            super::enums::listed(&a.values),
            super::enums::listed(&b.values)
        ));
    } else if from.ty != to.ty && same_enum.is_none() {
        // PostgreSQL spelling: the words are dialect-neutral enough to read.
        what.push(format!(
            "type {} → {}",
            from.ty.to_sql(Dialect::Postgres),
            to.ty.to_sql(Dialect::Postgres)
        ));
    }
    if from.nullable != to.nullable {
        what.push(if to.nullable { "allow NULL" } else { "NOT NULL" }.to_string());
    }
    if from.default != to.default {
        what.push(match &to.default {
            Some(_) => "set default".to_string(),
            None => "drop default".to_string(),
        });
    }
    if from.identity != to.identity {
        what.push(if to.identity { "add identity" } else { "drop identity" }.to_string());
    } else if to.identity && from.identity_kind != to.identity_kind {
        what.push(format!(
            "identity {} → {}",
            from.identity_kind.as_str(),
            to.identity_kind.as_str()
        ));
    }
    if from.comment != to.comment {
        what.push(
            if to.comment.is_some() {
                "set comment"
            } else {
                "remove comment"
            }
            .to_string(),
        );
    }
    format!(
        "alter column {} of {}: {}",
        quoted(&to.name),
        quoted(table),
        what.join(", ")
    )
}

/// What changing `from` into `to` can lose, or `None` when every value survives and the reverse
/// change restores it.
///
/// Lossless: a type change that widens (see [`widens`]), and changes of default, identity and
/// comment. Lossy: any other type change (narrowing, `TEXT` → `VARCHAR(n)`, `BIGINT` → `INTEGER`,
/// text ↔ numbers, to or from JSON, `TIMESTAMP` ↔ `TIMESTAMPTZ`, ...), and `NULL` → `NOT NULL`
/// without a default (rows holding `NULL` make it fail; with a default they are filled first).
pub(super) fn data_loss_of_alter(table: &str, from: &Column, to: &Column) -> Option<String> {
    let mut lost = Vec::new();
    if from.ty != to.ty && !widens(&from.ty, &to.ty) {
        lost.push(format!(
            "converts column {} of {} from {} to {}, {}",
            quoted(&to.name),
            quoted(table),
            from.ty.to_sql(Dialect::Postgres),
            to.ty.to_sql(Dialect::Postgres),
            why_lossy(&from.ty, &to.ty)
        ));
    }
    // An identity column is NOT NULL and has no default of its own, whatever the fields say.
    let allows_null = |c: &Column| c.nullable && !c.identity;
    let fills_nulls = to.default.is_some() && !to.identity;
    if allows_null(from) && !allows_null(to) && !fills_nulls {
        lost.push(format!(
            "makes column {} of {} NOT NULL without a default: rows holding NULL make it fail",
            quoted(&to.name),
            quoted(table)
        ));
    }
    (!lost.is_empty()).then(|| lost.join("; "))
}

/// Why a type change that does not widen loses data, in words.
fn why_lossy(from: &ColumnType, to: &ColumnType) -> &'static str {
    use ColumnType::*;
    match (from, to) {
        (Timestamp, Timestamptz) | (Timestamptz, Timestamp) => {
            "which reads or drops the time zone of every value as the session's time zone"
        }
        (_, Json) => "which fails on values that are not JSON",
        (Json, _) => "which rewrites or fails on JSON values",
        _ => "which can fail or truncate values",
    }
}

/// Decimal digits before the point an integer type can hold.
fn integer_digits(ty: &ColumnType) -> Option<u32> {
    match ty {
        ColumnType::SmallInt => Some(5),
        ColumnType::Integer => Some(10),
        ColumnType::BigInt => Some(19),
        _ => None,
    }
}

/// `true` when every value of `from` converts to `to` exactly, so changing back restores it:
/// the same type, a wider integer, `REAL` → `DOUBLE PRECISION`, a longer `VARCHAR` or `TEXT`
/// from `VARCHAR`, a `NUMERIC` with at least as many digits before and after the point (or
/// unbounded), an integer into a `NUMERIC` with room for its digits, and arrays of such types.
pub(crate) fn widens(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    match (from, to) {
        (a, b) if a == b => true,
        (a, b) if a.is_integer() && b.is_integer() => integer_digits(a) <= integer_digits(b),
        (Real, Double) => true,
        (Varchar { len: a }, Varchar { len: b }) => a <= b,
        (Varchar { .. }, Text) => true,
        (Numeric { .. } | SmallInt | Integer | BigInt, Numeric { precision: None, .. }) => true,
        (Numeric { precision: None, .. }, Numeric { .. }) => false,
        (
            Numeric {
                precision: Some(p1),
                scale: s1,
            },
            Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            s2 >= s1 && p2.saturating_sub(s2) >= p1.saturating_sub(s1)
        }
        (
            int,
            Numeric {
                precision: Some(p),
                scale,
            },
        ) => integer_digits(int).is_some_and(|d| p.saturating_sub(scale.unwrap_or(0)) >= d),
        (Array { of: a }, Array { of: b }) => widens(a, b),
        // One enum type whose values change: the enum op of the type says what that loses.
        (Enum(a), Enum(b)) if a.name == b.name => true,
        (Enum(a), Enum(b)) => a.values.iter().all(|v| b.values.contains(v)),
        (Enum(_), Text) => true,
        (Enum(a), Varchar { len }) => a.values.iter().all(|v| v.chars().count() <= *len as usize),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{DefaultValue, Literal};
    use crate::ops::fixtures::{col, nullable};
    use ColumnType::*;

    fn numeric(precision: Option<u32>, scale: Option<u32>) -> ColumnType {
        Numeric { precision, scale }
    }

    fn loss(from: Column, to: Column) -> Option<String> {
        data_loss_of_alter("t", &from, &to)
    }

    #[test]
    fn widening_type_changes_lose_nothing() {
        let widening = [
            (Integer, Integer),
            (SmallInt, Integer),
            (SmallInt, BigInt),
            (Integer, BigInt),
            (Real, Double),
            (Varchar { len: 100 }, Varchar { len: 255 }),
            (Varchar { len: 100 }, Text),
            (numeric(Some(10), Some(2)), numeric(Some(12), Some(2))),
            (numeric(Some(10), Some(2)), numeric(Some(11), Some(3))),
            (numeric(Some(10), Some(2)), numeric(None, None)),
            (Integer, numeric(None, None)),
            (Integer, numeric(Some(12), Some(2))),
            (BigInt, numeric(Some(19), None)),
            (Array { of: Box::new(Integer) }, Array { of: Box::new(BigInt) }),
        ];
        for (from, to) in widening {
            assert!(widens(&from, &to), "{from:?} -> {to:?}");
            assert_eq!(loss(col("c", from), col("c", to)), None);
        }
    }

    #[test]
    fn other_type_changes_are_lossy() {
        let lossy = [
            (BigInt, Integer),
            (Integer, SmallInt),
            (Double, Real),
            (Integer, Real),
            (BigInt, Double),
            (Varchar { len: 255 }, Varchar { len: 100 }),
            (Text, Varchar { len: 100 }),
            (Text, Integer),
            (Integer, Text),
            (Text, Json),
            (Json, Text),
            (Timestamp, Timestamptz),
            (Timestamptz, Timestamp),
            (numeric(Some(10), Some(2)), numeric(Some(10), Some(3))),
            (numeric(Some(10), Some(2)), numeric(Some(10), Some(1))),
            (numeric(None, None), numeric(Some(30), Some(10))),
            (BigInt, numeric(Some(12), Some(2))),
            (Bool, Integer),
            (Custom { sql: "point".into() }, Custom { sql: "box".into() }),
            (Array { of: Box::new(BigInt) }, Array { of: Box::new(Integer) }),
        ];
        for (from, to) in lossy {
            assert!(!widens(&from, &to), "{from:?} -> {to:?}");
            assert!(
                loss(col("c", from.clone()), col("c", to.clone())).is_some(),
                "{from:?} -> {to:?}"
            );
        }
    }

    #[test]
    fn loss_is_said_in_words() {
        assert_eq!(
            loss(col("c", BigInt), col("c", Integer)).as_deref(),
            Some(r#"converts column "c" of "t" from BIGINT to INTEGER, which can fail or truncate values"#)
        );
        let tz = loss(col("at", Timestamp), col("at", Timestamptz)).unwrap_or_default();
        assert!(tz.contains("time zone"), "{tz}");
    }

    #[test]
    fn not_null_is_lossy_only_without_a_default() {
        let with_default = Column {
            default: Some(DefaultValue::Literal(Literal::Int(0))),
            ..col("c", Integer)
        };
        assert_eq!(
            loss(nullable("c", Integer), col("c", Integer)).as_deref(),
            Some(r#"makes column "c" of "t" NOT NULL without a default: rows holding NULL make it fail"#)
        );
        assert_eq!(loss(nullable("c", Integer), with_default.clone()), None);
        assert_eq!(loss(col("c", Integer), nullable("c", Integer)), None);
        let identity = Column {
            identity: true,
            ..with_default
        };
        assert!(loss(nullable("c", Integer), identity).is_some());
    }

    #[test]
    fn default_identity_and_comment_changes_lose_nothing() {
        let plain = col("c", BigInt);
        let changed = Column {
            default: Some(DefaultValue::Sql("42".into())),
            identity: true,
            comment: Some("x".into()),
            ..plain.clone()
        };
        assert_eq!(loss(plain.clone(), changed.clone()), None);
        assert_eq!(loss(changed, plain), None);
    }

    #[test]
    fn both_losses_are_listed() {
        let lost = loss(nullable("c", Text), col("c", Varchar { len: 3 })).unwrap_or_default();
        assert_eq!(lost.matches("; ").count(), 1, "{lost}");
    }
}
