// Rule: Struct-level lists name Rust fields; a name that is not a field is an error.
use model::Model;

#[derive(Model)]
#[model(index(last_name, frist_name))]
struct User {
    #[model(primary_key)]
    id: i64,
    first_name: String,
    last_name: String,
}

fn main() {}
