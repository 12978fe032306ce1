//! The routes: CRUD for users and posts (posts listed with their author, a join, and filtered by
//! status, the enum), comments on a post.

use crate::error::ApiError;
use crate::models::{comments, posts, users};
use crate::models::{Comment, NewPost, NewUser, Post, PostPatch, PostStatus, User, UserPatch};
use crate::DbPool;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};

type Result<T> = std::result::Result<T, ApiError>;
type Body<T> = std::result::Result<Json<T>, JsonRejection>;
type Id = std::result::Result<Path<i64>, PathRejection>;

/// The service's routes over `pool`.
pub fn router(pool: DbPool) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", get(get_user).patch(update_user).delete(delete_user))
        .route("/posts", get(list_posts).post(create_post))
        .route("/posts/{id}", get(get_post).patch(update_post).delete(delete_post))
        .route("/posts/{id}/comments", get(list_comments).post(create_comment))
        .with_state(pool)
}

/// A post with its author (the join).
#[derive(Serialize)]
pub struct PostWithAuthor {
    #[serde(flatten)]
    pub post: Post,
    pub author: User,
}

fn check_user(email: Option<&str>, name: Option<&str>) -> Result<()> {
    if let Some(email) = email {
        if !email.contains('@') || email.len() > 255 {
            return Err(ApiError::Invalid(format!("email {email:?} is not an address")));
        }
    }
    if name.is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::Invalid("name is empty".into()));
    }
    Ok(())
}

fn check_post(title: Option<&str>) -> Result<()> {
    match title {
        Some(t) if t.trim().is_empty() => Err(ApiError::Invalid("title is empty".into())),
        Some(t) if t.chars().count() > 200 => Err(ApiError::Invalid("title is longer than 200 characters".into())),
        _ => Ok(()),
    }
}

async fn list_users(State(pool): State<DbPool>) -> Result<Json<Vec<User>>> {
    let mut conn = pool.get().await?;
    Ok(Json(
        users::table
            .order(users::id)
            .select(User::as_select())
            .load(&mut conn)
            .await?,
    ))
}

async fn create_user(State(pool): State<DbPool>, body: Body<NewUser>) -> Result<(StatusCode, Json<User>)> {
    let Json(new) = body?;
    check_user(Some(&new.email), Some(&new.name))?;
    let mut conn = pool.get().await?;
    let user = diesel::insert_into(users::table)
        .values(&new)
        .returning(User::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

async fn get_user(State(pool): State<DbPool>, id: Id) -> Result<Json<User>> {
    let Path(id) = id?;
    let mut conn = pool.get().await?;
    Ok(Json(
        users::table.find(id).select(User::as_select()).first(&mut conn).await?,
    ))
}

async fn update_user(State(pool): State<DbPool>, id: Id, body: Body<UserPatch>) -> Result<Json<User>> {
    let (Path(id), Json(patch)) = (id?, body?);
    check_user(patch.email.as_deref(), patch.name.as_deref())?;
    let mut conn = pool.get().await?;
    let user = diesel::update(users::table.find(id))
        .set(&patch)
        .returning(User::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(Json(user))
}

async fn delete_user(State(pool): State<DbPool>, id: Id) -> Result<StatusCode> {
    let Path(id) = id?;
    let mut conn = pool.get().await?;
    match diesel::delete(users::table.find(id)).execute(&mut conn).await? {
        0 => Err(ApiError::NotFound(format!("no user {id}"))),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}

/// `GET /posts?status=published`.
#[derive(Deserialize)]
struct PostFilter {
    status: Option<PostStatus>,
    author_id: Option<i64>,
}

async fn list_posts(
    State(pool): State<DbPool>,
    filter: std::result::Result<Query<PostFilter>, QueryRejection>,
) -> Result<Json<Vec<PostWithAuthor>>> {
    let Query(filter) = filter?;
    let mut conn = pool.get().await?;
    let mut query = posts::table
        .inner_join(users::table)
        .select((Post::as_select(), User::as_select()))
        .order(posts::id)
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(posts::status.eq(status));
    }
    if let Some(author) = filter.author_id {
        query = query.filter(posts::author_id.eq(author));
    }
    let rows: Vec<(Post, User)> = query.load(&mut conn).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(post, author)| PostWithAuthor { post, author })
            .collect(),
    ))
}

async fn create_post(State(pool): State<DbPool>, body: Body<NewPost>) -> Result<(StatusCode, Json<Post>)> {
    let Json(new) = body?;
    check_post(Some(&new.title))?;
    let mut conn = pool.get().await?;
    let post = diesel::insert_into(posts::table)
        .values(&new)
        .returning(Post::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok((StatusCode::CREATED, Json(post)))
}

async fn get_post(State(pool): State<DbPool>, id: Id) -> Result<Json<PostWithAuthor>> {
    let Path(id) = id?;
    let mut conn = pool.get().await?;
    let (post, author) = posts::table
        .inner_join(users::table)
        .filter(posts::id.eq(id))
        .select((Post::as_select(), User::as_select()))
        .first(&mut conn)
        .await?;
    Ok(Json(PostWithAuthor { post, author }))
}

async fn update_post(State(pool): State<DbPool>, id: Id, body: Body<PostPatch>) -> Result<Json<Post>> {
    let (Path(id), Json(patch)) = (id?, body?);
    check_post(patch.title.as_deref())?;
    let mut conn = pool.get().await?;
    let post = diesel::update(posts::table.find(id))
        .set(&patch)
        .returning(Post::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(Json(post))
}

async fn delete_post(State(pool): State<DbPool>, id: Id) -> Result<StatusCode> {
    let Path(id) = id?;
    let mut conn = pool.get().await?;
    match diesel::delete(posts::table.find(id)).execute(&mut conn).await? {
        0 => Err(ApiError::NotFound(format!("no post {id}"))),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}

/// The body of `POST /posts/{id}/comments`.
#[derive(Deserialize)]
struct NewComment {
    body: String,
}

async fn list_comments(State(pool): State<DbPool>, id: Id) -> Result<Json<Vec<Comment>>> {
    let Path(id) = id?;
    let mut conn = pool.get().await?;
    // 404 for a post that does not exist, rather than an empty list
    posts::table.find(id).select(posts::id).first::<i64>(&mut conn).await?;
    Ok(Json(
        comments::table
            .filter(comments::post_id.eq(id))
            .order(comments::id)
            .select(Comment::as_select())
            .load(&mut conn)
            .await?,
    ))
}

async fn create_comment(
    State(pool): State<DbPool>,
    id: Id,
    body: Body<NewComment>,
) -> Result<(StatusCode, Json<Comment>)> {
    let (Path(id), Json(new)) = (id?, body?);
    if new.body.trim().is_empty() {
        return Err(ApiError::Invalid("body is empty".into()));
    }
    let mut conn = pool.get().await?;
    posts::table.find(id).select(posts::id).first::<i64>(&mut conn).await?;
    let comment = diesel::insert_into(comments::table)
        .values((comments::post_id.eq(id), comments::body.eq(&new.body)))
        .returning(Comment::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok((StatusCode::CREATED, Json(comment)))
}
