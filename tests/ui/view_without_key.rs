// Rule: A view has no key of its own, and Diesel's `table!` needs one: mark the field that
// identifies a row with `#[model(primary_key)]` (Diesel's key only, not a constraint).
use model::Model;

#[derive(Model)]
#[model(view = "SELECT id, email FROM users")]
struct ActiveUser {
    id: i64,
    email: String,
}

fn main() {}
