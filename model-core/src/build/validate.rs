//! Rules across models that no single derive can see: table names are unique and foreign keys point
//! at tables and columns that exist.

use super::scan::ScannedModel;
use crate::ir::Schema;
use std::collections::BTreeMap;

/// Every cross-model problem, in words naming the struct, file and table.
pub fn validate(models: &[ScannedModel], schema: &Schema) -> Vec<String> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, &ScannedModel> = BTreeMap::new();
    for m in models {
        let name = m.table.name.as_str();
        if let Some(first) = seen.insert(name, m) {
            errors.push(format!(
                "{}: struct `{}` and struct `{}` ({}) both map to table \"{name}\": give one of them #[model(table_name = \"...\")]",
                m.file.display(),
                m.ident,
                first.ident,
                first.file.display()
            ));
        }
    }
    for m in models {
        let t = &m.table;
        for fk in &t.foreign_keys {
            let Some(target) = schema.table(&fk.ref_table) else {
                errors.push(format!(
                    "{}: struct `{}`: \"{}\".\"{}\" references table \"{}\", but no model declares that table; write the referenced table's SQL name in `references = \"table(column)\"`",
                    m.file.display(), m.ident, t.name, fk.columns.join(", "), fk.ref_table
                ));
                continue;
            };
            for rc in &fk.ref_columns {
                if target.column(rc).is_none() {
                    let known: Vec<&str> = target.columns.iter().map(|c| c.name.as_str()).collect();
                    errors.push(format!(
                        "{}: struct `{}`: \"{}\".\"{}\" references \"{}\".\"{rc}\", which does not exist; its columns are: {}",
                        m.file.display(), m.ident, t.name, fk.columns.join(", "), fk.ref_table, known.join(", ")
                    ));
                }
            }
        }
    }
    errors
}
