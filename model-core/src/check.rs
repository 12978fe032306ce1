//! check stage (see the crate docs).
