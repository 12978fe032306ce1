//! Hand-built IR values shared by the tests of the ops, diff, order, plan and render stages.

use crate::ir::{
    check_name, column_check_name, fk_name, index_name, pk_name, unique_name, Check, Column, ColumnType, DefaultValue,
    FkAction, ForeignKey, Index, Literal, PrimaryKey, Table, UniqueConstraint,
};

/// A `NOT NULL` column.
pub(crate) fn col(name: &str, ty: ColumnType) -> Column {
    Column::new(name, ty)
}

/// A nullable column.
pub(crate) fn nullable(name: &str, ty: ColumnType) -> Column {
    Column {
        nullable: true,
        ..Column::new(name, ty)
    }
}

/// A table with a `BIGINT` identity primary key `id`.
pub(crate) fn table_with_id(name: &str) -> Table {
    let mut t = Table::new(name);
    t.columns.push(Column {
        identity: true,
        ..Column::new("id", ColumnType::BigInt)
    });
    t.primary_key = Some(PrimaryKey {
        name: pk_name(name),
        columns: vec!["id".into()],
    });
    t
}

/// A foreign key named by the naming rule, with no actions.
pub(crate) fn fk(table: &str, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: fk_name(table, columns, ref_table),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_table: ref_table.into(),
        ref_columns: ref_columns.iter().map(|c| c.to_string()).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
    }
}

/// An index named by the naming rule.
pub(crate) fn index(table: &str, columns: &[&str], unique: bool) -> Index {
    Index {
        name: index_name(table, columns, unique),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        unique,
        where_sql: None,
    }
}

/// `table` with a column `<ref_table>_id` referencing `ref_table(id)`.
pub(crate) fn referencing(mut table: Table, ref_table: &str, nullable_fk: bool) -> Table {
    let column = format!("{ref_table}_id");
    let c = if nullable_fk {
        nullable(&column, ColumnType::BigInt)
    } else {
        col(&column, ColumnType::BigInt)
    };
    table.columns.push(c);
    table.foreign_keys.push(fk(&table.name, &[&column], ref_table, &["id"]));
    table
}

/// `users`: identity id, unique email, an index, a comment.
pub(crate) fn users() -> Table {
    let mut t = table_with_id("users");
    t.comment = Some("A registered person.".into());
    t.columns.push(col("email", ColumnType::Varchar { len: 255 }));
    t.columns.push(col("first_name", ColumnType::Text));
    t.columns.push(col("last_name", ColumnType::Text));
    t.uniques.push(UniqueConstraint {
        name: unique_name("users", &["email"]),
        columns: vec!["email".into()],
    });
    t.indexes.push(index("users", &["last_name", "first_name"], false));
    t
}

/// A table that uses every column feature the IR has.
pub(crate) fn kitchen_sink() -> Table {
    use ColumnType::*;
    let name = "kitchen_sink";
    let mut t = table_with_id(name);
    t.comment = Some("Every feature.\nIt's a \"test\" table.".into());
    let lit = |name: &str, ty: ColumnType, l: Literal| Column {
        default: Some(DefaultValue::Literal(l)),
        ..Column::new(name, ty)
    };
    t.columns.extend([
        lit("flag", Bool, Literal::Bool(true)),
        lit("small", SmallInt, Literal::Int(-3)),
        lit("medium", Integer, Literal::Int(42)),
        col("big", BigInt),
        lit("ratio", Real, Literal::Float("1.5".into())),
        lit("precise", Double, Literal::Float("-0.25".into())),
        lit("body", Text, Literal::Str("it's a \\ test'; DROP TABLE x; --".into())),
        col("code", Varchar { len: 20 }),
        nullable("data", Binary),
        nullable("born_on", Date),
        nullable("wakes_at", Time),
        nullable("seen_at", Timestamp),
        Column {
            default: Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into())),
            ..col("created_at", Timestamptz)
        },
        nullable("token", Uuid),
        nullable("doc", Json),
        col(
            "price",
            Numeric {
                precision: Some(12),
                scale: Some(2),
            },
        ),
        col(
            "amount",
            Numeric {
                precision: None,
                scale: None,
            },
        ),
        nullable("shape", Custom { sql: "point".into() }),
        Column {
            comment: Some("Who owns it; 'quoted'.".into()),
            ..nullable("owner_id", BigInt)
        },
    ]);
    t.uniques.push(UniqueConstraint {
        name: unique_name(name, &["code"]),
        columns: vec!["code".into()],
    });
    t.uniques.push(UniqueConstraint {
        name: unique_name(name, &["small", "medium"]),
        columns: vec!["small".into(), "medium".into()],
    });
    t.checks.push(Check {
        name: column_check_name(name, "medium"),
        sql: "medium >= 0".into(),
    });
    t.checks.push(Check {
        name: check_name(name, "positive_price"),
        sql: "price > 0".into(),
    });
    t.indexes.push(index(name, &["big", "medium"], false));
    t.indexes.push(index(name, &["body"], true));
    t.indexes.push(Index {
        name: "ix_kitchen_sink_live".into(),
        where_sql: Some("born_on IS NULL".into()),
        ..index(name, &["code"], false)
    });
    let mut owner = fk(name, &["owner_id"], "users", &["id"]);
    owner.on_delete = FkAction::SetNull;
    owner.on_update = FkAction::Cascade;
    t.foreign_keys.push(owner);
    t
}

/// `post_tags`: a join table with a composite primary key.
pub(crate) fn post_tags() -> Table {
    let mut t = Table::new("post_tags");
    t.columns.push(col("post_id", ColumnType::BigInt));
    t.columns.push(col("tag_id", ColumnType::BigInt));
    t.primary_key = Some(PrimaryKey {
        name: pk_name("post_tags"),
        columns: vec!["post_id".into(), "tag_id".into()],
    });
    let mut post = fk("post_tags", &["post_id"], "posts", &["id"]);
    post.on_delete = FkAction::Cascade;
    let mut tag = fk("post_tags", &["tag_id"], "tags", &["id"]);
    tag.on_delete = FkAction::Restrict;
    t.foreign_keys.extend([post, tag]);
    t.indexes.push(index("post_tags", &["tag_id"], false));
    t
}

/// `posts` referencing `users`.
pub(crate) fn posts() -> Table {
    referencing(table_with_id("posts"), "users", false)
}

/// `tags`.
pub(crate) fn tags() -> Table {
    let mut t = table_with_id("tags");
    t.columns.push(col("label", ColumnType::Text));
    t
}

/// `authors` and `books` referencing each other.
pub(crate) fn mutual() -> Vec<Table> {
    let authors = referencing(table_with_id("authors"), "books", true);
    let books = referencing(table_with_id("books"), "authors", false);
    vec![authors, books]
}

/// `categories` referencing itself through `parent_id`.
pub(crate) fn categories() -> Table {
    let mut t = table_with_id("categories");
    t.columns.push(nullable("parent_id", ColumnType::BigInt));
    t.foreign_keys
        .push(fk("categories", &["parent_id"], "categories", &["id"]));
    t
}

/// The chain `a → b → c` (`a` references `b`, `b` references `c`), in shuffled order.
pub(crate) fn chain() -> Vec<Table> {
    let c = table_with_id("c");
    let b = referencing(table_with_id("b"), "c", false);
    let a = referencing(table_with_id("a"), "b", false);
    vec![b, c, a]
}

/// The view `name` of `sql`, whose model reads `columns`.
pub(crate) fn view(name: &str, sql: &str, columns: &[(&str, ColumnType)]) -> crate::ir::View {
    let mut v = crate::ir::View::new(name, sql);
    v.columns = columns.iter().map(|(c, ty)| col(c, ty.clone())).collect();
    v
}

/// The function of a `CREATE FUNCTION` statement (PostgreSQL).
pub(crate) fn function(sql: &str) -> crate::ir::Function {
    match crate::ir::Function::parse(sql, crate::ir::Dialect::Postgres) {
        Ok(f) => f,
        Err(e) => panic!("{e}: {sql}"),
    }
}

/// The trigger of a `CREATE TRIGGER` statement.
pub(crate) fn trigger(sql: &str, dialect: crate::ir::Dialect) -> crate::ir::Trigger {
    match crate::ir::Trigger::parse(sql, dialect) {
        Ok(t) => t,
        Err(e) => panic!("{e}: {sql}"),
    }
}

/// `users` (see [`users`]) with `active BOOLEAN`, `updated_at TIMESTAMPTZ` and the stored generated
/// column `email_key` = `lower(email)`, the base of the object tests.
pub(crate) fn members() -> Table {
    let mut t = users();
    t.name = "members".into();
    t.primary_key = Some(PrimaryKey {
        name: pk_name("members"),
        columns: vec!["id".into()],
    });
    t.uniques[0].name = unique_name("members", &["email"]);
    t.indexes[0].name = index_name("members", &["last_name", "first_name"], false);
    t.columns.push(Column {
        default: Some(DefaultValue::Literal(Literal::Bool(true))),
        ..col("active", ColumnType::Bool)
    });
    t.columns.push(nullable("updated_at", ColumnType::Timestamptz));
    t.columns.push(Column {
        generated: Some(crate::ir::Generated::stored("lower(email)")),
        ..col("email_key", ColumnType::Text)
    });
    t.indexes.push(index("members", &["email_key"], false));
    t
}
