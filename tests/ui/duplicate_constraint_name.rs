// Rule: the primary key, unique constraints, indexes, foreign keys and checks of a table need
// distinct names.
use model::Model;

#[derive(Model)]
#[model(primary_key(id, name = "users_key"))]
struct User {
    id: i64,
    #[model(unique, unique_name = "users_key")]
    email: String,
    #[model(references = "teams(id)", fk_name = "users_key")]
    team_id: i64,
}

fn main() {}
