//! Declare your relational data model once, as annotated structs; get the Diesel schema,
//! versioned migration SQL and safe migrations at service startup.
//!
//! See the README for the guide and the attribute reference.

pub use model_core::ir;
pub use model_core::Model;
pub use model_derive::Model;

/// The Diesel version the generated schema is written against.
pub use diesel;
