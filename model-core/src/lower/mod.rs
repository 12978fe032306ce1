//! Lowering a checked model into the IR: Rust types to column types and Diesel SQL types,
//! nullability, identity, defaults, foreign keys and comments.
//!
//! The type mapping is DESIGN's table; see [`crate::parse`] for the attributes that change it.

mod column_type;
mod default;
mod diesel_type;
pub use diesel_type::DieselType;
mod foreign_key;
mod portable;
mod rust_type;

use crate::check::Checked;
use crate::ir::{self, Column, Dialect, Generated, PrimaryKey, Table};
use crate::parse::{Container, Ctxt, Field, FieldDef, ModelDef, ViewDef};

/// Build the model. Columns whose type could not be worked out (an error was recorded) are left out,
/// so the result is a best-effort model whenever the context holds errors.
pub(crate) fn lower(
    ctxt: &Ctxt,
    c: &Container,
    checked: &Checked,
    dialect: Dialect,
    default_schema: Option<&str>,
) -> ModelDef {
    let table_name = &checked.table_name;
    let mut table = Table::new(table_name.clone());
    table.schema = schema(ctxt, checked, dialect).or_else(|| default_schema.map(str::to_string));
    table.renamed_from = c.attrs.renamed_from.as_ref().map(|r| r.value.clone());
    table.comment = comment(c.attrs.comment.as_ref(), &c.doc);
    let is_view = c.attrs.is_view();
    // a view's key is Diesel's only: no identity, no constraint
    let single_pk = match checked.primary_key.as_slice() {
        [i] if !is_view => Some(*i),
        _ => None,
    };
    let mut fields = Vec::with_capacity(c.fields.len());
    for (i, f) in c.fields.iter().enumerate() {
        let column = &checked.columns[i];
        let in_pk = checked.primary_key.contains(&i);
        let typed = column_type::typed(ctxt, f, column, dialect);
        if in_pk && typed.nullable {
            ctxt.spanned_by(
                &f.ty,
                format!(
                    "primary key field `{}` is an `Option`: a primary key is NOT NULL, write the inner type",
                    f.ident
                ),
            );
        }
        let fk_name = checked.fk_names[i].as_deref();
        if let Some(fk) = foreign_key::foreign_key(ctxt, f, fk_name, column, typed.nullable) {
            table.foreign_keys.push(fk);
        }
        let default = default::default(ctxt, f, column, typed.ty.as_ref());
        let Some(ty) = typed.ty else { continue };
        let identity = identity(ctxt, f, &ty, single_pk == Some(i));
        let identity_kind = match &f.attrs.identity {
            Some(a) if identity => a.value.kind,
            _ => ir::IdentityKind::ByDefault,
        };
        table.columns.push(Column {
            name: column.clone(),
            ty,
            nullable: typed.nullable,
            default,
            identity,
            identity_kind,
            renamed_from: f.attrs.renamed_from.as_ref().map(|r| r.value.clone()),
            comment: comment(f.attrs.comment.as_ref(), &f.doc),
            generated: generated(ctxt, f, dialect),
        });
        if let Some(diesel_type) = typed.diesel {
            fields.push(FieldDef {
                ident: f.ident.clone(),
                column: column.clone(),
                diesel_type,
                primary_key: in_pk,
                enum_type: typed.enum_type,
                value_check: typed
                    .value_check
                    .map(|check| (check, rust_type::option_inner(&f.ty).unwrap_or(&f.ty).clone())),
                references_span: f.attrs.references.as_ref().map(|a| a.span),
                references_schema: f.attrs.references.as_ref().and_then(|a| a.value.schema.clone()),
                default_span: f.attrs.default.as_ref().map(|a| a.span),
            });
        }
    }
    if !checked.primary_key.is_empty() && !is_view {
        let columns = checked
            .primary_key
            .iter()
            .map(|i| checked.columns[*i].clone())
            .collect();
        table.primary_key = Some(PrimaryKey {
            name: checked.pk_name.clone(),
            columns,
        });
    }
    for (fk, fields) in &checked.foreign_keys {
        foreign_key::set_null_needs_nullable(ctxt, c, fk, fields);
        table.foreign_keys.push(fk.clone());
    }
    table.uniques = checked.uniques.clone();
    table.indexes = checked.indexes.clone();
    table.checks = checked.checks.clone();
    if is_view {
        table.foreign_keys.clear();
    }
    if dialect == Dialect::Mysql {
        stored_over_changing_keys(ctxt, c, &table);
    }
    ModelDef {
        ident: c.ident.clone(),
        table,
        view: view(ctxt, c, dialect),
        module: checked.module.clone(),
        fields,
        table_name_span: c.attrs.table_name.as_ref().map(|a| a.span),
        diesel_table: c.attrs.diesel_table.as_ref().map(|d| d.value.clone()),
    }
}

/// The table's schema; PostgreSQL's only: a MySQL/MariaDB "schema" is a database, which the crate
/// does not span (its migrations, records and lock live in the connection's database), and SQLite's
/// attached databases are per connection.
fn schema(ctxt: &Ctxt, checked: &Checked, dialect: Dialect) -> Option<String> {
    let (schema, span) = checked.schema.as_ref()?;
    if dialect != Dialect::Postgres {
        ctxt.at(
            *span,
            format!(
                "table \"{}\" in schema \"{schema}\": schemas are PostgreSQL's, and this crate's dialect is {dialect} \
                 (one database per crate there); remove the schema",
                checked.table_name
            ),
        );
        return None;
    }
    Some(schema.clone())
}

/// The view a struct declares, if it does; `materialized` is PostgreSQL's only.
fn view(ctxt: &Ctxt, c: &Container, dialect: Dialect) -> Option<ViewDef> {
    let a = &c.attrs;
    if !a.is_view() {
        return None;
    }
    if let (Some(m), false) = (&a.materialized, dialect == Dialect::Postgres) {
        ctxt.at(
            m.key,
            format!(
                "materialized views are PostgreSQL's, and this crate's dialect is {dialect}: remove `materialized`"
            ),
        );
    }
    Some(ViewDef {
        sql: a.view.as_ref().map(|v| v.value.clone()),
        file: a.view_file.as_ref().map(|f| (f.value.clone(), f.span)),
        materialized: a.materialized.is_some(),
    })
}

/// `generated = ".."`: PostgreSQL stores every generated column.
fn generated(ctxt: &Ctxt, f: &Field, dialect: Dialect) -> Option<Generated> {
    let g = f.attrs.generated.as_ref()?;
    if let (Some(span), Dialect::Postgres) = (g.value.is_virtual, dialect) {
        ctxt.at(
            span,
            "PostgreSQL has no virtual generated columns, only stored ones: remove `virtual` (the column is then stored)",
        );
    }
    Some(Generated {
        sql: g.value.sql.clone(),
        is_virtual: g.value.is_virtual.is_some() && dialect != Dialect::Postgres,
    })
}

/// MySQL/MariaDB refuse a stored generated column that reads a column of a foreign key whose action
/// changes it (`CASCADE`, `SET NULL`, `SET DEFAULT` on delete or update): the server would have to
/// recompute the stored value behind the referential action. Said at the `generated` attribute.
fn stored_over_changing_keys(ctxt: &Ctxt, c: &Container, table: &Table) {
    use ir::FkAction::{Cascade, SetDefault, SetNull};
    let changing = |a: ir::FkAction| matches!(a, Cascade | SetNull | SetDefault);
    for f in &c.fields {
        let Some(g) = f.attrs.generated.as_ref().filter(|g| g.value.is_virtual.is_none()) else {
            continue;
        };
        // the names it reads, lower-cased, as the planner finds them (`ir::mentioned`)
        let read = ir::mentioned(&g.value.sql);
        for fk in table
            .foreign_keys
            .iter()
            .filter(|fk| changing(fk.on_delete) || changing(fk.on_update))
        {
            let Some(column) = fk.columns.iter().find(|c| read.contains(&c.to_lowercase())) else {
                continue;
            };
            let action = if changing(fk.on_delete) {
                "on_delete"
            } else {
                "on_update"
            };
            ctxt.at(
                g.span,
                format!(
                    "MySQL/MariaDB refuse a stored generated column that reads `{column}`, a column of a foreign key \
                     with a referential action that changes it ({action}); compute it when read: \
                     `generated(sql = \"{}\", virtual)`, or give the foreign key `{action} = \"restrict\"`",
                    g.value.sql
                ),
            );
        }
    }
}

/// A single integer primary key is an identity column unless `identity = false`; `identity` on a
/// column that is not an integer is an error (on a non-key column, check already said so).
fn identity(ctxt: &Ctxt, f: &Field, ty: &ir::ColumnType, single_pk: bool) -> bool {
    // an explicit `identity` also fits integer types given with `sql_type` (`int unsigned`)
    let integer_sql = matches!(ty, ir::ColumnType::Custom { sql } if is_integer_sql(sql));
    match &f.attrs.identity {
        Some(attr) if !ty.is_integer() && !integer_sql => {
            if single_pk {
                ctxt.at(
                    attr.key,
                    format!(
                        "`identity` applies to integer primary keys, and `{}` is not an integer: remove `identity`",
                        f.ident
                    ),
                );
            }
            false
        }
        Some(attr) => single_pk && attr.value.on,
        None => single_pk && ty.is_integer(),
    }
}

/// An integer SQL type the IR keeps as custom text: `int unsigned`, `tinyint`, `mediumint`, ...
fn is_integer_sql(sql: &str) -> bool {
    let base = sql.split(['(', ' ']).next().unwrap_or(sql).to_ascii_lowercase();
    matches!(
        base.as_str(),
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "int2" | "int4" | "int8"
    )
}

/// `comment = "..."` wins over the doc comment; an empty `comment = ""` means no comment.
fn comment(attr: Option<&crate::parse::Attr<String>>, doc: &Option<String>) -> Option<String> {
    match attr {
        Some(a) if a.value.trim().is_empty() => None,
        Some(a) => Some(a.value.clone()),
        None => doc.clone(),
    }
}
