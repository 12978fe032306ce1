// Rule: `renamed_from` gives the old name, which cannot be the current one.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(renamed_from = "email")]
    email: String,
}

fn main() {}
