//! A field's column type: `sql_type`, else the Rust type's mapping, sized by `max_length`,
//! `precision` and `scale`; and its Diesel SQL type.

use super::diesel_type::{self, DieselType};
use super::portable::{self, Portability};
use super::rust_type::{self, Mapping};
use crate::ir::{ColumnType, Dialect, EnumType};
use crate::parse::{Ctxt, Field};
use quote::ToTokens;

/// The typed column of one field; `ty`/`diesel` are `None` after an error.
pub(crate) struct Typed {
    pub ty: Option<ColumnType>,
    pub nullable: bool,
    pub diesel: Option<DieselType>,
    /// The Rust enum type of a field marked `enum`.
    pub enum_type: Option<syn::Type>,
    /// The trait of the facade's `types` module the field's Rust type must implement (see
    /// [`portable`]).
    pub value_check: Option<&'static str>,
}

/// Type one field.
pub(crate) fn typed(ctxt: &Ctxt, f: &Field, column: &str, dialect: Dialect) -> Typed {
    let inner = rust_type::option_inner(&f.ty);
    let nullable = inner.is_some();
    let inner = inner.unwrap_or(&f.ty);
    let rust = rust_type::map(inner, dialect);
    if f.attrs.enum_.is_some() {
        return enum_typed(ctxt, f, inner, &rust, nullable);
    }
    let mut ty = match &f.attrs.sql_type {
        Some(sql) => from_sql(ctxt, sql, dialect),
        None => from_rust(ctxt, f, inner, &rust, column, dialect),
    };
    let mut value_check = None;
    if f.attrs.diesel_type.is_none() {
        match portable::portability(inner, dialect) {
            Portability::Bound => {}
            Portability::Check(check) => value_check = Some(check),
            Portability::Refused(why) => {
                ctxt.spanned_by(inner, format!("field `{}`: {why}", f.ident));
                ty = None;
            }
        }
    }
    let diesel = ty
        .as_ref()
        .and_then(|ty| diesel(ctxt, f, ty, &rust, dialect))
        .map(|d| d.nullable(nullable));
    Typed {
        ty,
        nullable,
        diesel,
        enum_type: None,
        value_check,
    }
}

/// A field marked `enum`: an unresolved enum column (the enum's derive or the build step fills in
/// its name and values) whose Diesel SQL type is the one the enum's derive declares.
fn enum_typed(ctxt: &Ctxt, f: &Field, inner: &syn::Type, rust: &Mapping, nullable: bool) -> Typed {
    let failed = Typed {
        ty: None,
        nullable,
        diesel: None,
        enum_type: None,
        value_check: None,
    };
    let rust_name = inner.to_token_stream().to_string().replace(' ', "");
    if *rust != Mapping::Unknown {
        ctxt.spanned_by(
            inner,
            format!(
                "field `{}` is marked `enum`, but `{rust_name}` is not a `#[derive(ModelEnum)]` enum (the crate maps it itself): remove `enum`",
                f.ident
            ),
        );
        return failed;
    }
    let is_path = matches!(inner, syn::Type::Path(p) if p.qself.is_none());
    if !is_path {
        ctxt.spanned_by(
            inner,
            format!("field `{}` is marked `enum`, so its type must name a `#[derive(ModelEnum)]` enum, e.g. `PostStatus` or `Option<PostStatus>`", f.ident),
        );
        return failed;
    }
    Typed {
        ty: Some(ColumnType::Enum(EnumType::new("", Vec::<String>::new()))),
        nullable,
        diesel: Some(DieselType::enum_of(inner.clone()).nullable(nullable)),
        enum_type: Some(inner.clone()),
        value_check: None,
    }
}

/// The column type of `sql_type = "..."`: [`ColumnType::parse_sql`], except that a spelling that
/// means another type on the dialect is kept as written (see [`ColumnType::parse_sql_for`]): on
/// MySQL `datetime` with whole seconds and MySQL's own `timestamp`; on SQLite `numeric(12,2)`, a
/// column of NUMERIC affinity (where the crate's exact decimals are TEXT), as an adopted database
/// declares it.
fn from_sql(ctxt: &Ctxt, sql: &crate::parse::Attr<String>, dialect: Dialect) -> Option<ColumnType> {
    let parsed = match (ColumnType::parse_sql(&sql.value), dialect) {
        (Ok(ty), Dialect::Mysql | Dialect::Sqlite) if !matches!(ty, ColumnType::Custom { .. }) => {
            match ColumnType::parse_sql_for(&sql.value, dialect) {
                Ok(custom @ ColumnType::Custom { .. }) => Ok(custom),
                _ => Ok(ty),
            }
        }
        (parsed, _) => parsed,
    };
    match parsed {
        Ok(ColumnType::Array { .. }) if dialect != Dialect::Postgres => {
            ctxt.at(
                sql.span,
                format!(
                    "`sql_type = \"{}\"` is an array, which only PostgreSQL has: store the values in a separate table",
                    sql.value
                ),
            );
            None
        }
        Ok(ty) => Some(ty),
        Err(_) => {
            ctxt.at(
                sql.span,
                format!(
                    "cannot read SQL type `{}`: write a type such as \"varchar(255)\", \"numeric(12,2)\", \"datetime(6)\" or \"citext\"",
                    sql.value
                ),
            );
            None
        }
    }
}

fn from_rust(
    ctxt: &Ctxt,
    f: &Field,
    inner: &syn::Type,
    rust: &Mapping,
    column: &str,
    dialect: Dialect,
) -> Option<ColumnType> {
    let rust_name = inner.to_token_stream().to_string().replace(' ', "");
    let ty = match rust {
        Mapping::Known(ty) => ty.clone(),
        Mapping::ArrayNeedsPostgres => {
            ctxt.spanned_by(
                inner,
                format!("`{rust_name}` maps to an array column, which {dialect} does not have: store the values in a separate table"),
            );
            return None;
        }
        Mapping::Unknown => {
            ctxt.spanned_by(
                inner,
                format!(
                    "cannot map Rust type `{rust_name}` of field `{}` to an SQL type: add `#[model(sql_type = \"...\")]` \
                     (plus `diesel_type = \"...\"` if Diesel has no such SQL type), or use a supported type \
                     (bool, i16, i32, i64, f32, f64, String, Vec<u8>, chrono/time dates and times, Uuid, serde_json::Value, BigDecimal){}",
                    f.ident,
                    enum_hint(inner, &rust_name)
                ),
            );
            return None;
        }
    };
    let ty = sized(ctxt, f, ty, column)?;
    if let (ColumnType::Numeric { precision: None, .. }, Dialect::Mysql) = (&ty, dialect) {
        ctxt.spanned_by(
            inner,
            format!(
                "MySQL's DECIMAL without digits is DECIMAL(10,0), which drops every fraction: give field `{}` \
                 its digits, e.g. `#[model(precision = 12, scale = 2)]`",
                f.ident
            ),
        );
        return None;
    }
    Some(ty)
}

/// For a type named like a user's type (a path ending in a capitalised name): how to use it if it
/// is a `#[derive(ModelEnum)]` enum.
fn enum_hint(ty: &syn::Type, rust_name: &str) -> String {
    let capitalised = match ty {
        syn::Type::Path(p) if p.qself.is_none() => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident.to_string().starts_with(|c: char| c.is_ascii_uppercase())),
        _ => false,
    };
    if capitalised {
        format!("; if `{rust_name}` is a `#[derive(ModelEnum)]` enum, mark the field `#[model(enum)]`")
    } else {
        String::new()
    }
}

/// Apply `max_length`, `precision` and `scale`, each only where it means something.
fn sized(ctxt: &Ctxt, f: &Field, ty: ColumnType, column: &str) -> Option<ColumnType> {
    let a = &f.attrs;
    let mut ok = true;
    let mut ty = ty;
    if let Some(len) = &a.max_length {
        if ty != ColumnType::Text {
            ctxt.at(
                len.key,
                format!(
                    "`max_length` applies to `String` fields, and column `{column}` is not text: remove `max_length`"
                ),
            );
            ok = false;
        } else if len.value == 0 {
            ctxt.at(
                len.span,
                "`max_length = 0` allows no text: write a positive length, e.g. `max_length = 255`",
            );
            ok = false;
        } else {
            ty = ColumnType::Varchar { len: len.value };
        }
    }
    if a.precision.is_some() || a.scale.is_some() {
        let is_numeric = matches!(ty, ColumnType::Numeric { .. });
        let precision = a.precision.as_ref().map(|p| p.value);
        let scale = a.scale.as_ref().map(|s| s.value);
        if !is_numeric {
            for (key, attr) in [("precision", &a.precision), ("scale", &a.scale)] {
                if let Some(attr) = attr {
                    ctxt.at(attr.key, format!("`{key}` applies to `BigDecimal` fields, and column `{column}` is not a decimal: remove `{key}`"));
                }
            }
            ok = false;
        } else {
            match (&a.precision, &a.scale) {
                (Some(p), _) if p.value == 0 => {
                    ctxt.at(
                        p.span,
                        "`precision = 0` allows no digits: write the total number of digits, e.g. `precision = 12`",
                    );
                    ok = false;
                }
                (None, Some(s)) => {
                    ctxt.at(
                        s.key,
                        "`scale` without `precision`: add the total number of digits, e.g. `precision = 12, scale = 2`",
                    );
                    ok = false;
                }
                (Some(p), Some(s)) if s.value > p.value => {
                    ctxt.at(s.span, format!("`scale = {}` is larger than `precision = {}`: the scale counts digits after the point among the precision's", s.value, p.value));
                    ok = false;
                }
                _ => ty = ColumnType::Numeric { precision, scale },
            }
        }
    }
    ok.then_some(ty)
}

/// The Diesel SQL type: `diesel_type`, else from the column type, else (custom SQL type) from the
/// Rust type, else an error asking for `diesel_type`.
fn diesel(ctxt: &Ctxt, f: &Field, ty: &ColumnType, rust: &Mapping, dialect: Dialect) -> Option<DieselType> {
    if let Some(user) = &f.attrs.diesel_type {
        return Some(diesel_type::user(&user.value));
    }
    if let Some(t) = diesel_type::of(ty, dialect) {
        return Some(t);
    }
    if let Mapping::Known(rust_ty) = rust {
        if let Some(t) = diesel_type::of(rust_ty, dialect) {
            return Some(t);
        }
    }
    let span = f
        .attrs
        .sql_type
        .as_ref()
        .map_or_else(|| syn::spanned::Spanned::span(&f.ty), |s| s.span);
    ctxt.at(
        span,
        format!(
            "Diesel has no SQL type for `{}` and the Rust type of field `{}` does not give one: add `diesel_type = \"...\"`, \
             e.g. `diesel_type = \"Citext\"` or a path to your own SQL type",
            ty.to_sql(dialect).to_lowercase(),
            f.ident
        ),
    );
    None
}
