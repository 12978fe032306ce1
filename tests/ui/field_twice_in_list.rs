// Rule: A field named twice in one list is an error.
use model::Model;

#[derive(Model)]
#[model(unique(email, email))]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
