//! plan stage (see the crate docs).
