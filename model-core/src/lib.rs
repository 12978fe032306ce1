//! Internals of the [`model`](https://docs.rs/model) crate: the schema IR, the `#[model(...)]`
//! attribute parser shared by the derive and the build step, the diff engine, SQL rendering per
//! dialect, the migrations folder, the build step and the runtime.
//!
//! The pipeline, one folder per stage:
//!
//! ```text
//! parse → check → lower → ir ─┬─ (derive) tokens
//!                             ├─ (build)  diff → ops → order → plan → render → emit
//!                             └─ (import) source: IR → Rust (the inverse of parse)
//! graph (the migration history: branches, merges) ← the build step, the runtime and the CLI
//! runtime: migrate, introspect
//! ```
//!
//! Users depend on the `model` facade, not on this crate directly.
#![deny(missing_docs)]

pub mod baseline;
pub mod ir;
pub mod lock;
mod model;
pub use model::{Model, ModelEnum, ModelView};

#[cfg(feature = "runtime")]
mod enum_sql;
#[cfg(feature = "runtime")]
pub use enum_sql::EnumSql;
#[cfg(feature = "runtime")]
pub mod types;

#[cfg(feature = "parse")]
pub mod check;
#[cfg(feature = "parse")]
pub mod config;
#[cfg(feature = "parse")]
pub mod facade;
#[cfg(feature = "parse")]
pub mod lower;
#[cfg(feature = "parse")]
pub mod parse;

pub mod diff;
pub mod graph;
pub mod ops;
pub mod order;
pub mod plan;
pub mod render;

#[cfg(feature = "source")]
pub mod source;

#[cfg(feature = "build")]
pub mod build;
#[cfg(feature = "build")]
pub mod emit;
#[cfg(feature = "build")]
pub mod lint;
#[cfg(any(feature = "runtime", feature = "build"))]
#[cfg_attr(not(feature = "runtime"), allow(dead_code))]
mod split;

#[cfg(feature = "runtime")]
pub mod introspect;
#[cfg(feature = "runtime")]
pub mod runtime;

#[cfg(test)]
pub(crate) mod test_shell;
