//! render stage (see the crate docs).
