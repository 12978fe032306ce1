// Rule: with `diesel_table = "..."`, every column of the model must be in that `table!` with the
// SQL type the model gives it; a `schema.rs` that says otherwise is a compile error at the field.
use model::Model;

mod schema {
    diesel::table! {
        users (id) {
            id -> BigInt,
            email -> Integer,
        }
    }
}

#[derive(Model)]
#[model(diesel_table = "crate::schema::users")]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    pub email: String,
}

fn main() {}
