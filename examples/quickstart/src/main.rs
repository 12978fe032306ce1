//! `cargo run -p quickstart`: open (or create) a SQLite file, apply the embedded migrations,
//! add some rows the first time, and print a join over comments, posts and users.
//! Set `DATABASE_URL` to use another file (default `quickstart.db` in the current folder).

mod models;
model::include_schema!();

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use models::*;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!();

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "quickstart.db".to_string());
    let mut conn = SqliteConnection::establish(&url)?;
    diesel::sql_query("PRAGMA foreign_keys = ON").execute(&mut conn)?;

    let applied = model::migrate(&mut conn, MIGRATIONS)?;
    println!("{url}: applied {} migration(s) {applied:?}", applied.len());
    // Drift check: does the database hold the models? (`model_schema()` comes with include_schema!)
    let drift = model::verify(&mut conn, &model_schema())?;
    if drift.is_empty() {
        println!("schema check: the database holds the models");
    }
    for difference in &drift {
        println!("schema drift: {difference}");
    }

    seed(&mut conn)?;

    // A join across three tables: comments → posts → users.
    let rows: Vec<(String, String, String)> = comments::table
        .inner_join(posts::table.inner_join(users::table))
        .filter(posts::published.eq(true))
        .order((posts::slug, comments::id))
        .select((users::email, posts::title, comments::body))
        .load(&mut conn)?;
    println!("comments on published posts (author, post, comment):");
    for (email, title, body) in &rows {
        println!("  {email} | {title} | {body}");
    }

    let tagged: Vec<(String, String)> = post_tags::table
        .inner_join(posts::table)
        .inner_join(tags::table)
        .order((posts::slug, tags::name))
        .select((posts::slug, tags::name))
        .load(&mut conn)?;
    println!("tags: {tagged:?}");

    // An enum column in a filter and in the selection.
    let in_review: Vec<(String, PostStatus)> = posts::table
        .filter(posts::status.eq(PostStatus::Review))
        .select((posts::slug, posts::status))
        .load(&mut conn)?;
    println!("in review: {in_review:?}");

    // A view reads like a table (and joins like one).
    let published: Vec<PublishedPost> = published_posts::table.order(published_posts::slug).load(&mut conn)?;
    for p in &published {
        println!("published: {} by {}", p.title, p.author_email);
    }

    // A generated column: the database computes each comment's length.
    let lengths: Vec<(String, i32)> = comments::table
        .order(comments::id)
        .select((comments::body, comments::body_length))
        .load(&mut conn)?;
    println!("comment lengths: {lengths:?}");

    // The trigger of db/objects/posts_touch.sql keeps updated_at fresh: edit a post, read it back.
    diesel::update(posts::table.filter(posts::slug.eq("draft")))
        .set(posts::content.eq("Now with text."))
        .execute(&mut conn)?;
    let edited = posts::table
        .filter(posts::slug.eq("draft"))
        .select(posts::updated_at)
        .first::<Option<chrono::NaiveDateTime>>(&mut conn)?;
    println!(
        "the draft was edited: updated_at {}",
        if edited.is_some() {
            "set by the trigger"
        } else {
            "NOT set"
        }
    );
    Ok(())
}

/// Insert the demo rows once; a second run finds them and adds nothing.
fn seed(conn: &mut SqliteConnection) -> QueryResult<()> {
    let existing: i64 = users::table.count().get_result(conn)?;
    if existing > 0 {
        println!("{existing} user(s) already there: nothing to seed");
        return Ok(());
    }
    conn.transaction(|conn| {
        let ada: User = diesel::insert_into(users::table)
            .values(&NewUser {
                email: "ada@example.com",
                first_name: "Ada",
                last_name: "Lovelace",
                nickname: None,
            })
            .returning(User::as_returning())
            .get_result(conn)?;
        let alan: User = diesel::insert_into(users::table)
            .values(&NewUser {
                email: "alan@example.com",
                first_name: "Alan",
                last_name: "Turing",
                nickname: Some("prof"),
            })
            .returning(User::as_returning())
            .get_result(conn)?;
        let post: Post = diesel::insert_into(posts::table)
            .values(&NewPost {
                author_id: ada.id,
                slug: "engines",
                title: "On analytical engines",
                content: "Notes.",
                published: true,
                status: PostStatus::Published,
            })
            .returning(Post::as_returning())
            .get_result(conn)?;
        diesel::insert_into(posts::table)
            .values(&NewPost {
                author_id: alan.id,
                slug: "draft",
                title: "Unfinished",
                content: "",
                published: false,
                status: PostStatus::Review,
            })
            .execute(conn)?;
        diesel::insert_into(comments::table)
            .values(&vec![
                NewComment {
                    post_id: post.id,
                    author_id: Some(alan.id),
                    body: "Fascinating.",
                },
                NewComment {
                    post_id: post.id,
                    author_id: None,
                    body: "First!",
                },
            ])
            .execute(conn)?;
        let tag: Tag = diesel::insert_into(tags::table)
            .values(tags::name.eq("history"))
            .returning(Tag::as_returning())
            .get_result(conn)?;
        diesel::insert_into(post_tags::table)
            .values(&PostTag {
                post_id: post.id,
                tag_id: tag.id,
            })
            .execute(conn)?;
        println!("seeded 2 users, 2 posts, 2 comments, 1 tag");
        Ok(())
    })
}
