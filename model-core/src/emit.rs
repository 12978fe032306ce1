//! emit stage (see the crate docs).
