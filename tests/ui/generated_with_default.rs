// Rule: The database computes a generated column: it takes no `default`, `default_sql`,
// `identity` or `primary_key`.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
    #[model(generated = "lower(email)", default = "x")]
    email_key: String,
}

fn main() {}
