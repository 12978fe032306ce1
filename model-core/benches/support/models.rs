//! Generated model sources for the benchmarks: `n` tables of 12 columns each, with foreign keys,
//! indexes and unique constraints, written the way users write them (`#[derive(Model)]` structs).

/// How many tables go in one generated file (a crate with 1,000 models keeps them in 100 files).
pub const TABLES_PER_FILE: usize = 10;

/// The source of table `i` of a generated schema. When `changed` is true, one column differs from
/// the base version (`ratio` becomes nullable): the "one column changed" edit of the benchmarks.
pub fn model_source(i: usize, changed: bool) -> String {
    let parent = i.saturating_sub(1);
    let owner = i / 2;
    let ratio = if changed { "Option<f64>" } else { "f64" };
    format!(
        r#"
/// Generated table number {i}.
#[derive(Model)]
#[model(table_name = "t{i:05}", index(name, created_at), unique(code, tenant_id))]
pub struct T{i:05} {{
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "t{parent:05}(id)", on_delete = "cascade", index)]
    pub parent_id: i64,
    #[model(references = "t{owner:05}(id)", on_delete = "set null")]
    pub owner_id: Option<i64>,
    #[model(max_length = 200)]
    pub name: String,
    #[model(unique, max_length = 64)]
    pub code: String,
    pub tenant_id: i32,
    /// A free text note.
    pub note: Option<String>,
    #[model(default = 0)]
    pub amount: i64,
    pub ratio: {ratio},
    #[model(default = false)]
    pub active: bool,
    pub payload: Vec<u8>,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::NaiveDateTime,
}}
"#
    )
}

/// The files of a generated schema of `tables` tables: `(file name, source)`. With `changed`, the
/// last table has its one changed column.
pub fn model_files(tables: usize, changed: bool) -> Vec<(String, String)> {
    (0..tables)
        .collect::<Vec<_>>()
        .chunks(TABLES_PER_FILE)
        .enumerate()
        .map(|(f, chunk)| {
            let mut text = String::from("use model::Model;\n");
            for &i in chunk {
                text.push_str(&model_source(i, changed && i + 1 == tables));
            }
            (format!("m{f:04}.rs"), text)
        })
        .collect()
}
