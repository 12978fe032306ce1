//! build stage (see the crate docs).
