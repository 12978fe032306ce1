//! Whole-pipeline tests: struct in, IR (as JSON snapshots) or every error out.

use super::parse_model;
use crate::ir::{ColumnType, DefaultValue, Dialect, FkAction, Literal};
use syn::parse_quote;

fn ok(input: syn::DeriveInput, dialect: Dialect) -> super::ModelDef {
    match parse_model(&input, dialect) {
        Ok(m) => m,
        Err(e) => panic!("unexpected errors:\n{e}"),
    }
}

fn errors(input: syn::DeriveInput, dialect: Dialect) -> String {
    match parse_model(&input, dialect) {
        Ok(m) => panic!("expected errors, got {:?}", m.table),
        Err(e) => e.to_string(),
    }
}

#[test]
fn design_example_user() {
    let m = ok(
        parse_quote! {
            /// A registered person.
            #[model(index(last_name, first_name))]
            pub struct User {
                #[model(primary_key)]
                pub id: i64,
                #[model(unique, max_length = 255)]
                pub email: String,
                pub first_name: String,
                pub last_name: String,
                pub nickname: Option<String>,
                #[model(default_sql = "now()")]
                pub created_at: chrono::DateTime<chrono::Utc>,
            }
        },
        Dialect::Postgres,
    );
    insta::assert_snapshot!(serde_json::to_string_pretty(&m.table).unwrap());
    let types: Vec<String> = m.fields.iter().map(|f| f.diesel_type.to_string()).collect();
    insta::assert_snapshot!(types.join("\n"));
}

#[test]
fn design_example_post() {
    let m = ok(
        parse_quote! {
            #[model(table_name = "posts", unique(author_id, slug))]
            #[model(check(name = "slug_not_empty", sql = "slug <> ''"))]
            pub struct Post {
                #[model(primary_key)]
                pub id: i64,
                #[model(references = "users(id)", on_delete = "cascade", index)]
                pub author_id: i64,
                #[model(max_length = 200)]
                pub slug: String,
                #[model(renamed_from = "body")]
                pub content: String,
                #[model(default = false)]
                pub published: bool,
                #[model(column_name = "type", default = "article")]
                pub r#kind: String,
                #[model(check = "score >= -1", default = -1)]
                pub score: i32,
            }
        },
        Dialect::Sqlite,
    );
    insta::assert_snapshot!(serde_json::to_string_pretty(&m.table).unwrap());
    assert_eq!(m.module, "posts");
    assert_eq!(m.fields[5].column, "type");
}

#[test]
fn composite_key_partial_index_and_numeric() {
    let m = ok(
        parse_quote! {
            #[model(primary_key(order_id, line), index(sku, name = "ix_sku_live", where_sql = "deleted_at IS NULL"))]
            #[model(index(order_id, sku, unique))]
            struct OrderLine {
                order_id: i64,
                line: i32,
                sku: String,
                #[model(precision = 12, scale = 2, default = 0.5)]
                price: bigdecimal::BigDecimal,
                deleted_at: Option<chrono::NaiveDateTime>,
            }
        },
        Dialect::Mysql,
    );
    let t = &m.table;
    assert_eq!(t.name, "order_lines");
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["order_id", "line"]);
    assert!(
        t.columns.iter().all(|c| !c.identity),
        "composite keys are not identity columns"
    );
    assert_eq!(
        t.columns[3].ty,
        ColumnType::Numeric {
            precision: Some(12),
            scale: Some(2)
        }
    );
    assert_eq!(
        t.columns[3].default,
        Some(DefaultValue::Literal(Literal::Float("0.5".into())))
    );
    assert_eq!(t.indexes[0].name, "ix_sku_live");
    assert_eq!(t.indexes[0].where_sql.as_deref(), Some("deleted_at IS NULL"));
    assert_eq!(t.indexes[1].name, "ux_order_lines_order_id_sku");
    assert!(m.fields[0].primary_key && m.fields[1].primary_key && !m.fields[2].primary_key);
    assert!(m.fields[4].diesel_type.to_string().contains("Nullable"));
}

#[test]
fn sql_type_identity_and_diesel_type() {
    let m = ok(
        parse_quote! {
            #[model(table_name = "type")]
            struct Order {
                #[model(primary_key, identity = false)]
                id: i32,
                #[model(sql_type = "citext", diesel_type = "Citext")]
                email: String,
                #[model(sql_type = "money")]
                total: f64,
                #[model(sql_type = "varchar(20)", references = "users(id)", on_delete = "set null")]
                owner: Option<String>,
                tags: Vec<String>,
            }
        },
        Dialect::Postgres,
    );
    let t = &m.table;
    assert!(!t.columns[0].identity);
    assert_eq!(t.columns[1].ty, ColumnType::Custom { sql: "citext".into() });
    assert_eq!(
        m.fields[1].diesel_type.to_string().replace(' ', ""),
        "::model::diesel::sql_types::Citext"
    );
    assert_eq!(
        m.fields[2].diesel_type.to_string().replace(' ', ""),
        "::model::diesel::sql_types::Double"
    );
    assert_eq!(t.columns[3].ty, ColumnType::Varchar { len: 20 });
    assert_eq!(t.foreign_keys[0].on_delete, FkAction::SetNull);
    assert_eq!(
        t.columns[4].ty,
        ColumnType::Array {
            of: Box::new(ColumnType::Text)
        }
    );
    assert_eq!(m.module, "type_", "a keyword table name gets a sanitized module");
}

#[test]
fn acronym_struct_keeps_diesels_module_name() {
    let m = ok(
        parse_quote! { struct HTTPLog { #[model(primary_key)] id: i64 } },
        Dialect::Postgres,
    );
    assert_eq!(m.table.name, "http_logs");
    assert_eq!(m.module, "h_t_t_p_logs");
}

#[test]
fn comments_from_docs_and_attributes() {
    let m = ok(
        parse_quote! {
            /// Doc.
            #[model(comment = "Explicit.")]
            struct Tag {
                /// The id.
                #[model(primary_key)]
                id: i64,
                /// Hidden.
                #[model(comment = "")]
                name: String,
            }
        },
        Dialect::Postgres,
    );
    assert_eq!(m.table.comment.as_deref(), Some("Explicit."));
    assert_eq!(m.table.columns[0].comment.as_deref(), Some("The id."));
    assert_eq!(m.table.columns[1].comment, None);
}

#[test]
fn every_error_of_a_struct_is_reported_together() {
    let e = errors(
        parse_quote! {
            #[model(primary_key(id, idd), index(name, name), tabel_name = "x")]
            struct Thing {
                #[model(primary_key)]
                id: Option<i64>,
                #[model(max_length = 0, default = 1, default_sql = "2")]
                name: String,
                #[model(on_delete = "explode")]
                owner: i64,
                #[model(precision = 2)]
                count: i32,
                weird: u64,
                #[model(references = "users.id", on_delete = "set null")]
                user_id: i64,
                #[model(column_name = "name")]
                other: String,
            }
        },
        Dialect::Postgres,
    );
    insta::assert_snapshot!(e);
}

#[test]
fn not_a_model() {
    insta::assert_snapshot!(errors(parse_quote! { enum E { A } }, Dialect::Postgres));
    insta::assert_snapshot!(errors(parse_quote! { struct T(i64); }, Dialect::Postgres));
    insta::assert_snapshot!(errors(
        parse_quote! { struct G<T> { #[model(primary_key)] id: i64, t: T } },
        Dialect::Postgres
    ));
}

#[test]
fn arrays_need_postgres() {
    let e = errors(
        parse_quote! { struct A { #[model(primary_key)] id: i64, tags: Vec<String> } },
        Dialect::Sqlite,
    );
    assert!(e.contains("array") && e.contains("sqlite"), "{e}");
}

#[test]
fn partial_model_on_errors() {
    let input: syn::DeriveInput = parse_quote! {
        struct Pet { #[model(primary_key)] id: i64, #[model(bogus)] name: String, weird: u64 }
    };
    let e = parse_model(&input, Dialect::Postgres).unwrap_err();
    let partial = e.partial().unwrap();
    assert_eq!(partial.table.name, "pets");
    let names: Vec<String> = partial.fields.iter().map(|f| f.column.clone()).collect();
    assert_eq!(names, ["id", "name"]);
}

#[test]
fn types_diesel_cannot_bind_on_a_backend_are_refused_with_the_type_to_write() {
    let big = errors(
        parse_quote! {
            struct Price { #[model(primary_key)] id: i64, #[model(precision = 12, scale = 2)] amount: bigdecimal::BigDecimal }
        },
        Dialect::Sqlite,
    );
    assert!(
        big.contains("field `amount`: Diesel binds a `BigDecimal` on SQLite as a float"),
        "{big}"
    );
    assert!(big.contains("write `model::types::Decimal`"), "{big}");
    let utc = errors(
        parse_quote! {
            struct Visit { #[model(primary_key)] id: i64, at: Option<chrono::DateTime<chrono::Utc>> }
        },
        Dialect::Mysql,
    );
    assert!(utc.contains("write `model::types::UtcDateTime`"), "{utc}");
    // where Diesel binds them, and with `diesel_type` (a type of one's own), they are fine
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        ok(
            parse_quote! {
                struct Price { #[model(primary_key)] id: i64, #[model(precision = 12, scale = 2)] amount: bigdecimal::BigDecimal }
            },
            dialect,
        );
    }
    let own = ok(
        parse_quote! {
            struct Price { #[model(primary_key)] id: i64, #[model(diesel_type = "Text")] amount: BigDecimal }
        },
        Dialect::Sqlite,
    );
    assert!(own.fields[1].value_check.is_none());
}

#[test]
fn uuids_and_decimals_on_sqlite_carry_their_value_check() {
    let m = ok(
        parse_quote! {
            struct Token { #[model(primary_key)] id: model::types::Uuid, price: Option<model::types::Decimal> }
        },
        Dialect::Sqlite,
    );
    let checks: Vec<(&str, String)> = m
        .fields
        .iter()
        .filter_map(|f| f.value_check.as_ref())
        .map(|(check, ty)| {
            (
                *check,
                quote::ToTokens::to_token_stream(ty).to_string().replace(' ', ""),
            )
        })
        .collect();
    assert_eq!(
        checks,
        [
            ("UuidColumn", "model::types::Uuid".to_string()),
            ("DecimalColumn", "model::types::Decimal".to_string())
        ]
    );
    let diesel: Vec<String> = m
        .fields
        .iter()
        .map(|f| f.diesel_type.to_string().replace(' ', ""))
        .collect();
    assert_eq!(
        diesel,
        [
            "::model::diesel::sql_types::Binary",
            "::model::diesel::sql_types::Nullable<::model::diesel::sql_types::Text>"
        ]
    );
    assert!(ok(
        parse_quote! { struct Token { #[model(primary_key)] id: uuid::Uuid } },
        Dialect::Postgres
    )
    .fields[0]
        .value_check
        .is_none());
}

#[test]
fn mysql_decimals_need_their_digits() {
    let e = errors(
        parse_quote! { struct Price { #[model(primary_key)] id: i64, amount: bigdecimal::BigDecimal } },
        Dialect::Mysql,
    );
    assert!(e.contains("MySQL's DECIMAL without digits is DECIMAL(10,0)"), "{e}");
    assert!(e.contains("`#[model(precision = 12, scale = 2)]`"), "{e}");
    // written out, the user's `sql_type` is taken as it is
    let m = ok(
        parse_quote! { struct Price { #[model(primary_key)] id: i64, #[model(sql_type = "decimal")] amount: bigdecimal::BigDecimal } },
        Dialect::Mysql,
    );
    assert_eq!(m.table.columns[1].ty.to_sql(Dialect::Mysql), "DECIMAL");
}

#[test]
fn sql_type_takes_a_time_precision() {
    let ty = |sql: &str, dialect: Dialect| -> ColumnType {
        let input: syn::DeriveInput = syn::parse_str(&format!(
            "struct T {{ #[model(primary_key)] id: i64, #[model(sql_type = {sql:?})] at: chrono::NaiveDateTime }}"
        ))
        .unwrap();
        ok(input, dialect).table.columns[1].ty.clone()
    };
    assert_eq!(ty("DATETIME(6)", Dialect::Mysql), ColumnType::Timestamp);
    assert_eq!(ty("timestamp(6)", Dialect::Postgres), ColumnType::Timestamp);
    // on MySQL, `datetime` keeps whole seconds and `timestamp` is MySQL's own type: kept as written
    for sql in ["datetime", "timestamp(6)", "datetime(3)"] {
        assert_eq!(
            ty(sql, Dialect::Mysql),
            ColumnType::Custom { sql: sql.to_string() },
            "{sql}"
        );
    }
    assert_eq!(
        ty("timestamp(3)", Dialect::Postgres).to_sql(Dialect::Postgres),
        "TIMESTAMP(3)"
    );
}

#[test]
fn exact_names_on_every_constraint_and_identity_kinds() {
    let m = ok(
        parse_quote! {
            #[model(primary_key(order_id, line, name = "order_lines_pkey"))]
            #[model(unique(order_id, sku, name = "ol_sku_key"), check(sql_name = "ol_qty_check", sql = "qty > 0"))]
            #[model(check(name = "short", sql = "qty < 10"))]
            #[model(foreign_key(order_id, line, references = "x(a, b)", on_delete = "cascade", name = "ol_x_fkey"))]
            struct OrderLine {
                #[model(references = "orders(id)", fk_name = "ol_order_fkey")]
                order_id: i64,
                line: i32,
                #[model(unique, unique_name = "ol_sku_uq", index, index_name = "ol_sku_idx")]
                sku: String,
                #[model(check = "qty >= 0", check_name = "ol_qty_min")]
                qty: i32,
            }
        },
        Dialect::Postgres,
    );
    let t = &m.table;
    assert_eq!(t.primary_key.as_ref().unwrap().name, "order_lines_pkey");
    let names = |v: Vec<&str>| v.join(",");
    assert_eq!(
        names(t.uniques.iter().map(|u| u.name.as_str()).collect()),
        "ol_sku_uq,ol_sku_key"
    );
    assert_eq!(t.indexes[0].name, "ol_sku_idx");
    assert_eq!(
        names(t.checks.iter().map(|c| c.name.as_str()).collect()),
        "ol_qty_min,ol_qty_check,ck_order_lines_short"
    );
    assert_eq!(
        names(t.foreign_keys.iter().map(|f| f.name.as_str()).collect()),
        "ol_order_fkey,ol_x_fkey"
    );
    assert_eq!(t.foreign_keys[1].columns, ["order_id", "line"]);
    assert_eq!(t.foreign_keys[1].ref_columns, ["a", "b"]);
    assert_eq!(t.foreign_keys[1].on_delete, FkAction::Cascade);

    let serial = ok(
        parse_quote! { struct Tag { #[model(primary_key, identity = "serial", pk_name = "tags_pkey")] id: i32 } },
        Dialect::Postgres,
    );
    assert_eq!(serial.table.columns[0].identity_kind, crate::ir::IdentityKind::Serial);
    assert_eq!(serial.table.primary_key.unwrap().name, "tags_pkey");
    let off = ok(
        parse_quote! { struct Tag { #[model(primary_key, identity = false)] id: i32 } },
        Dialect::Postgres,
    );
    assert!(!off.table.columns[0].identity);
}

#[test]
fn name_errors() {
    let e = errors(
        parse_quote! {
            #[model(foreign_key(a, references = "t(x)", on_delete = "set null"))]
            struct S {
                #[model(primary_key)] id: i64,
                #[model(pk_name = "p")] a: i64,
                #[model(index_name = "i")] b: i64,
                #[model(unique, unique_name = "S_dup", check = "b > 0", check_name = "S_dup")] c: i64,
            }
        },
        Dialect::Postgres,
    );
    assert!(e.contains("`pk_name` names the primary key"), "{e}");
    assert!(e.contains("`index_name` names the field's `index`"), "{e}");
    assert!(e.contains("named `S_dup` like another"), "{e}");
    assert!(e.contains("sets `a` to NULL"), "{e}");
}

#[test]
fn schema_from_the_attribute_or_a_dotted_table_name() {
    let m = ok(
        parse_quote! {
            #[model(schema = "billing")]
            struct Invoice { #[model(primary_key)] id: i64 }
        },
        Dialect::Postgres,
    );
    assert_eq!(
        (m.table.schema.as_deref(), m.table.name.as_str()),
        (Some("billing"), "invoices")
    );
    let m = ok(
        parse_quote! {
            #[model(table_name = "billing.invoices")]
            struct Invoice { #[model(primary_key)] id: i64, #[model(references = "crm.customers(id)")] customer_id: i64 }
        },
        Dialect::Postgres,
    );
    assert_eq!(
        (m.table.schema.as_deref(), m.table.name.as_str()),
        (Some("billing"), "invoices")
    );
    assert_eq!(m.module.to_string(), "invoices");
    assert_eq!(m.table.foreign_keys[0].ref_table, "customers");
    assert_eq!(m.fields[1].references_schema.as_deref(), Some("crm"));
    // the same schema twice is no conflict; the crate's default applies to tables that name none
    let input: syn::DeriveInput = parse_quote! {
        #[model(schema = "billing", table_name = "billing.invoices")]
        struct Invoice { #[model(primary_key)] id: i64 }
    };
    assert_eq!(
        super::parse_model_in(&input, Dialect::Postgres, Some("app"))
            .unwrap()
            .table
            .schema
            .as_deref(),
        Some("billing")
    );
    let input: syn::DeriveInput = parse_quote! { struct Invoice { #[model(primary_key)] id: i64 } };
    assert_eq!(
        super::parse_model_in(&input, Dialect::Postgres, Some("app"))
            .unwrap()
            .table
            .schema
            .as_deref(),
        Some("app")
    );
    assert_eq!(ok(input, Dialect::Postgres).table.schema, None);
}

#[test]
fn schema_errors_name_the_table_and_say_what_to_write() {
    let e = errors(
        parse_quote! {
            #[model(schema = "billing", table_name = "audit.invoices")]
            struct Invoice { #[model(primary_key)] id: i64 }
        },
        Dialect::Postgres,
    );
    assert!(
        e.contains("name two schemas") && e.contains("`table_name = \"invoices\"` with `schema = \"billing\"`"),
        "{e}"
    );
    let e = errors(
        parse_quote! {
            #[model(table_name = "a.b.c")]
            struct Invoice { #[model(primary_key)] id: i64 }
        },
        Dialect::Postgres,
    );
    assert!(e.contains("`table_name = \"schema.table\"`"), "{e}");
    for dialect in [Dialect::Mysql, Dialect::Sqlite] {
        let e = errors(
            parse_quote! {
                #[model(schema = "billing")]
                struct Invoice { #[model(primary_key)] id: i64 }
            },
            dialect,
        );
        assert!(
            e.contains("table \"invoices\" in schema \"billing\"") && e.contains("PostgreSQL's"),
            "{e}"
        );
    }
}
