// Rule: A view holds no rows: a new name is a new view, so `renamed_from` is refused on it.
use model::Model;

#[derive(Model)]
#[model(view = "SELECT id FROM users", renamed_from = "live_users")]
struct ActiveUser {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
