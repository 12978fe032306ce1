//! A schema exercising every diagram feature, for the renderers' snapshot tests.

use model_core::ir::{
    Column, ColumnType, EnumType, FkAction, ForeignKey, Index, Object, PrimaryKey, Schema, Table, UniqueConstraint,
    View,
};

fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
    let mut c = Column::new(name, ty);
    c.nullable = nullable;
    c
}

fn fk(table: &str, column: &str, parent: &str) -> ForeignKey {
    ForeignKey {
        name: format!("fk_{table}_{column}"),
        columns: vec![column.into()],
        ref_table: parent.into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    }
}

fn pk(table: &str, columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: format!("{table}_pkey"),
        columns: columns.iter().map(|c| c.to_string()).collect(),
    })
}

/// users; posts (many per user, unique (author_id, slug), an enum); comments (nullable author);
/// profiles (one per user: unique foreign key); post_tags (composite primary key of two foreign keys);
/// the view published_posts over posts and users.
pub fn schema() -> Schema {
    let mut users = Table::new("users");
    users.columns = vec![
        column("id", ColumnType::BigInt, false),
        column("email", ColumnType::Varchar { len: 255 }, false),
        column("nickname", ColumnType::Text, true),
        column(
            "balance",
            ColumnType::Numeric {
                precision: Some(12),
                scale: Some(2),
            },
            false,
        ),
    ];
    users.primary_key = pk("users", &["id"]);
    users.uniques.push(UniqueConstraint {
        name: "uq_users_email".into(),
        columns: vec!["email".into()],
    });

    let mut posts = Table::new("posts");
    posts.columns = vec![
        column("id", ColumnType::BigInt, false),
        column("author_id", ColumnType::BigInt, false),
        column("slug", ColumnType::Varchar { len: 200 }, false),
        column(
            "status",
            ColumnType::Enum(EnumType::new("post_status", ["draft", "published"])),
            false,
        ),
        column("score", ColumnType::Double, true),
    ];
    posts.primary_key = pk("posts", &["id"]);
    posts.foreign_keys.push(fk("posts", "author_id", "users"));
    posts.uniques.push(UniqueConstraint {
        name: "uq_posts_author_id_slug".into(),
        columns: vec!["author_id".into(), "slug".into()],
    });

    let mut comments = Table::new("comments");
    comments.columns = vec![
        column("id", ColumnType::BigInt, false),
        column("post_id", ColumnType::BigInt, false),
        column("author_id", ColumnType::BigInt, true),
        column("body", ColumnType::Text, false),
    ];
    comments.primary_key = pk("comments", &["id"]);
    comments.foreign_keys.push(fk("comments", "post_id", "posts"));
    comments.foreign_keys.push(fk("comments", "author_id", "users"));

    let mut profiles = Table::new("profiles");
    profiles.columns = vec![
        column("id", ColumnType::BigInt, false),
        column("user_id", ColumnType::BigInt, false),
        column("bio", ColumnType::Text, true),
    ];
    profiles.primary_key = pk("profiles", &["id"]);
    profiles.foreign_keys.push(fk("profiles", "user_id", "users"));
    profiles.indexes.push(Index {
        name: "ux_profiles_user_id".into(),
        columns: vec!["user_id".into()],
        unique: true,
        where_sql: None,
    });

    let mut post_tags = Table::new("post_tags");
    post_tags.columns = vec![
        column("post_id", ColumnType::BigInt, false),
        column("tag", ColumnType::Varchar { len: 50 }, false),
    ];
    post_tags.primary_key = pk("post_tags", &["post_id", "tag"]);
    post_tags.foreign_keys.push(fk("post_tags", "post_id", "posts"));

    let mut published = View::new(
        "published_posts",
        "SELECT p.id, p.slug, u.email FROM posts p JOIN users u ON u.id = p.author_id WHERE p.status = 'published'",
    );
    published.columns = vec![
        column("id", ColumnType::BigInt, false),
        column("slug", ColumnType::Varchar { len: 200 }, false),
        column("email", ColumnType::Varchar { len: 255 }, false),
    ];
    Schema::new(vec![users, posts, comments, profiles, post_tags]).with_objects([Object::View(published)])
}
