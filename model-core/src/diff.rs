//! diff stage (see the crate docs).
