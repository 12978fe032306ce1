// Rule: A `#[derive(ModelEnum)]` enum is not generic: it is one database type.
use model::ModelEnum;

#[derive(ModelEnum, Debug, Clone, Copy)]
pub enum Either<T> {
    Left,
    Right,
    #[doc(hidden)]
    _Marker(std::marker::PhantomData<T>),
}

fn main() {}
