// Rule: A custom `sql_type` on a Rust type the crate cannot map needs `diesel_type`.
use model::Model;

pub struct Email;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(sql_type = "citext")]
    email: Email,
}

fn main() {}
