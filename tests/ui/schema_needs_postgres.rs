// Rule: a schema is PostgreSQL's; on SQLite (this crate's dialect) and MySQL/MariaDB a model names
// none, and the error names the table.
use model::Model;

#[derive(Model)]
#[model(schema = "billing")]
struct Invoice {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
