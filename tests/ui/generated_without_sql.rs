// Rule: `generated(...)` needs its expression: `generated(sql = "lower(email)", virtual)`.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
    #[model(generated(virtual))]
    email_key: String,
}

fn main() {}
