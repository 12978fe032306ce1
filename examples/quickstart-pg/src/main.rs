//! `DATABASE_URL=postgres://... cargo run -p quickstart-pg`: apply the embedded migrations to a
//! PostgreSQL database, add some rows the first time, and print a join over comments, posts and users.

mod models;
model::include_schema!();

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use models::*;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!();

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url =
        std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL, e.g. postgres://postgres@127.0.0.1/postgres")?;
    let mut conn = PgConnection::establish(&url)?;
    let applied = model::migrate(&mut conn, MIGRATIONS)?;
    println!("applied {} migration(s) {applied:?}", applied.len());
    // Drift check: does the database hold the models? (`model_schema()` comes with include_schema!)
    let drift = model::verify(&mut conn, &model_schema())?;
    if drift.is_empty() {
        println!("schema check: the database holds the models");
    }
    for difference in &drift {
        println!("schema drift: {difference}");
    }

    if users::table.count().get_result::<i64>(&mut conn)? == 0 {
        conn.transaction(seed)?;
        println!("seeded 2 users, 2 posts, 2 comments, 1 tag");
    }

    let rows: Vec<(String, String, String)> = comments::table
        .inner_join(posts::table.inner_join(users::table))
        .filter(posts::published.eq(true))
        .order((posts::slug, comments::id))
        .select((users::email, posts::title, comments::body))
        .load(&mut conn)?;
    println!("comments on published posts (post author, post, comment):");
    for (email, title, body) in &rows {
        println!("  {email} | {title} | {body}");
    }

    // An enum column in a filter and in the selection (the second post got the default, "draft").
    let drafts: Vec<(String, PostStatus)> = posts::table
        .filter(posts::status.eq(PostStatus::Draft))
        .select((posts::slug, posts::status))
        .load(&mut conn)?;
    println!("drafts: {drafts:?}");

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
        .first::<Option<chrono::DateTime<chrono::Utc>>>(&mut conn)?;
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

/// The demo rows, inserted once.
fn seed(conn: &mut PgConnection) -> QueryResult<()> {
    let ada: User = diesel::insert_into(users::table)
        .values((
            users::email.eq("ada@example.com"),
            users::first_name.eq("Ada"),
            users::last_name.eq("Lovelace"),
        ))
        .returning(User::as_returning())
        .get_result(conn)?;
    let alan: User = diesel::insert_into(users::table)
        .values((
            users::email.eq("alan@example.com"),
            users::first_name.eq("Alan"),
            users::last_name.eq("Turing"),
            users::nickname.eq(Some("prof")),
        ))
        .returning(User::as_returning())
        .get_result(conn)?;
    let post: Post = diesel::insert_into(posts::table)
        .values((
            posts::author_id.eq(ada.id),
            posts::slug.eq("engines"),
            posts::title.eq("On analytical engines"),
            posts::content.eq("Notes."),
            posts::published.eq(true),
            posts::status.eq(PostStatus::Published),
        ))
        .returning(Post::as_returning())
        .get_result(conn)?;
    diesel::insert_into(posts::table)
        .values((
            posts::author_id.eq(alan.id),
            posts::slug.eq("draft"),
            posts::title.eq("Unfinished"),
            posts::content.eq(""),
        ))
        .execute(conn)?;
    diesel::insert_into(comments::table)
        .values(&vec![
            (
                comments::post_id.eq(post.id),
                comments::author_id.eq(Some(alan.id)),
                comments::body.eq("Fascinating."),
            ),
            (
                comments::post_id.eq(post.id),
                comments::author_id.eq(None),
                comments::body.eq("First!"),
            ),
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
    Ok(())
}
