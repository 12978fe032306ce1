//! Field-level foreign keys: `references = "table(column)"`, `on_delete`, `on_update`.

use super::rust_type;
use crate::ir::{FkAction, ForeignKey};
use crate::parse::{Container, Ctxt, Field};

/// The foreign key of one field, if it has `references`, named `name` (see the check stage); `set
/// null` on a NOT NULL column is an error.
pub(crate) fn foreign_key(
    ctxt: &Ctxt,
    f: &Field,
    name: Option<&str>,
    column: &str,
    nullable: bool,
) -> Option<ForeignKey> {
    let r = f.attrs.references.as_ref()?;
    let name = name?.to_string();
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
        name,
        columns,
        ref_table: r.value.table.clone(),
        ref_columns: vec![r.value.column.clone()],
        on_delete,
        on_update,
    })
}

/// A struct-level `foreign_key(...)` with `set null` needs every one of its fields nullable.
pub(crate) fn set_null_needs_nullable(ctxt: &Ctxt, c: &Container, fk: &ForeignKey, fields: &[usize]) {
    let set_null = [fk.on_delete, fk.on_update].contains(&FkAction::SetNull);
    if !set_null {
        return;
    }
    for i in fields {
        let f = &c.fields[*i];
        if rust_type::option_inner(&f.ty).is_none() {
            ctxt.spanned_by(
                &f.ty,
                format!(
                    "foreign key `{}` sets `{}` to NULL, which is NOT NULL: make the field an `Option<...>`, or choose another action",
                    fk.name, f.ident
                ),
            );
        }
    }
}
