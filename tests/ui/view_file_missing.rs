// Rule: `view_file` names a file that exists, relative to the crate's root (the folder of
// Cargo.toml); the derive reads it at compile time.
use model::Model;

#[derive(Model)]
#[model(view_file = "db/views/no_such_view.sql")]
struct ActiveUser {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
