//! introspect stage (see the crate docs).
