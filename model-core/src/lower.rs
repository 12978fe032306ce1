//! lower stage (see the crate docs).
