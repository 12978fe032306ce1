//! MySQL cannot index a `TEXT`, `BLOB` or `JSON` column without a prefix length: the plan refuses
//! such keys with a message naming the column and what to write instead.

use crate::diff::DiffError;
use crate::ir::{ColumnType, Dialect, Schema, Table};

/// `Err` for the first key (primary key, unique constraint, index, foreign key, on either side of
/// the foreign key) of `schema` over a column MySQL cannot index whole.
///
/// The crate does not render a prefix length (`"slug"(255)`) instead: a unique prefix makes
/// values that only differ after the prefix collide, and a prefix key cannot be a foreign key.
/// `max_length = n` (a `VARCHAR(n)`) is what such a column needs.
pub(super) fn check_keys(schema: &Schema) -> Result<(), DiffError> {
    for t in &schema.tables {
        let pk = t.primary_key.iter().map(|k| ("primary key", &k.name, &k.columns));
        let uniques = t.uniques.iter().map(|u| ("unique constraint", &u.name, &u.columns));
        let indexes = t.indexes.iter().map(|i| ("index", &i.name, &i.columns));
        let fks = t.foreign_keys.iter().map(|f| ("foreign key", &f.name, &f.columns));
        for (kind, name, columns) in pk.chain(uniques).chain(indexes).chain(fks) {
            check(t, kind, name, columns)?;
        }
        for fk in &t.foreign_keys {
            if let Some(target) = schema.table(&fk.ref_table) {
                check(target, "key referenced by foreign key", &fk.name, &fk.ref_columns)?;
            }
        }
    }
    Ok(())
}

fn check(t: &Table, kind: &str, name: &str, columns: &[String]) -> Result<(), DiffError> {
    for c in columns.iter().filter_map(|c| t.column(c)) {
        let what = match c.ty {
            ColumnType::Text => "TEXT",
            ColumnType::Binary => "BLOB",
            ColumnType::Json => "JSON",
            _ => continue,
        };
        let fix = match c.ty {
            ColumnType::Text => "give the field `max_length = 255` (or another length) so it is a VARCHAR",
            _ => "leave it out of the key, or give the field a `sql_type` MySQL can index, e.g. `sql_type = \"varbinary(255)\"`",
        };
        return Err(DiffError::NotSupportedOn {
            dialect: Dialect::Mysql,
            change: format!(
                "{kind} \"{name}\" of table \"{}\" over {what} column \"{}\" (MySQL indexes {what} columns only \
                 with a prefix length: {fix})",
                t.name, c.name
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::fixtures::{col, index};

    fn table(ty: ColumnType) -> Schema {
        let mut t = Table::new("posts");
        t.columns.push(col("slug", ty));
        t.indexes.push(index("posts", &["slug"], false));
        Schema::new(vec![t])
    }

    #[test]
    fn text_keys_are_refused_with_the_column_and_the_fix() {
        let err = check_keys(&table(ColumnType::Text)).unwrap_err().to_string();
        assert_eq!(
            err,
            "index \"ix_posts_slug\" of table \"posts\" over TEXT column \"slug\" (MySQL indexes TEXT columns only \
             with a prefix length: give the field `max_length = 255` (or another length) so it is a VARCHAR) is \
             not supported on mysql yet: write that migration by hand"
        );
        assert!(check_keys(&table(ColumnType::Binary)).is_err());
        assert!(check_keys(&table(ColumnType::Json)).is_err());
        assert!(check_keys(&table(ColumnType::Varchar { len: 255 })).is_ok());
    }
}
