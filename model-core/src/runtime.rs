//! runtime stage (see the crate docs).
