// Rule: A model maps to one table: generic structs are refused.
use model::Model;

#[derive(Model)]
struct Wrapper<T> {
    #[model(primary_key)]
    id: i64,
    #[model(sql_type = "text")]
    value: T,
}

fn main() {}
