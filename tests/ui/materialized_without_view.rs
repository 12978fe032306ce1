// Rule: `materialized` applies to views only (a struct with `view` or `view_file`).
use model::Model;

#[derive(Model)]
#[model(materialized)]
struct Total {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
