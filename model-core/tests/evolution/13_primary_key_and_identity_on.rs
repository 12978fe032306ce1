// Step 13: the join table's primary key changes column order; labels.id becomes an identity again on a table with rows.
#[derive(Model)]
#[model(index(email, unique), check(name = "email_has_at", sql = "position('@' in email) > 0"))]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
    pub name: Option<String>,
    pub nickname: String,
}

/// A post on the blog.
/// Written by one user.
#[derive(Model)]
#[model(unique(author_id, title), index(author_id, created_at), index(title, where_sql = "views > 0"))]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "set null")]
    pub author_id: Option<i64>,
    pub title: String,
    /// The text, in Markdown.
    #[model(renamed_from = "body")]
    pub content: String,
    #[model(default_sql = "1", check = "views >= 0 AND views < 1000000")]
    pub views: i64,
    #[model(default_sql = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Model)]
#[model(table_name = "labels", renamed_from = "tags")]
pub struct Label {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 40)]
    pub name: String,
}

#[derive(Model)]
#[model(primary_key(tag_id, post_id))]
pub struct PostTag {
    #[model(references = "posts(id)", on_delete = "cascade")]
    pub post_id: i64,
    #[model(references = "labels(id)")]
    pub tag_id: i32,
}
