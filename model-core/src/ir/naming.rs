//! The deterministic naming rule for constraints and indexes, so later diffs can find and drop them.
//!
//! | object | name |
//! |---|---|
//! | primary key | `pk_<table>` |
//! | unique constraint | `uq_<table>_<col1>_<col2>…` |
//! | index | `ix_<table>_<col1>_<col2>…` (unique index: `ux_…`), unless `name = "..."` is given |
//! | foreign key | `fk_<table>_<col1>…_<referenced table>` |
//! | column check | `ck_<table>_<column>` |
//! | table check | `ck_<table>_<name>` from `check(name = "...")` |
//!
//! A name longer than 63 bytes (PostgreSQL's limit; MySQL's is 64) is cut to 54 bytes and gets `_`
//! plus 8 hex digits of a stable hash (FNV-1a) of the full name, so it stays unique and stable.

/// Longest name generated (PostgreSQL's identifier limit).
const MAX: usize = 63;

/// The primary key constraint name of `table`.
///
/// ```
/// assert_eq!(model_core::ir::pk_name("users"), "pk_users");
/// ```
pub fn pk_name(table: &str) -> String {
    limit_identifier(&format!("pk_{table}"))
}

/// The unique constraint name over `columns`.
///
/// ```
/// assert_eq!(model_core::ir::unique_name("posts", &["author_id", "slug"]), "uq_posts_author_id_slug");
/// ```
pub fn unique_name<S: AsRef<str>>(table: &str, columns: &[S]) -> String {
    limit_identifier(&format!("uq_{table}_{}", join(columns)))
}

/// The index name over `columns` (`ux_` when unique).
///
/// ```
/// assert_eq!(model_core::ir::index_name("users", &["last_name", "first_name"], false),
///            "ix_users_last_name_first_name");
/// ```
pub fn index_name<S: AsRef<str>>(table: &str, columns: &[S], unique: bool) -> String {
    let prefix = if unique { "ux" } else { "ix" };
    limit_identifier(&format!("{prefix}_{table}_{}", join(columns)))
}

/// The foreign key name.
///
/// ```
/// assert_eq!(model_core::ir::fk_name("posts", &["author_id"], "users"), "fk_posts_author_id_users");
/// ```
pub fn fk_name<S: AsRef<str>>(table: &str, columns: &[S], ref_table: &str) -> String {
    limit_identifier(&format!("fk_{table}_{}_{ref_table}", join(columns)))
}

/// The name of a field-level `check = "..."`.
///
/// ```
/// assert_eq!(model_core::ir::column_check_name("users", "age"), "ck_users_age");
/// ```
pub fn column_check_name(table: &str, column: &str) -> String {
    limit_identifier(&format!("ck_{table}_{column}"))
}

/// The name of the `CHECK` listing the values of an enum column on SQLite.
///
/// ```
/// assert_eq!(model_core::ir::enum_check_name("posts", "status"), "ck_posts_status_enum");
/// ```
pub fn enum_check_name(table: &str, column: &str) -> String {
    limit_identifier(&format!("ck_{table}_{column}_enum"))
}

/// The name of a struct-level `check(name = "...", sql = "...")`.
///
/// ```
/// assert_eq!(model_core::ir::check_name("products", "positive_price"), "ck_products_positive_price");
/// ```
pub fn check_name(table: &str, name: &str) -> String {
    limit_identifier(&format!("ck_{table}_{name}"))
}

/// Cut a name to 63 bytes, keeping it unique with a hash suffix (see the module docs).
///
/// ```
/// let long = "x".repeat(100);
/// let cut = model_core::ir::limit_identifier(&long);
/// assert_eq!(cut.len(), 63);
/// assert_eq!(cut, model_core::ir::limit_identifier(&long));
/// assert_eq!(model_core::ir::limit_identifier("short"), "short");
/// ```
pub fn limit_identifier(name: &str) -> String {
    if name.len() <= MAX {
        return name.to_string();
    }
    let mut cut = 54;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:08x}", &name[..cut], fnv1a(name.as_bytes()))
}

fn join<S: AsRef<str>>(columns: &[S]) -> String {
    columns.iter().map(|c| c.as_ref()).collect::<Vec<_>>().join("_")
}

fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
