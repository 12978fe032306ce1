// Rule: `sql_type` must be a readable SQL type.
use model::Model;

#[derive(Model)]
struct Item {
    #[model(primary_key)]
    id: i64,
    #[model(sql_type = "varchar(")]
    name: String,
}

fn main() {}
