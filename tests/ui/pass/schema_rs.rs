// A model can use the `table!` of a `schema.rs` (as `diesel print-schema` writes it) instead of
// declaring its own, with `diesel_table`: both work side by side, and the derive proves at compile
// time that each column of the model is in that `table!` with the same SQL type.
use diesel::prelude::*;
use model::Model;

mod schema {
    diesel::table! {
        users (id) {
            id -> BigInt,
            email -> Varchar,
            nickname -> Nullable<Text>,
        }
    }
}

#[derive(Model, Queryable, Selectable, Debug)]
#[diesel(table_name = crate::schema::users)]
#[model(diesel_table = "crate::schema::users")]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
    pub nickname: Option<String>,
}

fn main() {
    let q = schema::users::table.select(User::as_select());
    let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string();
    assert!(sql.contains("`users`.`email`"), "{sql}");
    assert_eq!(User::table().name, "users");
}
