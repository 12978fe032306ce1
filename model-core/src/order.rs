//! order stage (see the crate docs).
