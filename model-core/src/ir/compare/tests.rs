use super::*;
use crate::ir::{Check, Column, DefaultValue, FkAction, ForeignKey, Index, Literal, PrimaryKey, UniqueConstraint};

fn posts() -> Table {
    let mut t = Table::new("posts");
    t.comment = Some("Blog posts.".into());
    let mut id = Column::new("id", ColumnType::BigInt);
    id.identity = true;
    let mut status = Column::new("status", ColumnType::Text);
    status.default = Some(DefaultValue::Literal(Literal::Str("draft".into())));
    let mut slug = Column::new("slug", ColumnType::Varchar { len: 200 });
    slug.comment = Some("URL part.".into());
    let mut published = Column::new("published", ColumnType::Bool);
    published.default = Some(DefaultValue::Literal(Literal::Bool(false)));
    let mut deleted_at = Column::new("deleted_at", ColumnType::Timestamptz);
    deleted_at.nullable = true;
    t.columns = vec![
        id,
        Column::new("author_id", ColumnType::BigInt),
        status,
        slug,
        published,
        deleted_at,
    ];
    t.primary_key = Some(PrimaryKey {
        name: "pk_posts".into(),
        columns: vec!["id".into()],
    });
    t.uniques = vec![UniqueConstraint {
        name: "uq_posts_author_id_slug".into(),
        columns: vec!["author_id".into(), "slug".into()],
    }];
    t.indexes = vec![
        Index {
            name: "ix_posts_author_id".into(),
            columns: vec!["author_id".into()],
            unique: false,
            where_sql: None,
        },
        Index {
            name: "ux_posts_slug".into(),
            columns: vec!["slug".into()],
            unique: true,
            where_sql: Some("deleted_at IS NULL".into()),
        },
    ];
    t.foreign_keys = vec![ForeignKey {
        name: "fk_posts_author_id_users".into(),
        columns: vec!["author_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    }];
    t.checks = vec![Check {
        name: "ck_posts_slug".into(),
        sql: "length(slug) > 0".into(),
    }];
    t
}

fn schema(t: Table) -> Schema {
    Schema::new(vec![t])
}

fn whats(model: &Table, live: &Table, dialect: Dialect) -> Vec<String> {
    compare(&schema(model.clone()), &schema(live.clone()), dialect)
        .into_iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn equal_schemas_have_no_difference_in_any_dialect() {
    for dialect in Dialect::ALL {
        assert_eq!(whats(&posts(), &posts(), dialect), Vec::<String>::new(), "{dialect}");
    }
}

#[test]
fn order_of_lists_and_database_spellings_do_not_matter() {
    let model = posts();
    let mut live = posts();
    live.columns.reverse();
    live.indexes.reverse();
    live.column_mut_for_test("status").default = Some(DefaultValue::Sql("'draft'::text".into()));
    live.column_mut_for_test("published").default = Some(DefaultValue::Sql("false".into()));
    live.checks[0].sql = "(length((slug)::text) > 0)".into();
    live.indexes.iter_mut().for_each(|i| {
        if i.where_sql.is_some() {
            i.where_sql = Some("(deleted_at IS NULL)".into());
        }
    });
    assert_eq!(whats(&model, &live, Dialect::Postgres), Vec::<String>::new());
}

#[test]
fn rename_hints_are_ignored() {
    let mut model = posts();
    model.renamed_from = Some("articles".into());
    model.columns[3].renamed_from = Some("url".into());
    assert!(whats(&model, &posts(), Dialect::Postgres).is_empty());
}

#[test]
fn column_differences_are_named() {
    let model = posts();
    let mut live = posts();
    live.column_mut_for_test("slug").ty = ColumnType::Text;
    live.column_mut_for_test("deleted_at").nullable = false;
    live.column_mut_for_test("id").identity = false;
    live.column_mut_for_test("status").default = None;
    live.column_mut_for_test("slug").comment = None;
    live.columns.retain(|c| c.name != "published");
    live.columns.push(Column::new("legacy", ColumnType::Integer));
    insta::assert_snapshot!(whats(&model, &live, Dialect::Postgres).join("\n"), @r#"
    table "posts": column "id": identity in the model, not identity in the database
    table "posts": column "status": default "'draft'" in the model, none in the database
    table "posts": column "slug": type VARCHAR(200) in the model, TEXT in the database
    table "posts": column "slug": comment "URL part." in the model, none in the database
    table "posts": column "published": missing in the database
    table "posts": column "deleted_at": NULL in the model, NOT NULL in the database
    table "posts": column "legacy": in the database but not in the model
    "#);
}

#[test]
fn sqlite_compares_what_sqlite_can_hold() {
    let model = posts();
    let mut live = posts();
    live.comment = None;
    live.column_mut_for_test("slug").ty = ColumnType::Text;
    live.column_mut_for_test("slug").comment = None;
    live.column_mut_for_test("id").ty = ColumnType::Integer;
    live.column_mut_for_test("id").identity = false;
    live.column_mut_for_test("published").ty = ColumnType::Integer;
    live.column_mut_for_test("published").default = Some(DefaultValue::Sql("0".into()));
    assert!(whats(&model, &live, Dialect::Sqlite).is_empty());
    // ... but PostgreSQL holds all of it.
    assert_eq!(whats(&model, &live, Dialect::Postgres).len(), 7);
}

#[test]
fn constraint_differences_by_name_and_content() {
    let model = posts();
    let mut live = posts();
    live.primary_key = Some(PrimaryKey {
        name: "posts_pkey".into(),
        columns: vec!["id".into()],
    });
    live.uniques[0].columns.reverse();
    live.indexes.retain(|i| i.name != "ix_posts_author_id");
    live.indexes[0].where_sql = None;
    live.foreign_keys[0].on_delete = FkAction::Restrict;
    live.checks[0].sql = "length(slug) >= 0".into();
    insta::assert_snapshot!(whats(&model, &live, Dialect::Postgres).join("\n"), @r#"
    table "posts": primary key "pk_posts" (id): missing in the database
    table "posts": primary key "posts_pkey" (id): in the database but not in the model
    table "posts": unique constraint "uq_posts_author_id_slug": (author_id, slug) in the model, (slug, author_id) in the database
    table "posts": index "ix_posts_author_id" (author_id): missing in the database
    table "posts": index "ux_posts_slug": UNIQUE (slug) WHERE deleted_at IS NULL in the model, UNIQUE (slug) in the database
    table "posts": foreign key "fk_posts_author_id_users": (author_id) REFERENCES users(id) ON DELETE CASCADE ON UPDATE NO ACTION in the model, (author_id) REFERENCES users(id) ON DELETE RESTRICT ON UPDATE NO ACTION in the database
    table "posts": check "ck_posts_slug": length(slug) > 0 in the model, length(slug) >= 0 in the database
    "#);
}

#[test]
fn missing_and_extra_tables_and_comments() {
    let mut live = posts();
    live.comment = Some("Posts.".into());
    let model = Schema::new(vec![posts(), Table::new("users")]);
    let live = Schema::new(vec![live, Table::new("audit")]);
    let got: Vec<String> = compare(&model, &live, Dialect::Postgres)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        vec![
            "table \"audit\": in the database but not in the model",
            "table \"posts\": comment \"Blog posts.\" in the model, \"Posts.\" in the database",
            "table \"users\": missing in the database",
        ]
    );
    assert!(compare(&model, &live, Dialect::Sqlite)
        .iter()
        .all(|d| !d.what.starts_with("comment")));
}

trait ColumnMut {
    fn column_mut_for_test(&mut self, name: &str) -> &mut Column;
}

impl ColumnMut for Table {
    fn column_mut_for_test(&mut self, name: &str) -> &mut Column {
        self.columns
            .iter_mut()
            .find(|c| c.name == name)
            .expect("test column exists")
    }
}

#[test]
fn enums_compare_by_name_and_values_on_postgres_and_by_values_elsewhere() {
    let schema = |name: &str, values: &[&str]| {
        let mut t = Table::new("posts");
        let ty = crate::ir::EnumType::new(name, values.iter().copied());
        t.columns.push(Column::new("status", ColumnType::Enum(ty)));
        Schema::new(vec![t])
    };
    let model = schema("post_status", &["draft", "published"]);
    let unnamed = schema("", &["draft", "published"]);
    for d in [Dialect::Sqlite, Dialect::Mysql] {
        assert!(compare(&model, &unnamed, d).is_empty(), "{d}");
        let other = compare(&model, &schema("", &["draft"]), d);
        assert_eq!(other.len(), 1, "{d}: {other:?}");
    }
    assert_eq!(compare(&model, &unnamed, Dialect::Postgres).len(), 1);
    let reordered = compare(
        &model,
        &schema("post_status", &["published", "draft"]),
        Dialect::Postgres,
    );
    assert_eq!(
        reordered[0].what,
        r#"column "status": type "post_status" ('draft', 'published') in the model, "post_status" ('published', 'draft') in the database"#
    );
}

mod objects {
    use super::*;
    use crate::ir::{Extension, Function, Generated, Object, Trigger, View};

    fn with(objects: Vec<Object>) -> Schema {
        Schema::new(vec![posts()]).with_objects(objects)
    }

    fn said(model: &Schema, live: &Schema, dialect: Dialect) -> Vec<String> {
        compare(model, live, dialect).iter().map(|d| d.to_string()).collect()
    }

    fn view(sql: &str) -> Object {
        Object::View(View::new("recent", sql))
    }

    #[test]
    fn views_functions_and_triggers_are_compared_by_normalized_text() {
        let f = Object::Function(Function {
            name: "touch".into(),
            sql: "CREATE FUNCTION touch() ...".into(),
        });
        let t = Object::Trigger(Trigger {
            name: "posts_touch".into(),
            table: "posts".into(),
            sql: "CREATE TRIGGER posts_touch ...".into(),
        });
        let model = with(vec![view("SELECT id FROM posts"), f.clone(), t.clone()]);
        let same = with(vec![view("SELECT id\n  FROM posts;"), f, t]);
        assert!(said(&model, &same, Dialect::Postgres).is_empty());
        let other = with(vec![
            view("SELECT id FROM posts WHERE published"),
            Object::View(View::new("stray", "SELECT 1")),
        ]);
        assert_eq!(
            said(&model, &other, Dialect::Postgres),
            [
                "view \"recent\": its definition differs from the model's: the model says `SELECT id FROM posts`, the \
                 database `SELECT id FROM posts WHERE published`",
                "view \"stray\": in the database but not in the model",
                "function \"touch\": missing in the database",
                "trigger \"posts_touch\": missing in the database",
            ]
        );
    }

    #[test]
    fn extensions_only_count_when_missing() {
        let model = with(vec![Object::Extension(Extension::new("citext"))]);
        let live = with(vec![Object::Extension(Extension::new("pgcrypto"))]);
        assert_eq!(
            said(&model, &live, Dialect::Postgres),
            ["extension \"citext\": missing in the database"]
        );
        assert!(said(&live, &model.clone().with_objects(live.objects()), Dialect::Postgres).is_empty());
    }

    #[test]
    fn a_view_column_the_model_reads_must_be_returned() {
        let mut m = View::new("recent", "SELECT id FROM posts");
        m.columns = vec![
            Column::new("id", ColumnType::BigInt),
            Column::new("slug", ColumnType::Text),
        ];
        let mut l = m.clone();
        l.columns.truncate(1);
        let d = said(
            &with(vec![Object::View(m)]),
            &with(vec![Object::View(l)]),
            Dialect::Sqlite,
        );
        assert_eq!(
            d,
            ["view \"recent\": column \"slug\": the model reads it, and the view does not return it"]
        );
    }

    #[test]
    fn generated_columns_compare_by_expression_and_kind() {
        let gen = |sql: &str, is_virtual: bool| {
            let mut t = posts();
            let mut c = Column::new("slug_key", ColumnType::Text);
            c.generated = Some(Generated {
                sql: sql.into(),
                is_virtual,
            });
            t.columns.push(c);
            Schema::new(vec![t])
        };
        assert!(said(
            &gen("lower(slug)", false),
            &gen("lower((slug)::text)", false),
            Dialect::Postgres
        )
        .is_empty());
        assert_eq!(
            said(&gen("lower(slug)", false), &gen("lower(slug)", true), Dialect::Sqlite),
            [
                "table \"posts\": column \"slug_key\": generated as (lower(slug)) STORED in the model, generated as \
              (lower(slug)) VIRTUAL in the database"
            ]
        );
        assert_eq!(
            said(&gen("lower(slug)", false), &Schema::new(vec![posts()]), Dialect::Sqlite),
            ["table \"posts\": column \"slug_key\": missing in the database"]
        );
    }
}
