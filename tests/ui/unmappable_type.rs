// Rule: A Rust type the crate cannot map needs `sql_type = "..."`.
use model::Model;

#[derive(Model)]
struct Counter {
    #[model(primary_key)]
    id: i64,
    hits: u64,
}

fn main() {}
