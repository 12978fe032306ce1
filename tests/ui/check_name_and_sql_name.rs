// Rule: a struct-level check is named either by `name` (the constraint is `ck_<table>_<name>`) or by
// `sql_name` (its exact name), not both.
use model::Model;

#[derive(Model)]
#[model(check(name = "positive", sql_name = "orders_total_check", sql = "total > 0"))]
struct Order {
    #[model(primary_key)]
    id: i64,
    total: i64,
}

fn main() {}
