// Rule: `pk_name` names the primary key, so it goes on a field that is part of the key.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(pk_name = "users_pkey")]
    email: String,
}

fn main() {}
