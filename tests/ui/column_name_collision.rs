// Rule: Two fields cannot map to the same column.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    name: String,
    #[model(column_name = "name")]
    display_name: String,
}

fn main() {}
