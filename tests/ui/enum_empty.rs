// Rule: A `#[derive(ModelEnum)]` enum has at least one variant (a database enum has at least one
// value).
use model::ModelEnum;

#[derive(ModelEnum, Debug, Clone, Copy)]
pub enum Nothing {}

fn main() {}
