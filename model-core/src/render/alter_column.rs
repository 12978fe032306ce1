//! `ALTER COLUMN`: change a column in place, keeping its values.

use super::column::{column_def, default_sql, serial_type};
use super::comment;
use super::ident::quote_table;
use super::ident::{quote_ident, string_literal};
use crate::ir::{Column, ColumnType, DefaultValue, Dialect, IdentityKind, Table};

/// The statements that turn column `from` of `table` into `to` (same name).
///
/// PostgreSQL gets one statement per changed aspect, in an order where each is valid: identity
/// dropped first (before a type change away from integers), old default dropped before a type
/// change (it may not convert), the type changed with `USING "c"::<type>` (values converted in
/// place), the new default set, `NULL`s filled with the new default before `SET NOT NULL`, identity
/// added last (it needs `NOT NULL` and no default) with its sequence moved past the existing ids,
/// and the comment. MySQL restates the whole column with `MODIFY COLUMN`, after the same `NULL`
/// filling. SQLite renders a comment-only change as nothing; it cannot do the rest (see
/// [`super::native::unsupported`]).
pub(super) fn alter(table: &str, from: &Column, to: &Column, dialect: Dialect) -> Vec<String> {
    match dialect {
        Dialect::Postgres => postgres(table, from, to),
        Dialect::Mysql => mysql(table, from, to),
        Dialect::Sqlite => Vec::new(),
    }
}

/// `NULL` allowed: an identity column never allows it, whatever `nullable` says.
fn allows_null(c: &Column) -> bool {
    c.nullable && !c.identity
}

/// The default: an identity column has none of its own.
fn default_of(c: &Column) -> Option<&DefaultValue> {
    c.default.as_ref().filter(|_| !c.identity)
}

/// `UPDATE "t" SET "c" = <default> WHERE "c" IS NULL`, when `to` needs `NOT NULL` that `from` did
/// not have and has a default to fill the `NULL`s with.
pub(super) fn fill_nulls(table: &str, from: &Column, to: &Column, dialect: Dialect) -> Option<String> {
    let default = default_of(to).filter(|_| allows_null(from) && !allows_null(to))?;
    let c = quote_ident(&to.name, dialect);
    Some(format!(
        "UPDATE {} SET {c} = {} WHERE {c} IS NULL",
        quote_table(table, dialect),
        default_sql(default, &to.ty, dialect)
    ))
}

/// How a PostgreSQL column gets generated values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generated {
    No,
    Identity { always: bool },
    Serial,
}

fn generated(c: &Column) -> Generated {
    if !c.identity {
        return Generated::No;
    }
    match c.identity_kind.effective(Dialect::Postgres) {
        IdentityKind::Serial => Generated::Serial,
        kind => Generated::Identity {
            always: kind == IdentityKind::Always,
        },
    }
}

/// `SELECT setval(<the column's sequence>, MAX + 1)`: new ids after the existing ones.
fn setval(table: &str, column: &str) -> String {
    let d = Dialect::Postgres;
    let (t, c) = (quote_table(table, d), quote_ident(column, d));
    // pg_get_serial_sequence reads its first argument as SQL text (a quoted identifier) and its
    // second as a plain column name.
    format!(
        "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(MAX({c}), 0) + 1, false) FROM {t}",
        string_literal(&t, d),
        string_literal(column, d)
    )
}

/// The sequence a serial column gets: `<table>_<column>_seq`, as PostgreSQL names it.
fn serial_sequence(table: &str, column: &str) -> String {
    crate::ir::limit_identifier(&format!("{table}_{column}_seq"))
}

fn postgres(table: &str, from: &Column, to: &Column) -> Vec<String> {
    let d = Dialect::Postgres;
    let (t, c) = (quote_table(table, d), quote_ident(&to.name, d));
    let alter = |what: String| format!("ALTER TABLE {t} ALTER COLUMN {c} {what}");
    let (gen_from, gen_to) = (generated(from), generated(to));
    // one enum type whose values change: the type's own ops change it, the column follows
    let same_enum = matches!((&from.ty, &to.ty), (ColumnType::Enum(a), ColumnType::Enum(b)) if a.name == b.name);
    let retype = from.ty != to.ty && !same_enum;
    let redefault = retype || default_of(from) != default_of(to);
    let mut out = Vec::new();
    let was_identity = matches!(gen_from, Generated::Identity { .. });
    let is_identity = matches!(gen_to, Generated::Identity { .. });
    if was_identity && !is_identity {
        out.push(alter("DROP IDENTITY".into()));
    }
    if gen_from == Generated::Serial && gen_to != Generated::Serial {
        // the sequence the serial type created goes with its default
        out.push(alter("DROP DEFAULT".into()));
        out.push(format!(
            "DO $$ BEGIN EXECUTE 'DROP SEQUENCE ' || pg_get_serial_sequence({}, {}); END $$",
            string_literal(&t, d),
            string_literal(&from.name, d)
        ));
    }
    if redefault && default_of(from).is_some() {
        out.push(alter("DROP DEFAULT".into()));
    }
    if retype {
        let ty = to.ty.to_sql(d);
        // enums convert to and from other types through text
        let enums = matches!(from.ty, ColumnType::Enum(_)) || matches!(to.ty, ColumnType::Enum(_));
        let via = if enums && to.ty != ColumnType::Text {
            "::text"
        } else {
            ""
        };
        out.push(alter(format!("TYPE {ty} USING {c}{via}::{ty}")));
    }
    if let Some(default) = default_of(to).filter(|_| redefault) {
        out.push(alter(format!("SET DEFAULT {}", default_sql(default, &to.ty, d))));
    }
    match (allows_null(from), allows_null(to)) {
        (true, false) => {
            out.extend(fill_nulls(table, from, to, d));
            out.push(alter("SET NOT NULL".into()));
        }
        (false, true) => out.push(alter("DROP NOT NULL".into())),
        _ => {}
    }
    match (gen_from, gen_to) {
        (Generated::Identity { always: a }, Generated::Identity { always: b }) if a != b => {
            out.push(alter(format!(
                "SET GENERATED {}",
                if b { "ALWAYS" } else { "BY DEFAULT" }
            )));
        }
        (_, Generated::Identity { always }) if !was_identity => {
            let how = if always { "ALWAYS" } else { "BY DEFAULT" };
            out.push(alter(format!("ADD GENERATED {how} AS IDENTITY")));
            out.push(setval(table, &to.name));
        }
        (from_gen, Generated::Serial) if from_gen != Generated::Serial => {
            let seq = super::ident::quote_in_schema_of(table, &serial_sequence(table, &to.name), d);
            let ty = match serial_type(&to.ty) {
                "SMALLSERIAL" => "smallint",
                "SERIAL" => "integer",
                _ => "bigint",
            };
            out.push(format!("CREATE SEQUENCE {seq} AS {ty} OWNED BY {t}.{c}"));
            out.push(alter(format!("SET DEFAULT nextval({})", string_literal(&seq, d))));
            out.push(setval(table, &to.name));
        }
        _ => {}
    }
    if from.comment != to.comment {
        out.push(comment::postgres_column(table, &to.name, to.comment.as_deref()));
    }
    out
}

fn mysql(table: &str, from: &Column, to: &Column) -> Vec<String> {
    let d = Dialect::Mysql;
    let mut out: Vec<String> = fill_nulls(table, from, to, d).into_iter().collect();
    out.push(format!(
        "ALTER TABLE {} MODIFY COLUMN {}",
        quote_table(table, d),
        column_def(&Table::new(table), to, d)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ColumnType, Literal};
    use crate::ops::fixtures::{col, nullable};

    fn pg(from: &Column, to: &Column) -> Vec<String> {
        alter("t", from, to, Dialect::Postgres)
    }

    #[test]
    fn only_what_changed_is_rendered() {
        let from = col("c", ColumnType::Integer);
        let to = Column {
            comment: Some("x".into()),
            ..from.clone()
        };
        assert_eq!(pg(&from, &to), [r#"COMMENT ON COLUMN "t"."c" IS 'x'"#]);
        assert_eq!(pg(&to, &from), [r#"COMMENT ON COLUMN "t"."c" IS NULL"#]);
        assert!(alter("t", &from, &to, Dialect::Sqlite).is_empty());
    }

    #[test]
    fn a_default_is_dropped_before_a_type_change_and_set_after() {
        let zero = Some(DefaultValue::Literal(Literal::Int(0)));
        let from = Column {
            default: zero.clone(),
            ..col("c", ColumnType::Integer)
        };
        let to = Column {
            default: zero,
            ..col("c", ColumnType::BigInt)
        };
        assert_eq!(
            pg(&from, &to),
            [
                r#"ALTER TABLE "t" ALTER COLUMN "c" DROP DEFAULT"#,
                r#"ALTER TABLE "t" ALTER COLUMN "c" TYPE BIGINT USING "c"::BIGINT"#,
                r#"ALTER TABLE "t" ALTER COLUMN "c" SET DEFAULT 0"#,
            ]
        );
    }

    #[test]
    fn nulls_are_filled_with_the_new_default_before_not_null() {
        let from = nullable("c", ColumnType::Text);
        let to = Column {
            default: Some(DefaultValue::Literal(Literal::Str("-".into()))),
            ..col("c", ColumnType::Text)
        };
        let fill = r#"UPDATE "t" SET "c" = '-' WHERE "c" IS NULL"#;
        assert_eq!(
            pg(&from, &to)[1..],
            [fill, r#"ALTER TABLE "t" ALTER COLUMN "c" SET NOT NULL"#]
        );
        assert_eq!(
            pg(&to, &from),
            [
                r#"ALTER TABLE "t" ALTER COLUMN "c" DROP DEFAULT"#,
                r#"ALTER TABLE "t" ALTER COLUMN "c" DROP NOT NULL"#,
            ]
        );
        assert_eq!(
            alter("t", &from, &to, Dialect::Mysql),
            [
                "UPDATE `t` SET `c` = ('-') WHERE `c` IS NULL",
                "ALTER TABLE `t` MODIFY COLUMN `c` TEXT NOT NULL DEFAULT ('-')",
            ]
        );
    }

    #[test]
    fn identity_goes_before_a_type_change_and_comes_after_one() {
        let plain = col("id", ColumnType::Text);
        let identity = Column {
            identity: true,
            ..col("id", ColumnType::BigInt)
        };
        let on = pg(&plain, &identity);
        assert_eq!(
            on[0],
            r#"ALTER TABLE "t" ALTER COLUMN "id" TYPE BIGINT USING "id"::BIGINT"#
        );
        assert_eq!(
            on[1],
            r#"ALTER TABLE "t" ALTER COLUMN "id" ADD GENERATED BY DEFAULT AS IDENTITY"#
        );
        assert_eq!(on.len(), 3);
        let off = pg(&identity, &plain);
        assert_eq!(off[0], r#"ALTER TABLE "t" ALTER COLUMN "id" DROP IDENTITY"#);
        assert_eq!(off.len(), 2);
    }

    #[test]
    fn identity_kinds_change_in_place() {
        let id = |kind: IdentityKind| Column {
            identity: true,
            identity_kind: kind,
            ..col("id", ColumnType::BigInt)
        };
        let (serial, by_default, always) = (
            id(IdentityKind::Serial),
            id(IdentityKind::ByDefault),
            id(IdentityKind::Always),
        );
        assert_eq!(
            pg(&serial, &by_default),
            [
                r#"ALTER TABLE "t" ALTER COLUMN "id" DROP DEFAULT"#,
                r#"DO $$ BEGIN EXECUTE 'DROP SEQUENCE ' || pg_get_serial_sequence('"t"', 'id'); END $$"#,
                r#"ALTER TABLE "t" ALTER COLUMN "id" ADD GENERATED BY DEFAULT AS IDENTITY"#,
                r#"SELECT setval(pg_get_serial_sequence('"t"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "t""#,
            ]
        );
        assert_eq!(
            pg(&by_default, &serial),
            [
                r#"ALTER TABLE "t" ALTER COLUMN "id" DROP IDENTITY"#,
                r#"CREATE SEQUENCE "t_id_seq" AS bigint OWNED BY "t"."id""#,
                r#"ALTER TABLE "t" ALTER COLUMN "id" SET DEFAULT nextval('"t_id_seq"')"#,
                r#"SELECT setval(pg_get_serial_sequence('"t"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "t""#,
            ]
        );
        assert_eq!(
            pg(&by_default, &always),
            [r#"ALTER TABLE "t" ALTER COLUMN "id" SET GENERATED ALWAYS"#]
        );
        // kinds another dialect does not have change nothing there
        assert!(alter("t", &serial, &by_default, Dialect::Sqlite).is_empty());
    }

    #[test]
    fn the_sequence_lookup_quotes_the_table_as_sql_text() {
        let from = col("i d", ColumnType::BigInt);
        let to = Column {
            identity: true,
            ..from.clone()
        };
        let sql = alter("we'ird\"", &from, &to, Dialect::Postgres);
        assert_eq!(
            sql[1],
            r#"SELECT setval(pg_get_serial_sequence('"we''ird"""', 'i d'), COALESCE(MAX("i d"), 0) + 1, false) FROM "we'ird""""#
        );
    }
}
