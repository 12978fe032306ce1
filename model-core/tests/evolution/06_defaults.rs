// Step 6: change a literal default to an SQL one, drop a default, add a NOT NULL column with an SQL default.
#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 255)]
    pub email: String,
    pub name: Option<String>,
    pub nickname: String,
}

/// A blog post.
#[derive(Model)]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "cascade", index)]
    pub author_id: i64,
    pub title: String,
    /// Markdown.
    #[model(renamed_from = "body")]
    pub content: String,
    #[model(default_sql = "1")]
    pub views: i64,
    #[model(default_sql = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Model)]
pub struct Tag {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 40)]
    pub name: String,
}

#[derive(Model)]
#[model(primary_key(post_id, tag_id))]
pub struct PostTag {
    #[model(references = "posts(id)", on_delete = "cascade")]
    pub post_id: i64,
    #[model(references = "tags(id)")]
    pub tag_id: i32,
}
