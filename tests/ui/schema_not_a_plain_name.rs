// Rule: a schema is a plain name (ASCII letters, digits, `_`): Diesel's `table!` writes it as a Rust
// identifier.
use model::Model;

#[derive(Model)]
#[model(schema = "billing-eu")]
struct Invoice {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
