// Rule: `schema = ".."` and a dotted `table_name = "schema.table"` must name the same schema; write
// the schema once.
use model::Model;

#[derive(Model)]
#[model(schema = "billing", table_name = "audit.invoices")]
struct Invoice {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
