// Rule: A `#[derive(ModelEnum)]` enum is `pub` (its module can stay private): the Diesel `table!` of
// a model that uses it declares public columns of its type.
use model::ModelEnum;

#[derive(ModelEnum, Debug, Clone, Copy)]
pub(crate) enum PostStatus {
    Draft,
    Published,
}

fn main() {}
