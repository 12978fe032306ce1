// A full model: Model + Diesel's Queryable, Selectable, Insertable, Identifiable and Associations
// derive on the same structs with no `#[diesel(table_name)]`, and the generated tables work in the DSL.
use diesel::prelude::*;
use model::Model;

/// A registered person.
#[derive(Model, Queryable, Selectable, Insertable, Identifiable, Debug)]
#[model(index(last_name, first_name))]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 255)]
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: Option<String>,
    #[model(column_name = "type", default = "member")]
    pub r#type: String,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Model, Queryable, Selectable, Insertable, Identifiable, Associations, Debug)]
#[diesel(belongs_to(User))]
#[model(unique(user_id, slug), check(name = "positive_score", sql = "score >= 0"))]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "cascade", index)]
    pub user_id: i64,
    #[model(max_length = 200)]
    pub slug: String,
    #[model(renamed_from = "body")]
    pub content: String,
    #[model(default = false)]
    pub published: bool,
    #[model(default = 0, check = "score >= 0")]
    pub score: i32,
    pub rating: Option<f64>,
    pub raw: Vec<u8>,
}

#[allow(dead_code)]
fn queries(conn: &mut SqliteConnection) -> QueryResult<()> {
    let _by_email: Vec<User> = users::table
        .filter(users::email.eq("a@example.com"))
        .select(User::as_select())
        .load(conn)?;
    let _typed: Vec<i64> = users::table.filter(users::r#type.eq("admin")).select(users::id).load(conn)?;
    let _posts: Vec<Post> = posts::table
        .filter(posts::published.eq(true))
        .order(posts::score.desc())
        .select(Post::as_select())
        .load(conn)?;
    let post = Post {
        id: 1,
        user_id: 1,
        slug: "hello".into(),
        content: "Hello".into(),
        published: false,
        score: 0,
        rating: None,
        raw: vec![],
    };
    diesel::insert_into(posts::table).values(&post).execute(conn)?;
    Ok(())
}

fn main() {
    let users = User::table();
    assert_eq!(User::TABLE_NAME, "users");
    assert_eq!(users.comment.as_deref(), Some("A registered person."));
    assert_eq!(users.column("type").map(|c| c.nullable), Some(false));
    let posts = Post::table();
    assert_eq!(posts.foreign_keys[0].ref_table, "users");
    assert_eq!(posts.checks.len(), 2);
}
