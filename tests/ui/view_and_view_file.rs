// Rule: A view's query is given once: `view = "SELECT .."` or `view_file = "path.sql"`, not both.
use model::Model;

#[derive(Model)]
#[model(view = "SELECT id FROM users", view_file = "db/views/users.sql")]
struct ActiveUser {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
