//! Field-level foreign keys: `references = "table(column)"`, `on_delete`, `on_update`.

use crate::ir::{self, FkAction, ForeignKey};
use crate::parse::{Ctxt, Field};

/// The foreign key of one field, if it has `references`; `set null` on a NOT NULL column is an error.
pub(crate) fn foreign_key(ctxt: &Ctxt, f: &Field, table: &str, column: &str, nullable: bool) -> Option<ForeignKey> {
    let r = f.attrs.references.as_ref()?;
    let action = |key: &str, attr: &Option<crate::parse::Attr<FkAction>>| -> FkAction {
        let Some(a) = attr else {
            return FkAction::NoAction;
        };
        if a.value == FkAction::SetNull && !nullable {
            ctxt.at(
                a.span,
                format!("`{key} = \"set null\"` on column `{column}`, which is NOT NULL: make the field an `Option<...>`, or choose another action"),
            );
        }
        a.value
    };
    let on_delete = action("on_delete", &f.attrs.on_delete);
    let on_update = action("on_update", &f.attrs.on_update);
    let columns = vec![column.to_string()];
    Some(ForeignKey {
        name: ir::fk_name(table, &columns, &r.value.table),
        columns,
        ref_table: r.value.table.clone(),
        ref_columns: vec![r.value.column.clone()],
        on_delete,
        on_update,
    })
}
