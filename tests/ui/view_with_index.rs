// Rule: A view has no indexes or constraints: `index(..)`, `unique(..)`, `check(..)` are refused on it.
use model::Model;

#[derive(Model)]
#[model(view = "SELECT id, email FROM users", index(email))]
struct ActiveUser {
    #[model(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
