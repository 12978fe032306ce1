// Rule: `table_name` is a table, or `schema.table` (a PostgreSQL schema and a table): one dot at most.
use model::Model;

#[derive(Model)]
#[model(table_name = "app.billing.invoices")]
struct Invoice {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
