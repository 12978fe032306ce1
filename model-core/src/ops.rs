//! ops stage (see the crate docs).
