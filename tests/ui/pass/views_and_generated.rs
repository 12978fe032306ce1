// A view and a generated column with Diesel's derives: the view reads like a table (joins, filters)
// with the key `#[model(primary_key)]` names; the generated column is loaded, and left out of inserts
// and updates with `#[diesel(skip_insertion, skip_update)]`.
use diesel::prelude::*;
use model::{Model, ModelView};

#[derive(Model, Queryable, Selectable, Insertable, AsChangeset, Identifiable, Debug)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    pub email: String,
    pub active: bool,
    #[model(generated = "lower(email)")]
    #[diesel(skip_insertion, skip_update)]
    pub email_key: String,
}

/// Users who can log in.
#[derive(Model, Queryable, Selectable, Identifiable, Debug)]
#[model(view = "SELECT id, email FROM users WHERE active")]
pub struct ActiveUser {
    #[model(primary_key)]
    pub id: i64,
    pub email: String,
}

diesel::allow_tables_to_appear_in_same_query!(users, active_users);

fn main() {
    let view = ActiveUser::view();
    assert_eq!(view.name, "active_users");
    assert_eq!(view.comment.as_deref(), Some("Users who can log in."));
    assert_eq!(<ActiveUser as ModelView>::VIEW_NAME, "active_users");
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    diesel::sql_query(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, active INTEGER NOT NULL, \
         email_key TEXT NOT NULL GENERATED ALWAYS AS (lower(email)) STORED)",
    )
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!("CREATE VIEW active_users AS {}", view.sql))
        .execute(&mut conn)
        .unwrap();
    let ada = User { id: 1, email: "Ada@Example.com".into(), active: true, email_key: String::new() };
    diesel::insert_into(users::table).values(&ada).execute(&mut conn).unwrap();
    diesel::update(users::table.find(1)).set(&User { email: "ADA@example.com".into(), ..ada }).execute(&mut conn).unwrap();
    let loaded: User = users::table.find(1).first(&mut conn).unwrap();
    assert_eq!(loaded.email_key, "ada@example.com");
    let joined: Vec<(String, String)> = active_users::table
        .inner_join(users::table.on(users::id.eq(active_users::id)))
        .select((active_users::email, users::email_key))
        .load(&mut conn)
        .unwrap();
    assert_eq!(joined, [("ADA@example.com".to_string(), "ada@example.com".to_string())]);
}
