//! parse stage (see the crate docs).
