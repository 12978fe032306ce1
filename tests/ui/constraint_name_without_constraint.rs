// Rule: `unique_name`, `index_name`, `fk_name` and `check_name` name a constraint the field declares;
// without that constraint they are errors.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(unique_name = "users_email_key")]
    email: String,
    #[model(fk_name = "users_team_fkey")]
    team_id: i64,
}

fn main() {}
