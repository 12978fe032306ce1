// Rule: every error of a struct is reported in the same compile, each at its own tokens,
// and the stub emitted on error keeps Diesel's derives on the same struct from adding more.
use diesel::prelude::*;
use model::Model;

#[derive(Model, Queryable, Selectable)]
#[model(index(missing_field))]
struct Account {
    #[model(primary_key, colour = "red")]
    id: i64,
    #[model(max_length = 10)]
    age: i32,
    #[model(default = 1, default_sql = "2")]
    score: i32,
    #[model(references = "users", on_delete = "explode")]
    owner_id: i64,
}

fn main() {}
